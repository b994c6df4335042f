package zsock

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestWatchNotifiesOnArrivalAndStops(t *testing.T) {
	pull, push := bindPair(t, Pull, Push, "inproc://watch")
	notes := make(chan struct{}, 1)
	var count atomic.Int64
	stop := must(pull.Watch(func() {
		count.Add(1)
		select {
		case notes <- struct{}{}:
		default:
		}
	}))(t)
	// The first notification comes once the watch is armed.
	<-notes
	if ok := must(pull.Readable())(t); ok {
		t.Fatal("readable before any message")
	}
	for i := range 100 {
		if err := push.SendString("m", 0); err != nil {
			t.Fatal(err)
		}
		// The owner's protocol: on each notification, drain until
		// ErrWouldBlock; a message must never be left behind.
		deadline := time.After(10 * time.Second)
		got := false
		for !got {
			select {
			case <-notes:
			case <-deadline:
				t.Fatalf("message %d: no notification", i)
			}
			for {
				if _, err := pull.TryRecvMsg(); err != nil {
					break
				}
				got = true
			}
		}
	}
	stop()
	stop()
	if count.Load() < 2 {
		t.Fatalf("notifications: %d", count.Load())
	}
	// Close stops watches still running (goleak in TestMain checks).
	must(pull.Watch(func() {}))(t)
	pull.Close()
	if _, err := pull.Watch(func() {}); err != ErrClosed {
		t.Fatalf("Watch after Close = %v", err)
	}
	if _, err := pull.Readable(); err != ErrClosed {
		t.Fatalf("Readable after Close = %v", err)
	}
}
