package loop

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zkit-go/zkit/zsock"
)

func TestPollerReturnsAllReadyInOrder(t *testing.T) {
	var pulls, pushes []*zsock.Socket
	for i := range 4 {
		ep := fmt.Sprintf("inproc://poller-%d", i)
		pulls = append(pulls, sock(t)(zsock.NewPull("@"+ep)))
		pushes = append(pushes, sock(t)(zsock.NewPush(">"+ep)))
	}
	// Added in the order 2, 0, 3, 1.
	p := must(NewPoller(pulls[2], pulls[0], pulls[3], pulls[1]))(t)
	defer p.Close()
	must(0, pushes[1].SendString("x", 0))(t)
	must(0, pushes[3].SendString("x", 0))(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Both messages may not have arrived at the first wake-up; wait until
	// both sockets are reported.
	var ready []Source
	for len(ready) < 2 {
		ready = must(p.Wait(ctx))(t)
	}
	if len(ready) != 2 || ready[0] != pulls[3] || ready[1] != pulls[1] {
		t.Fatalf("ready %v, want [pull3 pull1]", ready)
	}
	// Not drained: still ready on the next Wait, without a new message.
	if again := must(p.Wait(ctx))(t); len(again) != 2 {
		t.Fatalf("second Wait returned %d sources", len(again))
	}
	for _, s := range ready {
		must(s.(*zsock.Socket).RecvString())(t)
	}
	// Remove between waits, then a message on the removed socket is not
	// reported and the Wait times out.
	if !p.Remove(pulls[3]) || p.Remove(pulls[3]) {
		t.Fatal("Remove reported wrongly")
	}
	must(0, pushes[3].SendString("y", 0))(t)
	short, cancelShort := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancelShort()
	if r, err := p.Wait(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait = %v, %v; want DeadlineExceeded", r, err)
	}
	if p.Len() != 3 {
		t.Fatalf("Len = %d", p.Len())
	}
	if err := p.Add(pulls[0]); !errors.Is(err, ErrInvalid) {
		t.Fatalf("duplicate Add = %v", err)
	}
}

func TestPollerTimeoutVersusCancel(t *testing.T) {
	_, pull := pushPull(t)
	p := must(NewPoller(pull))(t)
	defer p.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := p.Wait(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.Fatalf("timeout: %v", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	go cancel()
	_, err = p.Wait(ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancel: %v", err)
	}
}

func TestPollerWakesOnArrival(t *testing.T) {
	push, pull := pushPull(t)
	p := must(NewPoller(pull))(t)
	defer p.Close()
	go push.SendString("late", 0)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ready := must(p.Wait(ctx))(t)
	if len(ready) != 1 || ready[0] != pull {
		t.Fatalf("ready %v", ready)
	}
}

func TestPollerChanSource(t *testing.T) {
	_, pull := pushPull(t)
	ch := make(chan string)
	cs := NewChanSource(ch)
	p := must(NewPoller(pull, cs))(t)
	defer p.Close()
	go func() {
		ch <- "one"
		close(ch)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ready := must(p.Wait(ctx))(t)
	if len(ready) != 1 || ready[0] != cs {
		t.Fatalf("ready %v", ready)
	}
	// Held until taken: the next Wait reports it again at once.
	if again := must(p.Wait(ctx))(t); len(again) != 1 {
		t.Fatalf("held value not reported again")
	}
	if v, ok, closed := cs.Recv(); v != "one" || !ok || closed {
		t.Fatalf("Recv = %q %v %v", v, ok, closed)
	}
	if _, ok, _ := cs.Recv(); ok {
		t.Fatal("second Recv returned a value")
	}
	must(p.Wait(ctx))(t)
	if _, ok, closed := cs.Recv(); ok || !closed {
		t.Fatalf("after close: ok %v closed %v", ok, closed)
	}
	// A ChanSource belongs to pollers; loops take channels with Chan.
	l := newLoop(t)
	if _, err := l.Reader(cs, func() error { return nil }); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Reader(ChanSource) = %v", err)
	}
}

func TestPollerReportsBrokenSource(t *testing.T) {
	_, pull := pushPull(t)
	p := must(NewPoller(pull))(t)
	defer p.Close()
	pull.Close()
	ready := must(p.Wait(context.Background()))(t)
	if len(ready) != 1 {
		t.Fatalf("broken source not reported: %v", ready)
	}
	if _, err := ready[0].(*zsock.Socket).RecvString(); !errors.Is(err, zsock.ErrClosed) {
		t.Fatalf("recv on broken source = %v", err)
	}
	p.Close()
	if _, err := p.Wait(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Wait after Close = %v", err)
	}
}
