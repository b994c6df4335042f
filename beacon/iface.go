package beacon

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
)

// endpoint is one interface the beacon publishes on.
type endpoint struct {
	index int        // interface index
	name  string     // interface name
	addr  netip.Addr // the interface's own address of the beacon's family
	dst   netip.Addr // where beacons go: broadcast address or group
	loop  bool       // the loopback interface
}

// ifaceInfo is what resolution needs to know about one interface; it is
// separate from net.Interface so that tests can feed made-up hosts.
type ifaceInfo struct {
	net.Interface
	prefixes []netip.Prefix // addresses with their prefix lengths
}

// hostInterfaces lists the interfaces of this host with their addresses.
func hostInterfaces() ([]ifaceInfo, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	out := make([]ifaceInfo, 0, len(ifs))
	for _, ifi := range ifs {
		info := ifaceInfo{Interface: ifi}
		addrs, err := ifi.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, ok := netip.AddrFromSlice(ipn.IP)
			if !ok {
				continue
			}
			ones, _ := ipn.Mask.Size()
			info.prefixes = append(info.prefixes, netip.PrefixFrom(ip.Unmap(), ones))
		}
		out = append(out, info)
	}
	return out, nil
}

// resolve picks the endpoints for spec ("" for the default choice, "*"
// for all) and returns them with the text CONFIGURE replies: an address,
// "*", or "" when nothing is usable (then the error says why).
func resolve(ifs []ifaceInfo, spec string, o *options) ([]endpoint, string, error) {
	var out []endpoint
	switch spec {
	case "", "*":
		var lo []endpoint
		for _, ifi := range ifs {
			ep, ok := suitable(ifi, o)
			if !ok {
				continue
			}
			if ep.loop {
				lo = append(lo, ep)
				continue
			}
			out = append(out, ep)
			if spec == "" {
				break
			}
		}
		if len(out) == 0 {
			out = lo
		}
		if len(out) == 0 {
			return nil, "", ErrNoInterface
		}
		if spec == "*" {
			return out, "*", nil
		}
		return out[:1], out[0].addr.String(), nil
	}
	ifi, ok := findInterface(ifs, spec)
	if !ok {
		return nil, "", fmt.Errorf("%w: no interface %q", ErrNoInterface, spec)
	}
	ep, ok := suitable(ifi, o)
	if !ok {
		return nil, "", fmt.Errorf("%w: interface %s is down or has no suitable address", ErrNoInterface, ifi.Name)
	}
	return []endpoint{ep}, ep.addr.String(), nil
}

// findInterface finds the interface named by spec: a name, an index or
// one of its addresses.
func findInterface(ifs []ifaceInfo, spec string) (ifaceInfo, bool) {
	for _, ifi := range ifs {
		if ifi.Name == spec {
			return ifi, true
		}
	}
	if n, err := strconv.Atoi(spec); err == nil {
		for _, ifi := range ifs {
			if ifi.Index == n {
				return ifi, true
			}
		}
	}
	if a, err := netip.ParseAddr(spec); err == nil {
		a = a.Unmap().WithZone("")
		for _, ifi := range ifs {
			for _, p := range ifi.prefixes {
				if p.Addr() == a {
					return ifi, true
				}
			}
		}
	}
	return ifaceInfo{}, false
}

// loopbackBroadcast is where an IPv4 beacon goes on the loopback
// interface: Linux delivers it, like a broadcast, to every socket bound to
// the port.
var loopbackBroadcast = netip.MustParseAddr("127.255.255.255")

// suitable reports whether beacons can use ifi and, if so, how.
func suitable(ifi ifaceInfo, o *options) (endpoint, bool) {
	if ifi.Flags&net.FlagUp == 0 {
		return endpoint{}, false
	}
	ep := endpoint{index: ifi.Index, name: ifi.Name, loop: ifi.Flags&net.FlagLoopback != 0}
	if o.ipv6 {
		// Loopback cannot carry IPv6 multicast.
		if ep.loop || ifi.Flags&net.FlagMulticast == 0 {
			return endpoint{}, false
		}
		for _, p := range ifi.prefixes {
			a := p.Addr()
			if a.Is6() && a.IsLinkLocalUnicast() {
				ep.addr = a
				break
			}
			if a.Is6() && !ep.addr.IsValid() {
				ep.addr = a
			}
		}
		if !ep.addr.IsValid() {
			return endpoint{}, false
		}
		ep.dst = defaultIPv6Group
		if o.group.IsValid() {
			ep.dst = o.group
		}
		return ep, true
	}
	var pfx netip.Prefix
	for _, p := range ifi.prefixes {
		if p.Addr().Is4() {
			pfx = p
			break
		}
	}
	if !pfx.IsValid() {
		return endpoint{}, false
	}
	ep.addr = pfx.Addr()
	switch {
	case ep.loop:
		ep.dst = loopbackBroadcast
	case o.group.IsValid():
		if ifi.Flags&net.FlagMulticast == 0 {
			return endpoint{}, false
		}
		ep.dst = o.group
	default:
		if ifi.Flags&net.FlagBroadcast == 0 {
			return endpoint{}, false
		}
		ep.dst = broadcastOf(pfx)
	}
	return ep, true
}

// broadcastOf returns the directed broadcast address of an IPv4 prefix.
func broadcastOf(p netip.Prefix) netip.Addr {
	a := p.Addr().As4()
	bits := p.Bits()
	if bits <= 0 || bits >= 32 {
		return netip.AddrFrom4([4]byte{255, 255, 255, 255})
	}
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v |= (1 << (32 - bits)) - 1
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// localAddrs returns every address of the host's interfaces, for the
// BySource filter.
func localAddrs(ifs []ifaceInfo) map[netip.Addr]struct{} {
	m := make(map[netip.Addr]struct{})
	for _, ifi := range ifs {
		for _, p := range ifi.prefixes {
			m[p.Addr()] = struct{}{}
		}
	}
	return m
}
