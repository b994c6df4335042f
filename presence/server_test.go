package presence_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zkit-go/zkit/auth"
	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/presence"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// A client joins, is answered, and leaves with GOODBYE on a clean close.
func TestJoinAndGoodbye(t *testing.T) {
	srv := startServer(t, must(zsock.NewRouter("tcp://127.0.0.1:*"))(t), presence.WithHeartbeat(time.Hour, 1))
	ep := srv.sock.Endpoint()
	cl := startClient(t, ep, nil, zsock.WithIdentity("alice"))

	up := next(t, cl.events, "CONNECTED")
	if up.Kind != presence.Connected || up.Endpoint != ep {
		t.Fatalf("client event %v, want CONNECTED %s", up, ep)
	}
	join := expectEvent(t, srv.events, presence.Join, "alice", 0)
	if join.Peer.Address != "127.0.0.1" || join.Peer.UserID != "" || join.Peer.Joined.IsZero() {
		t.Fatalf("join %+v", join.Peer)
	}
	peers := srv.p.Peers()
	if len(peers) != 1 || peers[0].ID != "alice" || srv.p.Len() != 1 {
		t.Fatalf("Peers() = %+v, Len() = %d", peers, srv.p.Len())
	}
	if _, ok := srv.p.Peer("alice"); !ok {
		t.Fatal("Peer(alice) not found")
	}
	if !cl.c.Connected(ep) || !cl.c.Endpoints()[ep] {
		t.Fatalf("client endpoints %v", cl.c.Endpoints())
	}

	if err := cl.c.Goodbye(); err != nil { // an early goodbye is a leave too
		t.Fatal(err)
	}
	expectEvent(t, srv.events, presence.Leave, "alice", presence.SaidGoodbye)
	if srv.p.Len() != 0 {
		t.Fatalf("Len() = %d after goodbye", srv.p.Len())
	}
	// The next message joins again; the echo proves the request reached
	// the application.
	cl.send(t, "hello")
	expectEvent(t, srv.events, presence.Join, "alice", 0)
	if got := cl.reply(t); got != "hello" {
		t.Fatalf("reply %q", got)
	}
	cl.close(true)
	leave := expectEvent(t, srv.events, presence.Leave, "alice", presence.SaidGoodbye)
	if leave.Peer.LastSeen.Before(leave.Peer.Joined) {
		t.Fatalf("leave %+v: last seen before joined", leave.Peer)
	}
	st := srv.p.Stats()
	if st.Joins != 2 || st.Goodbyes != 2 || st.Expired != 0 || st.Disconnected != 0 {
		t.Fatalf("stats %+v", st)
	}
	if srv.p.Len() != 0 || len(srv.p.Peers()) != 0 {
		t.Fatalf("table not empty: %+v", srv.p.Peers())
	}
}

// send makes the client's loop send a request; the loop owns the socket.
func (c *client) send(t *testing.T, s string) {
	t.Helper()
	done := make(chan error, 1)
	if err := c.post(func() { done <- c.sock.SendString(s, 0) }); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func (c *client) reply(t *testing.T) string {
	t.Helper()
	select {
	case m := <-c.replies:
		return m.Frames()[m.Len()-1].Text()
	case <-time.After(20 * time.Second):
		t.Fatal("no reply")
	}
	return ""
}

// A client whose socket closes without GOODBYE leaves as disconnected at
// once, long before its heartbeat could expire.
func TestLeaveOnDisconnect(t *testing.T) {
	srv := startServer(t, must(zsock.NewRouter("tcp://127.0.0.1:*"))(t), presence.WithHeartbeat(time.Hour, 1))
	for i := range 5 {
		id := fmt.Sprintf("c%d", i)
		cl := startClient(t, srv.sock.Endpoint(), nil, zsock.WithIdentity(id))
		expectEvent(t, srv.events, presence.Join, id, 0)
		cl.close(false)
		expectEvent(t, srv.events, presence.Leave, id, presence.ConnectionLost)
	}
	if st := srv.p.Stats(); st.Disconnected != 5 || st.Probes < 5 {
		t.Fatalf("stats %+v", st)
	}
}

// A peer that stays connected but goes silent expires; one that keeps
// talking stays.
func TestLeaveOnExpiry(t *testing.T) {
	srv := startServer(t, must(zsock.NewRouter("tcp://127.0.0.1:*"))(t), presence.WithHeartbeat(50*time.Millisecond, 3))
	silent := must(zsock.NewDealer(srv.sock.Endpoint(), zsock.WithIdentity("silent")))(t)
	defer silent.Close()
	if err := silent.SendString("hello", 0); err != nil {
		t.Fatal(err)
	}
	alive := startClient(t, srv.sock.Endpoint(), []presence.Option{presence.WithHeartbeat(50*time.Millisecond, 3)}, zsock.WithIdentity("alive"))
	_ = alive
	var joined []string
	for len(joined) < 2 {
		e := next(t, srv.events, "joins")
		if e.Kind != presence.Join {
			t.Fatalf("event %v before both joined", e)
		}
		joined = append(joined, e.Peer.ID)
	}
	e := expectEvent(t, srv.events, presence.Leave, "silent", presence.HeartbeatExpired)
	if silence := e.Time.Sub(e.Peer.LastSeen); silence < 150*time.Millisecond {
		t.Fatalf("expired after %v of silence, before interval*liveness", silence)
	}
	if _, ok := srv.p.Peer("alive"); !ok {
		t.Fatal("the heartbeating client expired too")
	}
	// The silent peer comes back by talking again.
	if err := silent.SendString("again", 0); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, srv.events, presence.Join, "silent", 0)
}

// The security identity from ZAP is part of the peer.
func TestUserID(t *testing.T) {
	zctx := must(zsock.NewContext())(t)
	defer zctx.Close()
	ctx := testCtx(t)
	a := must(auth.New(ctx, zctx))(t)
	defer a.Close()
	if err := a.PlainUsers(ctx, map[string]string{"admin": "secret"}); err != nil {
		t.Fatal(err)
	}
	router := must(zsock.NewRouter("tcp://127.0.0.1:*", zsock.WithContext(zctx), zsock.WithPlainServer(), zsock.WithZapDomain("global")))(t)
	srv := startServer(t, router, presence.WithHeartbeat(time.Hour, 1))
	defer srv.close()
	cl := startClient(t, router.Endpoint(), nil, zsock.WithContext(zctx), zsock.WithPlainClient("admin", "secret"))
	defer cl.close(true)
	e := expectEvent(t, srv.events, presence.Join, "", 0)
	if e.Peer.UserID != "admin" || e.Peer.Address != "127.0.0.1" {
		t.Fatalf("peer %+v, want user admin from 127.0.0.1", e.Peer)
	}
	if !strings.Contains(e.String(), "user=admin") {
		t.Fatalf("String() = %q", e.String())
	}
}

// On PUB and XPUB, connections are the peers: they join when accepted
// and leave when closed.
func TestPubConnections(t *testing.T) {
	for _, typ := range []zsock.Type{zsock.Pub, zsock.XPub} {
		t.Run(typ.String(), func(t *testing.T) {
			pub := must(zsock.New(typ))(t)
			if _, err := pub.Bind("tcp://127.0.0.1:*"); err != nil {
				t.Fatal(err)
			}
			srv := startServer(t, pub)
			subs := make([]*zsock.Socket, 3)
			ids := map[string]bool{}
			for i := range subs {
				subs[i] = must(zsock.NewSub(pub.Endpoint(), zsock.WithSubscribe("")))(t)
				e := expectEvent(t, srv.events, presence.Join, "", 0)
				if !strings.HasPrefix(e.Peer.ID, "127.0.0.1:") || e.Peer.Address != "127.0.0.1" || ids[e.Peer.ID] {
					t.Fatalf("join %+v", e.Peer)
				}
				ids[e.Peer.ID] = true
			}
			if got := srv.p.Peers(); len(got) != len(subs) {
				t.Fatalf("Peers() = %+v", got)
			}
			for _, sub := range subs {
				if err := sub.Close(); err != nil {
					t.Fatal(err)
				}
				e := expectEvent(t, srv.events, presence.Leave, "", presence.ConnectionLost)
				if !ids[e.Peer.ID] {
					t.Fatalf("leave of unknown %q", e.Peer.ID)
				}
				delete(ids, e.Peer.ID)
			}
			if srv.p.Len() != 0 {
				t.Fatalf("Len() = %d", srv.p.Len())
			}
		})
	}
}

// A client sees its server go and come back on the same endpoint.
func TestClientReconnect(t *testing.T) {
	port := freePort(t)
	ep := fmt.Sprintf("tcp://127.0.0.1:%d", port)
	srv := startServer(t, must(zsock.NewRouter(ep))(t), presence.WithHeartbeat(time.Hour, 1))
	cl := startClient(t, ep, []presence.Option{presence.WithHeartbeat(20*time.Millisecond, 3)},
		zsock.WithIdentity("bob"), zsock.WithReconnectIvl(20*time.Millisecond))
	if e := next(t, cl.events, "CONNECTED"); e.Kind != presence.Connected {
		t.Fatalf("client event %v", e)
	}
	expectEvent(t, srv.events, presence.Join, "bob", 0)
	srv.close()
	if e := next(t, cl.events, "DISCONNECTED"); e.Kind != presence.Disconnected || e.Endpoint != ep {
		t.Fatalf("client event %v, want DISCONNECTED %s", e, ep)
	}
	if cl.c.Connected(ep) {
		t.Fatal("Connected after DISCONNECTED")
	}
	srv2 := startServer(t, must(zsock.NewRouter(ep))(t), presence.WithHeartbeat(time.Hour, 1))
	if e := next(t, cl.events, "CONNECTED again"); e.Kind != presence.Connected {
		t.Fatalf("client event %v", e)
	}
	// The heartbeat sent on connecting makes the client join at once.
	expectEvent(t, srv2.events, presence.Join, "bob", 0)
}

// An error from the event callback stops the server's loop with it.
func TestCallbackErrorStopsLoop(t *testing.T) {
	boom := errors.New("boom")
	router := must(zsock.NewRouter("tcp://127.0.0.1:*"))(t)
	defer router.Close()
	l := must(loop.New())(t)
	p := must(presence.NewServer(t.Context(), l, router, presence.WithOnEvent(func(e presence.Event) error {
		return boom
	})))(t)
	defer p.Close()
	must(l.OnMessage(router, p.Handler(func(*zmsg.Msg) error { return nil })))(t)
	d := must(zsock.NewDealer(router.Endpoint()))(t)
	defer d.Close()
	if err := d.SendString("hi", 0); err != nil {
		t.Fatal(err)
	}
	if err := l.Run(testCtx(t)); !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want boom", err)
	}
}

func TestOptionsAndStrings(t *testing.T) {
	l := must(loop.New())(t)
	router := must(zsock.NewRouter(""))(t)
	defer router.Close()
	bad := []presence.Option{
		presence.WithHeartbeat(0, 3),
		presence.WithHeartbeat(time.Second, 0),
		presence.WithOnEvent(nil),
		presence.WithLogger(nil),
		presence.WithMonitorQueue(0),
	}
	for i, o := range bad {
		if _, err := presence.NewServer(t.Context(), l, router, o); !errors.Is(err, presence.ErrInvalid) {
			t.Errorf("bad option %d: %v", i, err)
		}
		if _, err := presence.NewClient(t.Context(), l, router, o); !errors.Is(err, presence.ErrInvalid) {
			t.Errorf("bad client option %d: %v", i, err)
		}
	}
	if _, err := presence.NewServer(t.Context(), nil, router); !errors.Is(err, presence.ErrInvalid) {
		t.Errorf("nil loop: %v", err)
	}
	cases := map[string]string{
		presence.Event{Kind: presence.Join, Peer: presence.Peer{ID: "w1", Address: "10.0.0.7"}}.String():                                        `JOIN "w1" 10.0.0.7`,
		presence.Event{Kind: presence.Leave, Peer: presence.Peer{ID: "w1"}, Reason: presence.HeartbeatExpired}.String():                         `LEAVE "w1" (heartbeat expired)`,
		presence.Event{Kind: presence.Leave, Peer: presence.Peer{ID: "\x00\x01"}, Reason: presence.ConnectionLost}.String():                     `LEAVE "\x00\x01" (disconnected)`,
		presence.Event{Kind: presence.Disconnected, Endpoint: "tcp://h:1"}.String():                                                             "DISCONNECTED tcp://h:1",
		presence.Kind(9).String() + " " + presence.Reason(9).String() + " " + presence.SaidGoodbye.String() + " " + presence.Connected.String(): "Kind(9) Reason(9) said goodbye CONNECTED",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

// The server's disconnect probe reaches live peers as a lone HEARTBEAT,
// which Client.Observe keeps from the application.
func TestClientObserve(t *testing.T) {
	srv := startServer(t, must(zsock.NewRouter("tcp://127.0.0.1:*"))(t))
	c := startClient(t, srv.sock.Endpoint(), nil).c
	if !c.Observe(zmsg.New(heartbeat.Heartbeat.Frame())) {
		t.Fatal("a lone HEARTBEAT is not presence traffic")
	}
	for _, m := range []*zmsg.Msg{zmsg.FromStrings("\x02", "x"), zmsg.FromStrings("hello"), zmsg.New(heartbeat.Goodbye.Frame())} {
		if c.Observe(m) {
			t.Fatalf("%q taken as presence traffic", m.String())
		}
	}
}

// A client that says GOODBYE and closes at once leaves as having said
// goodbye, although its connection also closes: the server reads what
// is waiting before it believes the probe.
func TestGoodbyeThenClose(t *testing.T) {
	srv := startServer(t, must(zsock.NewRouter("tcp://127.0.0.1:*"))(t), presence.WithHeartbeat(time.Hour, 1))
	for i := range 20 {
		id := fmt.Sprintf("g%d", i)
		cl := startClient(t, srv.sock.Endpoint(), nil, zsock.WithIdentity(id))
		expectEvent(t, srv.events, presence.Join, id, 0)
		cl.close(true)
		expectEvent(t, srv.events, presence.Leave, id, presence.SaidGoodbye)
	}
}

// A client restarted at once under the same routing id, before the server
// has dropped its old connection, is heard: with handover (the default)
// it takes the id over. ZeroMQ may lose a request sent across such a
// reconnect, so the client retries as the Guide's Lazy Pirate does; without
// handover no retry helps, as libzmq never attaches the new connection.
func TestRestartSameIdentity(t *testing.T) {
	srv := startServer(t, must(zsock.NewRouter("tcp://127.0.0.1:*"))(t), presence.WithHeartbeat(time.Hour, 1))
	present := false
	for i := range 30 {
		cl := startClient(t, srv.sock.Endpoint(), nil, zsock.WithIdentity("phoenix"))
		want := fmt.Sprint("request ", i)
		answered := false
		for try := 0; try < 5 && !answered; try++ {
			cl.send(t, want)
			select {
			case m := <-cl.replies:
				if got := m.Frames()[m.Len()-1].Text(); got != want {
					t.Fatalf("round %d: reply %q", i, got)
				}
				answered = true
			case <-time.After(2 * time.Second): // a lost request: retry
			}
		}
		if !answered {
			select {
			case err := <-srv.run.done:
				t.Logf("server loop ended: %v", err)
			default:
			}
			t.Logf("stats %+v peers %+v endpoints %v events %d requests %d senderrs %d replies queued %d", srv.p.Stats(), srv.p.Peers(), cl.c.Endpoints(), len(srv.events), srv.requests.Load(), srv.sendErrs.Load(), len(cl.replies))
			t.Fatalf("round %d: no reply to 5 tries", i)
		}
		// The events so far alternate, starting with a join.
		for drained := false; !drained; {
			select {
			case e := <-srv.events:
				if (e.Kind == presence.Join) == present {
					t.Fatalf("round %d: %v while present=%v", i, e, present)
				}
				present = e.Kind == presence.Join
			default:
				drained = true
			}
		}
		if !present {
			// Its request was answered, so its join must follow.
			expectEvent(t, srv.events, presence.Join, "phoenix", 0)
			present = true
		}
		cl.close(false) // gone without a word; the next one comes at once
	}
}

// With the probe off, a closed connection is left to heartbeat expiry.
func TestProbeOff(t *testing.T) {
	srv := startServer(t, must(zsock.NewRouter("tcp://127.0.0.1:*"))(t),
		presence.WithHeartbeat(50*time.Millisecond, 3), presence.WithProbe(false))
	cl := startClient(t, srv.sock.Endpoint(), nil, zsock.WithIdentity("quiet"))
	expectEvent(t, srv.events, presence.Join, "quiet", 0)
	cl.close(false)
	expectEvent(t, srv.events, presence.Leave, "quiet", presence.HeartbeatExpired)
	if st := srv.p.Stats(); st.Probes != 0 {
		t.Fatalf("stats %+v: probes sent with the probe off", st)
	}
}
