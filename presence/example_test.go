package presence_test

import (
	"context"
	"fmt"
	"time"

	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/presence"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// A server sees a client join, then leave when it says goodbye.
func Example() {
	ctx := context.Background()
	router, _ := zsock.NewRouter("tcp://127.0.0.1:*")
	defer router.Close()
	l, _ := loop.New()
	defer l.Close()
	srv, _ := presence.NewServer(ctx, l, router, presence.WithOnEvent(func(e presence.Event) error {
		fmt.Println(e)
		if e.Kind == presence.Leave {
			return loop.ErrStop
		}
		return nil
	}))
	defer srv.Close()
	l.OnMessage(router, srv.Handler(func(m *zmsg.Msg) error {
		fmt.Println("request:", m.Frames()[1].Text())
		return nil
	}))

	client, _ := zsock.NewDealer(router.Endpoint(), zsock.WithIdentity("w1"))
	defer client.Close()
	client.SendString("hello", 0)
	client.Send(heartbeat.Goodbye.Bytes(), 0) // as presence.Client.Close does

	runCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := l.Run(runCtx); err != nil {
		fmt.Println(err)
	}
	fmt.Println(len(srv.Peers()), "present")
	// Output:
	// JOIN "w1" 127.0.0.1
	// request: hello
	// LEAVE "w1" 127.0.0.1 (said goodbye)
	// 0 present
}
