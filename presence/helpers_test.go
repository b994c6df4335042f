package presence_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/presence"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// runner runs a loop on its own goroutine until stop.
type runner struct {
	cancel context.CancelFunc
	done   chan error
	err    error
	ended  bool
}

func runLoop(l *loop.Loop) *runner {
	ctx, cancel := context.WithCancel(context.Background())
	r := &runner{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- l.Run(ctx) }()
	return r
}

// stop ends the loop and returns Run's error, other than the
// cancellation that stop itself caused. After stop, the caller's
// goroutine owns the loop's sockets again.
func (r *runner) stop() error {
	if !r.ended {
		r.cancel()
		r.err = <-r.done
		r.ended = true
		if errors.Is(r.err, context.Canceled) {
			r.err = nil
		}
	}
	return r.err
}

// server is a ROUTER echo server with presence, run by its own loop.
type server struct {
	t      *testing.T
	sock   *zsock.Socket
	p      *presence.Server
	events chan presence.Event
	run    *runner

	requests, sendErrs atomic.Int64 // debugging counters
}

func startServer(t *testing.T, sock *zsock.Socket, opts ...presence.Option) *server {
	t.Helper()
	l := must(loop.New())(t)
	s := &server{t: t, sock: sock, events: make(chan presence.Event, 100000)}
	opts = append(opts, presence.WithOnEvent(func(e presence.Event) error {
		s.events <- e
		return nil
	}))
	s.p = must(presence.NewServer(t.Context(), l, sock, opts...))(t)
	if sock.Type() == zsock.Router {
		must(l.OnMessage(sock, s.p.Handler(func(m *zmsg.Msg) error {
			s.requests.Add(1)
			err := sock.SendMsg(m)
			if err != nil {
				s.sendErrs.Add(1)
			}
			return err
		})))(t)
	}
	s.run = runLoop(l)
	t.Cleanup(func() { s.close() })
	return s
}

func (s *server) close() {
	if s.run == nil {
		return
	}
	if err := s.run.stop(); err != nil {
		s.t.Errorf("server loop: %v", err)
	}
	if err := s.p.Close(); err != nil {
		s.t.Errorf("presence close: %v", err)
	}
	if err := s.sock.Close(); err != nil {
		s.t.Errorf("socket close: %v", err)
	}
	s.run = nil
}

// next waits for the next event.
func next(t *testing.T, ch <-chan presence.Event, what string) presence.Event {
	t.Helper()
	select {
	case e := <-ch:
		return e
	case <-time.After(20 * time.Second):
		t.Fatalf("no event while waiting for %s", what)
	}
	panic("unreachable")
}

// expectEvent waits for the next event and checks it.
func expectEvent(t *testing.T, ch <-chan presence.Event, kind presence.Kind, id string, why presence.Reason) presence.Event {
	t.Helper()
	e := next(t, ch, fmt.Sprintf("%v %q", kind, id))
	if e.Kind != kind || (id != "" && e.Peer.ID != id) || e.Reason != why {
		t.Fatalf("event %v (reason %d), want %v %q %v", e, e.Reason, kind, id, why)
	}
	return e
}

// client is a DEALER with presence, run by its own loop.
type client struct {
	t       *testing.T
	sock    *zsock.Socket
	c       *presence.Client
	events  chan presence.Event
	replies chan *zmsg.Msg
	l       *loop.Loop
	run     *runner
}

// post runs fn on the client's loop goroutine.
func (c *client) post(fn func()) error { return c.l.Post(fn) }

func startClient(t *testing.T, endpoint string, opts []presence.Option, sockOpts ...zsock.Option) *client {
	t.Helper()
	sockOpts = append([]zsock.Option{zsock.WithLinger(time.Second)}, sockOpts...)
	sock := must(zsock.NewDealer("", sockOpts...))(t)
	l := must(loop.New())(t)
	c := &client{t: t, sock: sock, l: l, events: make(chan presence.Event, 1000), replies: make(chan *zmsg.Msg, 1000)}
	opts = append(opts, presence.WithOnEvent(func(e presence.Event) error {
		c.events <- e
		return nil
	}))
	c.c = must(presence.NewClient(t.Context(), l, sock, opts...))(t)
	must(l.OnMessage(sock, c.c.Handler(func(m *zmsg.Msg) error {
		c.replies <- m
		return nil
	})))(t)
	if err := sock.Connect(endpoint); err != nil {
		t.Fatal(err)
	}
	c.run = runLoop(l)
	t.Cleanup(func() { c.close(true) })
	return c
}

// close stops the client; with goodbye it says GOODBYE first, otherwise
// the socket closes without a word.
func (c *client) close(goodbye bool) {
	if c.run == nil {
		return
	}
	if err := c.run.stop(); err != nil {
		c.t.Errorf("client loop: %v", err)
	}
	if !goodbye {
		if err := c.sock.SetLinger(0); err != nil {
			c.t.Error(err)
		}
		if err := c.sock.Close(); err != nil {
			c.t.Error(err)
		}
	}
	if err := c.c.Close(); err != nil {
		c.t.Errorf("presence client close: %v", err)
	}
	if goodbye {
		if err := c.sock.Close(); err != nil {
			c.t.Error(err)
		}
	}
	c.run = nil
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l := must(net.Listen("tcp", "127.0.0.1:0"))(t)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
