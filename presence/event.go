package presence

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors.
var (
	// ErrInvalid reports a bad argument or option.
	ErrInvalid = errors.New("presence: invalid argument")
	// ErrClosed is returned by methods called after Close.
	ErrClosed = errors.New("presence: closed")
)

// Kind says what an Event reports.
type Kind uint8

const (
	// Join: a peer was seen for the first time (server side).
	Join Kind = iota + 1
	// Leave: a peer is gone; Event.Reason says why (server side).
	Leave
	// Connected: a connection to an endpoint completed its handshake
	// (client side).
	Connected
	// Disconnected: the connection to an endpoint was lost (client side).
	Disconnected
)

// String returns JOIN, LEAVE, CONNECTED or DISCONNECTED.
func (k Kind) String() string {
	switch k {
	case Join:
		return "JOIN"
	case Leave:
		return "LEAVE"
	case Connected:
		return "CONNECTED"
	case Disconnected:
		return "DISCONNECTED"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Reason says why a peer left.
type Reason uint8

const (
	// SaidGoodbye: the peer sent GOODBYE before going.
	SaidGoodbye Reason = iota + 1
	// HeartbeatExpired: nothing arrived from the peer for interval times
	// liveness.
	HeartbeatExpired
	// ConnectionLost: the peer's connection closed (the peer process
	// ended, or ZMTP heartbeats timed out).
	ConnectionLost
)

// String returns "said goodbye", "heartbeat expired" or "disconnected".
func (r Reason) String() string {
	switch r {
	case SaidGoodbye:
		return "said goodbye"
	case HeartbeatExpired:
		return "heartbeat expired"
	case ConnectionLost:
		return "disconnected"
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// Peer describes one peer in a server's table.
type Peer struct {
	// ID is the peer's ROUTER routing id, or, on other socket types, the
	// remote address of its connection ("ip:port").
	ID string
	// Address is the peer's IP address (libzmq's Peer-Address), empty
	// when the transport has none (inproc).
	Address string
	// UserID is the identity the ZAP handler gave the peer (User-Id):
	// the PLAIN user name, the Z85 CURVE key. Empty without security.
	UserID string
	// Joined is when the peer was first seen.
	Joined time.Time
	// LastSeen is when the peer last sent anything.
	LastSeen time.Time
}

// Event reports a change in who is there.
type Event struct {
	Kind Kind
	// Peer is the peer that joined or left (Join, Leave).
	Peer Peer
	// Reason says why the peer left (Leave).
	Reason Reason
	// Endpoint is the endpoint connected or disconnected (Connected,
	// Disconnected).
	Endpoint string
	// Time is when the change was noticed.
	Time time.Time
}

// String returns a one-line description, such as
// `LEAVE "w1" 10.0.0.7 (heartbeat expired)`.
func (e Event) String() string {
	var b strings.Builder
	b.WriteString(e.Kind.String())
	switch e.Kind {
	case Join, Leave:
		fmt.Fprintf(&b, " %q", e.Peer.ID)
		if e.Peer.Address != "" {
			b.WriteString(" " + e.Peer.Address)
		}
		if e.Peer.UserID != "" {
			b.WriteString(" user=" + e.Peer.UserID)
		}
		if e.Kind == Leave {
			b.WriteString(" (" + e.Reason.String() + ")")
		}
	default:
		b.WriteString(" " + e.Endpoint)
	}
	return b.String()
}
