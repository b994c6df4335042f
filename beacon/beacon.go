package beacon

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/zkit-go/zkit/actor"
)

// Beacon is a running beacon actor. The embedded Actor is the parent's
// end of its pipe, so CZMQ-style code drives it with string commands and
// receives beacons as two-frame messages; the methods below do the same
// with Go types. Close ends the actor and closes its sockets.
//
// Methods are safe for concurrent use. Pipe commands and method calls are
// applied in the order the actor sees them, which between a command sent
// on the pipe and a concurrent method call is unspecified.
type Beacon struct {
	*actor.Actor
	e *engine // owned by the actor's goroutine; reached through its loop
}

// New starts a beacon actor. It does not open any socket until Configure
// (or the CONFIGURE command). ctx bounds the actor's life: cancelling it
// ends the actor, as Close does.
func New(ctx context.Context, opts ...Option) (*Beacon, error) {
	o := defaultOptions()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	e, err := newEngine(o)
	if err != nil {
		return nil, err
	}
	a, err := actor.New(ctx, e.run, actor.WithName("beacon"), actor.WithLogger(o.log))
	if err != nil {
		_ = e.loop.Close()
		return nil, err
	}
	return &Beacon{Actor: a, e: e}, nil
}

// do runs fn on the actor's goroutine and waits for its result, for ctx,
// or for the actor to end.
func (b *Beacon) do(ctx context.Context, op string, fn func() error) error {
	done := make(chan error, 1)
	if err := b.e.loop.Post(func() { done <- fn() }); err != nil {
		return fmt.Errorf("beacon: %s: %w", op, ErrClosed)
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("beacon: %s: %w", op, ctx.Err())
	case <-b.Done():
		return fmt.Errorf("beacon: %s: %w", op, ErrClosed)
	}
}

// Configure opens the beacon's sockets on UDP port (CONFIGURE) and
// returns the address of the interface chosen: the unspecified address
// (0.0.0.0 or ::) when publishing on every interface. It fails with an
// error matching ErrNoInterface when no interface is usable. Configuring
// again closes the previous sockets.
func (b *Beacon) Configure(ctx context.Context, port int) (netip.Addr, error) {
	var host string
	err := b.do(ctx, "configure", func() error {
		var err error
		host, err = b.e.configure(port)
		return err
	})
	if err != nil {
		return netip.Addr{}, err
	}
	return hostAddr(host, b.e.o.ipv6), nil
}

// Publish starts broadcasting data every interval (DefaultInterval when
// zero), the first beacon at once (PUBLISH). It replaces any beacon being
// published. data must hold 1 to MaxPayload bytes; longer data fails with
// an error matching ErrTooLong. It needs a Configure first.
func (b *Beacon) Publish(ctx context.Context, data []byte, interval time.Duration) error {
	if len(data) > MaxPayload {
		return fmt.Errorf("beacon: publish %d bytes: %w", len(data), ErrTooLong)
	}
	data = append([]byte(nil), data...)
	return b.do(ctx, "publish", func() error { return b.e.publish(data, interval) })
}

// Silence stops publishing (SILENCE).
func (b *Beacon) Silence(ctx context.Context) error {
	return b.do(ctx, "silence", func() error { b.e.silence(); return nil })
}

// Subscribe starts delivering received beacons that begin with prefix; an
// empty prefix accepts every beacon (SUBSCRIBE). Without a subscription
// nothing is delivered. A new subscription replaces the previous one.
func (b *Beacon) Subscribe(ctx context.Context, prefix []byte) error {
	prefix = append([]byte(nil), prefix...)
	return b.do(ctx, "subscribe", func() error { b.e.subscribe(prefix); return nil })
}

// Unsubscribe stops delivering beacons (UNSUBSCRIBE).
func (b *Beacon) Unsubscribe(ctx context.Context) error {
	return b.do(ctx, "unsubscribe", func() error { b.e.unsubscribe(); return nil })
}

// Verbose makes the beacon log every beacon it sends and receives, at
// Info level, to the logger given by WithLogger (VERBOSE).
func (b *Beacon) Verbose(ctx context.Context) error {
	return b.do(ctx, "verbose", func() error { b.e.verbose = true; return nil })
}

// Stats returns the beacon's counters. It is safe to call at any time,
// also after Close.
func (b *Beacon) Stats() Stats {
	return b.e.stats.snapshot()
}
