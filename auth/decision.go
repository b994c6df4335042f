package auth

import (
	"context"
	"time"

	"github.com/zkit-go/zkit/cert"
)

// Decision is the answer to one ZAP request.
type Decision struct {
	// Status is one of StatusOK, StatusTemporary, StatusDenied and
	// StatusInternal.
	Status Status
	// Text is the status text. It stays on the server (libzmq tells the
	// client only the status code) and appears in events and logs. Empty
	// means Status.Text().
	Text string
	// UserID becomes the User-Id property of every message received from
	// the client. It is sent only with StatusOK.
	UserID string
	// Metadata becomes further message properties, one per entry (names of
	// 1 to 255 bytes). It is sent only with StatusOK.
	Metadata []cert.Meta
}

// text returns the status text to send.
func (d Decision) text() string {
	if d.Text != "" {
		return d.Text
	}
	return d.Status.Text()
}

// Checker makes custom decisions, such as looking a client up in a
// database. A policy with a Checker consults it for every request that
// its address rules let through (see the package documentation).
type Checker interface {
	// Check decides req. proposed is what the policy's own rules decided
	// (PLAIN passwords, CURVE certificates, GSSAPI, NULL); returning it
	// unchanged keeps that decision.
	//
	// Check runs on one of the authenticator's worker goroutines (at most
	// WithWorkers at once), never on the goroutine that owns the ZAP
	// socket, so it may block (a database query) without delaying other
	// handshakes. It runs concurrently with other calls of Check and must
	// be safe for that. ctx ends at the decision deadline
	// (WithCheckTimeout) or when the authenticator closes; Check should
	// return soon after, because Close waits for it. If the deadline
	// passes first, the client has already been answered with
	// StatusTemporary and the late decision is discarded. A panic is
	// recovered and answered with StatusInternal. req must not be
	// retained after Check returns.
	Check(ctx context.Context, req *Request, proposed Decision) Decision
}

// CheckerFunc adapts a function to the Checker interface.
type CheckerFunc func(ctx context.Context, req *Request, proposed Decision) Decision

// Check calls f.
func (f CheckerFunc) Check(ctx context.Context, req *Request, proposed Decision) Decision {
	return f(ctx, req, proposed)
}

// Event reports one decision of the authenticator: every reply it sends,
// including those to malformed requests, produces exactly one Event.
type Event struct {
	// Time is when the reply was sent.
	Time time.Time
	// Elapsed is how long the decision took, from the request's arrival
	// to the reply.
	Elapsed time.Duration
	// Domain, Address, Identity and Mechanism come from the request.
	Domain    string
	Address   string
	Identity  []byte
	Mechanism string
	// Client is who the peer claimed to be: the PLAIN user name, the CURVE
	// public key in Z85, the GSSAPI principal; empty for NULL and for
	// malformed requests. PLAIN passwords never appear in events.
	Client string
	// UserID is the user id sent with StatusOK.
	UserID string
	// Status and Text are the reply's status code and text (the reason
	// for a refusal).
	Status Status
	Text   string
	// Checked reports that a Checker made the decision.
	Checked bool
	// Malformed reports a request that did not follow RFC 27.
	Malformed bool
}

// Stats counts what an authenticator has done since it started.
type Stats struct {
	// Requests is the number of ZAP requests received.
	Requests uint64
	// Accepted, Temporary, Denied and Internal count the replies by
	// status code.
	Accepted, Temporary, Denied, Internal uint64
	// Malformed counts requests that did not follow RFC 27, answered or
	// not; Unanswered those too damaged to answer (no request id), which
	// were dropped.
	Malformed, Unanswered uint64
	// Overloaded counts requests answered with StatusTemporary because
	// WithMaxPending checks were already waiting; TimedOut those whose
	// Checker missed the WithCheckTimeout deadline.
	Overloaded, TimedOut uint64
	// Pending is the number of requests waiting for a Checker now,
	// queued or running.
	Pending int
	// EventsDropped counts events not delivered because the events
	// channel was full.
	EventsDropped uint64
}
