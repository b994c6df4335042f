package beacon

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
)

const fast = 20 * time.Millisecond // publishing interval in tests

func TestConfigureReply(t *testing.T) {
	ctx := testCtx(t)
	b, err := New(ctx, WithInterface("lo"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	port := freePort(t)
	for _, tc := range []struct{ port, want string }{
		{fmt.Sprint(port), "127.0.0.1"},
		{"0", ""},
		{"70000", ""},
		{"nonsense", ""},
	} {
		if err := b.SendStrings("CONFIGURE", tc.port); err != nil {
			t.Fatal(err)
		}
		m, err := b.RecvMsgContext(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m.Len() != 1 {
			t.Fatalf("CONFIGURE %s: reply has %d frames, want 1", tc.port, m.Len())
		}
		if got, _ := m.PopString(); got != tc.want {
			t.Errorf("CONFIGURE %s: reply %q, want %q", tc.port, got, tc.want)
		}
	}
	for _, spec := range []string{"lo", "127.0.0.1", "1"} {
		b2, err := New(ctx, WithInterface(spec))
		if err != nil {
			t.Fatal(err)
		}
		host, err := b2.Configure(ctx, port)
		if err != nil || host != netip.MustParseAddr("127.0.0.1") {
			t.Errorf("interface %q: configure = %v, %v", spec, host, err)
		}
		b2.Close()
	}
	b3, err := New(ctx, WithInterface("no-such-interface0"))
	if err != nil {
		t.Fatal(err)
	}
	defer b3.Close()
	if _, err := b3.Configure(ctx, port); !errors.Is(err, ErrNoInterface) {
		t.Errorf("missing interface: err = %v, want ErrNoInterface", err)
	}
	if err := b3.Publish(ctx, []byte("x"), 0); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("publish before configure: err = %v, want ErrNotConfigured", err)
	}
}

func TestPipeProtocol(t *testing.T) {
	ctx := testCtx(t)
	port := freePort(t)
	pub := loBeacon(t, ctx, port)
	sub := loBeacon(t, ctx, port)
	if err := sub.SendStrings("SUBSCRIBE", ""); err != nil {
		t.Fatal(err)
	}
	if err := sub.SendStrings("VERBOSE"); err != nil {
		t.Fatal(err)
	}
	// PUBLISH data interval, the interval in milliseconds as CZMQ sends it.
	if err := pub.SendStrings("PUBLISH", "hello", "20"); err != nil {
		t.Fatal(err)
	}
	addr, data := recvBeacon(t, ctx, sub)
	if addr != "127.0.0.1" || data != "hello" {
		t.Fatalf("got %q %q, want 127.0.0.1 hello", addr, data)
	}
	// An oversized PUBLISH on the pipe is refused, the previous beacon
	// goes on.
	if err := pub.SendStrings("PUBLISH", strings.Repeat("x", 256), "20"); err != nil {
		t.Fatal(err)
	}
	if err := pub.SendStrings("UNKNOWN-COMMAND"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, data := recvBeacon(t, ctx, sub); data != "hello" {
			t.Fatalf("got %q after refused publish, want hello", data)
		}
	}
	if err := pub.SendStrings("SILENCE"); err != nil {
		t.Fatal(err)
	}
	if err := sub.SendStrings("UNSUBSCRIBE"); err != nil {
		t.Fatal(err)
	}
}

func TestNothingBeforeSubscribe(t *testing.T) {
	ctx := testCtx(t)
	port := freePort(t)
	pub := loBeacon(t, ctx, port)
	sub := loBeacon(t, ctx, port)
	if err := pub.Publish(ctx, []byte("early"), fast); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "filtered beacons", func() bool { return sub.Stats().Filtered >= 3 })
	if !pipeEmpty(t, sub) {
		t.Fatal("beacon delivered before any subscribe")
	}
	if err := sub.Subscribe(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, data := recvBeacon(t, ctx, sub); data != "early" {
		t.Fatalf("got %q", data)
	}
}

func TestPrefixFilter(t *testing.T) {
	ctx := testCtx(t)
	port := freePort(t)
	a := loBeacon(t, ctx, port)
	c := loBeacon(t, ctx, port)
	sub := loBeacon(t, ctx, port)
	if err := sub.Subscribe(ctx, []byte("ABC")); err != nil {
		t.Fatal(err)
	}
	if err := a.Publish(ctx, []byte("ABC-1"), fast); err != nil {
		t.Fatal(err)
	}
	if err := c.Publish(ctx, []byte("XYZ-1"), fast); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, data := recvBeacon(t, ctx, sub); data != "ABC-1" {
			t.Fatalf("prefix ABC delivered %q", data)
		}
	}
	waitFor(t, ctx, "the other beacon filtered", func() bool { return sub.Stats().Filtered >= 2 })
}

func TestOwnBeaconIgnored(t *testing.T) {
	ctx := testCtx(t)
	port := freePort(t)
	a := loBeacon(t, ctx, port)
	if err := a.Subscribe(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := a.Publish(ctx, []byte("me"), fast); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "own beacons", func() bool { return a.Stats().Own >= 3 })
	if !pipeEmpty(t, a) {
		t.Fatal("own beacon delivered")
	}
}

func TestIdenticalPayloads(t *testing.T) {
	for _, tc := range []struct {
		self SelfFilter
		hear bool
	}{
		{ByContent, false},
		{BySource, true},
		{ByContentOrSource, false},
	} {
		t.Run(tc.self.String(), func(t *testing.T) {
			ctx := testCtx(t)
			port := freePort(t)
			a := loBeacon(t, ctx, port, WithSelfFilter(tc.self))
			b := loBeacon(t, ctx, port, WithSelfFilter(tc.self))
			// Publish first: a node that is not publishing yet has no
			// content of its own to compare with.
			for _, x := range []*Beacon{a, b} {
				if err := x.Publish(ctx, []byte("same"), fast); err != nil {
					t.Fatal(err)
				}
			}
			for _, x := range []*Beacon{a, b} {
				if err := x.Subscribe(ctx, nil); err != nil {
					t.Fatal(err)
				}
			}
			if tc.hear {
				for _, x := range []*Beacon{a, b} {
					if _, data := recvBeacon(t, ctx, x); data != "same" {
						t.Fatalf("got %q", data)
					}
				}
			}
			// Each sees its own beacons come back and drops them.
			waitFor(t, ctx, "own beacons", func() bool { return a.Stats().Own >= 3 && b.Stats().Own >= 3 })
			if !tc.hear {
				waitFor(t, ctx, "the peer's beacons", func() bool { return a.Stats().Own >= 6 })
				if !pipeEmpty(t, a) || !pipeEmpty(t, b) {
					t.Fatal("identical payload delivered under content filtering")
				}
			}
		})
	}
}

func TestUnsubscribeAndSilence(t *testing.T) {
	ctx := testCtx(t)
	port := freePort(t)
	pub := loBeacon(t, ctx, port)
	marker := loBeacon(t, ctx, port)
	sub := loBeacon(t, ctx, port)
	if err := sub.Subscribe(ctx, []byte("data")); err != nil {
		t.Fatal(err)
	}
	if err := pub.Publish(ctx, []byte("data"), fast); err != nil {
		t.Fatal(err)
	}
	recvBeacon(t, ctx, sub)
	if err := sub.Unsubscribe(ctx); err != nil {
		t.Fatal(err)
	}
	for !pipeEmpty(t, sub) { // drain what came before UNSUBSCRIBE took effect
		recvBeacon(t, ctx, sub)
	}
	f := sub.Stats().Filtered
	waitFor(t, ctx, "beacons filtered", func() bool { return sub.Stats().Filtered >= f+3 })
	if !pipeEmpty(t, sub) {
		t.Fatal("delivered after unsubscribe")
	}

	// Silence: after it took effect, the publisher sends nothing while
	// another node's beacons keep arriving.
	if err := pub.Silence(ctx); err != nil {
		t.Fatal(err)
	}
	sent := pub.Stats().Sent
	if err := sub.Subscribe(ctx, []byte("mark")); err != nil {
		t.Fatal(err)
	}
	if err := marker.Publish(ctx, []byte("mark"), fast); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, data := recvBeacon(t, ctx, sub); data != "mark" {
			t.Fatalf("got %q", data)
		}
	}
	if got := pub.Stats().Sent; got != sent {
		t.Fatalf("silenced publisher sent %d more", got-sent)
	}
}

func TestPublishErrors(t *testing.T) {
	ctx := testCtx(t)
	a := loBeacon(t, ctx, freePort(t))
	if err := a.Publish(ctx, make([]byte, MaxPayload+1), 0); !errors.Is(err, ErrTooLong) {
		t.Errorf("256 bytes: err = %v, want ErrTooLong", err)
	}
	if err := a.Publish(ctx, nil, 0); !errors.Is(err, ErrOption) {
		t.Errorf("empty: err = %v, want ErrOption", err)
	}
	if err := a.Publish(ctx, []byte("x"), -time.Second); !errors.Is(err, ErrOption) {
		t.Errorf("negative interval: err = %v, want ErrOption", err)
	}
	if err := a.Publish(ctx, make([]byte, MaxPayload), 0); err != nil {
		t.Errorf("255 bytes: %v", err)
	}
	if a.Stats().Sent == 0 {
		t.Error("first beacon not sent at once")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Silence(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("after close: err = %v, want ErrClosed", err)
	}
}

func TestTypedChannel(t *testing.T) {
	ctx := testCtx(t)
	port := freePort(t)
	ch := make(chan Message, 16)
	sub := loBeacon(t, ctx, port, WithChannel(ch))
	pub := loBeacon(t, ctx, port)
	if err := sub.Subscribe(ctx, nil); err != nil {
		t.Fatal(err)
	}
	payload := []byte{0, 1, 2, 0xff}
	if err := pub.Publish(ctx, payload, fast); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-ch:
		if m.Addr != netip.MustParseAddr("127.0.0.1") || m.Port == 0 || m.Port == uint16(port) ||
			m.Iface != "lo" || !bytes.Equal(m.Payload, payload) || m.Time.IsZero() {
			t.Fatalf("unexpected message %+v", m)
		}
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
	if !pipeEmpty(t, sub) {
		t.Fatal("WithChannel beacon also delivered on the pipe")
	}
	// A full channel drops and counts.
	waitFor(t, ctx, "drops on a full channel", func() bool { return sub.Stats().Dropped > 0 })
}

func TestOptions(t *testing.T) {
	ctx := testCtx(t)
	for name, opt := range map[string]Option{
		"nil logger":  WithLogger(nil),
		"empty iface": WithInterface(""),
		"bad group":   WithGroup(netip.MustParseAddr("10.0.0.1")),
		"bad filter":  WithSelfFilter(SelfFilter(42)),
		"nil channel": WithChannel(nil),
		"zero queue":  WithQueue(0),
	} {
		if _, err := New(ctx, opt); !errors.Is(err, ErrOption) {
			t.Errorf("%s: err = %v, want ErrOption", name, err)
		}
	}
	if _, err := New(ctx, WithGroup(netip.MustParseAddr("ff02::1"))); !errors.Is(err, ErrOption) {
		t.Errorf("IPv6 group without WithIPv6: err = %v", err)
	}
}
