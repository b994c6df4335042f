package heartbeat

import (
	"fmt"
	"time"

	"github.com/zkit-go/zkit/zsock"
)

// Wire holds ZMTP 3.1 heartbeat settings, which libzmq handles below the
// application: PING commands on an otherwise idle connection, and the
// connection closed (then reconnected, for a connecting socket) when the
// peer falls silent.
type Wire struct {
	// Interval between PINGs sent on an idle connection.
	Interval time.Duration
	// Timeout closes the connection when nothing at all has arrived for
	// this long after a PING was sent.
	Timeout time.Duration
	// TTL is carried in each PING and tells the peer to close the
	// connection if it hears nothing from this side for that long, even
	// when the peer has no heartbeat of its own configured. It travels in
	// deciseconds.
	TTL time.Duration
}

// WireDefaults returns the settings zkit recommends: a PING every second,
// the connection dropped after 3 s of silence, and a TTL of 6 s.
//
// A 3 s timeout matches the Guide's application-level liveness of three
// intervals: two lost or delayed PINGs are tolerated, a dead peer is noticed
// within about 3-4 s. The TTL is twice the timeout so that the side which
// configured heartbeats normally notices a failure first and a peer that
// relies only on the TTL does not drop a connection on a briefly congested
// link; it still bounds how long a half-open connection lingers on a peer
// with no heartbeat settings of its own.
func WireDefaults() Wire {
	return Wire{Interval: time.Second, Timeout: 3 * time.Second, TTL: 6 * time.Second}
}

// maxTTL is the largest TTL a PING can carry: 65535 deciseconds, rounded
// down to whole seconds as zsock.SetHeartbeat accepts.
const maxTTL = 6553 * time.Second

// Validate reports settings libzmq would reject or that cannot work:
// Interval below 1 ms (libzmq counts milliseconds), Timeout below Interval
// (the connection would be dropped before the next PING could be
// answered), a TTL below Interval or 100 ms (its unit on the wire), or
// above 6553 s.
func (w Wire) Validate() error {
	if w.Interval < time.Millisecond {
		return fmt.Errorf("%w: heartbeat interval %v is below 1ms", ErrInvalid, w.Interval)
	}
	if w.Timeout < w.Interval {
		return fmt.Errorf("%w: heartbeat timeout %v is below the interval %v", ErrInvalid, w.Timeout, w.Interval)
	}
	if w.TTL < w.Interval || w.TTL < 100*time.Millisecond {
		return fmt.Errorf("%w: heartbeat TTL %v is below the interval %v or 100ms", ErrInvalid, w.TTL, w.Interval)
	}
	if w.TTL > maxTTL {
		return fmt.Errorf("%w: heartbeat TTL %v is above %v", ErrInvalid, w.TTL, maxTTL)
	}
	return nil
}

// Options validates the settings and returns them as socket options, to
// pass to zsock.New or a typed constructor such as zsock.NewDealer.
func (w Wire) Options() ([]zsock.Option, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	return []zsock.Option{zsock.WithHeartbeat(w.Interval, w.TTL, w.Timeout)}, nil
}

// Apply validates the settings and sets them on an existing socket; they
// take effect for connections made afterwards.
func (w Wire) Apply(s *zsock.Socket) error {
	if s == nil {
		return fmt.Errorf("%w: nil socket", ErrInvalid)
	}
	if err := w.Validate(); err != nil {
		return err
	}
	return s.SetHeartbeat(w.Interval, w.TTL, w.Timeout)
}

// WireOptions is Wire{Interval: ivl, Timeout: timeout, TTL: ttl}.Options().
// Note the argument order differs from zsock.WithHeartbeat (ivl, ttl,
// timeout): here the timeout, this side's own limit, comes first.
func WireOptions(ivl, timeout, ttl time.Duration) ([]zsock.Option, error) {
	return Wire{Interval: ivl, Timeout: timeout, TTL: ttl}.Options()
}
