package loop_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// A PULL socket and a timer in one loop; the handler stops the loop after
// three messages.
func Example() {
	pull, _ := zsock.NewPull("@inproc://example-loop")
	defer pull.Close()
	push, _ := zsock.NewPush(">inproc://example-loop")
	defer push.Close()

	l, _ := loop.New()
	defer l.Close()
	got := 0
	l.OnMessage(pull, func(m *zmsg.Msg) error {
		s, _ := m.PopString()
		fmt.Println("received", s)
		if got++; got == 3 {
			return loop.ErrStop
		}
		return nil
	})
	sent := 0
	l.Timer(time.Millisecond, 3, func(loop.TimerID) error {
		sent++
		return push.SendString(fmt.Sprint("tick ", sent), 0)
	})
	// No global signal handling: the caller decides.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := l.Run(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// received tick 1
	// received tick 2
	// received tick 3
}

// A ROUTER echo server: the handler replies on the socket it reads.
func ExampleLoop_OnMessage() {
	router, _ := zsock.NewRouter("@inproc://example-echo")
	defer router.Close()
	dealer, _ := zsock.NewDealer(">inproc://example-echo")
	defer dealer.Close()

	l, _ := loop.New()
	defer l.Close()
	l.OnMessage(router, router.SendMsg) // [identity, body] goes back as is
	l.OnMessage(dealer, func(m *zmsg.Msg) error {
		fmt.Println("echo:", m.Frames()[0].Text())
		return loop.ErrStop
	})
	dealer.SendString("hello", 0)
	fmt.Println(l.Run(context.Background()))
	// Output:
	// echo: hello
	// <nil>
}

// Tickets expire idle clients; a message from a client resets its ticket.
func ExampleLoop_Ticket() {
	l, _ := loop.New()
	defer l.Close()
	l.SetTicketDelay(20 * time.Millisecond)
	l.Ticket(func() error {
		fmt.Println("client expired")
		return loop.ErrStop
	})
	fmt.Println(l.Run(context.Background()))
	// Output:
	// client expired
	// <nil>
}

// Post runs a function on the loop goroutine from anywhere.
func ExampleLoop_Post() {
	l, _ := loop.New()
	defer l.Close()
	go l.Post(func() {
		fmt.Println("on the loop")
		l.Stop()
	})
	fmt.Println(l.Run(context.Background()))
	// Output:
	// on the loop
	// <nil>
}

// A host event loop (a GUI's, say) drives the loop with Ready and Step.
func ExampleLoop_Step() {
	l, _ := loop.New()
	defer l.Close()
	l.Timer(time.Millisecond, 1, func(loop.TimerID) error {
		fmt.Println("timer ran inside the host loop")
		return loop.ErrStop
	})
	hostEvents := make(chan string)
	for {
		// Step runs what is ready and arms the timer's wake-up.
		if err := l.Step(); errors.Is(err, loop.ErrStop) {
			return
		}
		select {
		case ev := <-hostEvents:
			fmt.Println("host event", ev)
		case <-l.Ready():
		}
	}
	// Output:
	// timer ran inside the host loop
}

// A Poller returns every ready source, and tells a timeout from a cancel.
func ExamplePoller() {
	a, _ := zsock.NewPull("@inproc://example-poll-a")
	defer a.Close()
	b, _ := zsock.NewPull("@inproc://example-poll-b")
	defer b.Close()
	pb, _ := zsock.NewPush(">inproc://example-poll-b")
	defer pb.Close()

	p, _ := loop.NewPoller(a, b)
	defer p.Close()
	pb.SendString("for b", 0)
	ready, _ := p.Wait(context.Background())
	fmt.Println(len(ready), ready[0] == b)
	b.RecvString()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := p.Wait(ctx)
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output:
	// 1 true
	// true
}
