package loop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// must turns a (value, error) result into the value, failing t on error.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// testCtx bounds a test's Run, so a bug fails the test instead of hanging
// the suite.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newLoop(t testing.TB) *Loop {
	t.Helper()
	l := must(New())(t)
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close loop: %v", err)
		}
	})
	return l
}

// sock is must for sockets, closing them at cleanup:
// sock(t)(zsock.NewPull(ep)).
func sock(t testing.TB) func(*zsock.Socket, error) *zsock.Socket {
	return func(s *zsock.Socket, err error) *zsock.Socket {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
}

var endpointSeq atomic.Int64

// pushPull returns a connected PUSH/PULL pair over inproc.
func pushPull(t testing.TB) (push, pull *zsock.Socket) {
	t.Helper()
	ep := fmt.Sprintf("inproc://%s-%d", strings.ReplaceAll(t.Name(), "/", "-"), endpointSeq.Add(1))
	pull = sock(t)(zsock.NewPull("@" + ep))
	push = sock(t)(zsock.NewPush(">" + ep))
	return push, pull
}

// runLoop runs l on a goroutine and returns a function that waits for Run's
// result, with a deadline so a hang fails the test instead of the suite.
func runLoop(t testing.TB, l *Loop, ctx context.Context) func() error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	return func() error {
		t.Helper()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			t.Fatal("loop did not return")
			return nil
		}
	}
}

func TestReaderReceivesUntilStop(t *testing.T) {
	l := newLoop(t)
	push, pull := pushPull(t)
	const n = 2000
	got := 0
	must(l.Reader(pull, func() error {
		m, err := pull.TryRecvMsg()
		if err != nil {
			return err
		}
		if s, _ := m.PopString(); s != fmt.Sprint(got) {
			return fmt.Errorf("message %d is %q", got, s)
		}
		got++
		if got == n {
			return ErrStop
		}
		return nil
	}))(t)
	for i := range n {
		if err := push.SendString(fmt.Sprint(i), 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Run(testCtx(t)); err != nil {
		t.Fatalf("Run = %v, want nil after ErrStop", err)
	}
	if got != n {
		t.Fatalf("received %d, want %d", got, n)
	}
}

func TestOnMessageAcrossGoroutines(t *testing.T) {
	l := newLoop(t)
	push, pull := pushPull(t)
	const n = 5000
	got := 0
	must(l.OnMessage(pull, func(m *zmsg.Msg) error {
		if m.Len() != 2 {
			return fmt.Errorf("frames = %d", m.Len())
		}
		got++
		if got == n {
			return ErrStop
		}
		return nil
	}))(t)
	wait := runLoop(t, l, context.Background())
	// The sender is another goroutine, which owns push from now on.
	sent := make(chan error, 1)
	go func() {
		for range n {
			if err := push.SendStrings("a", "b"); err != nil {
				sent <- err
				return
			}
		}
		sent <- nil
	}()
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Fatalf("got %d", got)
	}
}

func TestHandlerErrorStopsRun(t *testing.T) {
	l := newLoop(t)
	push, pull := pushPull(t)
	boom := errors.New("boom")
	must(l.OnMessage(pull, func(*zmsg.Msg) error { return boom }))(t)
	must(0, push.SendString("x", 0))(t)
	if err := l.Run(testCtx(t)); !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want boom", err)
	}
}

func TestSeveralReadersAndRemovalInsideHandler(t *testing.T) {
	l := newLoop(t)
	push, pull := pushPull(t)
	var order []string
	var first, second *Reader
	first = must(l.Reader(pull, func() error {
		order = append(order, "first")
		first.Remove() // removing itself, mid-dispatch
		return nil
	}))(t)
	second = must(l.OnMessage(pull, func(m *zmsg.Msg) error {
		s, _ := m.PopString()
		order = append(order, "second:"+s)
		if s == "3" {
			return ErrStop
		}
		return nil
	}))(t)
	for _, s := range []string{"1", "2", "3"} {
		must(0, push.SendString(s, 0))(t)
	}
	if err := l.Run(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	want := "first second:1 second:2 second:3"
	if got := strings.Join(order, " "); got != want {
		t.Fatalf("order %q, want %q", got, want)
	}
	// ReaderEnd removes the rest; a message sent afterwards is not seen.
	l.ReaderEnd(pull)
	if !second.removed {
		t.Fatal("ReaderEnd left a reader")
	}
	if len(l.sources) != 0 {
		t.Fatalf("sources = %d", len(l.sources))
	}
}

func TestReadersInRegistrationOrder(t *testing.T) {
	l := newLoop(t)
	var pulls []*zsock.Socket
	var pushes []*zsock.Socket
	for i := range 4 {
		ep := fmt.Sprintf("inproc://order-%d", i)
		pulls = append(pulls, sock(t)(zsock.NewPull("@"+ep)))
		pushes = append(pushes, sock(t)(zsock.NewPush(">"+ep)))
	}
	var order []int
	// Register in reverse so order is by registration, not creation.
	for i := 3; i >= 0; i-- {
		p := pulls[i]
		must(l.OnMessage(p, func(*zmsg.Msg) error {
			order = append(order, i)
			return nil
		}))(t)
	}
	for _, p := range pushes {
		must(0, p.SendString("x", 0))(t)
	}
	// Wait until every message is queued at its PULL before stepping, so
	// one Step sees all four as ready.
	for _, p := range pulls {
		waitReadable(t, p)
	}
	must(0, l.Step())(t)
	if fmt.Sprint(order) != "[3 2 1 0]" {
		t.Fatalf("order %v", order)
	}
}

// waitReadable polls Readable with a deadline (a test helper on sockets the
// test goroutine owns).
func waitReadable(t testing.TB, s *zsock.Socket) {
	t.Helper()
	p := must(NewPoller(s))(t)
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := p.Wait(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestRouterEchoUnderLoad sends and receives on the same ROUTER socket from
// inside its handler while many DEALERs hammer it: a reply's send must
// never swallow the notification of a request that arrived meanwhile.
func TestRouterEchoUnderLoad(t *testing.T) {
	for _, mode := range []string{"Reader", "OnMessage"} {
		t.Run(mode, func(t *testing.T) {
			l := newLoop(t)
			router := sock(t)(zsock.NewRouter("@tcp://127.0.0.1:*"))
			ep := router.Endpoint()
			echo := func(m *zmsg.Msg) error { return router.SendMsg(m) }
			if mode == "Reader" {
				must(l.Reader(router, func() error {
					m, err := router.TryRecvMsg()
					if err != nil {
						return err
					}
					return echo(m)
				}))(t)
			} else {
				must(l.OnMessage(router, echo))(t)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			wait := runLoop(t, l, ctx)

			const clients, perClient, window = 20, 500, 50
			var wg sync.WaitGroup
			errs := make(chan error, clients)
			for c := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- dealerClient(ep, c, perClient, window)
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
			cancel()
			if err := wait(); !errors.Is(err, context.Canceled) {
				t.Fatalf("Run = %v, want context.Canceled", err)
			}
		})
	}
}

// dealerClient keeps window requests in flight and checks every reply.
func dealerClient(ep string, id, total, window int) error {
	d, err := zsock.NewDealer(ep)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sent, recvd := 0, 0
	for recvd < total {
		for sent < total && sent-recvd < window {
			if err := d.SendStrings(fmt.Sprint(id), fmt.Sprint(sent)); err != nil {
				return err
			}
			sent++
		}
		m, err := d.RecvMsgContext(ctx)
		if err != nil {
			return fmt.Errorf("client %d after %d replies: %w", id, recvd, err)
		}
		who, _ := m.PopString()
		seq, _ := m.PopString()
		if who != fmt.Sprint(id) || seq != fmt.Sprint(recvd) {
			return fmt.Errorf("client %d: reply %s/%s, want %d/%d", id, who, seq, id, recvd)
		}
		recvd++
	}
	return nil
}

func TestSourceErrorRemovesUnlessTolerant(t *testing.T) {
	l := newLoop(t)
	_, pull := pushPull(t)
	var seen []error
	r1 := must(l.Reader(pull, func() error { return nil }, OnError(func(err error) error {
		seen = append(seen, err)
		return nil
	})))(t)
	r2 := must(l.Reader(pull, func() error { return nil }, Tolerant(), OnError(func(err error) error {
		seen = append(seen, err)
		return nil
	})))(t)
	pull.Close()
	l.markReady(l.sources[pull])
	must(0, l.Step())(t)
	if len(seen) != 2 || !errors.Is(seen[0], zsock.ErrClosed) {
		t.Fatalf("errors seen: %v", seen)
	}
	if !r1.removed || r2.removed {
		t.Fatalf("removed: plain %v tolerant %v", r1.removed, r2.removed)
	}
	// OnError returning an error stops the loop.
	stop := errors.New("give up")
	_, pull2 := pushPull(t)
	must(l.Reader(pull2, func() error { return nil }, OnError(func(error) error { return stop })))(t)
	pull2.Close()
	if err := l.Step(); !errors.Is(err, stop) {
		t.Fatalf("Step = %v, want %v", err, stop)
	}
}

func TestPostFromManyGoroutines(t *testing.T) {
	l := newLoop(t)
	const posters, each = 8, 500
	last := make([]int, posters)
	count := 0
	var wg sync.WaitGroup
	for p := range posters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= each; i++ {
				err := l.Post(func() {
					if last[p] != i-1 {
						panic(fmt.Sprintf("poster %d: %d after %d", p, i, last[p]))
					}
					last[p] = i
					count++
					if count == posters*each {
						l.Stop()
					}
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wait := runLoop(t, l, context.Background())
	wg.Wait()
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	if count != posters*each {
		t.Fatalf("ran %d", count)
	}
}

func TestRunContextStopCloseAndReentry(t *testing.T) {
	l := newLoop(t)
	ctx, cancel := context.WithCancel(context.Background())
	wait := runLoop(t, l, ctx)
	// A second Run while the first is going: wait until the first has
	// taken the loop, via a posted function.
	ran := make(chan struct{})
	must(0, l.Post(func() { close(ran) }))(t)
	<-ran
	if err := l.Run(testCtx(t)); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Run = %v", err)
	}
	if err := l.Step(); !errors.Is(err, ErrRunning) {
		t.Fatalf("Step during Run = %v", err)
	}
	cancel()
	if err := wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	// Stop from another goroutine, then Run again.
	wait = runLoop(t, l, context.Background())
	l.Stop()
	if err := wait(); err != nil {
		t.Fatalf("Run after Stop = %v", err)
	}
	// Close while running.
	wait = runLoop(t, l, context.Background())
	must(0, l.Post(func() {}))(t)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := wait(); !errors.Is(err, ErrClosed) || !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Run after Close = %v", err)
	}
	if err := l.Post(func() {}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Post after Close = %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("second Close = %v", err)
	}
}

func TestCloseFromHandlerStopsWatchers(t *testing.T) {
	l := must(New())(t)
	push, pull := pushPull(t)
	must(l.OnMessage(pull, func(*zmsg.Msg) error { return l.Close() }))(t)
	must(0, push.SendString("x", 0))(t)
	if err := l.Run(testCtx(t)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Run = %v", err)
	}
	// goleak (TestMain) proves the watcher goroutine ended.
}

func TestChanReader(t *testing.T) {
	l := newLoop(t)
	ch := make(chan int)
	var got []int
	closed := false
	r := must(Chan(l, ch, func(v int, ok bool) error {
		if !ok {
			closed = true
			return ErrStop
		}
		got = append(got, v)
		return nil
	}))(t)
	go func() {
		for i := range 100 {
			ch <- i
		}
		close(ch)
	}()
	if err := l.Run(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 100 || got[99] != 99 || !closed || !r.removed || len(l.chans) != 0 {
		t.Fatalf("got %d values, closed %v, removed %v", len(got), closed, r.removed)
	}
}

func TestChanReaderWhileSocketsBusy(t *testing.T) {
	// A busy socket must not starve a channel reader.
	l := newLoop(t)
	push, pull := pushPull(t)
	must(l.OnMessage(pull, func(*zmsg.Msg) error {
		return push.SendString("again", 0) // keeps the source busy forever
	}))(t)
	ch := make(chan string, 1)
	must(Chan(l, ch, func(s string, ok bool) error { return ErrStop }))(t)
	must(0, push.SendString("go", 0))(t)
	ch <- "stop"
	if err := l.Run(testCtx(t)); err != nil {
		t.Fatal(err)
	}
}

func TestIOReader(t *testing.T) {
	l := newLoop(t)
	ln := must(net.Listen("tcp", "127.0.0.1:0"))(t)
	defer ln.Close()
	client := must(net.Dial("tcp", ln.Addr().String()))(t)
	defer client.Close()
	server := must(ln.Accept())(t)
	defer server.Close()

	var got strings.Builder
	var endErr error
	must(l.IO(server, func(p []byte, err error) error {
		got.Write(p)
		if err != nil {
			endErr = err
			return ErrStop
		}
		return nil
	}, BufferSize(3)))(t)
	go func() {
		io.WriteString(client, "hello, loop")
		client.Close()
	}()
	if err := l.Run(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if got.String() != "hello, loop" || !errors.Is(endErr, io.EOF) {
		t.Fatalf("got %q, end %v", got.String(), endErr)
	}
}

func TestIOReaderRemovedWhileBlocked(t *testing.T) {
	l := newLoop(t)
	r, w := must2(os.Pipe())(t)
	defer r.Close()
	defer w.Close()
	calls := 0
	rd := must(l.IO(r, func(p []byte, err error) error { calls++; return nil }))(t)
	// The reading goroutine is blocked in Read; Remove must interrupt it
	// (goleak checks) and must not deliver anything.
	rd.Remove()
	rd.Remove()
	must(0, l.Step())(t)
	if calls != 0 {
		t.Fatalf("handler called %d times", calls)
	}
	// The pipe is still usable: the deadline was cleared.
	go w.Write([]byte("x"))
	buf := make([]byte, 1)
	if _, err := r.Read(buf); err != nil {
		t.Fatal(err)
	}
}

func must2[A, B any](a A, b B, err error) func(testing.TB) (A, B) {
	return func(t testing.TB) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}

// TestEmbeddedInHostLoop drives the loop from a simulated host event loop
// (think of a GUI main loop): the host waits on its own events and on the
// loop's Ready channel, and calls Step on its own goroutine.
func TestEmbeddedInHostLoop(t *testing.T) {
	l := newLoop(t)
	push, pull := pushPull(t)
	var log []string
	must(l.OnMessage(pull, func(m *zmsg.Msg) error {
		s, _ := m.PopString()
		log = append(log, "msg:"+s)
		return nil
	}))(t)
	must(l.Timer(5*time.Millisecond, 1, func(TimerID) error {
		log = append(log, "timer")
		return nil
	}))(t)
	hostEvents := make(chan string)
	go func() {
		hostEvents <- "click"
		push.SendString("from-zmq", 0)
		l.Post(func() { log = append(log, "posted") })
	}()
	deadline := time.After(10 * time.Second)
	has := func(s string) bool {
		for _, x := range log {
			if x == s {
				return true
			}
		}
		return false
	}
	for !(has("msg:from-zmq") && has("timer") && has("posted") && has("host:click")) {
		select {
		case ev := <-hostEvents:
			log = append(log, "host:"+ev)
		case <-l.Ready():
			if err := l.Step(); err != nil {
				t.Fatal(err)
			}
		case <-deadline:
			t.Fatalf("host loop saw only %v", log)
		}
	}
}

func TestReadyFD(t *testing.T) {
	l := newLoop(t)
	fd := must(l.ReadyFD())(t)
	if fdReadable(t, fd) {
		t.Fatal("ReadyFD readable on an idle loop")
	}
	ran := false
	must(0, l.Post(func() { ran = true }))(t)
	if !fdReadable(t, fd) {
		t.Fatal("ReadyFD not readable after Post")
	}
	must(0, l.Step())(t)
	if !ran {
		t.Fatal("Step did not run the posted function")
	}
	if fdReadable(t, fd) {
		t.Fatal("ReadyFD still readable after Step")
	}
}

// TestReadyFDRaisedByTimer runs in a synctest bubble: fake time makes the
// timer due exactly when the test says, with nobody calling Step.
func TestReadyFDRaisedByTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLoop(t)
		fd := must(l.ReadyFD())(t)
		fired := false
		must(l.Timer(time.Minute, 1, func(TimerID) error { fired = true; return nil }))(t)
		must(0, l.Step())(t) // arms the wake-up timer
		time.Sleep(time.Minute - time.Millisecond)
		synctest.Wait()
		if fdReadable(t, fd) || fired {
			t.Fatal("raised before the timer was due")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if !fdReadable(t, fd) {
			t.Fatal("ReadyFD not raised by the due timer")
		}
		must(0, l.Step())(t)
		if !fired || fdReadable(t, fd) {
			t.Fatalf("after Step: fired %v, still raised %v", fired, fdReadable(t, fd))
		}
	})
}

// A Step serves a busy socket at most one batch at a time and raises
// Ready again, so a host loop gets its turn between batches.
func TestStepIsBounded(t *testing.T) {
	l := newLoop(t)
	push, pull := pushPull(t)
	got := 0
	must(l.OnMessage(pull, func(*zmsg.Msg) error { got++; return nil }))(t)
	const n = 3 * batch
	for range n {
		must(0, push.SendString("m", 0))(t)
	}
	waitReadable(t, pull)
	steps := 0
	deadline := time.After(10 * time.Second)
	for got < n {
		select {
		case <-l.Ready():
		case <-deadline:
			t.Fatalf("received %d of %d after %d steps", got, n, steps)
		}
		before := got
		must(0, l.Step())(t)
		steps++
		if got-before > batch {
			t.Fatalf("one Step handled %d messages, more than %d", got-before, batch)
		}
	}
	if steps < 3 {
		t.Fatalf("%d messages in %d steps", n, steps)
	}
}

// Several channel readers: all are served, a closed one leaves the others
// running, and a reader added by a handler is waited on from then on.
func TestSeveralChanReaders(t *testing.T) {
	l := newLoop(t)
	a, b, c := make(chan int), make(chan string), make(chan int)
	var gotA, gotC []int
	var gotB []string
	aClosed := false
	must(Chan(l, a, func(v int, ok bool) error {
		if !ok {
			aClosed = true
			return nil
		}
		gotA = append(gotA, v)
		return nil
	}))(t)
	must(Chan(l, b, func(v string, ok bool) error {
		gotB = append(gotB, v)
		if v == "add" {
			_, err := Chan(l, c, func(v int, ok bool) error {
				gotC = append(gotC, v)
				return ErrStop
			})
			return err
		}
		return nil
	}))(t)
	go func() {
		for i := range 50 {
			a <- i
			b <- fmt.Sprint(i)
		}
		close(a)
		b <- "add"
		c <- 7
	}()
	if err := l.Run(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if len(gotA) != 50 || !aClosed || len(gotB) != 51 || !slices.Equal(gotC, []int{7}) || len(l.chans) != 2 {
		t.Fatalf("a %d (closed %v), b %d, c %v, %d readers left", len(gotA), aClosed, len(gotB), gotC, len(l.chans))
	}
}
