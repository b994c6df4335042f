// Command benchtab turns `go test -bench` output into a table that pairs
// each zkit benchmark with its raw-engine baseline from the same run.
//
// Benchmarks whose names end in /raw and /zsock (or /zkit) under the same
// prefix form a pair; benchtab takes the median of the "msg/s" metric over
// repeated runs (-count) and prints both medians and their ratio. With
// -target it marks pairs whose ratio is below the target.
//
//	go test -run '^$' -bench . -count 5 ./zsock | go run ./internal/benchtab -target 0.95
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

func main() {
	target := flag.Float64("target", 0, "mark ratios below this value")
	echo := flag.Bool("echo", false, "copy the benchmark output to stderr as it arrives")
	flag.Parse()
	var in io.Reader = os.Stdin
	if *echo {
		in = io.TeeReader(os.Stdin, os.Stderr)
	}
	res, err := parse(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtab:", err)
		os.Exit(1)
	}
	if len(res) == 0 {
		fmt.Fprintln(os.Stderr, "benchtab: no paired benchmarks with a msg/s metric in the input")
		os.Exit(1)
	}
	fmt.Print(table(res, *target))
}

// sample holds the msg/s values seen for one side of a pair.
type pair struct {
	raw, zkit []float64
}

// parse reads benchmark lines and groups msg/s values by pair prefix.
func parse(r io.Reader) (map[string]*pair, error) {
	out := map[string]*pair{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := fields[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		slash := strings.LastIndexByte(name, '/')
		if slash < 0 {
			continue
		}
		prefix, side := strings.TrimPrefix(name[:slash], "Benchmark"), name[slash+1:]
		var v float64
		found := false
		for i := 2; i+1 < len(fields); i++ {
			if fields[i+1] == "msg/s" {
				f, err := strconv.ParseFloat(fields[i], 64)
				if err != nil {
					return nil, fmt.Errorf("bad msg/s value %q in %q", fields[i], sc.Text())
				}
				v, found = f, true
			}
		}
		if !found {
			continue
		}
		p := out[prefix]
		if p == nil {
			p = &pair{}
			out[prefix] = p
		}
		switch side {
		case "raw":
			p.raw = append(p.raw, v)
		case "zsock", "zkit":
			p.zkit = append(p.zkit, v)
		}
	}
	for k, p := range out {
		if len(p.raw) == 0 || len(p.zkit) == 0 {
			delete(out, k)
		}
	}
	return out, sc.Err()
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// table formats the pairs in name order.
func table(res map[string]*pair, target float64) string {
	names := make([]string, 0, len(res))
	for k := range res {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%-34s %14s %14s %7s %5s\n", "benchmark (median of runs)", "raw msg/s", "zkit msg/s", "ratio", "runs")
	for _, n := range names {
		p := res[n]
		r, z := median(p.raw), median(p.zkit)
		ratio := z / r
		mark := ""
		if target > 0 && ratio < target {
			mark = fmt.Sprintf("  below %.2f", target)
		}
		fmt.Fprintf(&b, "%-34s %14.0f %14.0f %7.2f %5d%s\n", n, r, z, ratio, min(len(p.raw), len(p.zkit)), mark)
	}
	return b.String()
}
