package beacon

import (
	"bytes"
	"math/rand/v2"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"
)

// garbage sends b to the beacon port on 127.0.0.1 from a plain socket.
func garbage(t *testing.T, port int, payloads ...[]byte) {
	t.Helper()
	c, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, p := range payloads {
		if _, err := c.Write(p); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMalformedDatagrams(t *testing.T) {
	ctx := testCtx(t)
	port := freePort(t)
	sub := loBeacon(t, ctx, port)
	if err := sub.Subscribe(ctx, nil); err != nil {
		t.Fatal(err)
	}
	garbage(t, port,
		nil,                              // empty
		bytes.Repeat([]byte("a"), 256),   // one byte too long
		bytes.Repeat([]byte("b"), 60000), // far too long: never truncated into a beacon
		bytes.Repeat([]byte("c"), 255),   // the largest valid beacon
	)
	addr, data := recvBeacon(t, ctx, sub)
	if addr != "127.0.0.1" || data != string(bytes.Repeat([]byte("c"), 255)) {
		t.Fatalf("got %q, %d bytes", addr, len(data))
	}
	waitFor(t, ctx, "counts", func() bool {
		s := sub.Stats()
		return s.Oversized == 2 && s.Malformed == 1
	})
	if !pipeEmpty(t, sub) {
		t.Fatal("malformed datagram delivered")
	}
}

func TestFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("flood skipped in -short mode")
	}
	ctx := testCtx(t)
	port := freePort(t)
	sub := loBeacon(t, ctx, port, WithQueue(64))
	pub := loBeacon(t, ctx, port)
	if err := sub.Subscribe(ctx, []byte("legit")); err != nil {
		t.Fatal(err)
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	const total, senders = 100_000, 4
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			rng := rand.New(rand.NewPCG(uint64(s), 1))
			buf := make([]byte, 65000)
			for i := range buf {
				buf[i] = byte(rng.Uint32())
			}
			for range total / senders {
				n := rng.IntN(len(buf) + 1)
				if rng.IntN(4) == 0 {
					n = rng.IntN(MaxPayload + 1) // valid length, garbage content
				}
				_, _ = c.Write(buf[:n]) // the kernel may refuse when its buffer is full
			}
		}()
	}
	if err := pub.Publish(ctx, []byte("legit"), 5*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	// A legitimate beacon gets through while the flood runs...
	if _, data := recvBeacon(t, ctx, sub); data != "legit" {
		t.Fatalf("got %q", data)
	}
	wg.Wait()
	// ...and after it.
	for !pipeEmpty(t, sub) {
		recvBeacon(t, ctx, sub)
	}
	if _, data := recvBeacon(t, ctx, sub); data != "legit" {
		t.Fatalf("got %q", data)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	st := sub.Stats()
	t.Logf("flood: %+v; heap in use %d -> %d KiB", st, before.HeapInuse>>10, after.HeapInuse>>10)
	if st.Oversized == 0 || st.Received == 0 {
		t.Errorf("flood not seen: %+v", st)
	}
	if grow := int64(after.HeapInuse) - int64(before.HeapInuse); grow > 64<<20 {
		t.Errorf("heap grew by %d MiB during the flood", grow>>20)
	}
}
