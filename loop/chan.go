package loop

import (
	"fmt"
	"reflect"
	"slices"
)

// chanReader is a Go channel registered on a loop. Its typed closures
// serve the common cases without reflection or allocation: try takes a
// waiting value, and wait blocks on the channel alone beside the loop's
// wake-up and ctx. Several channels are waited on with reflect.Select.
type chanReader struct {
	ch   reflect.Value                                           // the channel, receive direction
	try  func() (got bool, err error)                            // receive without waiting and deliver
	wait func(wake, done <-chan struct{}) (woke bool, err error) // block; woke is false when done
	// deliver calls the typed handler with a value from reflect.Select.
	deliver func(v reflect.Value, ok bool) error
	r       *Reader
}

// Chan registers fn to be called on the loop goroutine with every value
// received from ch. When ch is closed, fn is called once with the zero
// value and ok false, and the reader is removed. fn returning an error
// stops the loop.
//
// Under Run the loop waits on ch together with its other sources. Under
// Step (embedded use) each Step takes at most one waiting value per
// channel, and values arriving on ch do not raise Ready.
func Chan[T any](l *Loop, ch <-chan T, fn func(v T, ok bool) error) (*Reader, error) {
	if ch == nil {
		return nil, fmt.Errorf("%w: nil channel", ErrInvalid)
	}
	if fn == nil {
		return nil, fmt.Errorf("%w: nil handler", ErrInvalid)
	}
	if l.isClosed() {
		return nil, ErrClosed
	}
	c := &chanReader{ch: reflect.ValueOf(ch)}
	c.r = &Reader{loop: l}
	got := func(v T, ok bool) error {
		if !ok {
			c.r.Remove()
		}
		return fn(v, ok)
	}
	c.try = func() (bool, error) {
		select {
		case v, ok := <-ch:
			return true, got(v, ok)
		default:
			return false, nil
		}
	}
	c.wait = func(wake, done <-chan struct{}) (bool, error) {
		select {
		case <-wake:
			return true, nil
		case <-done:
			return false, nil
		case v, ok := <-ch:
			return true, got(v, ok)
		}
	}
	c.deliver = func(v reflect.Value, ok bool) error {
		var t T
		if ok {
			t = v.Interface().(T)
		}
		return got(t, ok)
	}
	c.r.remove = func() {
		l.chans = slices.DeleteFunc(l.chans, func(x *chanReader) bool { return x == c })
		l.chanCases = nil
	}
	l.chans = append(l.chans, c)
	l.chanCases = nil
	return c.r, nil
}

// pollChans takes at most one waiting value from each channel reader,
// without waiting. It walks a copy, kept for reuse, since handlers may
// add and remove readers.
func (l *Loop) pollChans() error {
	l.chanSnap = append(l.chanSnap[:0], l.chans...)
	defer clear(l.chanSnap) // drop references to removed readers
	for _, c := range l.chanSnap {
		if c.r.removed {
			continue
		}
		if _, err := c.try(); err != nil {
			return err
		}
	}
	return nil
}
