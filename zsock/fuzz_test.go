package zsock

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// FuzzEndpoints checks that endpoint lists and port specifications from
// users never panic and that accepted ones are consistent.
func FuzzEndpoints(f *testing.F) {
	for _, s := range []string{
		"", "@tcp://*:5555", ">tcp://h:1,@inproc://x", "tcp://127.0.0.1:*[60000-]",
		"tcp://h:![-60000]", "tcp://h:*[1-2]", "tcp://h:*[", "tcp://:!", "a,,b", "@", "tcp://h:*[0-99999]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		acts, err := parseEndpoints(s, true)
		if err == nil {
			for _, a := range acts {
				if a.endpoint == "" || strings.ContainsRune(a.endpoint, ',') {
					t.Fatalf("bad element %+v from %q", a, s)
				}
			}
		}
		ps, ok, err := parsePortSpec(s)
		if err != nil || !ok {
			return
		}
		if ps.first < 1 || ps.last > 65535 || ps.first > ps.last {
			t.Fatalf("range %d-%d accepted from %q", ps.first, ps.last, s)
		}
		if n := ps.last - ps.first + 1; n <= 64 {
			c := ps.candidates(rand.New(rand.NewPCG(1, 2)))
			seen := map[int]bool{}
			for _, p := range c {
				if p < ps.first || p > ps.last || seen[p] {
					t.Fatalf("candidate %d bad for %q", p, s)
				}
				seen[p] = true
			}
			if len(c) != n {
				t.Fatalf("%d candidates for a range of %d", len(c), n)
			}
		}
	})
}
