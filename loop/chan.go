package loop

import (
	"fmt"
	"reflect"
	"slices"
)

// chanReader is a Go channel registered on a loop.
type chanReader struct {
	ch      reflect.Value                        // the channel, receive direction
	deliver func(v reflect.Value, ok bool) error // calls the typed handler
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
	c := &chanReader{
		ch: reflect.ValueOf(ch),
		deliver: func(v reflect.Value, ok bool) error {
			var t T
			if ok {
				t = v.Interface().(T)
			}
			return fn(t, ok)
		},
	}
	c.r = &Reader{loop: l}
	c.r.remove = func() {
		l.chans = slices.DeleteFunc(l.chans, func(x *chanReader) bool { return x == c })
	}
	l.chans = append(l.chans, c)
	return c.r, nil
}

// deliverChan hands one received value to c's handler.
func (l *Loop) deliverChan(c *chanReader, v reflect.Value, ok bool) error {
	if !ok {
		c.r.Remove()
	}
	return c.deliver(v, ok)
}

// pollChans takes at most one waiting value from each channel reader,
// without waiting.
func (l *Loop) pollChans() error {
	for _, c := range slices.Clone(l.chans) {
		if c.r.removed {
			continue
		}
		v, ok, got := tryRecv(c.ch)
		if !got {
			continue
		}
		if err := l.deliverChan(c, v, ok); err != nil {
			return err
		}
	}
	return nil
}

// tryRecv receives from ch if a value (or the close) is ready.
func tryRecv(ch reflect.Value) (v reflect.Value, ok, got bool) {
	v, ok = ch.TryRecv()
	if ok {
		return v, true, true
	}
	// A zero Value means the receive would block; a valid zero element
	// means the channel is closed.
	return v, false, v.IsValid()
}
