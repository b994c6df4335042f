package actor_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/zsock"
)

// An echo actor in the CZMQ style: signal readiness, serve commands, end
// on $TERM.
func Example() {
	echo := func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0)
		for {
			msg, err := pipe.RecvMsg()
			if err != nil {
				return err
			}
			cmd, _ := msg.PopString()
			switch cmd {
			case actor.Term:
				return nil
			case "ECHO":
				pipe.SendMsg(msg)
			}
		}
	}

	a, err := actor.New(context.Background(), echo, actor.WithName("echo"))
	if err != nil {
		fmt.Println(err)
		return
	}
	a.SendStrings("ECHO", "hello")
	reply, _ := a.RecvString()
	fmt.Println(reply)
	fmt.Println(a.Close(), a)
	// Output:
	// hello
	// <nil> actor echo (done)
}

// Commands with arguments travel as pictures, as with zsock_send and
// zsock_recv.
func ExamplePipe_SendPicture() {
	adder := func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0)
		sum := 0
		for {
			var cmd string
			var n int
			if err := pipe.RecvPicture("si", &cmd, &n); err != nil {
				return err
			}
			switch cmd {
			case actor.Term:
				return nil
			case "ADD":
				sum += n
			case "SUM":
				pipe.SendPicture("i", sum)
			}
		}
	}

	a, _ := actor.New(context.Background(), adder)
	defer a.Close()
	a.SendPicture("si", "ADD", 40)
	a.SendPicture("si", "ADD", 2)
	a.SendPicture("s", "SUM")
	var sum int
	a.RecvPicture("i", &sum)
	fmt.Println(sum)
	// Output: 42
}

// An actor that fails before it is ready makes New fail.
func ExampleNew_error() {
	_, err := actor.New(context.Background(), func(ctx context.Context, pipe *actor.Pipe) error {
		return errors.New("no config")
	}, actor.WithName("loader"))
	fmt.Println(err)
	// Output: actor loader: start: no config
}

// A supervisor selects on Done to learn when an actor ends, and reads
// the reason from Err. A panic becomes a *PanicError.
func ExampleActor_Done() {
	fragile := func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0)
		pipe.RecvMsg()
		panic("out of cheese")
	}
	a, _ := actor.New(context.Background(), fragile)
	a.SendString("poke")
	select {
	case <-a.Done():
		var pe *actor.PanicError
		fmt.Println(errors.As(a.Err(), &pe), pe.Value)
	case <-time.After(10 * time.Second):
		fmt.Println("still running")
	}
	// Output: true out of cheese
}

// An actor that ignores $TERM is cancelled when the grace period expires.
func ExampleActor_Close() {
	stubborn := func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0)
		<-ctx.Done()
		return ctx.Err()
	}
	a, _ := actor.New(context.Background(), stubborn, actor.WithGrace(10*time.Millisecond))
	err := a.Close()
	fmt.Println(errors.Is(err, actor.ErrKilled), errors.Is(err, context.Canceled))
	// Output: true true
}

// Watch lets an event loop learn that a pipe has messages without a
// goroutine per pipe; Readable and TryRecvMsg then drain it.
func ExamplePipe_Watch() {
	talker := func(ctx context.Context, pipe *actor.Pipe) error {
		pipe.Signal(0)
		pipe.SendString("one")
		pipe.SendString("two")
		return nil
	}
	wake := make(chan struct{}, 1)
	a, _ := actor.New(context.Background(), talker)
	stop, _ := a.Watch(func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	defer stop()
	for {
		<-wake
		for {
			m, err := a.TryRecvMsg()
			if errors.Is(err, zsock.ErrWouldBlock) {
				break
			}
			if errors.Is(err, zsock.ErrClosed) {
				fmt.Println("actor ended:", a.Close())
				return
			}
			fmt.Println(m.Frames()[0].Text())
		}
	}
	// Output:
	// one
	// two
	// actor ended: <nil>
}
