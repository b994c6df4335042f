// Command benchtab turns `go test -bench` output into tables: each zkit
// benchmark beside its raw-engine baseline from the same run, then every
// other measurement the benchmarks report.
//
// Benchmarks whose names end in /raw and /zsock (or /zkit) under the same
// prefix form a pair; /base takes the place of /raw when the baseline is
// zkit without the feature measured (presence bookkeeping, say). For each metric both sides report, benchtab takes the
// median over repeated runs (-count) and prints both medians and a ratio
// where above 1 means zkit is better: zkit/raw for rates ("msg/s"),
// raw/zkit for latencies (units ending in "-us"). With -target it marks
// pairs whose ratio is below the target. Custom metrics of unpaired
// benchmarks (actor round trips, timer lateness, idle costs) are listed
// with their medians.
//
//	go test -run '^$' -bench . -count 5 ./... | go run ./internal/benchtab -target 0.95
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
	if len(res.pairs) == 0 && len(res.solo) == 0 {
		fmt.Fprintln(os.Stderr, "benchtab: no benchmark metrics in the input")
		os.Exit(1)
	}
	fmt.Print(table(res.pairs, *target))
	fmt.Print(soloTable(res.solo))
}

// key names one metric of one benchmark (or pair prefix).
type key struct{ name, unit string }

// pair holds the values seen for the two sides of a pair.
type pair struct {
	raw, zkit []float64
}

type results struct {
	pairs map[key]*pair
	solo  map[key][]float64
}

// standard units are those `go test` prints for every benchmark.
var standard = map[string]bool{"ns/op": true, "B/op": true, "allocs/op": true, "MB/s": true}

// parse reads benchmark lines and groups metric values.
func parse(r io.Reader) (*results, error) {
	pairs := map[key]*pair{}
	solo := map[key][]float64{}
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
		name = strings.TrimPrefix(name, "Benchmark")
		prefix, side := name, ""
		if slash := strings.LastIndexByte(name, '/'); slash >= 0 {
			switch s := name[slash+1:]; s {
			case "raw", "base", "zsock", "zkit":
				prefix, side = name[:slash], s
			}
		}
		for i := 2; i+1 < len(fields); i += 2 {
			unit := fields[i+1]
			if standard[unit] {
				continue
			}
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("bad %s value %q in %q", unit, fields[i], sc.Text())
			}
			if side == "" {
				k := key{name, unit}
				solo[k] = append(solo[k], v)
				continue
			}
			k := key{prefix, unit}
			p := pairs[k]
			if p == nil {
				p = &pair{}
				pairs[k] = p
			}
			if side == "raw" || side == "base" {
				p.raw = append(p.raw, v)
			} else {
				p.zkit = append(p.zkit, v)
			}
		}
	}
	for k, p := range pairs {
		if len(p.raw) == 0 || len(p.zkit) == 0 {
			delete(pairs, k)
		}
	}
	return &results{pairs: pairs, solo: solo}, sc.Err()
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

// lowerIsBetter tells latencies from rates.
func lowerIsBetter(unit string) bool { return strings.HasSuffix(unit, "-us") }

func sortedKeys[V any](m map[key]V) []key {
	ks := make([]key, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].name != ks[j].name {
			return ks[i].name < ks[j].name
		}
		return ks[i].unit < ks[j].unit
	})
	return ks
}

// table formats the pairs in name order.
func table(res map[key]*pair, target float64) string {
	if len(res) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-38s %-8s %12s %12s %7s %5s\n", "benchmark (median of runs)", "metric", "raw", "zkit", "ratio", "runs")
	for _, k := range sortedKeys(res) {
		p := res[k]
		r, z := median(p.raw), median(p.zkit)
		ratio := z / r
		if lowerIsBetter(k.unit) {
			ratio = r / z
		}
		mark := ""
		if target > 0 && ratio < target {
			mark = fmt.Sprintf("  below %.2f", target)
		}
		fmt.Fprintf(&b, "%-38s %-8s %12.0f %12.0f %7.2f %5d%s\n", k.name, k.unit, r, z, ratio, min(len(p.raw), len(p.zkit)), mark)
	}
	return b.String()
}

// soloTable lists the metrics of unpaired benchmarks.
func soloTable(res map[key][]float64) string {
	if len(res) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-38s %-14s %12s %5s\n", "measurement (median of runs)", "metric", "value", "runs")
	for _, k := range sortedKeys(res) {
		fmt.Fprintf(&b, "%-38s %-14s %12.4g %5d\n", k.name, k.unit, median(res[k]), len(res[k]))
	}
	return b.String()
}
