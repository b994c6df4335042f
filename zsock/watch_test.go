package zsock

import (
	"bytes"
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

func TestReadableKeepsTheMessage(t *testing.T) {
	pull, push := bindPair(t, Pull, Push, "inproc://readable")
	if err := push.SendStrings("a", "b", "c"); err != nil {
		t.Fatal(err)
	}
	if err := push.SendString("next", 0); err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	for {
		ok, err := pull.Readable()
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if err := pull.wait(ctx, evPollIn, -1, "test"); err != nil {
			t.Fatal(err)
		}
	}
	// Asking again does not consume another message.
	if ok := must(pull.Readable())(t); !ok {
		t.Fatal("second Readable false")
	}
	if ev := must(pull.Events())(t); ev&PollIn == 0 {
		t.Fatal("Events lost PollIn while a message is kept")
	}
	// Frame by frame, with More flags intact.
	for i, want := range []string{"a", "b", "c"} {
		f := must(pull.RecvFrame(0))(t)
		if f.Text() != want || f.More() != (i < 2) {
			t.Fatalf("frame %d = %q more=%v", i, f.Text(), f.More())
		}
	}
	if s := must(pull.RecvString())(t); s != "next" {
		t.Fatalf("then %q", s)
	}
	// A whole message kept by Readable comes back from RecvMsg as is.
	if err := push.SendStrings("x", "y"); err != nil {
		t.Fatal(err)
	}
	for !must(pull.Readable())(t) {
		if err := pull.wait(ctx, evPollIn, -1, "test"); err != nil {
			t.Fatal(err)
		}
	}
	m := must(pull.RecvMsg())(t)
	if m.Len() != 2 {
		t.Fatalf("RecvMsg after Readable: %d frames", m.Len())
	}
	if _, err := pull.TryRecvMsg(); err == nil {
		t.Fatal("a kept message was delivered twice")
	}
}

func TestReceiveBufferGrowsWithFrames(t *testing.T) {
	pull, push := bindPair(t, Pull, Push, "inproc://scratch")
	sizes := []int{10, 600, 100, 1500, 4096, 4097, 70000, 3, 2000}
	for i, n := range sizes {
		data := make([]byte, n)
		for j := range data {
			data[j] = byte(i + j*7)
		}
		if err := push.Send(data, 0); err != nil {
			t.Fatal(err)
		}
		f := must(pull.RecvFrame(0))(t)
		if !bytes.Equal(f.Data(), data) {
			t.Fatalf("frame %d of %d bytes corrupted", i, n)
		}
		if len(pull.scratch) > maxScratchSize || len(pull.scratch) < scratchSize {
			t.Fatalf("receive buffer %d bytes", len(pull.scratch))
		}
	}
	if len(pull.scratch) != 4096 {
		t.Fatalf("buffer did not grow to the largest small frame: %d", len(pull.scratch))
	}
}
