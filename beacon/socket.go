package beacon

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// datagram is one valid-length datagram on its way from the reader
// goroutine to the actor's goroutine.
type datagram struct {
	payload []byte         // a copy, 1 to MaxPayload bytes
	src     netip.AddrPort // sender
	ifindex int            // arrival interface; 0 when unknown
	at      time.Time      // when read
	gen     uint64         // configuration it was read under
}

// sockets are the UDP sockets of one configuration.
type sockets struct {
	ipv6 bool
	recv net.PacketConn   // bound to the beacon port on all addresses
	send *net.UDPConn     // bound to an ephemeral port, for publishing
	p4r  *ipv4.PacketConn // recv as IPv4 (control messages, groups)
	p6r  *ipv6.PacketConn // recv as IPv6
	p4s  *ipv4.PacketConn // send as IPv4 (multicast interface)
	p6s  *ipv6.PacketConn // send as IPv6
	port uint16           // local port of send
	wg   sync.WaitGroup   // the reader goroutine
}

// openSockets opens the receiving and sending sockets for port.
func openSockets(port int, v6 bool) (*sockets, error) {
	lc := net.ListenConfig{Control: shareControl}
	network, any := "udp4", "0.0.0.0"
	if v6 {
		network, any = "udp6", "::"
	}
	recv, err := lc.ListenPacket(context.Background(), network, net.JoinHostPort(any, fmt.Sprint(port)))
	if err != nil {
		return nil, fmt.Errorf("beacon: listen on port %d: %w", port, err)
	}
	sc, err := lc.ListenPacket(context.Background(), network, net.JoinHostPort(any, "0"))
	if err != nil {
		_ = recv.Close()
		return nil, fmt.Errorf("beacon: open sending socket: %w", err)
	}
	s := &sockets{ipv6: v6, recv: recv, send: sc.(*net.UDPConn)}
	s.port = uint16(s.send.LocalAddr().(*net.UDPAddr).Port)
	if v6 {
		s.p6r = ipv6.NewPacketConn(recv)
		s.p6s = ipv6.NewPacketConn(s.send)
		err = s.p6r.SetControlMessage(ipv6.FlagInterface, true)
		if err == nil {
			err = s.p6s.SetMulticastLoopback(true)
		}
	} else {
		s.p4r = ipv4.NewPacketConn(recv)
		s.p4s = ipv4.NewPacketConn(s.send)
		err = s.p4r.SetControlMessage(ipv4.FlagInterface, true)
		if err == nil {
			err = s.p4s.SetMulticastLoopback(true)
		}
	}
	if err != nil {
		s.close()
		return nil, fmt.Errorf("beacon: socket options: %w", err)
	}
	return s, nil
}

// join subscribes the receiving socket to the endpoints' multicast
// groups; already-joined groups are not an error.
func (s *sockets) join(eps []endpoint) error {
	var errs []error
	for _, ep := range eps {
		if !ep.dst.IsMulticast() {
			continue
		}
		ifi := &net.Interface{Index: ep.index, Name: ep.name}
		g := &net.UDPAddr{IP: ep.dst.AsSlice()}
		var err error
		if s.ipv6 {
			err = s.p6r.JoinGroup(ifi, g)
		} else {
			err = s.p4r.JoinGroup(ifi, g)
		}
		if err != nil && !errors.Is(err, errAlreadyJoined) {
			errs = append(errs, fmt.Errorf("join %v on %s: %w", ep.dst, ep.name, err))
		}
	}
	return errors.Join(errs...)
}

// sendTo publishes b on one endpoint.
func (s *sockets) sendTo(b []byte, ep endpoint, port uint16) error {
	dst := ep.dst
	switch {
	case s.ipv6:
		if dst.IsLinkLocalMulticast() || dst.IsInterfaceLocalMulticast() {
			dst = dst.WithZone(ep.name)
		} else if err := s.p6s.SetMulticastInterface(&net.Interface{Index: ep.index, Name: ep.name}); err != nil {
			return err
		}
	case dst.IsMulticast():
		if err := s.p4s.SetMulticastInterface(&net.Interface{Index: ep.index, Name: ep.name}); err != nil {
			return err
		}
	}
	_, err := s.send.WriteToUDPAddrPort(b, netip.AddrPortFrom(dst, port))
	return err
}

// read reads one datagram into buf.
func (s *sockets) read(buf []byte) (n, ifindex int, src net.Addr, err error) {
	if s.ipv6 {
		var cm *ipv6.ControlMessage
		n, cm, src, err = s.p6r.ReadFrom(buf)
		if cm != nil {
			ifindex = cm.IfIndex
		}
		return
	}
	var cm *ipv4.ControlMessage
	n, cm, src, err = s.p4r.ReadFrom(buf)
	if cm != nil {
		ifindex = cm.IfIndex
	}
	return
}

// startReader starts the goroutine that reads the receiving socket and
// queues valid-length datagrams on in, dropping them when in is full.
func (s *sockets) startReader(in chan<- datagram, st *counters, gen uint64) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		buf := make([]byte, readBuffer)
		for {
			n, ifindex, src, err := s.read(buf)
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				st.readErrors.Add(1)
				time.Sleep(10 * time.Millisecond) // do not spin on a broken socket
				continue
			}
			st.received.Add(1)
			switch check(n) {
			case oversized:
				st.oversized.Add(1)
				continue
			case malformed:
				st.malformed.Add(1)
				continue
			}
			ua, ok := src.(*net.UDPAddr)
			if !ok {
				st.malformed.Add(1)
				continue
			}
			ap := ua.AddrPort()
			d := datagram{
				payload: append([]byte(nil), buf[:n]...),
				src:     netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()),
				ifindex: ifindex,
				at:      time.Now(),
				gen:     gen,
			}
			select {
			case in <- d:
			default:
				st.dropped.Add(1)
			}
		}
	}()
}

// close closes both sockets and waits for the reader goroutine.
func (s *sockets) close() {
	_ = s.recv.Close()
	_ = s.send.Close()
	s.wg.Wait()
}
