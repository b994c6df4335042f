package actor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// Term is the command Close sends to an actor: a one-frame message holding
// this string. An actor must return soon after receiving it.
const Term = "$TERM"

// Func is the body of an actor. It runs in its own goroutine with the
// actor's context and the actor's end of the pipe. It should call
// pipe.Signal(0) once it is ready (New waits for that), then serve
// messages until it receives Term or ctx ends. Its return value becomes the
// actor's error; a panic is recovered and becomes a *PanicError.
type Func func(ctx context.Context, pipe *Pipe) error

// Actor is a running actor as seen by its parent: the parent's end of the
// pipe (embedded, so a.SendMsg and a.RecvMsg talk to the actor) plus
// control of the actor's goroutine.
//
// All methods are safe for concurrent use; the pipe methods are meant for
// one goroutine at a time, like a socket.
type Actor struct {
	*Pipe // the parent's end of the pipe

	name   string             // from WithName, or the function's name
	grace  time.Duration      // wait after Term before cancelling
	log    *slog.Logger       // life-cycle events
	child  *Pipe              // the actor's end of the pipe
	cancel context.CancelFunc // cancels the actor's context
	done   chan struct{}      // closed once the actor has returned

	mu       sync.Mutex  // guards the fields below
	err      error       // the actor's final error; set before done closes
	ended    bool        // the function has returned and err is final
	killed   bool        // the context was cancelled by Close or Shutdown
	closing  bool        // Close or Shutdown was called
	killTime *time.Timer // cancels the actor when the grace expires
}

// New starts fn in a new goroutine and returns once it has signalled that
// it is ready with pipe.Signal (any status). Messages other than signals
// that the actor sends before that are discarded.
//
// The actor's context is derived from ctx: cancelling ctx cancels the
// actor, and blocking pipe calls the actor makes without a context then
// fail with an error wrapping the context's error.
//
// If fn returns an error, or panics, before signalling, New returns that
// error wrapped (or the *PanicError), and no Actor. If fn returns nil
// before signalling, New returns an Actor that is already done. If ctx
// ends before the actor is ready, New cancels the actor, waits for it to
// return and returns an error wrapping ctx's error.
func New(ctx context.Context, fn Func, opts ...Option) (*Actor, error) {
	o, err := apply(opts)
	if err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, fmt.Errorf("%w: nil function", ErrOption)
	}
	if o.name == "" {
		o.name = funcName(fn)
	}
	if ctx == nil {
		return nil, fmt.Errorf("%w: nil context", ErrOption)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("actor %s: start: %w", o.name, err)
	}
	actx, cancel := context.WithCancel(ctx)
	parent, child := newPipe(o.name, o.hwm, actx)
	a := &Actor{
		Pipe:   parent,
		name:   o.name,
		grace:  o.grace,
		log:    o.logger,
		child:  child,
		cancel: cancel,
		done:   make(chan struct{}),
	}
	go a.run(actx, fn)
	if err := a.awaitReady(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// awaitReady receives until the actor signals, returns, or ctx ends.
func (a *Actor) awaitReady(ctx context.Context) error {
	for {
		m, err := a.Pipe.recv(ctx, "start", true)
		switch {
		case err == nil:
			if zmsg.IsSignal(m) {
				a.logAt(slog.LevelDebug, "actor ready")
				return nil
			}
		case errors.Is(err, zsock.ErrClosed):
			// The function returned without signalling.
			<-a.done
			if a.err != nil {
				return fmt.Errorf("actor %s: start: %w", a.name, a.err)
			}
			return nil
		default:
			a.cancel()
			a.Pipe.close(nil)
			<-a.done
			return err
		}
	}
}

// run is the actor's goroutine.
func (a *Actor) run(ctx context.Context, fn Func) {
	err := ErrGoexit // kept when fn neither returns nor panics
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Value: v, Stack: debug.Stack()}
		}
		a.child.close(nil)
		a.cancel()
		a.finish(err)
	}()
	a.logAt(slog.LevelDebug, "actor started")
	err = fn(ctx, a.child)
}

// finish records the actor's final error and marks it done.
func (a *Actor) finish(err error) {
	a.mu.Lock()
	if a.killed {
		err = errors.Join(ErrKilled, err)
	}
	a.err, a.ended = err, true
	if a.killTime != nil {
		a.killTime.Stop()
	}
	a.mu.Unlock()

	var pe *PanicError
	switch {
	case errors.As(err, &pe):
		a.logAt(slog.LevelError, "actor panicked", "panic", fmt.Sprint(pe.Value), "stack", string(pe.Stack))
	case errors.Is(err, ErrKilled):
		a.logAt(slog.LevelWarn, "actor cancelled after grace period", "grace", a.grace, "err", err)
	default:
		a.logAt(slog.LevelDebug, "actor ended", "err", err)
	}
	close(a.done)
}

// logAt logs msg with the actor's name and args when level is enabled.
func (a *Actor) logAt(level slog.Level, msg string, args ...any) {
	ctx := context.Background()
	if !a.log.Enabled(ctx, level) {
		return
	}
	a.log.Log(ctx, level, msg, append([]any{"actor", a.name}, args...)...)
}

// kill cancels the actor's context unless it has already returned.
func (a *Actor) kill() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ended || a.killed {
		return
	}
	a.killed = true
	a.cancel()
}

// Close ends the actor and waits for it, then returns its error (see Err).
// It sends Term to the actor even when the pipe toward it is full, closes
// the parent's end so that an actor blocked sending to the parent fails at
// once with zsock.ErrClosed, and waits for the actor to return. If the
// actor has not returned within the grace period (WithGrace), Close
// cancels its context and keeps waiting; the error then also matches
// ErrKilled. Close is idempotent: every call returns the same error.
func (a *Actor) Close() error {
	return a.Shutdown(context.Background())
}

// Shutdown is Close bounded by ctx. If ctx ends before the actor has
// returned, Shutdown returns an error wrapping ctx's error; the shutdown
// carries on regardless (the actor's context is still cancelled when the
// grace period expires), and a later Close or Shutdown waits again.
func (a *Actor) Shutdown(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	a.mu.Lock()
	first := !a.closing
	a.closing = true
	if first && !a.ended && a.grace > 0 {
		a.killTime = time.AfterFunc(a.grace, a.kill)
	}
	a.mu.Unlock()
	if first {
		a.logAt(slog.LevelDebug, "actor closing")
		a.Pipe.close(zmsg.FromStrings(Term))
		if a.grace == 0 {
			a.kill()
		}
	}
	select {
	case <-a.done:
		return a.err
	case <-ctx.Done():
		return fmt.Errorf("actor %s: shutdown: %w", a.name, ctx.Err())
	}
}

// Done returns a channel that is closed once the actor's function has
// returned. It takes the place of the final signal a CZMQ actor sends.
func (a *Actor) Done() <-chan struct{} {
	return a.done
}

// Err returns nil while the actor runs and, once it is done, the error
// its function returned (a *PanicError if it panicked, ErrGoexit if it
// called runtime.Goexit), joined with ErrKilled if Close or Shutdown had
// to cancel it.
func (a *Actor) Err() error {
	select {
	case <-a.done:
		return a.err
	default:
		return nil
	}
}

// Name returns the actor's name (see WithName).
func (a *Actor) Name() string {
	return a.name
}

// String describes the actor and its state: running, closing or done.
func (a *Actor) String() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	state := "running"
	switch {
	case a.ended:
		state = "done"
	case a.closing:
		state = "closing"
	}
	return fmt.Sprintf("actor %s (%s)", a.name, state)
}

// funcName names an actor after its function, "main.echo" for main.echo or
// "pkg.(*T).run" for a method value, for logs and errors.
func funcName(fn Func) string {
	name := "actor"
	if f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()); f != nil {
		name = f.Name()
	}
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSuffix(name, "-fm")
}
