package loop

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
)

// Poller waits on a set of sources (zpoller) and, unlike CZMQ's, returns
// every ready source at once, in the order they were added. A Poller
// belongs to one goroutine, which owns the sources it polls.
//
// Channels join a Poller through ChanSource.
type Poller struct {
	items  []*pollItem
	wake   chan struct{} // capacity 1; watchers signal it
	closed bool
}

type pollItem struct {
	src  Source
	stop func()
}

// NewPoller creates a poller watching srcs.
func NewPoller(srcs ...Source) (*Poller, error) {
	p := &Poller{wake: make(chan struct{}, 1)}
	for _, s := range srcs {
		if err := p.Add(s); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

// Add adds a source (zpoller_add). Adding one twice is an error.
func (p *Poller) Add(src Source) error {
	if p.closed {
		return ErrClosed
	}
	if src == nil {
		return fmt.Errorf("%w: nil source", ErrInvalid)
	}
	if slices.ContainsFunc(p.items, func(it *pollItem) bool { return it.src == src }) {
		return fmt.Errorf("%w: source already added", ErrInvalid)
	}
	stop, err := src.Watch(func() {
		select {
		case p.wake <- struct{}{}:
		default:
		}
	})
	if err != nil {
		return fmt.Errorf("loop: watch %v: %w", src, err)
	}
	p.items = append(p.items, &pollItem{src: src, stop: stop})
	return nil
}

// Remove removes a source (zpoller_remove) and reports whether it was
// there.
func (p *Poller) Remove(src Source) bool {
	i := slices.IndexFunc(p.items, func(it *pollItem) bool { return it.src == src })
	if i < 0 {
		return false
	}
	p.items[i].stop()
	p.items = slices.Delete(p.items, i, i+1)
	return true
}

// Len returns the number of sources.
func (p *Poller) Len() int { return len(p.items) }

// Wait waits until at least one source is readable and returns all the
// readable ones, in the order they were added. A source whose readiness
// check fails counts as ready, so that its owner's next receive reports
// the error.
//
// Wait ends early when ctx does: a context whose deadline passed gives an
// error matching context.DeadlineExceeded (CZMQ's "expired"), a cancelled
// one context.Canceled ("terminated"). Use context.WithTimeout for a
// timeout.
func (p *Poller) Wait(ctx context.Context) ([]Source, error) {
	if p.closed {
		return nil, ErrClosed
	}
	for {
		// Drop a stale wake-up first: every check below is fresh.
		select {
		case <-p.wake:
		default:
		}
		var ready []Source
		var chans []*pollItem
		for _, it := range p.items {
			if c, ok := it.src.(chanSource); ok && !c.holding() {
				chans = append(chans, it)
				continue
			}
			ok, err := it.src.Readable()
			if ok || err != nil {
				ready = append(ready, it.src)
			}
		}
		if len(ready) > 0 {
			return ready, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(chans) == 0 {
			select {
			case <-p.wake:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			continue
		}
		cases := make([]reflect.SelectCase, 0, 2+len(chans))
		cases = append(cases,
			reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(p.wake)},
			reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())})
		for _, it := range chans {
			cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: it.src.(chanSource).value()})
		}
		chosen, v, ok := reflect.Select(cases)
		switch chosen {
		case 0:
		case 1:
			return nil, ctx.Err()
		default:
			chans[chosen-2].src.(chanSource).hold(v, ok)
		}
	}
}

// Close stops watching every source. The sources stay open.
func (p *Poller) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	for _, it := range p.items {
		it.stop()
	}
	p.items = nil
	return nil
}

// chanSource is implemented by *ChanSource[T] for the Poller.
type chanSource interface {
	holding() bool
	value() reflect.Value
	hold(v reflect.Value, ok bool)
}

// ChanSource adapts a Go channel for a Poller: when the channel has a
// value, the poller receives it into the ChanSource, reports the
// ChanSource ready, and Recv hands the value out. At most one value is
// held; the channel is not read again until Recv took it.
type ChanSource[T any] struct {
	ch     <-chan T
	mu     sync.Mutex // a Poller and its owner are one goroutine; this only guards misuse
	held   bool
	v      T
	closed bool
}

// NewChanSource wraps ch for a Poller.
func NewChanSource[T any](ch <-chan T) *ChanSource[T] { return &ChanSource[T]{ch: ch} }

// Recv returns the held value, if any. ok is false when no value is held
// or the channel was closed; closed tells those apart.
func (c *ChanSource[T]) Recv() (v T, ok, closed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.held {
		return v, false, false
	}
	v, c.v = c.v, v
	if c.closed {
		return v, false, true
	}
	c.held = false
	return v, true, false
}

// Watch does nothing: the Poller selects on the channel itself.
func (c *ChanSource[T]) Watch(func()) (func(), error) { return func() {}, nil }

// Readable reports whether a value (or the channel's close) is held.
func (c *ChanSource[T]) Readable() (bool, error) { return c.holding(), nil }

func (c *ChanSource[T]) holding() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.held
}

func (c *ChanSource[T]) value() reflect.Value { return reflect.ValueOf(c.ch) }

func (c *ChanSource[T]) hold(v reflect.Value, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.held = true
	if !ok {
		c.closed = true
		return
	}
	c.v = v.Interface().(T)
}
