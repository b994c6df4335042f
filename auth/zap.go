package auth

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/zkit-go/zkit/cert"
)

// Endpoint is the address at which libzmq looks for the ZAP handler of a
// context (RFC 27). Only one socket per context can bind it.
const Endpoint = "inproc://zeromq.zap.01"

// CurveAllowAny, given to Curve or sent as "CURVE *", accepts every CURVE
// client key.
const CurveAllowAny = "*"

// zapVersion is the only ZAP protocol version.
const zapVersion = "1.0"

// The security mechanisms a ZAP request can name.
const (
	MechanismNull   = "NULL"
	MechanismPlain  = "PLAIN"
	MechanismCurve  = "CURVE"
	MechanismGSSAPI = "GSSAPI"
)

// curveKeySize is the size of a CURVE public key in a ZAP request.
const curveKeySize = 32

// Status is a ZAP status code.
type Status int

// The four status codes of RFC 27.
const (
	// StatusOK accepts the client.
	StatusOK Status = 200
	// StatusTemporary refuses the client for now: the handler could not
	// decide (busy, a back end unreachable) and the client may retry.
	// libzmq sends the client no ERROR command for it.
	StatusTemporary Status = 300
	// StatusDenied refuses the client: its credentials were checked and
	// rejected (authentication failure).
	StatusDenied Status = 400
	// StatusInternal refuses the client because the handler failed.
	StatusInternal Status = 500
)

// Valid reports whether s is one of the four ZAP status codes.
func (s Status) Valid() bool {
	switch s {
	case StatusOK, StatusTemporary, StatusDenied, StatusInternal:
		return true
	}
	return false
}

// Text returns the usual status text for s: "OK", "Temporary error",
// "Authentication failure" or "Internal error".
func (s Status) Text() string {
	switch s {
	case StatusOK:
		return "OK"
	case StatusTemporary:
		return "Temporary error"
	case StatusDenied:
		return "Authentication failure"
	case StatusInternal:
		return "Internal error"
	}
	return "Invalid status"
}

// String returns the code and its text, such as "400 Authentication failure".
func (s Status) String() string {
	return fmt.Sprintf("%d %s", int(s), s.Text())
}

// Request is one ZAP request as libzmq sends it when a peer performs a
// security handshake with a socket of the handler's context.
type Request struct {
	// ID is the request id, echoed in the reply.
	ID []byte
	// Domain is the ZAP domain of the server socket (ZMQ_ZAP_DOMAIN),
	// empty when none was set.
	Domain string
	// Address is the peer's address: for TCP the IP address without the
	// port, such as "127.0.0.1".
	Address string
	// Identity is the request's identity frame: libzmq sends the server
	// socket's own routing id (ZMQ_ROUTING_ID), usually empty.
	Identity []byte
	// Mechanism is MechanismNull, MechanismPlain, MechanismCurve or
	// MechanismGSSAPI.
	Mechanism string
	// Username and Password are the PLAIN credentials.
	Username, Password string
	// ClientKey is the CURVE client's 32-byte public key.
	ClientKey []byte
	// Principal is the GSSAPI client principal.
	Principal string
}

// ClientKeyText returns the CURVE client key in Z85 (40 characters), or ""
// for other mechanisms.
func (r *Request) ClientKeyText() string {
	if len(r.ClientKey) != curveKeySize {
		return ""
	}
	s, err := cert.Z85Encode(r.ClientKey)
	if err != nil {
		return ""
	}
	return s
}

// client names who the peer claims to be: the PLAIN user name, the CURVE
// key in Z85 or the GSSAPI principal; empty for NULL.
func (r *Request) client() string {
	switch r.Mechanism {
	case MechanismPlain:
		return r.Username
	case MechanismCurve:
		return r.ClientKeyText()
	case MechanismGSSAPI:
		return r.Principal
	}
	return ""
}

// requestError describes a malformed ZAP request. When id is not nil the
// request can still be answered with status and reason.
type requestError struct {
	id     []byte // request id; nil when the request has none
	status Status // reply status when id is not nil
	reason string // what is wrong
}

func (e *requestError) Error() string { return "malformed ZAP request: " + e.reason }

// replyable reports whether the request carried a request id to answer.
func (e *requestError) replyable() bool { return e.id != nil }

// parseRequest reads the frames of a ZAP request that follow the routing
// envelope: version, request id, domain, address, identity, mechanism and
// the mechanism's credentials. The returned request shares no memory with
// frames. Errors are *requestError.
func parseRequest(frames [][]byte) (*Request, error) {
	if len(frames) < 2 {
		return nil, &requestError{reason: fmt.Sprintf("%d frames, no request id", len(frames))}
	}
	id := append(make([]byte, 0, len(frames[1])), frames[1]...)
	bad := func(st Status, format string, args ...any) error {
		return &requestError{id: id, status: st, reason: fmt.Sprintf(format, args...)}
	}
	if string(frames[0]) != zapVersion {
		return nil, bad(StatusInternal, "unsupported ZAP version %q", clip(frames[0]))
	}
	if len(frames) < 6 {
		return nil, bad(StatusDenied, "%d frames, want at least 6", len(frames))
	}
	req := &Request{
		ID:        id,
		Domain:    string(frames[2]),
		Address:   string(frames[3]),
		Identity:  append([]byte(nil), frames[4]...),
		Mechanism: string(frames[5]),
	}
	creds := frames[6:]
	want := 0
	switch req.Mechanism {
	case MechanismNull:
	case MechanismPlain:
		want = 2
	case MechanismCurve, MechanismGSSAPI:
		want = 1
	default:
		return nil, bad(StatusDenied, "unknown mechanism %q", clip(frames[5]))
	}
	if len(creds) != want {
		return nil, bad(StatusDenied, "%s request with %d credential frames, want %d", req.Mechanism, len(creds), want)
	}
	switch req.Mechanism {
	case MechanismPlain:
		req.Username, req.Password = string(creds[0]), string(creds[1])
	case MechanismCurve:
		if len(creds[0]) != curveKeySize {
			return nil, bad(StatusDenied, "CURVE key of %d bytes, want %d", len(creds[0]), curveKeySize)
		}
		req.ClientKey = append([]byte(nil), creds[0]...)
	case MechanismGSSAPI:
		req.Principal = string(creds[0])
	}
	return req, nil
}

// clip shortens b for error messages.
func clip(b []byte) string {
	const max = 32
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

// encodeRequest builds the frames of a request (the inverse of
// parseRequest), for tests and benchmarks that talk to the handler directly.
func encodeRequest(r *Request) [][]byte {
	frames := [][]byte{[]byte(zapVersion), r.ID, []byte(r.Domain), []byte(r.Address), r.Identity, []byte(r.Mechanism)}
	switch r.Mechanism {
	case MechanismPlain:
		frames = append(frames, []byte(r.Username), []byte(r.Password))
	case MechanismCurve:
		frames = append(frames, r.ClientKey)
	case MechanismGSSAPI:
		frames = append(frames, []byte(r.Principal))
	}
	return frames
}

// replyFrames builds the frames of a ZAP reply: version, request id,
// status code, status text, user id and metadata.
func replyFrames(id []byte, st Status, text, userID string, meta []byte) [][]byte {
	return [][]byte{[]byte(zapVersion), id, fmt.Appendf(nil, "%d", int(st)), []byte(text), []byte(userID), meta}
}

// Limits of the ZMTP property encoding used for ZAP metadata.
const (
	maxMetaName  = 255
	maxMetaValue = 1<<31 - 1
)

var errMetadata = errors.New("invalid metadata")

// encodeMetadata encodes name/value pairs as ZMTP properties: for each a
// one-byte name length, the name, a four-byte big-endian value length and
// the value. libzmq hands them to the application as message properties.
func encodeMetadata(meta []cert.Meta) ([]byte, error) {
	n := 0
	for _, m := range meta {
		if len(m.Name) == 0 || len(m.Name) > maxMetaName {
			return nil, fmt.Errorf("%w: name %q must be 1 to %d bytes", errMetadata, clip([]byte(m.Name)), maxMetaName)
		}
		if len(m.Value) > maxMetaValue {
			return nil, fmt.Errorf("%w: value of %q is %d bytes", errMetadata, m.Name, len(m.Value))
		}
		n += 1 + len(m.Name) + 4 + len(m.Value)
	}
	if n == 0 {
		return nil, nil
	}
	out := make([]byte, 0, n)
	for _, m := range meta {
		out = append(out, byte(len(m.Name)))
		out = append(out, m.Name...)
		out = binary.BigEndian.AppendUint32(out, uint32(len(m.Value)))
		out = append(out, m.Value...)
	}
	return out, nil
}

// decodeMetadata reverses encodeMetadata.
func decodeMetadata(b []byte) ([]cert.Meta, error) {
	var out []cert.Meta
	for len(b) > 0 {
		nl := int(b[0])
		if nl == 0 || len(b) < 1+nl+4 {
			return nil, fmt.Errorf("%w: truncated property", errMetadata)
		}
		name := string(b[1 : 1+nl])
		b = b[1+nl:]
		vl := binary.BigEndian.Uint32(b)
		b = b[4:]
		if uint64(vl) > uint64(len(b)) {
			return nil, fmt.Errorf("%w: value of %q truncated", errMetadata, name)
		}
		out = append(out, cert.Meta{Name: name, Value: string(b[:vl])})
		b = b[vl:]
	}
	return out, nil
}
