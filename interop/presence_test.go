package interop

import (
	"context"
	"errors"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/presence"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// TestPyzmqWorkersPresence: Paranoid Pirate workers written with pyzmq,
// using only the Guide's byte values, are tracked by a zkit presence
// server: they join, their READY and replies reach the application, and
// they leave for each of the three reasons.
func TestPyzmqWorkersPresence(t *testing.T) {
	ctx := testCtx(t)
	script := pyzmqScript(t)
	const interval = 50 * time.Millisecond
	router, err := zsock.NewRouter("tcp://127.0.0.1:*")
	if err != nil {
		t.Fatal(err)
	}
	l, err := loop.New()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	events := make(chan presence.Event, 64)
	app := make(chan *zmsg.Msg, 64) // what reaches the application
	srv, err := presence.NewServer(ctx, l, router, presence.WithHeartbeat(interval, 3),
		presence.WithOnEvent(func(e presence.Event) error {
			events <- e
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.OnMessage(router, srv.Handler(func(m *zmsg.Msg) error {
		app <- m
		if heartbeat.IsReadyFrame(m.Frames()[1]) {
			// Give every worker that announces itself one request.
			return router.SendMsg(zmsg.New(m.Frames()[0], zmsg.FromStrings("ping").Frames()[0]))
		}
		return nil
	})); err != nil {
		t.Fatal(err)
	}
	lctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- l.Run(lctx) }()
	defer func() {
		stop()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("loop: %v", err)
		}
		srv.Close()
		router.Close()
	}()

	expect := func(kind presence.Kind, id string, why presence.Reason) presence.Event {
		t.Helper()
		select {
		case e := <-events:
			if e.Kind != kind || e.Peer.ID != id || e.Reason != why {
				t.Fatalf("event %v, want %v %q (%v)", e, kind, id, why)
			}
			return e
		case <-ctx.Done():
			t.Fatalf("no %v %q: %v", kind, id, ctx.Err())
		}
		return presence.Event{}
	}
	// expectApp waits for the application to see body from id.
	expectApp := func(id, body string) {
		t.Helper()
		select {
		case m := <-app:
			if m.Len() != 2 || m.Frames()[0].Text() != id || m.Frames()[1].Text() != body {
				t.Fatalf("application got %q, want [%q %q]", m.Frames(), id, body)
			}
		case <-ctx.Done():
			t.Fatalf("application did not get %q from %q: %v", body, id, ctx.Err())
		}
	}
	worker := func(id string, interval time.Duration) (*proc, io.Closer) {
		pr, pw := io.Pipe()
		p := startProc(t, ctx, pr, python, script, "worker", router.Endpoint(), id,
			strconv.Itoa(int(interval.Milliseconds())))
		t.Cleanup(func() { pw.Close() }) // runs before startProc's, which waits for the copy to stdin
		return p, pw
	}

	// alpha heartbeats, answers its request and says goodbye.
	alpha, alphaIn := worker("alpha", interval)
	if e := expect(presence.Join, "alpha", 0); e.Peer.Address != "127.0.0.1" {
		t.Fatalf("alpha joined from %q", e.Peer.Address)
	}
	expectApp("alpha", "\x01") // READY is the application's
	expectApp("alpha", "pong")
	// beta is killed: its connection closes.
	beta, _ := worker("beta", interval)
	expect(presence.Join, "beta", 0)
	expectApp("beta", "\x01")
	expectApp("beta", "pong")
	if err := beta.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	expect(presence.Leave, "beta", presence.ConnectionLost)
	// gamma never heartbeats: it expires although connected.
	_, gammaIn := worker("gamma", 0)
	expect(presence.Join, "gamma", 0)
	expectApp("gamma", "\x01")
	expectApp("gamma", "pong")
	expect(presence.Leave, "gamma", presence.HeartbeatExpired)
	if got := srv.Peers(); len(got) != 1 || got[0].ID != "alpha" {
		t.Fatalf("Peers() = %+v, want alpha alone", got)
	}
	alphaIn.Close()
	expect(presence.Leave, "alpha", presence.SaidGoodbye)
	if _, code := alpha.wait(); code != 0 {
		t.Fatalf("alpha exited with %d", code)
	}
	gammaIn.Close()
	if st := srv.Stats(); st.Joins != 3 || st.Goodbyes != 1 || st.Disconnected != 1 || st.Expired != 1 || st.Heartbeats == 0 {
		t.Fatalf("stats %+v", st)
	}
}
