package monitor_test

import (
	"context"
	"fmt"

	"github.com/zkit-go/zkit/monitor"
	"github.com/zkit-go/zkit/zsock"
)

// Watching a socket start listening.
func Example() {
	sock, _ := zsock.New(zsock.Pull)
	defer sock.Close()
	events := make(chan monitor.Event, 16)
	m, err := monitor.New(context.Background(), sock, monitor.WithEvents(events), monitor.WithKinds(monitor.Listening))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer m.Close()
	sock.Bind("tcp://127.0.0.1:*")
	ev := <-events
	fmt.Println(ev.Kind, ev.Endpoint == sock.Endpoint())
	// Output:
	// LISTENING true
}
