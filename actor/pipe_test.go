package actor_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// safeBuffer is a bytes.Buffer safe for concurrent writes.
type safeBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *safeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// gated signals readiness, waits until gate closes, then echoes every
// message until $TERM.
func gated(gate <-chan struct{}) actor.Func {
	return func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0)
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
		return mirrorLoop(pipe)
	}
}

func TestHWM(t *testing.T) {
	gate := make(chan struct{})
	a := mustNew(t, gated(gate), actor.WithHWM(3))
	defer a.Close()
	for i := range 3 {
		if err := a.TrySendMsg(zmsg.FromStrings(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.TrySendMsg(zmsg.FromStrings("x")); !errors.Is(err, zsock.ErrWouldBlock) {
		t.Fatalf("TrySendMsg at HWM = %v", err)
	}
	ctx, cancel := context.WithTimeout(testCtx(t), 20*time.Millisecond)
	defer cancel()
	if err := a.SendMsgContext(ctx, zmsg.FromStrings("x")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("SendMsgContext at HWM = %v", err)
	}
	sent := make(chan error, 1)
	go func() { sent <- a.SendMsg(zmsg.FromStrings("3")) }()
	close(gate)
	if err := <-sent; err != nil {
		t.Fatalf("blocked SendMsg = %v", err)
	}
	for i := range 4 {
		if s, err := a.RecvString(); s != fmt.Sprint(i) || err != nil {
			t.Fatalf("reply %d = %q, %v", i, s, err)
		}
	}
}

func TestTryRecvMsg(t *testing.T) {
	a := mustNew(t, echo)
	if _, err := a.TryRecvMsg(); !errors.Is(err, zsock.ErrWouldBlock) {
		t.Fatalf("TryRecvMsg on empty pipe = %v", err)
	}
	notify, ch := notifier()
	stop, err := a.Watch(notify)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	a.SendStrings("ECHO", "x")
	expect(t, ch, "reply")
	m, err := a.TryRecvMsg()
	if err != nil || m.Len() != 1 {
		t.Fatalf("TryRecvMsg = %v, %v", m, err)
	}
	a.Close()
	if _, err := a.TryRecvMsg(); !errors.Is(err, zsock.ErrClosed) {
		t.Fatalf("TryRecvMsg after Close = %v", err)
	}
}

func TestBadMessages(t *testing.T) {
	a := mustNew(t, echo)
	defer a.Close()
	for name, m := range map[string]*zmsg.Msg{"nil": nil, "empty": zmsg.New()} {
		if err := a.SendMsg(m); !errors.Is(err, zmsg.ErrEmpty) {
			t.Errorf("SendMsg(%s) = %v", name, err)
		}
		if err := a.TrySendMsg(m); !errors.Is(err, zmsg.ErrEmpty) {
			t.Errorf("TrySendMsg(%s) = %v", name, err)
		}
	}
	if err := a.SendStrings(); !errors.Is(err, zmsg.ErrEmpty) {
		t.Errorf("SendStrings() = %v", err)
	}
	if err := a.SendPicture("q", 1); !errors.Is(err, zmsg.ErrPicture) {
		t.Errorf("SendPicture bad letter = %v", err)
	}
	if err := a.BSend("4", "x"); !errors.Is(err, zmsg.ErrArgument) {
		t.Errorf("BSend bad argument = %v", err)
	}
	if _, err := a.Watch(nil); err == nil {
		t.Error("Watch(nil) succeeded")
	}

	var zero actor.Pipe
	var nilPipe *actor.Pipe
	for _, p := range []*actor.Pipe{&zero, nilPipe} {
		if err := p.SendString("x"); !errors.Is(err, zsock.ErrClosed) {
			t.Errorf("send on unusable pipe = %v", err)
		}
		if _, err := p.RecvMsg(); !errors.Is(err, zsock.ErrClosed) {
			t.Errorf("recv on unusable pipe = %v", err)
		}
		if _, err := p.Readable(); !errors.Is(err, zsock.ErrClosed) {
			t.Errorf("Readable on unusable pipe = %v", err)
		}
		if _, err := p.Watch(func() {}); !errors.Is(err, zsock.ErrClosed) {
			t.Errorf("Watch on unusable pipe = %v", err)
		}
	}
}

// picturer answers pictures: it receives "si", replies "sis" with the
// number doubled, answers binary pictures, and signals on demand.
func picturer(ctx context.Context, pipe *actor.Pipe) error {
	pipe.Signal(0)
	for {
		var cmd string
		var n int
		if err := pipe.RecvPicture("si", &cmd, &n); err != nil {
			return err
		}
		switch cmd {
		case actor.Term:
			return nil
		case "DOUBLE":
			pipe.SendPicture("sis", "DOUBLED", 2*n, "ok")
		case "BINARY":
			var a uint8
			var b uint32
			var s string
			if err := pipe.BRecv("14s", &a, &b, &s); err != nil {
				return err
			}
			pipe.BSend("41s", b, a, s+"!")
		case "SIGNAL":
			pipe.SendString("noise")
			pipe.Signal(uint8(n))
		}
	}
}

func TestPictures(t *testing.T) {
	a := mustNew(t, picturer)
	defer a.Close()

	if err := a.SendPicture("si", "DOUBLE", 21); err != nil {
		t.Fatal(err)
	}
	var word, ok string
	var n int
	if err := a.RecvPicture("sis", &word, &n, &ok); err != nil {
		t.Fatal(err)
	}
	if word != "DOUBLED" || n != 42 || ok != "ok" {
		t.Fatalf("got %q %d %q", word, n, ok)
	}

	a.SendPicture("si", "BINARY", 0)
	a.BSend("14s", uint8(7), uint32(70000), "hi")
	var b uint32
	var c uint8
	var s string
	if err := a.BRecv("41s", &b, &c, &s); err != nil {
		t.Fatal(err)
	}
	if b != 70000 || c != 7 || s != "hi!" {
		t.Fatalf("got %d %d %q", b, c, s)
	}

	a.SendPicture("si", "SIGNAL", 9)
	st, err := a.WaitSignal(testCtx(t))
	if err != nil || st != 9 {
		t.Fatalf("WaitSignal = %d, %v", st, err)
	}

	a.SendPicture("si", "SIGNAL", 3)
	if s, _ := a.RecvString(); s != "noise" {
		t.Fatalf("got %q", s)
	}
	if err := a.RecvPicture("s", &s); !errors.Is(err, zsock.ErrSignal) {
		t.Fatalf("RecvPicture of a signal = %v", err)
	}

	a.SendPicture("si", "DOUBLE", 1)
	if err := a.RecvPicture("sss", &word, &s, &s); err != nil {
		t.Fatal(err)
	}
	a.SendPicture("si", "DOUBLE", 1)
	if err := a.RecvPicture("ii", &n, &n); !errors.Is(err, zmsg.ErrMismatch) {
		t.Fatalf("RecvPicture mismatch = %v", err)
	}
}

func TestWaitSignalContext(t *testing.T) {
	a := mustNew(t, echo)
	defer a.Close()
	ctx, cancel := context.WithTimeout(testCtx(t), 10*time.Millisecond)
	defer cancel()
	if _, err := a.WaitSignal(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitSignal = %v", err)
	}
	if _, err := a.RecvMsgContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("RecvMsgContext = %v", err)
	}
}

// notifier returns a notify function and the channel it pokes.
func notifier() (func(), chan struct{}) {
	ch := make(chan struct{}, 1)
	return func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}, ch
}

// expect fails the test unless ch fires within 10 seconds.
func expect(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("no notification: %s", what)
	}
}

// quiet fails the test if ch has fired.
func quiet(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
		t.Fatalf("unexpected notification: %s", what)
	default:
	}
}

func TestWatch(t *testing.T) {
	a := mustNew(t, echo)
	notify1, ch1 := notifier()
	notify2, ch2 := notifier()
	stop1, err := a.Watch(notify1)
	if err != nil {
		t.Fatal(err)
	}
	stop2, err := a.Watch(notify2)
	if err != nil {
		t.Fatal(err)
	}
	quiet(t, ch1, "empty pipe")
	if ok, err := a.Readable(); ok || err != nil {
		t.Fatalf("Readable on empty pipe = %v, %v", ok, err)
	}

	a.SendStrings("ECHO", "one")
	expect(t, ch1, "arrival, watcher 1")
	expect(t, ch2, "arrival, watcher 2")
	if ok, err := a.Readable(); !ok || err != nil {
		t.Fatalf("Readable with a message = %v, %v", ok, err)
	}
	a.RecvMsg()

	stop2()
	stop2()
	a.SendStrings("ECHO", "two")
	expect(t, ch1, "second arrival")
	a.RecvMsg()
	quiet(t, ch2, "stopped watcher")

	// A watch made while a message waits is told at once.
	a.SendStrings("ECHO", "three")
	expect(t, ch1, "third arrival")
	notify3, ch3 := notifier()
	stop3, err := a.Watch(notify3)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, ch3, "already readable")
	stop3()
	a.RecvMsg()

	// The actor ending closes its end: watchers hear of it and Readable
	// reports the closed pipe.
	done := make(chan error, 1)
	go func() { done <- a.Shutdown(testCtx(t)) }()
	expect(t, ch1, "close")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ok, err := a.Readable(); ok || !errors.Is(err, zsock.ErrClosed) {
		t.Fatalf("Readable after close = %v, %v", ok, err)
	}
	stop1()
	stop1()
	if _, err := a.Watch(notify1); !errors.Is(err, zsock.ErrClosed) {
		t.Fatalf("Watch after Close = %v", err)
	}
}

func TestWatchPeerClose(t *testing.T) {
	quit := make(chan struct{})
	a := mustNew(t, func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0)
		<-quit
		return pipe.SendString("bye")
	})
	notify, ch := notifier()
	stop, err := a.Watch(notify)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	close(quit)
	expect(t, ch, "last message or close")
	waitDone(t, a)
	if ok, err := a.Readable(); !ok || err != nil {
		t.Fatalf("Readable with a message after peer close = %v, %v", ok, err)
	}
	if s, err := a.RecvString(); s != "bye" || err != nil {
		t.Fatalf("RecvString = %q, %v", s, err)
	}
	if ok, err := a.Readable(); ok || !errors.Is(err, zsock.ErrClosed) {
		t.Fatalf("Readable after drain = %v, %v", ok, err)
	}
	a.Close()
}

func TestMessagesAreMoved(t *testing.T) {
	got := make(chan *zmsg.Msg, 1)
	a := mustNew(t, func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0)
		m, err := pipe.RecvMsg()
		if err != nil {
			return err
		}
		got <- m
		_, err = pipe.RecvMsg()
		return err
	})
	defer a.Close()
	m := zmsg.New(zframe.FromString("payload"))
	if err := a.SendMsg(m); err != nil {
		t.Fatal(err)
	}
	if r := <-got; r != m {
		t.Fatal("the receiver got a copy, not the message sent")
	}
}

func TestStress(t *testing.T) {
	const n = 20000
	a := mustNew(t, echo, actor.WithHWM(16))
	defer a.Close()
	errs := make(chan error, 1)
	go func() {
		for i := range n {
			if err := a.SendPicture("si", "ECHO", i); err != nil {
				errs <- err
				return
			}
		}
		errs <- nil
	}()
	for i := range n {
		var v int
		if err := a.RecvPicture("i", &v); err != nil {
			t.Fatal(err)
		}
		if v != i {
			t.Fatalf("message %d carries %d", i, v)
		}
	}
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}

// TestStressShared uses one end from several goroutines at once, which
// the pipe must survive without losing messages or wake-ups.
func TestStressShared(t *testing.T) {
	const (
		workers = 4
		each    = 5000
	)
	a := mustNew(t, echo, actor.WithHWM(8))
	var received atomic.Int64
	all := make(chan struct{})
	var senders, receivers sync.WaitGroup
	for range workers {
		senders.Go(func() {
			for range each {
				if err := a.SendStrings("ECHO", "x"); err != nil {
					t.Error(err)
					return
				}
			}
		})
		receivers.Go(func() {
			for {
				if _, err := a.RecvMsg(); err != nil {
					return
				}
				if received.Add(1) == workers*each {
					close(all)
				}
			}
		})
	}
	senders.Wait()
	select {
	case <-all:
	case <-time.After(10 * time.Second):
		t.Errorf("received %d of %d messages", received.Load(), workers*each)
	}
	if err := a.Close(); err != nil {
		t.Error(err)
	}
	receivers.Wait()
}

func TestUnlimitedHWM(t *testing.T) {
	const n = 3000
	gate := make(chan struct{})
	a := mustNew(t, gated(gate), actor.WithHWM(0))
	defer a.Close()
	for round := range 2 {
		for i := range n {
			if err := a.TrySendMsg(zmsg.FromStrings(fmt.Sprint(i))); err != nil {
				t.Fatalf("round %d, message %d: %v", round, i, err)
			}
		}
		if round == 0 {
			close(gate)
		}
		for i := range n {
			if s, err := a.RecvString(); s != fmt.Sprint(i) || err != nil {
				t.Fatalf("round %d, reply %d = %q, %v", round, i, s, err)
			}
		}
	}
}
