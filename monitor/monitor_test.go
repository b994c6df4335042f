package monitor

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/zkit-go/zkit/auth"
	"github.com/zkit-go/zkit/cert"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newZctx(t *testing.T, opts ...zsock.ContextOption) *zsock.Context {
	c, err := zsock.NewContext(opts...)
	check(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// waitFor reads events until one of kind k arrives.
func waitFor(t *testing.T, ctx context.Context, ch <-chan Event, k Kind) Event {
	t.Helper()
	for {
		select {
		case ev := <-ch:
			if ev.Kind == k {
				return ev
			}
		case <-ctx.Done():
			t.Fatalf("no %v event: %v", k, ctx.Err())
		}
	}
}

func TestServerAndClientEvents(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	server, err := zsock.New(zsock.Router, zsock.WithContext(zctx))
	check(t, err)
	defer server.Close()
	sch := make(chan Event, 64)
	sm, err := New(ctx, server, WithEvents(sch))
	check(t, err)
	port, err := server.Bind("tcp://127.0.0.1:*")
	check(t, err)
	ev := waitFor(t, ctx, sch, Listening)
	if ev.Endpoint != fmt.Sprintf("tcp://127.0.0.1:%d", port) {
		t.Fatalf("LISTENING on %q", ev.Endpoint)
	}

	client, err := zsock.New(zsock.Dealer, zsock.WithContext(zctx))
	check(t, err)
	cch := make(chan Event, 64)
	cm, err := New(ctx, client, WithEvents(cch))
	check(t, err)
	check(t, client.Connect(server.Endpoint()))
	waitFor(t, ctx, cch, Connected)
	waitFor(t, ctx, cch, HandshakeSucceeded)
	waitFor(t, ctx, sch, Accepted)
	waitFor(t, ctx, sch, HandshakeSucceeded)

	// The client goes away: the server sees the connection end.
	check(t, cm.Close())
	check(t, client.Close())
	ev = waitFor(t, ctx, sch, Disconnected)
	if ev.Endpoint == "" {
		t.Fatal("DISCONNECTED without endpoint")
	}
	check(t, sm.Close())
	if sm.Delivered() < 4 || sm.Dropped() != 0 {
		t.Fatalf("delivered %d dropped %d", sm.Delivered(), sm.Dropped())
	}
}

func TestReconnectRetried(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	client, err := zsock.New(zsock.Dealer, zsock.WithContext(zctx), zsock.WithReconnectIvl(20*time.Millisecond))
	check(t, err)
	defer client.Close()
	ch := make(chan Event, 64)
	m, err := New(ctx, client, WithEvents(ch), WithKinds(ConnectDelayed|ConnectRetried))
	check(t, err)
	defer m.Close()
	// Nothing listens on this port: libzmq keeps retrying.
	port, err := freeTCPPort()
	check(t, err)
	check(t, client.Connect(fmt.Sprintf("tcp://127.0.0.1:%d", port)))
	ev := waitFor(t, ctx, ch, ConnectRetried)
	if d, ok := ev.Interval(); !ok || d <= 0 {
		t.Fatalf("retry interval %v %v", d, ok)
	}
	// The filter let nothing else through.
	for len(ch) > 0 {
		if ev := <-ch; ev.Kind&(ConnectDelayed|ConnectRetried) == 0 {
			t.Fatalf("filtered kind delivered: %v", ev)
		}
	}
}

func TestPipeCommandsLikeZmonitor(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	server, err := zsock.New(zsock.Pull, zsock.WithContext(zctx))
	check(t, err)
	defer server.Close()
	m, err := New(ctx, server)
	check(t, err)
	defer m.Close()
	check(t, m.SendStrings("LISTEN", "LISTENING", "accepted"))
	check(t, m.SendStrings("VERBOSE"))
	check(t, m.SendStrings("START"))
	if _, err := m.WaitSignal(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = server.Bind("tcp://127.0.0.1:*")
	check(t, err)
	parts, err := m.RecvStrings()
	check(t, err)
	if len(parts) != 3 || parts[0] != "LISTENING" || parts[2] != server.Endpoint() {
		t.Fatalf("pipe delivered %q", parts)
	}
}

// A CURVE client refused by the authenticator shows up on the server's
// monitor as HANDSHAKE_FAILED_AUTH with the ZAP status.
func TestHandshakeFailedAuth(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	a, err := auth.New(ctx, zctx)
	check(t, err)
	defer a.Close()
	check(t, a.CurveStore(ctx, cert.NewMemStore())) // knows nobody
	sc, err := cert.New()
	check(t, err)
	cc, err := cert.New()
	check(t, err)
	server, err := zsock.New(zsock.Pull, zsock.WithContext(zctx), zsock.WithCurveServer(sc.SecretText()))
	check(t, err)
	defer server.Close()
	ch := make(chan Event, 64)
	m, err := New(ctx, server, WithEvents(ch))
	check(t, err)
	defer m.Close()
	_, err = server.Bind("tcp://127.0.0.1:*")
	check(t, err)
	client, err := zsock.NewPush(">"+server.Endpoint(), zsock.WithContext(zctx),
		zsock.WithCurveClient(cc.PublicText(), cc.SecretText(), sc.PublicText()))
	check(t, err)
	defer client.Close()
	ev := waitFor(t, ctx, ch, HandshakeFailedAuth)
	if ev.Value != 400 {
		t.Fatalf("status %d", ev.Value)
	}
}

// Starting and stopping monitors many times leaves no socket behind:
// zmq_ctx_term, which waits for every libzmq socket including the
// monitor sockets libzmq creates itself, returns once the monitored
// socket is closed.
func TestStartStopDoesNotLeak(t *testing.T) {
	ctx := testCtx(t)
	zctx, err := zsock.NewContext()
	check(t, err)
	s, err := zsock.New(zsock.Router, zsock.WithContext(zctx))
	check(t, err)
	for i := range 100 {
		m, err := New(ctx, s, WithEvents(make(chan Event, 1)))
		if err != nil {
			t.Fatalf("monitor %d: %v", i, err)
		}
		check(t, m.Close())
	}
	check(t, s.Close())
	done := make(chan error, 1)
	go func() { done <- zctx.Close() }()
	select {
	case err := <-done:
		check(t, err)
	case <-ctx.Done():
		t.Fatal("zmq_ctx_term did not return: a socket was left open")
	}
}

func TestParseEvent(t *testing.T) {
	head := make([]byte, 6)
	binary.LittleEndian.PutUint16(head, uint16(ConnectRetried))
	binary.LittleEndian.PutUint32(head[2:], 250)
	ev, err := ParseEvent(zmsg.FromBytes(head, []byte("tcp://10.0.0.1:5")))
	check(t, err)
	if ev.Kind != ConnectRetried || ev.Value != 250 || ev.Endpoint != "tcp://10.0.0.1:5" {
		t.Fatalf("%+v", ev)
	}
	if d, _ := ev.Interval(); d != 250*time.Millisecond {
		t.Fatalf("interval %v", d)
	}
	if got := ev.String(); got != "CONNECT_RETRIED tcp://10.0.0.1:5 interval=250ms" {
		t.Fatalf("String %q", got)
	}
	bad := [][][]byte{
		nil,
		{head},
		{head[:5], []byte("x")},
		{{0, 0, 0, 0, 0, 0}, []byte("x")},
		{{3, 0, 0, 0, 0, 0}, []byte("x")}, // two bits
		{head, []byte("x"), []byte("y")},
	}
	for _, frames := range bad {
		var m *zmsg.Msg
		if frames != nil {
			m = zmsg.FromBytes(frames...)
		}
		if _, err := ParseEvent(m); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: %v", frames, err)
		}
	}
}

func TestKindNames(t *testing.T) {
	for _, kn := range kindNames {
		k, err := ParseKind("zmq_event_" + kn.name)
		if err != nil || k != kn.k || k.String() != kn.name {
			t.Errorf("%s: %v %v %q", kn.name, k, err, k.String())
		}
	}
	if k, _ := ParseKind("all"); k != All {
		t.Fatal("ALL")
	}
	if _, err := ParseKind("SNEEZED"); !errors.Is(err, ErrUnknownEvent) {
		t.Fatal(err)
	}
	if s := (Connected | Closed).String(); s != "CONNECTED|CLOSED" {
		t.Fatalf("mask %q", s)
	}
	if _, err := New(context.Background(), nil); !errors.Is(err, ErrOption) {
		t.Fatal(err)
	}
	if WithKinds(0)(&options{}) == nil || WithEvents(nil)(&options{}) == nil || WithLogger(nil)(&options{}) == nil {
		t.Fatal("invalid options accepted")
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte{1, 0, 7, 0, 0, 0}, "tcp://127.0.0.1:1")
	f.Add([]byte{0, 0x40, 0x90, 1, 0, 0}, "")
	f.Add([]byte{}, "x")
	f.Fuzz(func(t *testing.T, head []byte, ep string) {
		ev, err := ParseEvent(zmsg.FromBytes(head, []byte(ep)))
		if err != nil {
			return
		}
		if ev.Kind&(ev.Kind-1) != 0 || ev.Kind == 0 || ev.Endpoint != ep {
			t.Fatalf("accepted %+v", ev)
		}
		_ = ev.String()
	})
}

// The monitor outlives the context it was started with: libzmq blocks on
// events nobody reads, so a monitor that stopped with ctx would hang the
// socket's next connection and Close.
func TestOutlivesStartContext(t *testing.T) {
	zctx := newZctx(t)
	router, err := zsock.NewRouter("tcp://127.0.0.1:*", zsock.WithContext(zctx))
	check(t, err)
	defer router.Close()
	start, cancel := context.WithCancel(context.Background())
	events := make(chan Event, 16)
	m, err := New(start, router, WithEvents(events), WithKinds(Accepted))
	check(t, err)
	cancel()
	select {
	case <-m.Done():
		t.Fatal("the monitor ended with its start context")
	default:
	}
	d, err := zsock.NewDealer(router.Endpoint(), zsock.WithContext(zctx))
	check(t, err)
	defer d.Close()
	waitFor(t, testCtx(t), events, Accepted)
	check(t, m.Close())
}

// Closing the socket before the monitor must not leave libzmq's reaper
// blocked on the last event: the monitor reads until MONITOR_STOPPED.
// Otherwise later closes in the same context, and its termination, hang.
func TestSocketClosedBeforeMonitor(t *testing.T) {
	zctx, err := zsock.NewContext()
	check(t, err)
	for i := range 60 {
		dealer, err := zsock.NewDealer("", zsock.WithContext(zctx))
		check(t, err)
		events := make(chan Event, 64)
		m, err := New(context.Background(), dealer, WithEvents(events))
		check(t, err)
		var routers []*zsock.Socket
		for range 3 {
			r, err := zsock.NewRouter("tcp://127.0.0.1:*", zsock.WithContext(zctx))
			check(t, err)
			routers = append(routers, r)
			check(t, dealer.Connect(r.Endpoint()))
		}
		if i%3 != 0 {
			// Close with the connections up, or still being made.
			for range routers[:i%3] {
				waitFor(t, testCtx(t), events, HandshakeSucceeded)
			}
		}
		check(t, dealer.Close())
		check(t, m.Close())
		for _, r := range routers {
			check(t, r.Close())
		}
	}
	done := make(chan error, 1)
	go func() { done <- zctx.Close() }()
	select {
	case err := <-done:
		check(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("context termination hangs")
	}
}
