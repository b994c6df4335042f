package beacon

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if helperMain() {
		return
	}
	goleak.VerifyTestMain(m)
}

// testCtx returns a context that ends with the test, bounded by a
// generous deadline.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// freePort returns a UDP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	return freePortRaw(t)
}

func freePortRaw(tb testing.TB) int {
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// loBeacon starts a beacon on the loopback interface, configured on port.
func loBeacon(t *testing.T, ctx context.Context, port int, opts ...Option) *Beacon {
	t.Helper()
	b, err := New(ctx, append([]Option{WithInterface("lo")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	host, err := b.Configure(ctx, port)
	if err != nil {
		t.Fatal(err)
	}
	if host.String() != "127.0.0.1" {
		t.Fatalf("configure: got %v, want 127.0.0.1", host)
	}
	return b
}

// recvBeacon receives one delivery from b's pipe and checks its shape.
func recvBeacon(t *testing.T, ctx context.Context, b *Beacon) (addr, payload string) {
	t.Helper()
	m, err := b.RecvMsgContext(ctx)
	if err != nil {
		t.Fatalf("recv: %v", err)
	}
	if m.Len() != 2 {
		t.Fatalf("delivery has %d frames, want 2", m.Len())
	}
	fs := m.Frames()
	return fs[0].Text(), fs[1].Text()
}

// waitFor polls cond until it holds or ctx ends. It watches counters,
// which have no event to wait on.
func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// pipeEmpty reports whether nothing is queued on b's pipe.
func pipeEmpty(t *testing.T, b *Beacon) bool {
	t.Helper()
	ok, err := b.Readable()
	if err != nil && !errors.Is(err, net.ErrClosed) {
		t.Fatal(err)
	}
	return !ok
}
