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
BenchmarkLonely/raw-2 	 1	  1 ns/op	 5 msg/s
BenchmarkOther-2 	 1	  1 ns/op
PASS
`

func TestParseAndTable(t *testing.T) {
	res, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("pairs: %v", res)
	}
	p := res["PushPull/tcp/16B"]
	if p == nil || len(p.raw) != 3 || len(p.zkit) != 3 {
		t.Fatalf("pair %+v", p)
	}
	out := table(res, 0.95)
	// medians: raw 3,000,000; zkit 1,900,000; ratio 0.63
	for _, want := range []string{"PushPull/tcp/16B", "3000000", "1900000", "0.63", "below 0.95"} {
		if !strings.Contains(out, want) {
			t.Fatalf("table lacks %q:\n%s", want, out)
		}
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
