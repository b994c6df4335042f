package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkPushPull/tcp/16B/raw-2   	 4034334	  340.4 ns/op	  47.00 MB/s	   3000000 msg/s
BenchmarkPushPull/tcp/16B/zsock-2 	 4633605	  255.2 ns/op	  62.70 MB/s	   3900000 msg/s
BenchmarkPushPull/tcp/16B/raw-2   	 4034334	  340.4 ns/op	  47.00 MB/s	   2000000 msg/s
BenchmarkPushPull/tcp/16B/zsock-2 	 4633605	  255.2 ns/op	  62.70 MB/s	   1000000 msg/s
BenchmarkPushPull/tcp/16B/raw-2   	 4034334	  340.4 ns/op	  47.00 MB/s	   4000000 msg/s
BenchmarkPushPull/tcp/16B/zsock-2 	 4633605	  255.2 ns/op	  62.70 MB/s	   1900000 msg/s
BenchmarkEcho/raw-2 	 10	  1 ns/op	 100 msg/s	 200 p50-us
BenchmarkEcho/zkit-2 	 10	  1 ns/op	 110 msg/s	 250 p50-us
BenchmarkLonely/raw-2 	 1	  1 ns/op	 5 msg/s
BenchmarkPresence/base-2 	 1	  1 ns/op	 1000 msg/s
BenchmarkPresence/zkit-2 	 1	  1 ns/op	 970 msg/s
BenchmarkPost-2 	 1000	  1 ns/op	 3.5 p50-us
BenchmarkPost-2 	 1000	  1 ns/op	 2.5 p50-us
BenchmarkOther-2 	 1	  1 ns/op
PASS
`

func TestParseAndTable(t *testing.T) {
	res, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.pairs) != 4 {
		t.Fatalf("pairs: %v", res.pairs)
	}
	p := res.pairs[key{"PushPull/tcp/16B", "msg/s"}]
	if p == nil || len(p.raw) != 3 || len(p.zkit) != 3 {
		t.Fatalf("pair %+v", p)
	}
	if p := res.pairs[key{"Presence", "msg/s"}]; p == nil || len(p.raw) != 1 || p.raw[0] != 1000 {
		t.Fatalf("a /base side is not the baseline: %+v", p)
	}
	out := table(res.pairs, 0.95)
	// medians: raw 3,000,000; zkit 1,900,000; ratio 0.63. Latency 200 vs
	// 250 us: lower is better, ratio 0.80.
	for _, want := range []string{"PushPull/tcp/16B", "3000000", "1900000", "0.63", "below 0.95", "p50-us", "0.80", "1.10", "0.97"} {
		if !strings.Contains(out, want) {
			t.Fatalf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Lonely") {
		t.Fatalf("unpaired benchmark in the pair table:\n%s", out)
	}
	solo := soloTable(res.solo)
	if !strings.Contains(solo, "Post") || !strings.Contains(solo, "3") || strings.Contains(solo, "Other") {
		t.Fatalf("solo table:\n%s", solo)
	}
}

func TestParseBadValue(t *testing.T) {
	_, err := parse(strings.NewReader("BenchmarkX/raw-2 1 1 ns/op abc msg/s\n"))
	if err == nil {
		t.Fatal("bad metric accepted")
	}
}

func TestMedianEven(t *testing.T) {
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Fatalf("median %v", m)
	}
}
