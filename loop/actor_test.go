package loop

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/zmsg"
)

// echoActor is a CZMQ-style actor built on a loop: its pipe is a reader
// like any socket.
func echoActor(ctx context.Context, pipe *actor.Pipe) error {
	l, err := New()
	if err != nil {
		return err
	}
	defer l.Close()
	if _, err := l.OnMessage(pipe, func(m *zmsg.Msg) error {
		if cmd, _ := m.First(); cmd.Text() == "$TERM" {
			return ErrStop
		}
		return pipe.SendMsg(m)
	}); err != nil {
		return err
	}
	if err := pipe.Signal(0); err != nil {
		return err
	}
	return l.Run(ctx)
}

func TestActorsInLoopNextToSockets(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l := newLoop(t)
	push, pull := pushPull(t)
	a := must(actor.New(ctx, echoActor))(t)
	defer a.Close()
	var got []string
	must(l.OnMessage(a, func(m *zmsg.Msg) error {
		s, _ := m.PopString()
		got = append(got, "actor:"+s)
		if len(got) == 4 {
			return ErrStop
		}
		return nil
	}))(t)
	must(l.Reader(pull, func() error {
		s, err := pull.RecvString()
		if err != nil {
			return err
		}
		got = append(got, "socket:"+s)
		// Forward to the actor from inside the handler.
		return a.SendString(s)
	}))(t)
	must(0, push.SendString("a", 0))(t)
	must(0, push.SendString("b", 0))(t)
	if err := l.Run(ctx); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, g := range got {
		count[g]++
	}
	if count["socket:a"] != 1 || count["socket:b"] != 1 || count["actor:a"] != 1 || count["actor:b"] != 1 {
		t.Fatalf("got %v", got)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestLoopNoticesActorEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l := newLoop(t)
	a := must(actor.New(ctx, echoActor))(t)
	var srcErr error
	r := must(l.OnMessage(a, func(*zmsg.Msg) error { return nil }, OnError(func(err error) error {
		srcErr = err
		return ErrStop
	})))(t)
	go a.Close()
	if err := l.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(srcErr, net.ErrClosed) || !r.removed {
		t.Fatalf("source error %v, removed %v", srcErr, r.removed)
	}
}

func TestPollerWithActorsAndSockets(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	push, pull := pushPull(t)
	a := must(actor.New(ctx, echoActor))(t)
	defer a.Close()
	b := must(actor.New(ctx, echoActor))(t)
	defer b.Close()
	p := must(NewPoller(a, pull, b))(t)
	defer p.Close()
	must(0, b.SendString("to b"))(t)
	must(0, push.SendString("to pull", 0))(t)
	must(0, a.SendString("to a"))(t)
	seen := map[Source]bool{}
	for len(seen) < 3 {
		ready := must(p.Wait(ctx))(t)
		// Registration order among whatever is ready.
		last := -1
		for _, s := range ready {
			i := map[Source]int{a: 0, pull: 1, b: 2}[s]
			if i <= last {
				t.Fatalf("ready out of order: %v", ready)
			}
			last = i
			seen[s] = true
		}
		for _, s := range ready {
			switch s := s.(type) {
			case *actor.Actor:
				must(s.RecvMsg())(t)
			default:
				must(pull.RecvMsg())(t)
			}
		}
	}
}
