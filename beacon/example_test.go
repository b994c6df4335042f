package beacon_test

import (
	"context"
	"fmt"
	"time"

	"github.com/zkit-go/zkit/beacon"
)

// Two nodes on one host find each other over loopback, through the typed
// methods and the CZMQ-style delivery on the pipe.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	const port = 39471

	speaker, err := beacon.New(ctx, beacon.WithInterface("lo"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer speaker.Close()
	listener, err := beacon.New(ctx, beacon.WithInterface("lo"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer listener.Close()

	host, _ := speaker.Configure(ctx, port)
	fmt.Println("speaker on", host)
	_, _ = listener.Configure(ctx, port)
	_ = listener.Subscribe(ctx, []byte("svc:"))
	_ = speaker.Publish(ctx, []byte("svc:tcp://127.0.0.1:5555"), 100*time.Millisecond)

	m, err := listener.RecvMsgContext(ctx) // two frames: sender, payload
	if err != nil {
		fmt.Println(err)
		return
	}
	fs := m.Frames()
	fmt.Println(fs[0].Text(), fs[1].Text())
	// Output:
	// speaker on 127.0.0.1
	// 127.0.0.1 svc:tcp://127.0.0.1:5555
}

// The pipe speaks CZMQ's zbeacon commands; WithChannel delivers typed
// messages instead.
func Example_pipeCommands() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	const port = 39472

	ch := make(chan beacon.Message, 8)
	listener, _ := beacon.New(ctx, beacon.WithInterface("lo"), beacon.WithChannel(ch))
	defer listener.Close()
	speaker, _ := beacon.New(ctx, beacon.WithInterface("127.0.0.1"))
	defer speaker.Close()

	_ = listener.SendStrings("CONFIGURE", fmt.Sprint(port))
	reply, _ := listener.RecvString()
	fmt.Println("CONFIGURE ->", reply)
	_ = listener.SendStrings("SUBSCRIBE", "")

	_ = speaker.SendStrings("CONFIGURE", fmt.Sprint(port))
	_, _ = speaker.RecvString()
	_ = speaker.SendStrings("PUBLISH", "hello", "100") // interval in ms

	select {
	case m := <-ch:
		fmt.Println(m.Addr, m.Iface, string(m.Payload))
	case <-ctx.Done():
		fmt.Println(ctx.Err())
	}
	// Output:
	// CONFIGURE -> 127.0.0.1
	// 127.0.0.1 lo hello
}
