package beacon

import (
	"bytes"
	"net/netip"
	"time"
)

// Message is one received beacon, as delivered by WithChannel.
type Message struct {
	Addr    netip.Addr // sender's address; link-local IPv6 carries the interface as zone
	Port    uint16     // sender's UDP port
	Iface   string     // name of the interface it arrived on, when known
	Payload []byte     // the beacon's bytes (1 to MaxPayload); owned by the receiver
	Time    time.Time  // when it was read from the socket
}

// verdict is what the beacon does with one datagram.
type verdict int

const (
	deliver   verdict = iota // hand it to the application
	oversized                // longer than MaxPayload
	malformed                // empty
	own                      // one of ours coming back
	filtered                 // no subscription, or the prefix does not match
)

// check validates a datagram's length; n is the length read, which may
// exceed MaxPayload because the read buffer holds any UDP datagram.
func check(n int) verdict {
	switch {
	case n > MaxPayload:
		return oversized
	case n <= 0:
		return malformed
	}
	return deliver
}

// filter holds the actor's receive-side state used to judge a valid
// datagram.
type filter struct {
	subscribed bool                    // a SUBSCRIBE is in force
	prefix     []byte                  // subscription prefix; empty accepts all
	self       SelfFilter              // how own beacons are recognised
	transmit   []byte                  // the beacon being published, nil when silent
	ownPort    uint16                  // local port of the sending socket
	ownAddrs   map[netip.Addr]struct{} // addresses of this host
}

// judge decides what to do with a datagram of valid length from src.
func (f *filter) judge(payload []byte, src netip.AddrPort) verdict {
	if f.isOwn(payload, src) {
		return own
	}
	if !f.subscribed || !bytes.HasPrefix(payload, f.prefix) {
		return filtered
	}
	return deliver
}

func (f *filter) isOwn(payload []byte, src netip.AddrPort) bool {
	byContent := f.transmit != nil && bytes.Equal(payload, f.transmit)
	bySource := false
	if f.ownPort != 0 && src.Port() == f.ownPort {
		_, bySource = f.ownAddrs[src.Addr().WithZone("")]
	}
	switch f.self {
	case ByContent:
		return byContent
	case BySource:
		return bySource
	case ByContentOrSource:
		return byContent || bySource
	}
	return false
}
