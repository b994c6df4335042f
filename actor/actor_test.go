package actor_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// errBoom is a failure returned by test actors.
var errBoom = errors.New("boom")

// testCtx returns a context that ends with the test or after 10 seconds.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitDone fails the test unless a ends within 10 seconds.
func waitDone(t *testing.T, a *actor.Actor) {
	t.Helper()
	select {
	case <-a.Done():
	case <-time.After(10 * time.Second):
		t.Fatalf("%v did not end", a)
	}
}

// echo is the classic CZMQ echo actor: it signals readiness, answers ECHO
// commands with the rest of the message and ends on $TERM.
func echo(ctx context.Context, pipe *actor.Pipe) error {
	if err := pipe.Signal(0); err != nil {
		return err
	}
	for {
		msg, err := pipe.RecvMsg()
		if err != nil {
			return err
		}
		cmd, _ := msg.PopString()
		switch cmd {
		case actor.Term:
			return nil
		case "ECHO":
			if err := pipe.SendMsg(msg); err != nil {
				return err
			}
		}
	}
}

// sleeper signals readiness, then reads nothing until its context ends.
func sleeper(ctx context.Context, pipe *actor.Pipe) error {
	if err := pipe.Signal(0); err != nil {
		return err
	}
	<-ctx.Done()
	return ctx.Err()
}

func mustNew(t *testing.T, fn actor.Func, opts ...actor.Option) *actor.Actor {
	t.Helper()
	a, err := actor.New(testCtx(t), fn, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

func TestEcho(t *testing.T) {
	a := mustNew(t, echo, actor.WithName("echo"))
	if got := a.Name(); got != "echo" {
		t.Errorf("Name = %q", got)
	}
	if got := a.String(); got != "actor echo (running)" {
		t.Errorf("String = %q", got)
	}
	if err := a.SendStrings("ECHO", "hello", "world"); err != nil {
		t.Fatal(err)
	}
	got, err := a.RecvStrings()
	if err != nil || strings.Join(got, " ") != "hello world" {
		t.Fatalf("RecvStrings = %q, %v", got, err)
	}
	if err := a.SendString("IGNORED"); err != nil {
		t.Fatal(err)
	}
	if err := a.SendStrings("ECHO", "again"); err != nil {
		t.Fatal(err)
	}
	if s, err := a.RecvString(); s != "again" || err != nil {
		t.Fatalf("RecvString = %q, %v", s, err)
	}
	if a.Err() != nil {
		t.Errorf("Err before end = %v", a.Err())
	}
	if err := a.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case <-a.Done():
	default:
		t.Fatal("Done not closed after Close")
	}
	if got := a.String(); got != "actor echo (done)" {
		t.Errorf("String = %q", got)
	}
	if _, err := a.RecvMsg(); !errors.Is(err, zsock.ErrClosed) {
		t.Errorf("RecvMsg after Close: %v", err)
	}
	if err := a.SendString("late"); !errors.Is(err, zsock.ErrClosed) {
		t.Errorf("SendString after Close: %v", err)
	}
}

func TestDefaultName(t *testing.T) {
	a := mustNew(t, echo)
	defer a.Close()
	if a.Name() != "actor_test.echo" {
		t.Errorf("default name %q", a.Name())
	}
}

func TestNewEarlyError(t *testing.T) {
	a, err := actor.New(testCtx(t), func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.SendString("not a signal")
		return errBoom
	}, actor.WithName("early"))
	if !errors.Is(err, errBoom) || a != nil {
		t.Fatalf("New = %v, %v; want errBoom and nil", a, err)
	}
	if !strings.Contains(err.Error(), "early") {
		t.Errorf("error %q does not name the actor", err)
	}
}

func TestNewEarlyNil(t *testing.T) {
	a, err := actor.New(testCtx(t), func(ctx context.Context, pipe *actor.Pipe) error {
		return pipe.SendString("parting words")
	})
	if err != nil || a == nil {
		t.Fatalf("New = %v, %v", a, err)
	}
	select {
	case <-a.Done():
	default:
		t.Fatal("actor not done")
	}
	if a.Err() != nil {
		t.Errorf("Err = %v", a.Err())
	}
	// The message sent before returning was discarded while waiting.
	if _, err := a.TryRecvMsg(); !errors.Is(err, zsock.ErrClosed) {
		t.Errorf("TryRecvMsg = %v, want ErrClosed", err)
	}
	if err := a.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
}

func TestNewDiscardsBeforeReady(t *testing.T) {
	a := mustNew(t, func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.SendString("junk")
		pipe.SendStrings("more", "junk")
		pipe.Signal(7)
		pipe.SendString("after")
		_, err := pipe.RecvMsg()
		return err
	})
	if s, err := a.RecvString(); s != "after" || err != nil {
		t.Fatalf("RecvString = %q, %v", s, err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestNewContextEnds(t *testing.T) {
	ctx, cancel := context.WithTimeout(testCtx(t), 20*time.Millisecond)
	defer cancel()
	a, err := actor.New(ctx, func(ctx context.Context, pipe *actor.Pipe) error {
		_, err := pipe.RecvMsg() // never signals; the context ends the wait
		return err
	})
	if !errors.Is(err, context.DeadlineExceeded) || a != nil {
		t.Fatalf("New = %v, %v", a, err)
	}

	done, stop := context.WithCancel(context.Background())
	stop()
	if _, err := actor.New(done, echo); !errors.Is(err, context.Canceled) {
		t.Fatalf("New with a cancelled context: %v", err)
	}
}

func TestOptionsValidated(t *testing.T) {
	ctx := testCtx(t)
	for name, opt := range map[string]actor.Option{
		"grace":  actor.WithGrace(-time.Second),
		"hwm":    actor.WithHWM(-1),
		"name":   actor.WithName(""),
		"logger": actor.WithLogger(nil),
	} {
		if _, err := actor.New(ctx, echo, opt); !errors.Is(err, actor.ErrOption) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := actor.New(ctx, nil); !errors.Is(err, actor.ErrOption) {
		t.Errorf("nil function: %v", err)
	}
	var nilCtx context.Context // refused, not a panic
	if _, err := actor.New(nilCtx, echo); !errors.Is(err, actor.ErrOption) {
		t.Errorf("nil context: %v", err)
	}
	a := mustNew(t, echo, nil, actor.WithHWM(0), actor.WithGrace(0))
	if err := a.Close(); err != nil && !errors.Is(err, actor.ErrKilled) {
		t.Errorf("Close: %v", err)
	}
}

func panicBeforeReady(ctx context.Context, pipe *actor.Pipe) error {
	panic("no luck")
}

func panicAfterReady(ctx context.Context, pipe *actor.Pipe) error {
	pipe.Signal(0)
	pipe.RecvMsg()
	panic(errBoom)
}

func TestPanicBeforeReady(t *testing.T) {
	a, err := actor.New(testCtx(t), panicBeforeReady)
	var pe *actor.PanicError
	if a != nil || !errors.As(err, &pe) {
		t.Fatalf("New = %v, %v", a, err)
	}
	if pe.Value != "no luck" || !strings.Contains(pe.Error(), "no luck") {
		t.Errorf("panic value %v, message %q", pe.Value, pe.Error())
	}
	if !bytes.Contains(pe.Stack, []byte("panicBeforeReady")) {
		t.Errorf("stack lacks the function:\n%s", pe.Stack)
	}
}

func TestPanicAfterReady(t *testing.T) {
	a := mustNew(t, panicAfterReady)
	a.SendString("go")
	waitDone(t, a)
	var pe *actor.PanicError
	if !errors.As(a.Err(), &pe) {
		t.Fatalf("Err = %v", a.Err())
	}
	if !errors.Is(a.Err(), errBoom) {
		t.Errorf("PanicError does not unwrap to the panic value: %v", a.Err())
	}
	if !bytes.Contains(pe.Stack, []byte("panicAfterReady")) {
		t.Errorf("stack lacks the function:\n%s", pe.Stack)
	}
	if err := a.Close(); err != a.Err() {
		t.Errorf("Close = %v, Err = %v", err, a.Err())
	}
}

func TestGoexit(t *testing.T) {
	a := mustNew(t, func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0)
		runtime.Goexit()
		return nil
	})
	if err := a.Close(); !errors.Is(err, actor.ErrGoexit) {
		t.Fatalf("Close = %v", err)
	}
}

func TestParentContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(testCtx(t))
	a := mustNew(t, echo)
	b, err := actor.New(ctx, echo)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	cancel()
	waitDone(t, b)
	if !errors.Is(b.Err(), context.Canceled) {
		t.Fatalf("Err = %v", b.Err())
	}
	if err := b.Close(); !errors.Is(err, context.Canceled) || errors.Is(err, actor.ErrKilled) {
		t.Fatalf("Close = %v", err)
	}
	// Actors started from another context are unaffected.
	if err := a.SendStrings("ECHO", "still here"); err != nil {
		t.Fatal(err)
	}
	if s, _ := a.RecvString(); s != "still here" {
		t.Fatalf("got %q", s)
	}
}

func TestCloseIdempotent(t *testing.T) {
	a := mustNew(t, func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0)
		pipe.RecvMsg()
		return errBoom
	})
	first := a.Close()
	if !errors.Is(first, errBoom) {
		t.Fatalf("Close = %v", first)
	}
	for range 3 {
		if err := a.Close(); err != first {
			t.Fatalf("second Close = %v, first %v", err, first)
		}
	}
	if err := a.Shutdown(testCtx(t)); err != first {
		t.Fatalf("Shutdown after Close = %v", err)
	}
	if a.Err() != first {
		t.Fatalf("Err = %v", a.Err())
	}
}

func TestCloseConcurrent(t *testing.T) {
	a := mustNew(t, echo)
	errs := make(chan error, 8)
	for range cap(errs) {
		go func() { errs <- a.Close() }()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestCloseFullPipeToActor(t *testing.T) {
	a := mustNew(t, sleeper, actor.WithHWM(2), actor.WithGrace(50*time.Millisecond))
	for {
		err := a.TrySendMsg(zmsg.FromStrings("filler"))
		if errors.Is(err, zsock.ErrWouldBlock) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	err := a.Close()
	if !errors.Is(err, actor.ErrKilled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Close = %v", err)
	}
	if a.Err() != err {
		t.Fatalf("Err = %v", a.Err())
	}
}

func TestCloseActorBlockedSending(t *testing.T) {
	const hwm = 2
	blocking := make(chan struct{})
	sendErr := make(chan error, 1)
	a := mustNew(t, func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0) // the parent takes the signal; the queue is empty
		for i := 0; ; i++ {
			if i == hwm {
				close(blocking) // the next send finds the queue full
			}
			if err := pipe.SendString("flood"); err != nil {
				sendErr <- err
				break
			}
		}
		cmd, err := pipe.RecvString()
		if err != nil {
			return err
		}
		if cmd != actor.Term {
			return errors.New("unexpected command " + cmd)
		}
		return nil
	}, actor.WithHWM(hwm))
	<-blocking
	if err := a.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if err := <-sendErr; !errors.Is(err, zsock.ErrClosed) {
		t.Fatalf("actor's send: %v", err)
	}
}

func TestShutdownContext(t *testing.T) {
	a := mustNew(t, sleeper, actor.WithGrace(100*time.Millisecond))
	ctx, cancel := context.WithTimeout(testCtx(t), 10*time.Millisecond)
	defer cancel()
	if err := a.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v", err)
	}
	// The grace still runs out and the actor is cancelled without anyone
	// waiting; Close then collects the result.
	waitDone(t, a)
	err := a.Close()
	if !errors.Is(err, actor.ErrKilled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Close = %v", err)
	}
}

func TestChildContextBoundsBlockingCalls(t *testing.T) {
	ctx, cancel := context.WithCancel(testCtx(t))
	a, err := actor.New(ctx, func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0)
		for {
			if err := pipe.SendString("flood"); err != nil {
				return err
			}
		}
	}, actor.WithHWM(1))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	waitDone(t, a)
	if !errors.Is(a.Err(), context.Canceled) {
		t.Fatalf("Err = %v", a.Err())
	}
	// What was queued is still delivered, then the pipe reports closed.
	if s, err := a.RecvString(); s != "flood" || err != nil {
		t.Fatalf("RecvString = %q, %v", s, err)
	}
	if _, err := a.RecvMsg(); !errors.Is(err, zsock.ErrClosed) {
		t.Fatalf("RecvMsg = %v", err)
	}
	a.Close()
}

func TestLogger(t *testing.T) {
	var buf safeBuffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a := mustNew(t, panicAfterReady, actor.WithLogger(log), actor.WithName("logged"))
	a.SendString("go")
	a.Close()
	out := buf.String()
	for _, want := range []string{"actor started", "actor ready", "actor panicked", "actor=logged", "panicAfterReady"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}
