package beacon

import (
	"fmt"
	"log/slog"
	"net/netip"
)

// SelfFilter says how a beacon recognises, and ignores, its own
// transmissions when they come back to it.
type SelfFilter int

const (
	// ByContent ignores every received beacon whose bytes equal the
	// beacon being published, as CZMQ does. Two nodes publishing identical
	// bytes then cannot hear each other.
	ByContent SelfFilter = iota
	// BySource ignores datagrams whose source is this beacon's own sending
	// socket (a local address and its port), whatever their content, so
	// nodes with identical payloads still hear each other.
	BySource
	// ByContentOrSource ignores a datagram that matches either rule.
	ByContentOrSource
	// NoSelfFilter delivers everything, own beacons included.
	NoSelfFilter
)

// String names the filter.
func (f SelfFilter) String() string {
	switch f {
	case ByContent:
		return "content"
	case BySource:
		return "source"
	case ByContentOrSource:
		return "content-or-source"
	case NoSelfFilter:
		return "none"
	}
	return fmt.Sprintf("SelfFilter(%d)", int(f))
}

// options holds the settings of one beacon.
type options struct {
	log   *slog.Logger   // never nil
	iface string         // interface spec; "" picks the first suitable one
	ipv6  bool           // use IPv6 multicast instead of IPv4
	group netip.Addr     // multicast group; invalid means broadcast (IPv4) or ff02::1 (IPv6)
	self  SelfFilter     // how own beacons are recognised
	ch    chan<- Message // typed delivery instead of the pipe; nil means the pipe
	queue int            // datagrams waiting between the reader and the actor
}

// defaultIPv6Group is the IPv6 all-nodes link-local group.
var defaultIPv6Group = netip.MustParseAddr("ff02::1")

func defaultOptions() options {
	return options{log: slog.New(slog.DiscardHandler), self: ByContent, queue: 256}
}

// Option configures a beacon. Options are validated by New, which fails
// with an error matching ErrOption on a bad value.
type Option func(*options) error

// WithLogger sends the beacon's diagnostics (send failures, interface
// changes, and with VERBOSE every beacon sent and received) to l. By
// default nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrOption)
		}
		o.log = l
		return nil
	}
}

// WithInterface chooses the interface to publish and listen on: a name
// ("eth0", "lo"), one of its addresses ("192.168.1.10"), its index ("2"),
// or "*" for every suitable interface (a multi-homed host then publishes
// on each). Without it, the first interface that is up, not loopback and
// can broadcast (IPv4) or multicast (IPv6) is used; if there is none, the
// loopback interface, so that beacons still reach the same host.
func WithInterface(spec string) Option {
	return func(o *options) error {
		if spec == "" {
			return fmt.Errorf("%w: empty interface", ErrOption)
		}
		o.iface = spec
		return nil
	}
}

// WithIPv6 publishes and listens over IPv6 multicast, to ff02::1 unless
// WithGroup names another group. Loopback cannot carry IPv6 multicast, so
// an IPv6 beacon needs a multicast-capable interface.
func WithIPv6() Option {
	return func(o *options) error {
		o.ipv6 = true
		return nil
	}
}

// WithGroup publishes to a multicast group instead of broadcasting (IPv4),
// or to another group than ff02::1 (IPv6, which also needs WithIPv6). The
// group must be a multicast address of the beacon's family. On loopback an
// IPv4 beacon broadcasts to 127.255.255.255 regardless.
func WithGroup(group netip.Addr) Option {
	return func(o *options) error {
		if !group.IsValid() || !group.IsMulticast() {
			return fmt.Errorf("%w: %v is not a multicast group", ErrOption, group)
		}
		o.group = group
		return nil
	}
}

// WithSelfFilter sets how the beacon recognises its own transmissions
// (default ByContent, as CZMQ).
func WithSelfFilter(f SelfFilter) Option {
	return func(o *options) error {
		if f < ByContent || f > NoSelfFilter {
			return fmt.Errorf("%w: self filter %d", ErrOption, int(f))
		}
		o.self = f
		return nil
	}
}

// WithChannel delivers received beacons to ch as Message values instead of
// sending them on the pipe. The beacon never blocks on ch: when ch is full
// the beacon is dropped and counted in Stats.Dropped. The beacon does not
// close ch.
func WithChannel(ch chan<- Message) Option {
	return func(o *options) error {
		if ch == nil {
			return fmt.Errorf("%w: nil channel", ErrOption)
		}
		o.ch = ch
		return nil
	}
}

// WithQueue sets how many received datagrams may wait for the beacon's
// goroutine (default 256). Beyond that, datagrams are dropped and counted,
// so a flood costs bounded memory.
func WithQueue(n int) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("%w: queue %d", ErrOption, n)
		}
		o.queue = n
		return nil
	}
}

func (o *options) validate() error {
	if o.group.IsValid() && o.group.Is6() != o.ipv6 {
		return fmt.Errorf("%w: group %v does not match the address family", ErrOption, o.group)
	}
	return nil
}
