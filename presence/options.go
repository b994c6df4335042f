package presence

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/zkit-go/zkit/heartbeat"
)

// config holds the settings shared by Server and Client.
type config struct {
	interval time.Duration
	liveness int
	onEvent  func(Event) error
	log      *slog.Logger
	probe    bool
	handover bool
	queue    int
}

func defaults() config {
	return config{
		interval: heartbeat.DefaultInterval,
		liveness: heartbeat.DefaultLiveness,
		log:      slog.New(slog.DiscardHandler),
		probe:    true,
		handover: true,
		queue:    1024,
	}
}

// Option configures a Server or a Client.
type Option func(*config) error

func apply(opts []Option) (config, error) {
	c := defaults()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return config{}, err
		}
	}
	return c, nil
}

// WithHeartbeat sets the heartbeat interval and liveness (default 1 s and
// 3, the Guide's). A Client sends HEARTBEAT every interval; a Server
// expires a peer that sent nothing for interval times liveness.
func WithHeartbeat(interval time.Duration, liveness int) Option {
	return func(c *config) error {
		if interval <= 0 {
			return fmt.Errorf("%w: interval %v is not positive", ErrInvalid, interval)
		}
		if liveness <= 0 {
			return fmt.Errorf("%w: liveness %d is not positive", ErrInvalid, liveness)
		}
		c.interval, c.liveness = interval, liveness
		return nil
	}
}

// WithOnEvent calls fn on the loop goroutine for every Event. fn must not
// block; an error it returns stops the loop, as any loop handler's does
// (loop.ErrStop stops it cleanly).
func WithOnEvent(fn func(Event) error) Option {
	return func(c *config) error {
		if fn == nil {
			return fmt.Errorf("%w: nil event function", ErrInvalid)
		}
		c.onEvent = fn
		return nil
	}
}

// WithLogger sends diagnostics to l (default: silent).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrInvalid)
		}
		c.log = l
		return nil
	}
}

// WithProbe turns the disconnect probe of a ROUTER Server on or off
// (default on). When on, a connection closing makes the Server send
// HEARTBEAT to the peers that used it, with ZMQ_ROUTER_MANDATORY, and
// a peer that cannot be reached leaves at once with ConnectionLost;
// when off, such a peer leaves when its heartbeat expires.
func WithProbe(on bool) Option {
	return func(c *config) error {
		c.probe = on
		return nil
	}
}

// WithMonitorQueue sets how many socket events may wait for the loop
// (default 1024). Should events be dropped all the same, a ROUTER Server
// probes every peer at the next disconnection, so no leave is lost.
func WithMonitorQueue(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("%w: monitor queue %d is not positive", ErrInvalid, n)
		}
		c.queue = n
		return nil
	}
}

// WithHandover chooses whether a ROUTER Server turns on
// ZMQ_ROUTER_HANDOVER (default on). With it, a peer that comes back under
// the same routing id takes its id over from the connection it left
// behind. Without it, libzmq refuses the new connection's id while the old
// pipe is still known, and a client restarted at once can be stuck unheard
// on that connection; turn it off only for servers whose peers never
// reuse an id.
func WithHandover(on bool) Option {
	return func(c *config) error {
		c.handover = on
		return nil
	}
}
