package loop

import (
	"errors"
	"fmt"
	"slices"

	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// Source is something a Loop or Poller can watch for readability. Both
// *zsock.Socket and the actor package's pipes (*actor.Actor, *actor.Pipe)
// are Sources.
type Source interface {
	// Watch arranges for notify to be called, from any goroutine, whenever
	// the source may have become readable. stop ends the watch; it is
	// idempotent and waits for any goroutine the watch started.
	Watch(notify func()) (stop func(), err error)
	// Readable reports whether a receive would succeed at once. It is
	// called only by the goroutine that owns the source. An error means
	// the source is broken (closed, terminated).
	Readable() (bool, error)
}

// MsgSource is a Source the loop can receive whole messages from itself.
// TryRecvMsg returns an error matching zsock.ErrWouldBlock when nothing
// is waiting.
type MsgSource interface {
	Source
	TryRecvMsg() (*zmsg.Msg, error)
}

// Reader is a handler registered on a source. Its methods belong to the
// loop goroutine.
type Reader struct {
	loop     *Loop
	w        *watch                // the watched source; nil for channel and io readers
	fn       func() error          // Reader: called while the source is readable
	msgFn    func(*zmsg.Msg) error // OnMessage: called with each message
	onErr    func(error) error     // called on a source error
	tolerant bool                  // survives source errors
	removed  bool
	remove   func() // for channel and io readers
}

// watch is one watched source and its readers in registration order.
type watch struct {
	src     Source
	seq     uint64    // registration order of the source
	stop    *closer   // ends the watch
	readers []*Reader // in registration order
	pending bool      // queued in readyQ; guarded by Loop.mu
}

// ReaderOption configures a Reader.
type ReaderOption func(*Reader)

// Tolerant keeps the reader registered when its source reports an error
// (CZMQ's zloop_reader_set_tolerant). By default a source error removes
// the reader. A tolerant reader is retried the next time the source
// signals.
func Tolerant() ReaderOption { return func(r *Reader) { r.tolerant = true } }

// OnError sets a function the loop calls, on its goroutine, when the
// source reports an error or, for io readers, when reading fails. If fn
// returns an error, Run stops with it. Without OnError the loop logs the
// error at Warn level.
func OnError(fn func(error) error) ReaderOption { return func(r *Reader) { r.onErr = fn } }

// Reader registers fn to be called whenever src is readable
// (zloop_reader). fn receives from src itself; the loop calls it again as
// long as src stays readable, so fn may receive one message per call.
// Several readers may share a source; each readable source calls its
// readers in registration order. fn returning an error stops the loop.
func (l *Loop) Reader(src Source, fn func() error, opts ...ReaderOption) (*Reader, error) {
	if fn == nil {
		return nil, fmt.Errorf("%w: nil handler", ErrInvalid)
	}
	return l.addReader(src, &Reader{loop: l, fn: fn}, opts)
}

// OnMessage registers fn to be called with every message received from
// src: the loop itself drains src without waiting, which saves a readiness
// check per message compared to Reader.
func (l *Loop) OnMessage(src MsgSource, fn func(*zmsg.Msg) error, opts ...ReaderOption) (*Reader, error) {
	if fn == nil {
		return nil, fmt.Errorf("%w: nil handler", ErrInvalid)
	}
	return l.addReader(src, &Reader{loop: l, msgFn: fn}, opts)
}

func (l *Loop) addReader(src Source, r *Reader, opts []ReaderOption) (*Reader, error) {
	if src == nil {
		return nil, fmt.Errorf("%w: nil source", ErrInvalid)
	}
	if _, ok := src.(chanSource); ok {
		return nil, fmt.Errorf("%w: a ChanSource is for a Poller; use Chan on a Loop", ErrInvalid)
	}
	for _, o := range opts {
		o(r)
	}
	w := l.sources[src]
	if w == nil {
		l.seq++
		w = &watch{src: src, seq: l.seq}
		var stop func()
		c, err := l.addCloser(func() {
			if stop != nil {
				stop()
			}
		})
		if err != nil {
			return nil, err
		}
		stop, err = src.Watch(func() { l.markReady(w) })
		if err != nil {
			l.runCloser(c)
			return nil, fmt.Errorf("loop: watch %v: %w", src, err)
		}
		w.stop = c
		l.sources[src] = w
	}
	r.w = w
	w.readers = append(w.readers, r)
	// Whatever arrived before the watch began is noticed now.
	l.markReady(w)
	return r, nil
}

// markReady queues w for dispatch; watchers call it from their goroutines.
func (l *Loop) markReady(w *watch) {
	l.mu.Lock()
	if w.pending {
		l.mu.Unlock()
		return
	}
	w.pending = true
	l.readyQ = append(l.readyQ, w)
	l.mu.Unlock()
	l.signal()
}

// Remove unregisters the reader; safe from inside any handler, including
// its own. Removing twice does nothing.
func (r *Reader) Remove() {
	if r.removed {
		return
	}
	r.removed = true
	if r.remove != nil {
		r.remove()
		return
	}
	w := r.w
	w.readers = slices.DeleteFunc(w.readers, func(x *Reader) bool { return x == r })
	if len(w.readers) == 0 {
		r.loop.unwatch(w)
	}
}

// ReaderEnd removes every reader of src (zloop_reader_end).
func (l *Loop) ReaderEnd(src Source) {
	w := l.sources[src]
	if w == nil {
		return
	}
	for _, r := range w.readers {
		r.removed = true
	}
	w.readers = nil
	l.unwatch(w)
}

func (l *Loop) unwatch(w *watch) {
	if l.sources[w.src] == w {
		delete(l.sources, w.src)
	}
	l.runCloser(w.stop)
}

// dispatch calls the readers of w while its source stays readable, up to
// batch calls; a source still readable after that is queued again so that
// timers and other sources get their turn.
func (l *Loop) dispatch(w *watch) error {
	if l.sources[w.src] != w {
		return nil // removed since it was queued
	}
	for n := 0; n < batch; {
		progressed := false
		for i := 0; i < len(w.readers); i++ {
			r := w.readers[i]
			if r.removed {
				continue
			}
			ok, err := r.call(w.src)
			if err != nil {
				return err
			}
			if ok {
				progressed = true
				n++
			}
			if l.sources[w.src] != w {
				return nil
			}
			// A removal shifted the slice under us: stay on index i.
			if i < len(w.readers) && w.readers[i] != r {
				i--
			}
		}
		if !progressed {
			return nil
		}
	}
	l.markReady(w)
	return nil
}

// call gives r one chance to handle a message. ok reports that a handler
// ran.
func (r *Reader) call(src Source) (ok bool, err error) {
	if r.msgFn != nil {
		m, rerr := src.(MsgSource).TryRecvMsg()
		if rerr != nil {
			if errors.Is(rerr, zsock.ErrWouldBlock) {
				return false, nil
			}
			return false, r.failed(rerr)
		}
		return true, r.msgFn(m)
	}
	readable, rerr := src.Readable()
	if rerr != nil {
		return false, r.failed(rerr)
	}
	if !readable {
		return false, nil
	}
	return true, r.fn()
}

// failed handles a source error for r: report it, then remove r unless
// it is tolerant.
func (r *Reader) failed(err error) error {
	var herr error
	if r.onErr != nil {
		herr = r.onErr(err)
	} else {
		r.loop.log.Warn("loop: source error", "source", r.describe(), "err", err, "tolerant", r.tolerant)
	}
	if !r.tolerant {
		r.Remove()
	}
	return herr
}

func (r *Reader) describe() string {
	if r.w != nil {
		if s, ok := r.w.src.(fmt.Stringer); ok {
			return s.String()
		}
		return fmt.Sprintf("%T", r.w.src)
	}
	return "io"
}

func sortBySeq(ws []*watch) {
	slices.SortFunc(ws, func(a, b *watch) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
}
