package heartbeat_test

import (
	"context"
	"fmt"
	"time"

	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/loop"
)

// A queue tracks two workers: one keeps sending HEARTBEAT frames, the
// other falls silent and is expired after liveness intervals.
func Example() {
	l, _ := loop.New()
	defer l.Close()

	tr, _ := heartbeat.NewTracker(l, 10*time.Millisecond, 3, func(peer string) error {
		fmt.Println("expired:", peer)
		return loop.ErrStop // a real queue would drop the worker and go on
	})
	// Frames as they would arrive from each worker.
	received := func(peer string, frame []byte) {
		if s, ok := heartbeat.Parse(frame); ok {
			fmt.Println(peer, "sent", s)
		}
		tr.Beat(peer) // any traffic counts, not only signals
	}
	received("worker-1", heartbeat.Ready.Bytes())
	received("worker-2", heartbeat.Ready.Bytes())
	l.Timer(5*time.Millisecond, 0, func(loop.TimerID) error {
		tr.Beat("worker-2") // heartbeats, silently
		return nil
	})

	if err := l.Run(context.Background()); err != nil {
		fmt.Println("error:", err)
	}
	fmt.Println("alive:", tr.Peers())
	// Output:
	// worker-1 sent READY
	// worker-2 sent READY
	// expired: worker-1
	// alive: [worker-2]
}

// The Guide's reconnect policy: 1 s doubling to 32 s. Reset after a
// connection has proven healthy.
func ExampleBackoff() {
	var b heartbeat.Backoff
	for range 7 {
		fmt.Print(b.Next(), " ")
	}
	b.Reset()
	fmt.Println("| after reset:", b.Next())
	// Output: 1s 2s 4s 8s 16s 32s 32s | after reset: 1s
}

// ZMTP 3.1 heartbeats as socket options.
func ExampleWireDefaults() {
	w := heartbeat.WireDefaults()
	opts, err := w.Options() // pass to zsock.NewDealer(endpoint, opts...)
	fmt.Println(w.Interval, w.Timeout, w.TTL, len(opts), err)
	// Output: 1s 3s 6s 1 <nil>
}
