package zsock

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Ephemeral port range used by "*" and "!" binds unless the endpoint gives
// its own: the IANA dynamic range, as in CZMQ.
const (
	DynamicFirst = 0xC000
	DynamicLast  = 0xFFFF
)

// endpointAction is one element of a CZMQ endpoint list.
type endpointAction struct {
	bind     bool
	endpoint string
}

// parseEndpoints splits a CZMQ endpoint list: comma-separated endpoints,
// each optionally prefixed with '@' (bind) or '>' (connect); without a
// prefix, serverish decides. Empty elements are an error.
func parseEndpoints(list string, serverish bool) ([]endpointAction, error) {
	if list == "" {
		return nil, nil
	}
	var out []endpointAction
	for _, ep := range strings.Split(list, ",") {
		ep = strings.TrimSpace(ep)
		a := endpointAction{bind: serverish}
		switch {
		case strings.HasPrefix(ep, "@"):
			a.bind, ep = true, ep[1:]
		case strings.HasPrefix(ep, ">"):
			a.bind, ep = false, ep[1:]
		}
		if ep == "" {
			return nil, fmt.Errorf("%w: empty element in endpoint list %q", ErrEndpoint, list)
		}
		a.endpoint = ep
		out = append(out, a)
	}
	return out, nil
}

// portSpec is a parsed tcp bind endpoint with an ephemeral port request:
// tcp://HOST:* or tcp://HOST:! optionally followed by [first-last].
type portSpec struct {
	prefix      string // "tcp://HOST"
	random      bool   // '!' rather than '*'
	first, last int
}

// parsePortSpec recognises CZMQ's ephemeral tcp endpoints. ok is false for
// every other endpoint (which is then handed to libzmq unchanged).
func parsePortSpec(ep string) (ps portSpec, ok bool, err error) {
	if !strings.HasPrefix(ep, "tcp://") {
		return ps, false, nil
	}
	colon := strings.LastIndexByte(ep, ':')
	if colon < len("tcp://") {
		return ps, false, nil
	}
	port := ep[colon+1:]
	if port == "" || (port[0] != '*' && port[0] != '!') {
		return ps, false, nil
	}
	ps = portSpec{prefix: ep[:colon], random: port[0] == '!', first: DynamicFirst, last: DynamicLast}
	rest := port[1:]
	if rest == "" {
		return ps, true, nil
	}
	if len(rest) < 3 || rest[0] != '[' || rest[len(rest)-1] != ']' {
		return ps, false, fmt.Errorf("%w: bad port range in %q (want [first-last])", ErrEndpoint, ep)
	}
	lo, hi, found := strings.Cut(rest[1:len(rest)-1], "-")
	if !found {
		return ps, false, fmt.Errorf("%w: bad port range in %q (want [first-last])", ErrEndpoint, ep)
	}
	if lo != "" {
		if ps.first, err = parsePort(lo); err != nil {
			return ps, false, fmt.Errorf("%w: %q: %v", ErrEndpoint, ep, err)
		}
	}
	if hi != "" {
		if ps.last, err = parsePort(hi); err != nil {
			return ps, false, fmt.Errorf("%w: %q: %v", ErrEndpoint, ep, err)
		}
	}
	if ps.first > ps.last {
		return ps, false, fmt.Errorf("%w: empty port range in %q", ErrEndpoint, ep)
	}
	return ps, true, nil
}

func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("port %q out of range 1-65535", s)
	}
	return n, nil
}

// candidates yields the ports to try, in order: from first upwards for '*',
// from a random start wrapping around for '!'. Every port is tried once.
func (ps portSpec) candidates(r *rand.Rand) []int {
	n := ps.last - ps.first + 1
	start := 0
	if ps.random {
		start = r.IntN(n)
	}
	out := make([]int, n)
	for i := range n {
		out[i] = ps.first + (start+i)%n
	}
	return out
}

// tcpPort returns the port of a tcp endpoint such as "tcp://1.2.3.4:5555",
// or 0 for other transports and unparsable ports.
func tcpPort(ep string) int {
	if !strings.HasPrefix(ep, "tcp://") {
		return 0
	}
	colon := strings.LastIndexByte(ep, ':')
	if colon < 0 {
		return 0
	}
	n, err := strconv.Atoi(ep[colon+1:])
	if err != nil {
		return 0
	}
	return n
}
