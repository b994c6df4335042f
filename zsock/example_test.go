package zsock_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// A request-reply pair over inproc, CZMQ style: '@' binds, '>' connects.
func Example() {
	rep, err := zsock.NewRep("@inproc://example-hello")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rep.Close()
	req, err := zsock.NewReq(">inproc://example-hello")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer req.Close()

	req.SendString("hello", 0)
	// A socket belongs to one goroutine; this example uses both sockets
	// from the same one, which is fine because the calls never overlap.
	msg, _ := rep.RecvString()
	fmt.Println("server got:", msg)
	rep.SendString("world", 0)
	reply, _ := req.RecvString()
	fmt.Println("client got:", reply)
	// Output:
	// server got: hello
	// client got: world
}

// Bind to the first free port of the dynamic range and connect to it.
func ExampleSocket_Bind() {
	pull, _ := zsock.New(zsock.Pull)
	defer pull.Close()
	port, err := pull.Bind("tcp://127.0.0.1:*")
	fmt.Println(err == nil, port >= zsock.DynamicFirst)
	push, _ := zsock.NewPush(pull.Endpoint())
	defer push.Close()
	push.SendStrings("multi", "part")
	m, _ := pull.RecvMsg()
	fmt.Println(m.Len(), "frames")
	// Output:
	// true true
	// 2 frames
}

// Receives are bounded by a context.
func ExampleSocket_RecvMsgContext() {
	pull, _ := zsock.NewPull("inproc://example-deadline")
	defer pull.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := pull.RecvMsgContext(ctx)
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output: true
}

// Pictures send several typed values as one message, as zsock_send does.
func ExampleSocket_SendPicture() {
	a, _ := zsock.NewPair("@inproc://example-picture")
	defer a.Close()
	b, _ := zsock.NewPair(">inproc://example-picture")
	defer b.Close()
	a.SendPicture("si8", "PUBLISH", -1, uint64(2500))
	m, _ := b.RecvMsg()
	fmt.Println(m)
	var cmd string
	var n int
	var ivl uint64
	m.Unpack("si8", &cmd, &n, &ivl)
	fmt.Println(cmd, n, ivl)
	// Output:
	// --------------------------------------
	// [007] PUBLISH
	// [002] -1
	// [004] 2500
	// PUBLISH -1 2500
}

// Signals carry a status byte, as zsock_signal and zsock_wait do.
func ExampleSocket_Signal() {
	a, _ := zsock.NewPair("@inproc://example-signal")
	defer a.Close()
	b, _ := zsock.NewPair(">inproc://example-signal")
	defer b.Close()
	a.Signal(0)
	st, _ := b.WaitSignal(context.Background())
	fmt.Println("status", st, zmsg.IsSignal(zmsg.NewSignal(st)))
	// Output: status 0 true
}
