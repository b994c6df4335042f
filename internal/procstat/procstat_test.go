//go:build linux

package procstat

import (
	"testing"
)

func TestStatusAndCPU(t *testing.T) {
	rss, err := Status("VmRSS")
	if err != nil || rss <= 0 {
		t.Fatalf("VmRSS = %d, %v", rss, err)
	}
	threads, err := Status("Threads")
	if err != nil || threads < 1 {
		t.Fatalf("Threads = %d, %v", threads, err)
	}
	if _, err := Status("NoSuchField"); err == nil {
		t.Fatal("missing field gave no error")
	}
	before, err := CPUTime()
	if err != nil {
		t.Fatal(err)
	}
	x := 0
	for i := range 50_000_000 {
		x += i
	}
	after, _ := CPUTime()
	if after <= before || x == 0 {
		t.Fatalf("CPU time did not grow: %v -> %v", before, after)
	}
}
