package beacon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/zmsg"
)

// DefaultInterval is the publishing interval when none is given, as in
// CZMQ.
const DefaultInterval = time.Second

// engine is the state of a beacon actor. Everything but the counters and
// the loop's thread-safe methods belongs to the actor's goroutine.
type engine struct {
	o     options
	loop  *loop.Loop
	pipe  *actor.Pipe   // the actor's end; set when the actor starts
	stats counters      // shared with the reader goroutine and Stats
	in    chan datagram // from the reader goroutine, bounded

	verbose bool           // log every beacon sent and received
	gen     uint64         // configuration counter, to ignore stale datagrams
	port    uint16         // beacon port; 0 until configured
	socks   *sockets       // nil until configured
	eps     []endpoint     // where beacons go
	all     bool           // listening on every interface ("*")
	names   map[int]string // interface names by index
	f       filter         // receive-side filtering
	timer   loop.TimerID   // publishing timer; 0 when silent
	failing bool           // the last publish had a failed send
}

func newEngine(o options) (*engine, error) {
	l, err := loop.New(loop.WithLogger(o.log))
	if err != nil {
		return nil, err
	}
	return &engine{o: o, loop: l, in: make(chan datagram, o.queue), f: filter{self: o.self}}, nil
}

// run is the actor's body.
func (e *engine) run(ctx context.Context, pipe *actor.Pipe) error {
	e.pipe = pipe
	defer e.closeSockets()
	defer e.loop.Close()
	if _, err := e.loop.OnMessage(pipe, e.command); err != nil {
		return err
	}
	if _, err := loop.Chan(e.loop, e.in, e.onDatagram); err != nil {
		return err
	}
	if err := pipe.Signal(0); err != nil {
		return err
	}
	err := e.loop.Run(ctx)
	if errors.Is(err, context.Canceled) || errors.Is(err, loop.ErrClosed) {
		return nil
	}
	return err
}

// command handles one message from the pipe.
func (e *engine) command(m *zmsg.Msg) error {
	cmd, _ := m.PopString()
	switch cmd {
	case actor.Term:
		return loop.ErrStop
	case "VERBOSE":
		e.verbose = true
	case "CONFIGURE":
		s, _ := m.PopString()
		port, err := strconv.Atoi(s)
		host := ""
		if err == nil {
			host, err = e.configure(port)
		}
		if err != nil {
			e.o.log.Warn("beacon: configure failed", "port", s, "err", err)
		}
		return e.pipe.SendString(host)
	case "PUBLISH":
		data, _ := m.PopBytes()
		ivl := DefaultInterval
		if s, ok := m.PopString(); ok {
			ms, err := strconv.ParseInt(s, 10, 64)
			if err != nil || ms < 0 {
				e.o.log.Warn("beacon: bad PUBLISH interval", "interval", s)
				return nil
			}
			ivl = time.Duration(ms) * time.Millisecond
		}
		if err := e.publish(data, ivl); err != nil {
			e.o.log.Warn("beacon: publish refused", "err", err)
		}
	case "SILENCE":
		e.silence()
	case "SUBSCRIBE":
		prefix, _ := m.PopBytes()
		e.subscribe(prefix)
	case "UNSUBSCRIBE":
		e.unsubscribe()
	default:
		e.o.log.Warn("beacon: unknown command", "command", cmd)
	}
	return nil
}

// configure (re)opens the sockets on port and returns what CONFIGURE
// replies.
func (e *engine) configure(port int) (string, error) {
	e.closeSockets()
	if port <= 0 || port > 65535 {
		return "", fmt.Errorf("%w: port %d", ErrOption, port)
	}
	ifs, err := hostInterfaces()
	if err != nil {
		return "", fmt.Errorf("beacon: list interfaces: %w", err)
	}
	eps, host, err := resolve(ifs, e.o.iface, &e.o)
	if err != nil {
		return "", err
	}
	s, err := openSockets(port, e.o.ipv6)
	if err != nil {
		return "", err
	}
	if err := s.join(eps); err != nil {
		e.o.log.Warn("beacon: multicast join", "err", err)
	}
	e.gen++
	e.socks, e.port, e.eps, e.all = s, uint16(port), eps, e.o.iface == "*"
	e.learn(ifs)
	e.f.ownPort = s.port
	s.startReader(e.in, &e.stats, e.gen)
	if e.verbose {
		e.o.log.Info("beacon: configured", "port", port, "interface", host, "endpoints", len(eps))
	}
	return host, nil
}

// learn records the host's interface names and addresses.
func (e *engine) learn(ifs []ifaceInfo) {
	e.names = make(map[int]string, len(ifs))
	for _, ifi := range ifs {
		e.names[ifi.Index] = ifi.Name
	}
	e.f.ownAddrs = localAddrs(ifs)
}

// refresh resolves the interfaces again, after a failed send or when none
// was usable, so that the beacon follows interfaces going down and up.
func (e *engine) refresh() {
	ifs, err := hostInterfaces()
	if err != nil {
		return
	}
	e.learn(ifs)
	eps, _, err := resolve(ifs, e.o.iface, &e.o)
	if err != nil {
		e.eps = nil
		return
	}
	if err := e.socks.join(eps); err != nil && e.verbose {
		e.o.log.Info("beacon: multicast join", "err", err)
	}
	e.eps = eps
}

func (e *engine) closeSockets() {
	if e.socks != nil {
		e.socks.close()
		e.socks = nil
	}
	e.port = 0
}

// publish starts publishing data every ivl (DefaultInterval when 0),
// sending the first beacon at once.
func (e *engine) publish(data []byte, ivl time.Duration) error {
	if len(data) > MaxPayload {
		return ErrTooLong
	}
	if len(data) == 0 {
		return fmt.Errorf("%w: empty payload", ErrOption)
	}
	if ivl < 0 {
		return fmt.Errorf("%w: negative interval %v", ErrOption, ivl)
	}
	if e.socks == nil {
		return ErrNotConfigured
	}
	if ivl == 0 {
		ivl = DefaultInterval
	}
	e.silence()
	e.f.transmit = bytes.Clone(data)
	id, err := e.loop.Timer(ivl, 0, func(loop.TimerID) error { e.transmit(); return nil })
	if err != nil {
		return err
	}
	e.timer = id
	e.transmit()
	return nil
}

// silence stops publishing.
func (e *engine) silence() {
	if e.timer != 0 {
		e.loop.TimerEnd(e.timer)
		e.timer = 0
	}
	e.f.transmit = nil
}

func (e *engine) subscribe(prefix []byte) {
	e.f.subscribed = true
	e.f.prefix = bytes.Clone(prefix)
}

func (e *engine) unsubscribe() {
	e.f.subscribed = false
	e.f.prefix = nil
}

// transmit sends the current beacon on every endpoint.
func (e *engine) transmit() {
	if e.socks == nil || e.f.transmit == nil {
		return
	}
	if e.failing || len(e.eps) == 0 {
		e.refresh()
	}
	var failed error
	for _, ep := range e.eps {
		if err := e.socks.sendTo(e.f.transmit, ep, e.port); err != nil {
			e.stats.sendErrors.Add(1)
			failed = fmt.Errorf("send on %s to %v: %w", ep.name, ep.dst, err)
			continue
		}
		e.stats.sent.Add(1)
		if e.verbose {
			e.o.log.Info("beacon: sent", "interface", ep.name, "to", ep.dst, "bytes", len(e.f.transmit))
		}
	}
	if len(e.eps) == 0 {
		failed = ErrNoInterface
	}
	switch {
	case failed != nil && !e.failing:
		e.o.log.Warn("beacon: publishing failed; will retry", "err", failed)
	case failed == nil && e.failing:
		e.o.log.Info("beacon: publishing recovered")
	}
	e.failing = failed != nil
}

// onDatagram judges one datagram from the reader and delivers it.
func (e *engine) onDatagram(d datagram, _ bool) error {
	if d.gen != e.gen || e.socks == nil {
		return nil
	}
	if !e.all && d.ifindex != 0 && !e.arrivesOnEndpoint(d.ifindex) {
		e.stats.filtered.Add(1)
		return nil
	}
	switch e.f.judge(d.payload, d.src) {
	case own:
		e.stats.own.Add(1)
		return nil
	case filtered:
		e.stats.filtered.Add(1)
		return nil
	}
	addr := d.src.Addr()
	name := e.names[d.ifindex]
	if name == "" && d.ifindex != 0 {
		if ifi, err := net.InterfaceByIndex(d.ifindex); err == nil {
			name = ifi.Name
		}
	}
	if addr.Is6() && addr.IsLinkLocalUnicast() && addr.Zone() == "" && name != "" {
		addr = addr.WithZone(name)
	}
	if e.verbose {
		e.o.log.Info("beacon: received", "from", d.src, "interface", name, "bytes", len(d.payload))
	}
	if e.o.ch != nil {
		msg := Message{Addr: addr, Port: d.src.Port(), Iface: name, Payload: d.payload, Time: d.at}
		select {
		case e.o.ch <- msg:
			e.stats.delivered.Add(1)
		default:
			e.stats.dropped.Add(1)
		}
		return nil
	}
	m := zmsg.FromStrings(addr.String())
	m.AppendBytes(d.payload)
	if err := e.pipe.TrySendMsg(m); err != nil {
		e.stats.dropped.Add(1)
		return nil
	}
	e.stats.delivered.Add(1)
	return nil
}

// arrivesOnEndpoint reports whether ifindex is one of the endpoints.
func (e *engine) arrivesOnEndpoint(ifindex int) bool {
	for _, ep := range e.eps {
		if ep.index == ifindex {
			return true
		}
	}
	return false
}

// hostAddr is the typed form of a CONFIGURE reply.
func hostAddr(host string, v6 bool) netip.Addr {
	if host == "*" {
		if v6 {
			return netip.IPv6Unspecified()
		}
		return netip.IPv4Unspecified()
	}
	a, _ := netip.ParseAddr(host)
	return a
}
