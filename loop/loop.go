package loop

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Sentinel errors.
var (
	// ErrStop, returned by a handler, ends Run cleanly: Run then returns
	// nil. Step returns it as is so a host loop knows to stop calling.
	ErrStop = errors.New("loop: stop requested")
	// ErrClosed is returned after Close. It matches net.ErrClosed.
	ErrClosed = fmt.Errorf("loop: closed: %w", net.ErrClosed)
	// ErrRunning is returned by Run or Step while another Run or Step of
	// the same loop is in progress.
	ErrRunning = errors.New("loop: already running")
	// ErrInvalid reports an invalid argument, such as a nil handler or a
	// timer delay that is not positive.
	ErrInvalid = errors.New("loop: invalid argument")
)

// batch is how many handler calls one source gets per iteration before
// the loop turns to its timers and other sources.
const batch = 256

// Loop is a reactor: one goroutine, the one calling Run or Step, runs every
// handler registered on it, so handlers may share state without locks.
//
// Registration methods (Reader, Timer, Ticket, ...) and removals belong to
// that goroutine too: call them before Run, from handlers, or through
// Post. Post, Stop, Close and Ready are safe from any goroutine.
type Loop struct {
	log *slog.Logger // never nil

	mu      sync.Mutex     // guards the fields down to fdArmed
	posted  []func() error // functions waiting to run on the loop
	readyQ  []*watch       // sources whose watcher fired since the last look
	closers map[*closer]struct{}
	closed  bool // Close has run

	embedFD atomic.Pointer[wakeFD] // set by ReadyFD

	wake    chan struct{} // capacity 1: "something may be ready"
	stopReq atomic.Bool   // Stop was called
	running atomic.Bool   // inside Run or Step

	// Owned by the loop goroutine.
	sources   map[Source]*watch // watched sources with their readers
	seq       uint64            // registration counter, for ordering
	timers    timerHeap         // pending timers by due time
	timerByID map[TimerID]*timer
	nextTimer TimerID
	tickets   ticketList
	chans     []*chanReader        // channel readers in registration order
	chanCases []reflect.SelectCase // select cases for several chans; nil when chans changed
	chanSnap  []*chanReader        // pollChans' copy of chans, reused
	timer     *time.Timer          // wakes the loop when the next timer is due
	spareQ    []*watch             // recycled readyQ buffer
	spareP    []func() error       // recycled posted buffer
	onIterate func()               // test hook: called at the start of each iteration
}

// Option configures a Loop.
type Option func(*Loop) error

// WithLogger sends the loop's diagnostics (removed readers, source errors)
// to l. The default discards them.
func WithLogger(l *slog.Logger) Option {
	return func(lp *Loop) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrInvalid)
		}
		lp.log = l
		return nil
	}
}

// New creates an empty loop.
func New(opts ...Option) (*Loop, error) {
	l := &Loop{
		log:       slog.New(slog.DiscardHandler),
		wake:      make(chan struct{}, 1),
		closers:   make(map[*closer]struct{}),
		sources:   make(map[Source]*watch),
		timerByID: make(map[TimerID]*timer),
	}
	for _, o := range opts {
		if err := o(l); err != nil {
			return nil, err
		}
	}
	l.tickets.init()
	l.timer = time.AfterFunc(time.Hour, l.signal)
	l.timer.Stop()
	return l, nil
}

// closer is a resource the loop owns outside its goroutine (a watcher or
// a reading goroutine); Close runs every closer still registered.
type closer struct{ fn func() }

func (l *Loop) addCloser(fn func()) (*closer, error) {
	c := &closer{fn: fn}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, ErrClosed
	}
	l.closers[c] = struct{}{}
	return c, nil
}

// runCloser removes c and runs it, once.
func (l *Loop) runCloser(c *closer) {
	l.mu.Lock()
	_, ok := l.closers[c]
	delete(l.closers, c)
	l.mu.Unlock()
	if ok {
		c.fn()
	}
}

// signal wakes the loop goroutine (or the host waiting on Ready).
func (l *Loop) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
	if w := l.embedFD.Load(); w != nil {
		w.raise()
	}
}

// Post queues fn to run on the loop goroutine, after the handlers of the
// current iteration. It is safe from any goroutine and never blocks. Posted
// functions run in the order posted.
func (l *Loop) Post(fn func()) error {
	if fn == nil {
		return fmt.Errorf("%w: nil function", ErrInvalid)
	}
	return l.post(func() error { fn(); return nil })
}

// post queues fn; its error stops the loop like a handler's.
func (l *Loop) post(fn func() error) error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	l.posted = append(l.posted, fn)
	l.mu.Unlock()
	l.signal()
	return nil
}

// Stop asks the loop to return from Run (with nil) after the current
// iteration. It is safe from any goroutine. A Stop while the loop is not
// running makes the next Run return at once.
func (l *Loop) Stop() {
	l.stopReq.Store(true)
	l.signal()
}

// Close releases everything the loop owns: it stops watching sources,
// ends the goroutines reading io sources and waits for them, and stops
// the timer. Registered sockets and actors are not closed; they remain
// their owners'. A Run in progress returns ErrClosed. Close is safe from
// any goroutine, including a handler, and idempotent.
func (l *Loop) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	cs := l.closers
	l.closers = make(map[*closer]struct{})
	w := l.embedFD.Swap(nil)
	l.mu.Unlock()
	for c := range cs {
		c.fn()
	}
	l.timer.Stop()
	l.signal()
	if w != nil {
		return w.close()
	}
	return nil
}

func (l *Loop) isClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

// Run runs the loop until ctx ends (returning ctx.Err()), a handler returns
// an error (returned as is, except that ErrStop gives nil), Stop is called
// (nil) or the loop is closed (ErrClosed). It can be called again later.
//
// Run sleeps until something happens: it does not poll and sets no timer
// unless a timer or ticket is pending.
func (l *Loop) Run(ctx context.Context) error {
	if !l.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer l.running.Store(false)
	for {
		busy, err := l.iterate()
		if err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
		if l.stopReq.Swap(false) {
			return nil
		}
		if busy {
			// More is ready at once: skip waiting, but notice ctx and
			// give channel readers their turn.
			if err := ctx.Err(); err != nil {
				return err
			}
			if len(l.chans) > 0 {
				if err := l.pollChans(); err != nil {
					if errors.Is(err, ErrStop) {
						return nil
					}
					return err
				}
			}
			continue
		}
		l.armTimer()
		if len(l.chans) == 0 {
			select {
			case <-l.wake:
			case <-ctx.Done():
				return ctx.Err()
			}
			continue
		}
		if err := l.waitChans(ctx); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
}

// Step makes one iteration without waiting: posted functions, due timers
// and tickets, readable sources (up to 256 messages each, so that a busy
// socket cannot hold the host) and one value per channel reader. It is
// the embedding entry point for a host event loop (a GUI toolkit, another
// reactor): wait on Ready or ReadyFD, then call Step from the host's
// thread. If work remains, Step raises Ready again before returning. Step
// returns a handler's error as is, including ErrStop.
func (l *Loop) Step() error {
	if !l.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer l.running.Store(false)
	select {
	case <-l.wake:
	default:
	}
	if w := l.embedFD.Load(); w != nil {
		w.lower()
	}
	busy, err := l.iterate()
	if err != nil {
		return err
	}
	if len(l.chans) > 0 {
		if err := l.pollChans(); err != nil {
			return err
		}
	}
	l.armTimer()
	if busy || l.pendingWork() {
		l.signal() // more to do: the host calls again after its own events
	}
	return nil
}

// Ready returns a channel that receives a value when Step has work to do:
// a posted function, a readable source, a due timer or ticket. Values from
// channel readers do not raise it (a Go channel cannot be watched without
// receiving from it); producers in an embedded setting should Post
// instead. Ready may report work that a Step already did; Step then does
// nothing.
func (l *Loop) Ready() <-chan struct{} { return l.wake }

// pendingWork reports whether posted functions or ready sources wait.
func (l *Loop) pendingWork() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.posted) > 0 || len(l.readyQ) > 0
}

// iterate makes one pass: posted functions, timers, tickets, then ready
// sources in registration order. busy reports that more work is already
// waiting.
func (l *Loop) iterate() (busy bool, err error) {
	if l.isClosed() {
		return false, ErrClosed
	}
	if l.onIterate != nil {
		l.onIterate()
	}
	l.mu.Lock()
	posted := l.posted
	l.posted = l.spareP[:0]
	ready := l.readyQ
	l.readyQ = l.spareQ[:0]
	for _, w := range ready {
		w.pending = false
	}
	l.mu.Unlock()

	defer func() {
		clear(posted)
		l.spareP = posted[:0]
		clear(ready)
		l.spareQ = ready[:0]
	}()
	for i, fn := range posted {
		if err := fn(); err != nil {
			l.requeue(posted[i+1:])
			return false, err
		}
	}
	now := time.Now()
	if err := l.runTimers(now); err != nil {
		return false, err
	}
	if err := l.runTickets(now); err != nil {
		return false, err
	}
	if len(ready) > 1 {
		sortBySeq(ready)
	}
	for _, w := range ready {
		if err := l.dispatch(w); err != nil {
			return false, err
		}
	}
	if d, ok := l.nextDue(); ok && !d.After(time.Now()) {
		return true, nil
	}
	return l.pendingWork(), nil
}

// requeue puts posted functions that did not run back at the front.
func (l *Loop) requeue(fns []func() error) {
	if len(fns) == 0 {
		return
	}
	l.mu.Lock()
	l.posted = append(slices.Clone(fns), l.posted...)
	l.mu.Unlock()
}

// armTimer sets the wake-up timer to the earliest timer or ticket, or
// stops it when nothing is scheduled (no idle wake-ups).
func (l *Loop) armTimer() {
	d, ok := l.nextDue()
	if !ok {
		l.timer.Stop()
		return
	}
	l.timer.Reset(max(time.Until(d), 0))
}

// nextDue returns the earliest instant a timer or ticket is due.
func (l *Loop) nextDue() (time.Time, bool) {
	t, ok := l.timers.peek()
	k, kok := l.tickets.due()
	switch {
	case ok && kok:
		if k.Before(t) {
			return k, true
		}
		return t, true
	case ok:
		return t, true
	case kok:
		return k, true
	}
	return time.Time{}, false
}

// waitChans waits for the wake channel, ctx or a value on a channel reader,
// and delivers the value if one arrived.
func (l *Loop) waitChans(ctx context.Context) error {
	if len(l.chans) == 1 {
		woke, err := l.chans[0].wait(l.wake, ctx.Done())
		if !woke {
			return ctx.Err()
		}
		return err
	}
	if l.chanCases == nil {
		l.chanCases = make([]reflect.SelectCase, 0, 2+len(l.chans))
		l.chanCases = append(l.chanCases,
			reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(l.wake)},
			reflect.SelectCase{Dir: reflect.SelectRecv},
		)
		for _, c := range l.chans {
			l.chanCases = append(l.chanCases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: c.ch})
		}
	}
	l.chanCases[1].Chan = reflect.ValueOf(ctx.Done())
	chosen, v, ok := reflect.Select(l.chanCases)
	switch chosen {
	case 0:
		return nil
	case 1:
		return ctx.Err()
	}
	return l.chans[chosen-2].deliver(v, ok)
}
