package beacon

import (
	"bytes"
	"net/netip"
	"testing"
	"time"
)

// FuzzDatagram feeds arbitrary datagrams, subscriptions and own beacons
// through the actor's receive path and checks that whatever is delivered
// is a whole, subscribed, foreign beacon of legal length.
func FuzzDatagram(f *testing.F) {
	f.Add([]byte("hello"), []byte("he"), []byte("other"), uint8(0), uint16(5670), true)
	f.Add([]byte("same"), []byte(""), []byte("same"), uint8(1), uint16(4000), true)
	f.Add(bytes.Repeat([]byte{0}, 300), []byte{}, []byte("x"), uint8(2), uint16(1), false)
	f.Add([]byte{}, []byte{}, []byte{}, uint8(3), uint16(0), true)
	f.Fuzz(func(t *testing.T, data, prefix, transmit []byte, self uint8, port uint16, subscribed bool) {
		ch := make(chan Message, 1)
		o := defaultOptions()
		o.ch = ch
		o.self = SelfFilter(self % 4)
		e, err := newEngine(o)
		if err != nil {
			t.Fatal(err)
		}
		defer e.loop.Close()
		e.socks = &sockets{}
		e.all = true
		e.f = filter{subscribed: subscribed, prefix: prefix, self: o.self, ownPort: 4000,
			ownAddrs: map[netip.Addr]struct{}{netip.MustParseAddr("127.0.0.1"): {}}}
		if len(transmit) > 0 {
			e.f.transmit = transmit
		}
		src := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port)

		// The reader's length check, then the actor's judgement.
		if check(len(data)) != deliver {
			if len(data) > 0 && len(data) <= MaxPayload {
				t.Fatalf("valid length %d rejected", len(data))
			}
			return
		}
		d := datagram{payload: bytes.Clone(data), src: src, at: time.Now()}
		if err := e.onDatagram(d, true); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-ch:
			if !subscribed || !bytes.HasPrefix(m.Payload, prefix) || !bytes.Equal(m.Payload, data) {
				t.Fatalf("delivered %q under prefix %q (subscribed %v)", m.Payload, prefix, subscribed)
			}
			if len(m.Payload) == 0 || len(m.Payload) > MaxPayload {
				t.Fatalf("delivered %d bytes", len(m.Payload))
			}
			sameContent := len(transmit) > 0 && bytes.Equal(data, transmit)
			sameSource := port == 4000
			switch o.self {
			case ByContent:
				if sameContent {
					t.Fatal("own content delivered")
				}
			case BySource:
				if sameSource {
					t.Fatal("own source delivered")
				}
			case ByContentOrSource:
				if sameContent || sameSource {
					t.Fatal("own beacon delivered")
				}
			}
		default:
		}
	})
}
