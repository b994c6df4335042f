package zsock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zmsg"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// transports returns a bind endpoint per transport; "tcp" uses "*" so the
// test picks a free port.
func transports(t *testing.T) map[string]string {
	return map[string]string{
		"inproc": "inproc://" + strings.ReplaceAll(t.Name(), "/", "-"),
		"ipc":    "ipc://" + filepath.Join(t.TempDir(), "s"),
		"tcp":    "tcp://127.0.0.1:*",
	}
}

// must turns a (value, error) result into the value, failing t on error:
// must(New(Pull))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func closeT(t testing.TB, s *Socket) {
	t.Helper()
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close %v: %v", s, err)
		}
	})
}

// bindPair binds a server of type st and connects a client of type ct.
func bindPair(t *testing.T, st, ct Type, ep string, copts ...Option) (server, client *Socket) {
	t.Helper()
	server = must(New(st))(t)
	closeT(t, server)
	must(server.Bind(ep))(t)
	client = must(New(ct, copts...))(t)
	closeT(t, client)
	if err := client.Connect(server.Endpoint()); err != nil {
		t.Fatal(err)
	}
	return server, client
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestPushPullTransports(t *testing.T) {
	for name, ep := range transports(t) {
		t.Run(name, func(t *testing.T) {
			pull, push := bindPair(t, Pull, Push, ep)
			ctx := testCtx(t)
			big := bytes.Repeat([]byte("z"), 3*scratchSize+7)
			if err := push.SendMsg(zmsg.FromBytes([]byte("a"), nil, big)); err != nil {
				t.Fatal(err)
			}
			m := must(pull.RecvMsgContext(ctx))(t)
			if m.Len() != 3 {
				t.Fatalf("got %d frames, want 3", m.Len())
			}
			f0, _ := m.Frame(0)
			f1, _ := m.Frame(1)
			f2, _ := m.Frame(2)
			if f0.Text() != "a" || f1.Size() != 0 || !bytes.Equal(f2.Data(), big) {
				t.Fatalf("frames differ: %v", m)
			}
			if !f0.More() || !f1.More() || f2.More() {
				t.Fatalf("MORE flags wrong: %v %v %v", f0.More(), f1.More(), f2.More())
			}
			// Frame-level API.
			if err := push.Send([]byte("x"), More); err != nil {
				t.Fatal(err)
			}
			if err := push.SendString("y", 0); err != nil {
				t.Fatal(err)
			}
			fx := must(pull.RecvFrameContext(ctx))(t)
			fy := must(pull.RecvFrameContext(ctx))(t)
			if fx.Text() != "x" || !fx.More() || fy.Text() != "y" || fy.More() {
				t.Fatalf("got %v %v", fx, fy)
			}
		})
	}
}

func TestReqRep(t *testing.T) {
	for name, ep := range transports(t) {
		t.Run(name, func(t *testing.T) {
			rep, req := bindPair(t, Rep, Req, ep)
			ctx := testCtx(t)
			done := make(chan error, 1)
			go func() {
				for i := 0; i < 3; i++ {
					m, err := rep.RecvMsgContext(ctx)
					if err != nil {
						done <- err
						return
					}
					m.AppendString("pong")
					if err := rep.SendMsg(m); err != nil {
						done <- err
						return
					}
				}
				done <- nil
			}()
			for i := 0; i < 3; i++ {
				if err := req.SendStrings("ping", fmt.Sprint(i)); err != nil {
					t.Fatal(err)
				}
				got := must(req.RecvMsgContext(ctx))(t)
				want := zmsg.FromStrings("ping", fmt.Sprint(i), "pong")
				if !got.Equal(want) {
					t.Fatalf("reply %v, want %v", got, want)
				}
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestReqStateError(t *testing.T) {
	req := must(New(Req))(t)
	closeT(t, req)
	if err := req.Connect("inproc://nobody-req"); err != nil {
		t.Fatal(err)
	}
	_, err := req.RecvFrame(DontWait)
	if !errors.Is(err, ErrState) {
		t.Fatalf("recv before send on REQ: %v, want ErrState", err)
	}
	var ze *Error
	if !errors.As(err, &ze) || ze.Errno == 0 {
		t.Fatalf("error %v does not carry an errno", err)
	}
}

func TestPubSubPrefix(t *testing.T) {
	ep := "inproc://pubsub-prefix"
	pub := must(NewPub(ep))(t)
	closeT(t, pub)
	sub := must(NewSub(ep, WithSubscribe("news.")))(t)
	closeT(t, sub)
	ctx := testCtx(t)
	// The subscription travels asynchronously: publish until it arrives.
	got := make(chan *zmsg.Msg, 1)
	errc := make(chan error, 1)
	go func() {
		m, err := sub.RecvMsgContext(ctx)
		if err != nil {
			errc <- err
			return
		}
		got <- m
	}()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		if err := pub.SendStrings("sport.x", "no"); err != nil {
			t.Fatal(err)
		}
		if err := pub.SendStrings("news.x", "yes"); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-got:
			if !m.Equal(zmsg.FromStrings("news.x", "yes")) {
				t.Fatalf("got %v", m)
			}
			return
		case err := <-errc:
			t.Fatal(err)
		case <-tick.C:
		}
	}
}

func TestXPubSeesSubscriptions(t *testing.T) {
	xpub := must(NewXPub("inproc://xpub-subs", WithXPubVerbose(true)))(t)
	closeT(t, xpub)
	sub := must(NewSub("inproc://xpub-subs", WithSubscribe("abc")))(t)
	closeT(t, sub)
	f := must(xpub.RecvFrameContext(testCtx(t)))(t)
	if !bytes.Equal(f.Data(), []byte("\x01abc")) {
		t.Fatalf("subscription frame %q", f.Data())
	}
}

func TestDealerRouterEcho(t *testing.T) {
	router := must(NewRouter("tcp://127.0.0.1:*"))(t)
	closeT(t, router)
	ctx := testCtx(t)
	const clients, rounds = 8, 200
	var wg sync.WaitGroup
	errs := make(chan error, clients+1)
	serverDone := make(chan struct{})
	go func() {
		defer close(serverDone)
		for i := 0; i < clients*rounds; i++ {
			m, err := router.RecvMsgContext(ctx)
			if err != nil {
				errs <- err
				return
			}
			if err := router.SendMsg(m); err != nil {
				errs <- err
				return
			}
		}
	}()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			d, err := NewDealer(router.Endpoint(), WithIdentity(fmt.Sprintf("client-%d", c)))
			if err != nil {
				errs <- err
				return
			}
			defer d.Close()
			for i := 0; i < rounds; i++ {
				body := fmt.Sprintf("%d/%d", c, i)
				if err := d.SendString(body, 0); err != nil {
					errs <- err
					return
				}
				got, err := d.RecvStringContext(ctx)
				if err != nil {
					errs <- err
					return
				}
				if got != body {
					errs <- fmt.Errorf("client %d got %q want %q", c, got, body)
					return
				}
			}
		}(c)
	}
	wg.Wait()
	<-serverDone
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestRouterMandatory(t *testing.T) {
	r := must(NewRouter("inproc://mandatory", WithRouterMandatory(true)))(t)
	closeT(t, r)
	err := r.SendStrings("nobody", "hello")
	if !errors.Is(err, ErrHostUnreachable) {
		t.Fatalf("send to unknown peer: %v, want ErrHostUnreachable", err)
	}
	if !r.RouterMandatory() {
		t.Fatal("RouterMandatory() = false after WithRouterMandatory(true)")
	}
	if err := r.SetRouterMandatory(false); err != nil {
		t.Fatal(err)
	}
	if r.RouterMandatory() {
		t.Fatal("RouterMandatory() = true after SetRouterMandatory(false)")
	}
	if err := r.SendStrings("nobody", "hello"); err != nil {
		t.Fatalf("send to unknown peer without mandatory: %v", err)
	}
}

func TestPair(t *testing.T) {
	a := must(NewPair("@inproc://pair-a"))(t)
	closeT(t, a)
	b := must(NewPair(">inproc://pair-a"))(t)
	closeT(t, b)
	if err := a.Signal(7); err != nil {
		t.Fatal(err)
	}
	st := must(b.WaitSignal(testCtx(t)))(t)
	if st != 7 {
		t.Fatalf("signal status %d", st)
	}
}

func TestStreamRawTCP(t *testing.T) {
	st := must(NewStream("@tcp://127.0.0.1:*"))(t)
	closeT(t, st)
	ctx := testCtx(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(st.Endpoint(), "tcp://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Connect notification: routing id + empty frame.
	m := must(st.RecvMsgContext(ctx))(t)
	if m.Len() != 2 {
		t.Fatalf("notification %v", m)
	}
	id, _ := m.Frame(0)
	if _, err := conn.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	m = must(st.RecvMsgContext(ctx))(t)
	if f, _ := m.Frame(1); f.Text() != "hello" {
		t.Fatalf("data %v", m)
	}
	if err := st.SendMsg(zmsg.New(id, zframe.FromString("world"))); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Read(buf); err != nil || string(buf) != "world" {
		t.Fatalf("read %q, %v", buf, err)
	}
}

func TestEphemeralBind(t *testing.T) {
	a := must(New(Pull))(t)
	closeT(t, a)
	p1 := must(a.Bind("tcp://127.0.0.1:*"))(t)
	if p1 < DynamicFirst || p1 > DynamicLast {
		t.Fatalf("port %d outside dynamic range", p1)
	}
	b := must(New(Pull))(t)
	closeT(t, b)
	p2 := must(b.Bind("tcp://127.0.0.1:*"))(t)
	if p2 == p1 {
		t.Fatalf("second * bind reused port %d", p1)
	}
	c := must(New(Pull))(t)
	closeT(t, c)
	p3 := must(c.Bind("tcp://127.0.0.1:![50100-50200]"))(t)
	if p3 < 50100 || p3 > 50200 {
		t.Fatalf("random port %d outside range", p3)
	}
	if c.Endpoint() != fmt.Sprintf("tcp://127.0.0.1:%d", p3) {
		t.Fatalf("endpoint %q", c.Endpoint())
	}
	d := must(New(Pull))(t)
	closeT(t, d)
	if _, err := d.Bind(fmt.Sprintf("tcp://127.0.0.1:*[%d-%d]", p1, p1)); !errors.Is(err, ErrAddrInUse) {
		t.Fatalf("bind to a full range: %v, want ErrAddrInUse", err)
	}
	if _, err := d.Bind(fmt.Sprintf("tcp://127.0.0.1:%d", p1)); !errors.Is(err, ErrAddrInUse) {
		t.Fatalf("bind to a used port: %v, want ErrAddrInUse", err)
	}
	if _, err := d.Bind("tcp://127.0.0.1:*[9-1]"); !errors.Is(err, ErrEndpoint) {
		t.Fatalf("empty range: %v", err)
	}
	if _, err := d.Bind("bogus://x"); !errors.Is(err, ErrProtocol) {
		t.Fatalf("unknown transport: %v, want ErrProtocol", err)
	}
	p0 := must(d.Bind("tcp://127.0.0.1:0"))(t)
	if p0 == 0 {
		t.Fatal("port 0 bind did not report the chosen port")
	}
	if p := must(d.Bind("inproc://eph-inproc"))(t); p != 0 {
		t.Fatalf("inproc bind returned port %d", p)
	}
}

func TestParseEndpoints(t *testing.T) {
	cases := []struct {
		in        string
		serverish bool
		want      []endpointAction
		err       bool
	}{
		{"", true, nil, false},
		{"tcp://a:1", true, []endpointAction{{true, "tcp://a:1"}}, false},
		{"tcp://a:1", false, []endpointAction{{false, "tcp://a:1"}}, false},
		{"@inproc://x,>tcp://b:2, ipc://c", false, []endpointAction{{true, "inproc://x"}, {false, "tcp://b:2"}, {false, "ipc://c"}}, false},
		{"a,,b", true, nil, true},
		{"@", true, nil, true},
	}
	for _, c := range cases {
		got, err := parseEndpoints(c.in, c.serverish)
		if (err != nil) != c.err {
			t.Fatalf("%q: err %v", c.in, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Fatalf("%q: got %v want %v", c.in, got, c.want)
		}
	}
}

func TestDefaultActions(t *testing.T) {
	for _, typ := range Types() {
		want := map[Type]bool{Pub: true, Rep: true, Router: true, Pull: true, XPub: true}[typ]
		if typ.Serverish() != want {
			t.Errorf("%v serverish=%v", typ, typ.Serverish())
		}
		got, err := ParseType(strings.ToLower(typ.String()))
		if err != nil || got != typ {
			t.Errorf("ParseType(%v) = %v, %v", typ, got, err)
		}
	}
}

func TestRecvDeadlinesAndCancel(t *testing.T) {
	pull := must(NewPull("inproc://deadlines"))(t)
	closeT(t, pull)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := pull.RecvMsgContext(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("deadline: %v", err)
	}

	ctx2, cancel2 := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := pull.RecvMsgContext(ctx2)
		errc <- err
	}()
	cancel2()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel: %v", err)
	}

	if err := pull.SetRecvTimeout(15 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	_, err = pull.RecvMsg()
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("timeout: %v", err)
	}
	var te interface{ Timeout() bool }
	if !errors.As(err, &te) || !te.Timeout() {
		t.Fatalf("timeout error %v has no Timeout() true", err)
	}
	// A later receive still works: the deadline was reset.
	push := must(NewPush("inproc://deadlines"))(t)
	closeT(t, push)
	if err := pull.SetRecvTimeout(-1); err != nil {
		t.Fatal(err)
	}
	if err := push.SendString("after", 0); err != nil {
		t.Fatal(err)
	}
	if s := must(pull.RecvStringContext(testCtx(t)))(t); s != "after" {
		t.Fatalf("got %q", s)
	}
	if _, err := pull.RecvFrame(DontWait); !errors.Is(err, ErrWouldBlock) {
		t.Fatalf("DontWait on empty: %v", err)
	}
}

func TestSendBlocksAtHWMAndTimesOut(t *testing.T) {
	push := must(New(Push, WithSndHWM(1), WithSendTimeout(20*time.Millisecond)))(t)
	closeT(t, push)
	pull := must(New(Pull, WithRcvHWM(1)))(t)
	closeT(t, pull)
	must(pull.Bind("inproc://hwm"))(t)
	if err := push.Connect("inproc://hwm"); err != nil {
		t.Fatal(err)
	}
	var err error
	sent := 0
	for ; sent < 100; sent++ {
		if err = push.SendString("m", 0); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("after %d sends: %v, want ErrTimeout", sent, err)
	}
	if err := push.SendString("m", DontWait); !errors.Is(err, ErrWouldBlock) {
		t.Fatalf("DontWait at HWM: %v", err)
	}
	// Draining one message lets a blocked sender through.
	errc := make(chan error, 1)
	go func() { errc <- push.SendContext(testCtx(t), []byte("late"), 0) }()
	if _, err := pull.RecvMsgContext(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("blocked send: %v", err)
	}
}

func TestClosedSocket(t *testing.T) {
	s := must(New(Pull))(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	checks := map[string]error{}
	_, checks["recv"] = s.RecvMsg()
	checks["send"] = s.SendString("x", 0)
	_, checks["bind"] = s.Bind("inproc://closed")
	checks["connect"] = s.Connect("inproc://closed")
	checks["option"] = s.SetLinger(0)
	_, checks["events"] = s.Events()
	for op, err := range checks {
		if !errors.Is(err, net.ErrClosed) || !errors.Is(err, ErrClosed) {
			t.Errorf("%s after close: %v", op, err)
		}
	}
}

func TestContextShutdown(t *testing.T) {
	c := must(NewContext())(t)
	pull := must(NewPull("inproc://shutdown", WithContext(c)))(t)
	errc := make(chan error, 1)
	go func() {
		_, err := pull.RecvMsg() // blocks until the context shuts down
		errc <- err
	}()
	// Close cannot finish while a socket is open, and says so at once.
	if err := c.Close(); !errors.Is(err, ErrSocketsOpen) {
		t.Fatalf("close with open socket: %v", err)
	}
	if err := <-errc; !errors.Is(err, ErrTerminated) {
		t.Fatalf("blocked receive: %v, want ErrTerminated", err)
	}
	if _, err := New(Push, WithContext(c)); !errors.Is(err, ErrClosed) {
		t.Fatalf("new socket after shutdown: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Shutdown(testCtx(t)) }()
	if err := pull.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("close after shutdown: %v", err)
	}
}

func TestShutdownDeadline(t *testing.T) {
	c := must(NewContext())(t)
	s := must(New(Pair, WithContext(c)))(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err := c.Shutdown(ctx)
	if !errors.Is(err, ErrSocketsOpen) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("shutdown: %v", err)
	}
	s.Close()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultContextLimit(t *testing.T) {
	c := must(Default())(t)
	lim := fileLimit()
	if lim > 1023 && c.MaxSockets() <= 1023 {
		t.Fatalf("default max sockets %d with file limit %d", c.MaxSockets(), lim)
	}
	if c.Close() == nil {
		t.Fatal("closing the default context succeeded")
	}
	if lim < 1200*3 {
		t.Skipf("file limit %d too low to open 1200 sockets", lim)
	}
	socks := make([]*Socket, 0, 1200)
	defer func() {
		for _, s := range socks {
			s.Close()
		}
	}()
	for i := 0; i < 1200; i++ {
		s, err := New(Dealer)
		if err != nil {
			t.Fatalf("socket %d: %v", i, err)
		}
		socks = append(socks, s)
	}
}

func TestWaitingHoldsNoThread(t *testing.T) {
	const n = 300
	threads := pprof.Lookup("threadcreate")
	before := threads.Count()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	ready := make(chan struct{}, n)
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		s := must(NewPull(fmt.Sprintf("inproc://idle-%d", i)))(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.Close()
			if err := s.ensurePoll(); err != nil {
				errs <- err
			}
			ready <- struct{}{}
			if _, err := s.RecvMsgContext(ctx); !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("recv: %v", err)
			}
		}()
	}
	for i := 0; i < n; i++ {
		<-ready
	}
	grown := threads.Count() - before
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if grown > 50 {
		t.Fatalf("%d goroutines waiting on sockets created %d OS threads", n, grown)
	}
}

func TestPicturesOverSocket(t *testing.T) {
	pull, push := bindPair(t, Pull, Push, "inproc://pictures")
	if err := push.SendPicture("is8bz", -42, "hello", uint64(1<<40), []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	var (
		i  int
		s  string
		u  uint64
		bs []byte
	)
	if err := pull.RecvPicture("is8bz", &i, &s, &u, &bs); err != nil {
		t.Fatal(err)
	}
	if i != -42 || s != "hello" || u != 1<<40 || !bytes.Equal(bs, []byte{1, 2}) {
		t.Fatalf("got %d %q %d %v", i, s, u, bs)
	}
	if err := push.BSend("2s", uint16(513), "hey"); err != nil {
		t.Fatal(err)
	}
	var (
		n2 uint16
		s2 string
	)
	if err := pull.BRecv("2s", &n2, &s2); err != nil || n2 != 513 || s2 != "hey" {
		t.Fatalf("brecv %d %q %v", n2, s2, err)
	}
	if err := push.Signal(3); err != nil {
		t.Fatal(err)
	}
	if err := pull.RecvPicture("s", &s); !errors.Is(err, ErrSignal) {
		t.Fatalf("signal as picture: %v", err)
	}
	if err := push.SendString("notanumber", 0); err != nil {
		t.Fatal(err)
	}
	if err := pull.RecvPicture("i", &i); !errors.Is(err, zmsg.ErrMismatch) {
		t.Fatalf("mismatch: %v", err)
	}
	if err := push.SendPicture("?", 1); !errors.Is(err, zmsg.ErrPicture) {
		t.Fatalf("bad picture: %v", err)
	}
}

func TestProperties(t *testing.T) {
	pull := must(NewPull("tcp://127.0.0.1:*", WithProperties(zframe.PropPeerAddress, zframe.PropSocketType)))(t)
	closeT(t, pull)
	push := must(NewPush(pull.Endpoint()))(t)
	closeT(t, push)
	if err := push.SendStrings("a", "b"); err != nil {
		t.Fatal(err)
	}
	m := must(pull.RecvMsgContext(testCtx(t)))(t)
	for _, f := range m.Frames() {
		if v, ok := f.Meta(zframe.PropPeerAddress); !ok || v != "127.0.0.1" {
			t.Fatalf("Peer-Address %q %v", v, ok)
		}
		if v, _ := f.Meta(zframe.PropSocketType); v != "PUSH" {
			t.Fatalf("Socket-Type %q", v)
		}
	}
	if got := pull.Properties(); len(got) != 2 {
		t.Fatalf("properties %v", got)
	}
}

// A ROUTER's routing-id frame carries no properties of its own; every
// frame of the message still gets the connection's properties.
func TestPropertiesOnRouter(t *testing.T) {
	router := must(NewRouter("tcp://127.0.0.1:*", WithProperties(zframe.PropSocketType)))(t)
	closeT(t, router)
	dealer := must(NewDealer(router.Endpoint()))(t)
	closeT(t, dealer)
	if err := dealer.SendStrings("x", "y"); err != nil {
		t.Fatal(err)
	}
	m := must(router.RecvMsgContext(testCtx(t)))(t)
	if m.Len() != 3 {
		t.Fatalf("%d frames", m.Len())
	}
	for i, f := range m.Frames() {
		if v, _ := f.Meta(zframe.PropSocketType); v != "DEALER" {
			t.Fatalf("frame %d: Socket-Type %q", i, v)
		}
		if f.More() != (i < 2) {
			t.Fatalf("frame %d: more %v", i, f.More())
		}
	}
}

func TestOptionsRoundTrip(t *testing.T) {
	s := must(New(Dealer,
		WithSndHWM(10), WithRcvHWM(20), WithLinger(time.Second), WithIdentity("me"),
		WithReconnectIvl(250*time.Millisecond), WithReconnectIvlMax(2*time.Second),
		WithImmediate(true), WithIPv6(true), WithMaxMsgSize(4096),
		WithTCPKeepalive(30*time.Second, 5*time.Second, 3), WithZapDomain("global"),
		WithHeartbeat(time.Second, 3*time.Second, 2*time.Second),
		WithSendTimeout(time.Second), WithRecvTimeout(2*time.Second)))(t)
	closeT(t, s)
	check := func(name string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("sndhwm", must(s.SndHWM())(t), 10)
	check("rcvhwm", must(s.RcvHWM())(t), 20)
	check("linger", must(s.Linger())(t), time.Second)
	check("identity", must(s.Identity())(t), "me")
	check("reconnect", must(s.ReconnectIvl())(t), 250*time.Millisecond)
	check("reconnect max", must(s.ReconnectIvlMax())(t), 2*time.Second)
	check("immediate", must(s.Immediate())(t), true)
	check("ipv6", must(s.IPv6())(t), true)
	check("maxmsgsize", must(s.MaxMsgSize())(t), 4096)
	check("keepalive", must(s.TCPKeepalive())(t), 1)
	check("zap", must(s.ZapDomain())(t), "global")
	check("sndtimeo", s.SendTimeout(), time.Second)
	check("rcvtimeo", s.RecvTimeout(), 2*time.Second)
	check("mechanism", must(s.Mechanism())(t), "NULL")

	d := must(New(Dealer))(t)
	closeT(t, d)
	check("default linger", must(d.Linger())(t), time.Duration(0))
	check("default sndhwm", must(d.SndHWM())(t), 1000)

	if _, err := New(Dealer, WithIdentity("")); !errors.Is(err, ErrOption) {
		t.Errorf("empty identity: %v", err)
	}
	if _, err := New(Dealer, WithCurveServer("short")); !errors.Is(err, ErrOption) {
		t.Errorf("short curve key: %v", err)
	}
	if _, err := New(Pub, WithSubscribe("x")); !errors.Is(err, ErrNotSupported) {
		t.Errorf("subscribe on PUB: %v", err)
	}
}

func TestMaxMsgSizeDropsPeer(t *testing.T) {
	pull := must(NewPull("tcp://127.0.0.1:*", WithMaxMsgSize(100)))(t)
	closeT(t, pull)
	push := must(NewPush(pull.Endpoint()))(t)
	closeT(t, push)
	if err := push.Send(make([]byte, 1000), 0); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if m, err := pull.RecvMsgContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("oversized message delivered: %v %v", m, err)
	}
}

// Sending and receiving on the same socket from one goroutine at full speed
// must never leave a message unnoticed (the ZMQ_FD edge rule).
func TestSameSocketSendRecvUnderLoad(t *testing.T) {
	a := must(NewPair("@inproc://busy-pair"))(t)
	closeT(t, a)
	b := must(NewPair(">inproc://busy-pair"))(t)
	closeT(t, b)
	ctx := testCtx(t)
	const n = 20000
	errc := make(chan error, 1)
	go func() {
		for i := 0; i < n; i++ {
			m, err := b.RecvMsgContext(ctx)
			if err != nil {
				errc <- err
				return
			}
			if err := b.SendMsg(m); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	// Keep a window of 50 in flight: sends and receives interleave.
	inflight := 0
	for sent, recvd := 0, 0; recvd < n; {
		for inflight < 50 && sent < n {
			if err := a.SendString("x", 0); err != nil {
				t.Fatal(err)
			}
			sent++
			inflight++
		}
		if _, err := a.RecvFrameContext(ctx); err != nil {
			t.Fatalf("after %d replies: %v", recvd, err)
		}
		recvd++
		inflight--
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestBoundEndpoints(t *testing.T) {
	s := must(New(Pull))(t)
	closeT(t, s)
	if err := s.Attach("@tcp://127.0.0.1:*,@ipc://*,@inproc://bound-list", true); err != nil {
		t.Fatal(err)
	}
	b := s.Bound()
	if len(b) != 3 || !strings.HasPrefix(b[0], "tcp://127.0.0.1:") || strings.Contains(b[1], "*") || b[2] != "inproc://bound-list" {
		t.Fatalf("bound %q", b)
	}
	if err := s.Unbind(b[1]); err != nil {
		t.Fatal(err)
	}
	if got := s.Bound(); len(got) != 2 || got[1] != "inproc://bound-list" {
		t.Fatalf("after unbind %q", got)
	}
}

// Frames carry the descriptor of the connection they came on: the same
// for every frame of a message, different between connections, unknown
// on inproc.
func TestSourceDescriptor(t *testing.T) {
	plain := must(NewPull("tcp://127.0.0.1:*"))(t)
	closeT(t, plain)
	sender := must(NewPush(plain.Endpoint()))(t)
	closeT(t, sender)
	if err := sender.SendString("x", 0); err != nil {
		t.Fatal(err)
	}
	if f := must(plain.RecvFrameContext(testCtx(t)))(t); func() bool { _, ok := f.Source(); return ok }() {
		t.Fatal("a source without WithSourceFD")
	}
	router := must(NewRouter("tcp://127.0.0.1:*", WithSourceFD()))(t)
	closeT(t, router)
	fds := map[string]int{}
	for _, id := range []string{"a", "b"} {
		d := must(NewDealer(router.Endpoint(), WithIdentity(id)))(t)
		closeT(t, d)
		if err := d.SendStrings("x", "y"); err != nil {
			t.Fatal(err)
		}
		m := must(router.RecvMsgContext(testCtx(t)))(t)
		fd, ok := m.Frames()[0].Source()
		if !ok || fd < 0 {
			t.Fatalf("%s: source %d %v", id, fd, ok)
		}
		for i, f := range m.Frames() {
			if got, _ := f.Source(); got != fd {
				t.Fatalf("%s frame %d: source %d, frame 0 had %d", id, i, got, fd)
			}
		}
		fds[string(m.Frames()[0].Data())] = fd
	}
	if fds["a"] == fds["b"] {
		t.Fatalf("two connections share descriptor %d", fds["a"])
	}
	pull := must(NewPull("inproc://srcfd", WithSourceFD()))(t)
	closeT(t, pull)
	push := must(NewPush("inproc://srcfd"))(t)
	closeT(t, push)
	if err := push.SendString("x", 0); err != nil {
		t.Fatal(err)
	}
	f := must(pull.RecvFrameContext(testCtx(t)))(t)
	if fd, ok := f.Source(); ok {
		t.Fatalf("inproc frame has source %d", fd)
	}
}

// Properties are right for each connection when messages from several
// interleave (the previous frame's values are reused only when equal), and
// when more names are asked for than fit the single-call path.
func TestPropertiesPerConnection(t *testing.T) {
	many := []string{zframe.PropIdentity}
	for i := range 20 {
		many = append(many, fmt.Sprintf("X-Missing-%d", i))
	}
	many = append(many, zframe.PropSocketType)
	for _, names := range [][]string{{zframe.PropIdentity, zframe.PropSocketType}, many} {
		router := must(NewRouter("tcp://127.0.0.1:*", WithProperties(names...)))(t)
		closeT(t, router)
		ids := []string{"alpha", "beta", "gamma"}
		var dealers []*Socket
		for _, id := range ids {
			d := must(NewDealer(router.Endpoint(), WithIdentity(id)))(t)
			closeT(t, d)
			dealers = append(dealers, d)
		}
		big := strings.Repeat("z", 70000)
		for round := range 4 {
			for _, d := range dealers {
				body := "x"
				if round == 2 {
					body = big
				}
				if err := d.SendString(body, 0); err != nil {
					t.Fatal(err)
				}
			}
		}
		for range 4 * len(ids) {
			m := must(router.RecvMsgContext(testCtx(t)))(t)
			id := string(m.Frames()[0].Data())
			for i, f := range m.Frames() {
				if v, _ := f.Meta(zframe.PropRoutingID); v != id {
					t.Fatalf("%d names: frame %d from %q has Routing-Id %q", len(names), i, id, v)
				}
				if v, _ := f.Meta(zframe.PropSocketType); v != "DEALER" {
					t.Fatalf("%d names: frame %d from %q has Socket-Type %q", len(names), i, id, v)
				}
			}
		}
	}
}
