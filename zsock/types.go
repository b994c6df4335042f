package zsock

import (
	"fmt"
	"strings"

	zmq "github.com/pebbe/zmq4"
)

// Type is a ZeroMQ socket type.
type Type int

// The socket types of stable libzmq 4.3.
const (
	Pair   = Type(zmq.PAIR)
	Pub    = Type(zmq.PUB)
	Sub    = Type(zmq.SUB)
	Req    = Type(zmq.REQ)
	Rep    = Type(zmq.REP)
	Dealer = Type(zmq.DEALER)
	Router = Type(zmq.ROUTER)
	Pull   = Type(zmq.PULL)
	Push   = Type(zmq.PUSH)
	XPub   = Type(zmq.XPUB)
	XSub   = Type(zmq.XSUB)
	Stream = Type(zmq.STREAM)
)

var typeNames = map[Type]string{
	Pair: "PAIR", Pub: "PUB", Sub: "SUB", Req: "REQ", Rep: "REP", Dealer: "DEALER",
	Router: "ROUTER", Pull: "PULL", Push: "PUSH", XPub: "XPUB", XSub: "XSUB", Stream: "STREAM",
}

// String returns the upper-case name, as zsock_type_str does.
func (t Type) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("Type(%d)", int(t))
}

// Serverish reports whether endpoints without '@' or '>' bind (true) or
// connect (false) for this type, following CZMQ: PUB, REP, ROUTER, PULL and
// XPUB bind; the others connect.
func (t Type) Serverish() bool {
	switch t {
	case Pub, Rep, Router, Pull, XPub:
		return true
	}
	return false
}

// ParseType reads a socket type name such as "router" (case-insensitive).
func ParseType(name string) (Type, error) {
	u := strings.ToUpper(name)
	for t, n := range typeNames {
		if n == u {
			return t, nil
		}
	}
	return 0, fmt.Errorf("zsock: unknown socket type %q", name)
}

// Types lists every socket type, in libzmq's numbering order.
func Types() []Type {
	return []Type{Pair, Pub, Sub, Req, Rep, Dealer, Router, Pull, Push, XPub, XSub, Stream}
}

// Flag modifies a single-frame send or receive.
type Flag int

const (
	// More marks a frame that is followed by more frames of the same message.
	More Flag = 1 << iota
	// DontWait makes the operation fail with ErrWouldBlock instead of waiting.
	DontWait
)

// Events is a ZMQ_EVENTS bit set.
type Events int

const (
	// PollIn: at least one message can be received without waiting.
	PollIn = Events(evPollIn)
	// PollOut: at least one message can be sent without waiting.
	PollOut = Events(evPollOut)
)
