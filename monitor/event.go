package monitor

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"time"

	"github.com/zkit-go/zkit/zmsg"
)

// Kind is a libzmq socket event. The values are libzmq's ZMQ_EVENT_*
// bits, so a set of kinds is a mask.
type Kind uint32

// The events of libzmq 4.3's stable API.
const (
	Connected               Kind = 0x0001 // a connection was made; Value is its fd
	ConnectDelayed          Kind = 0x0002 // a connect is pending; Value is an errno
	ConnectRetried          Kind = 0x0004 // reconnecting; Value is the interval in ms
	Listening               Kind = 0x0008 // bound; Value is the listening fd
	BindFailed              Kind = 0x0010 // a bind failed; Value is an errno
	Accepted                Kind = 0x0020 // a connection was accepted; Value is its fd
	AcceptFailed            Kind = 0x0040 // an accept failed; Value is an errno
	Closed                  Kind = 0x0080 // a connection or listener closed; Value is the fd
	CloseFailed             Kind = 0x0100 // a close failed; Value is an errno
	Disconnected            Kind = 0x0200 // a session ended unexpectedly; Value is the fd
	MonitorStopped          Kind = 0x0400 // monitoring stopped
	HandshakeFailedNoDetail Kind = 0x0800 // a handshake failed; Value is an errno
	HandshakeSucceeded      Kind = 0x1000 // the ZMTP handshake, security included, succeeded
	HandshakeFailedProtocol Kind = 0x2000 // the peer broke the protocol; Value is a ZMQ_PROTOCOL_ERROR code
	HandshakeFailedAuth     Kind = 0x4000 // authentication failed; Value is the ZAP status code

	// All is every event.
	All Kind = 0xFFFF
)

var kindNames = []struct {
	k    Kind
	name string
}{
	{Connected, "CONNECTED"}, {ConnectDelayed, "CONNECT_DELAYED"}, {ConnectRetried, "CONNECT_RETRIED"},
	{Listening, "LISTENING"}, {BindFailed, "BIND_FAILED"}, {Accepted, "ACCEPTED"},
	{AcceptFailed, "ACCEPT_FAILED"}, {Closed, "CLOSED"}, {CloseFailed, "CLOSE_FAILED"},
	{Disconnected, "DISCONNECTED"}, {MonitorStopped, "MONITOR_STOPPED"},
	{HandshakeFailedNoDetail, "HANDSHAKE_FAILED_NO_DETAIL"}, {HandshakeSucceeded, "HANDSHAKE_SUCCEEDED"},
	{HandshakeFailedProtocol, "HANDSHAKE_FAILED_PROTOCOL"}, {HandshakeFailedAuth, "HANDSHAKE_FAILED_AUTH"},
}

// String returns libzmq's name without the ZMQ_EVENT_ prefix, as CZMQ's
// zmonitor reports it ("CONNECTED"); a mask lists its names joined by "|".
func (k Kind) String() string {
	var names []string
	for _, kn := range kindNames {
		if k&kn.k != 0 {
			names = append(names, kn.name)
			k &^= kn.k
		}
	}
	if k != 0 || len(names) == 0 {
		names = append(names, fmt.Sprintf("0x%x", uint32(k)))
	}
	return strings.Join(names, "|")
}

// ParseKind reads an event name as CZMQ's zmonitor LISTEN takes it:
// "CONNECTED", "ALL", with or without the "ZMQ_EVENT_" prefix, in any case.
func ParseKind(name string) (Kind, error) {
	n := strings.TrimPrefix(strings.ToUpper(name), "ZMQ_EVENT_")
	if n == "ALL" {
		return All, nil
	}
	for _, kn := range kindNames {
		if kn.name == n {
			return kn.k, nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrUnknownEvent, name)
}

// Event is one socket event.
type Event struct {
	Kind     Kind      // what happened
	Value    uint32    // a file descriptor, errno, interval or code: see Kind
	Endpoint string    // the endpoint it concerns
	Time     time.Time // when the monitor read it
}

// Errno returns Value as an errno for the kinds that carry one.
func (e Event) Errno() (syscall.Errno, bool) {
	switch e.Kind {
	case ConnectDelayed, BindFailed, AcceptFailed, CloseFailed, HandshakeFailedNoDetail:
		return syscall.Errno(e.Value), true
	}
	return 0, false
}

// Interval returns the reconnect interval of a ConnectRetried event.
func (e Event) Interval() (time.Duration, bool) {
	if e.Kind == ConnectRetried {
		return time.Duration(e.Value) * time.Millisecond, true
	}
	return 0, false
}

// String describes the event, such as "CONNECTED tcp://127.0.0.1:5555 fd=12".
func (e Event) String() string {
	detail := fmt.Sprintf("value=%d", e.Value)
	switch e.Kind {
	case Connected, Listening, Accepted, Closed, Disconnected:
		detail = fmt.Sprintf("fd=%d", e.Value)
	case ConnectRetried:
		detail = fmt.Sprintf("interval=%v", time.Duration(e.Value)*time.Millisecond)
	case HandshakeFailedAuth:
		detail = fmt.Sprintf("status=%d", e.Value)
	case HandshakeFailedProtocol:
		detail = fmt.Sprintf("protocol-error=0x%x", e.Value)
	case MonitorStopped, HandshakeSucceeded:
		detail = ""
	default:
		if errno, ok := e.Errno(); ok {
			detail = fmt.Sprintf("errno=%d (%v)", e.Value, errno)
		}
	}
	return strings.TrimSpace(fmt.Sprintf("%v %s %s", e.Kind, e.Endpoint, detail))
}

// ErrMalformed is returned by ParseEvent for a message that is not a
// libzmq monitor event.
var ErrMalformed = errors.New("monitor: malformed event message")

// ParseEvent decodes a message of libzmq's monitor socket: a 6-byte frame
// holding the event number (16 bits) and its value (32 bits) in host byte
// order, little-endian on every platform zkit supports, then the
// endpoint.
func ParseEvent(m *zmsg.Msg) (Event, error) {
	if m == nil || m.Len() != 2 {
		n := 0
		if m != nil {
			n = m.Len()
		}
		return Event{}, fmt.Errorf("%w: %d frames, want 2", ErrMalformed, n)
	}
	head := m.Frames()[0].Data()
	if len(head) != 6 {
		return Event{}, fmt.Errorf("%w: first frame of %d bytes, want 6", ErrMalformed, len(head))
	}
	k := Kind(binary.LittleEndian.Uint16(head))
	if k == 0 || k&^All != 0 || k&(k-1) != 0 {
		return Event{}, fmt.Errorf("%w: event number 0x%x", ErrMalformed, uint32(k))
	}
	return Event{
		Kind:     k,
		Value:    binary.LittleEndian.Uint32(head[2:]),
		Endpoint: m.Frames()[1].Text(),
		Time:     time.Now(),
	}, nil
}
