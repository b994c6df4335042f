package main

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// parseReport reads "key: value" lines into a map.
func parseReport(t *testing.T, out string) map[string]string {
	t.Helper()
	kv := make(map[string]string)
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("line %q is not key: value", line)
		}
		kv[k] = strings.TrimSpace(v)
	}
	return kv
}

// positive checks that the first word of kv[key] is a positive number or
// duration.
func positive(t *testing.T, kv map[string]string, key string) {
	t.Helper()
	v, ok := kv[key]
	if !ok {
		t.Errorf("no %q in %q", key, kv)
		return
	}
	word := strings.Fields(v)[0]
	if d, err := time.ParseDuration(word); err == nil {
		if d <= 0 {
			t.Errorf("%s = %v, want > 0", key, d)
		}
		return
	}
	if f, err := strconv.ParseFloat(word, 64); err != nil || f <= 0 {
		t.Errorf("%s = %q, want a positive number", key, v)
	}
}

func checkThr(t *testing.T, out string) {
	t.Helper()
	kv := parseReport(t, out)
	if kv["messages"] != "2000" || kv["size"] != "16 B" {
		t.Errorf("report %q", kv)
	}
	for _, k := range []string{"elapsed", "msg/s", "MB/s", "Mb/s"} {
		positive(t, kv, k)
	}
}

func checkLat(t *testing.T, out string) {
	t.Helper()
	kv := parseReport(t, out)
	if kv["round trips"] != "2000" || kv["size"] != "16 B" {
		t.Errorf("report %q", kv)
	}
	for _, k := range []string{"median", "p99", "min", "max", "one-way"} {
		positive(t, kv, k)
	}
}

func TestPerfLocal(t *testing.T) {
	for _, tr := range []string{"tcp", "inproc", "ipc"} {
		t.Run(tr, func(t *testing.T) {
			code, out, errOut := runSync(t, "", "perf", "thr", "--count", "2000", "--transport", tr)
			if code != 0 || errOut != "" {
				t.Fatalf("thr: status %d, stderr %q", code, errOut)
			}
			checkThr(t, out)
			code, out, errOut = runSync(t, "", "perf", "lat", "--count", "2000", "--transport", tr)
			if code != 0 || errOut != "" {
				t.Fatalf("lat: status %d, stderr %q", code, errOut)
			}
			checkLat(t, out)
		})
	}
}

func TestPerfRemote(t *testing.T) {
	t.Run("thr", func(t *testing.T) {
		recv := startRun(t, nil, "perf", "thr", "--bind", "tcp://127.0.0.1:*", "--count", "2000")
		ep := recv.boundEndpoint(t)
		code, out, errOut := runSync(t, "", "perf", "thr", "--connect", ep, "--count", "2000")
		if code != 0 || errOut != "" {
			t.Fatalf("connect: status %d, stderr %q", code, errOut)
		}
		if kv := parseReport(t, out); kv["messages"] != "2000" {
			t.Errorf("sender report %q", kv)
		}
		if code := recv.wait(t); code != 0 {
			t.Fatalf("bind: status %d, stderr %q", code, recv.stderr)
		}
		checkThr(t, recv.stdout.String())
	})
	t.Run("lat", func(t *testing.T) {
		echo := startRun(t, nil, "perf", "lat", "--bind", "tcp://127.0.0.1:*", "--count", "2000")
		ep := echo.boundEndpoint(t)
		code, out, errOut := runSync(t, "", "perf", "lat", "--connect", ep, "--count", "2000")
		if code != 0 || errOut != "" {
			t.Fatalf("connect: status %d, stderr %q", code, errOut)
		}
		checkLat(t, out)
		if code := echo.wait(t); code != 0 {
			t.Fatalf("bind: status %d, stderr %q", code, echo.stderr)
		}
	})
}

func TestPerfSizeMismatch(t *testing.T) {
	recv := startRun(t, nil, "perf", "thr", "--bind", "tcp://127.0.0.1:*", "--count", "10", "--size", "8")
	ep := recv.boundEndpoint(t)
	if code, _, errOut := runSync(t, "", "perf", "thr", "--connect", ep, "--count", "10"); code != 0 {
		t.Fatalf("connect: status %d, stderr %q", code, errOut)
	}
	if code := recv.wait(t); code != 1 {
		t.Fatalf("bind: status %d, want 1", code)
	}
	if got := recv.stderr.lines(); len(got) != 2 || !strings.Contains(got[1], "has 16 bytes, want 8") {
		t.Errorf("stderr %q", got)
	}
}

func TestPerfInterrupt(t *testing.T) {
	r := startRun(t, nil, "perf", "thr", "--bind", "tcp://127.0.0.1:*")
	r.boundEndpoint(t)
	r.cancel()
	if code := r.wait(t); code != 0 || r.stdout.String() != "" {
		t.Errorf("status %d, stdout %q", code, r.stdout)
	}
}

func TestSummarize(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		var d []time.Duration
		for _, x := range n {
			d = append(d, time.Duration(x)*time.Millisecond)
		}
		return d
	}
	tests := []struct {
		in                    []time.Duration
		min, max, median, p99 time.Duration
	}{
		{ms(5), 5e6, 5e6, 5e6, 5e6},
		{ms(4, 1, 3, 2), 1e6, 4e6, 2.5e6, 4e6},
		{ms(3, 1, 2), 1e6, 3e6, 2e6, 3e6},
	}
	for _, tt := range tests {
		st := summarize(tt.in)
		if st.n != len(tt.in) || st.min != tt.min || st.max != tt.max || st.median != tt.median || st.p99 != tt.p99 {
			t.Errorf("summarize(%v) = %+v", tt.in, st)
		}
	}
	// 1..200 ms: p99 is the 198th value.
	var many []time.Duration
	for i := 200; i >= 1; i-- {
		many = append(many, time.Duration(i)*time.Millisecond)
	}
	if st := summarize(many); st.p99 != 198*time.Millisecond || st.median != 100500*time.Microsecond {
		t.Errorf("p99 %v, median %v", st.p99, st.median)
	}
	if st := summarize(nil); st != (latStats{}) {
		t.Errorf("summarize(nil) = %+v", st)
	}
}
