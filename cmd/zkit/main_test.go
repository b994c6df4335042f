package main

import (
	"context"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if spec := os.Getenv(demoPeerEnv); spec != "" {
		os.Exit(demoPeerMain(spec)) // the demo's client process, as in main
	}
	goleak.VerifyTestMain(m)
}

// waitLimit bounds every wait for an event in these tests; it is generous
// because the race detector slows everything down on small machines.
const waitLimit = 15 * time.Second

// lineLog is an io.Writer, safe for concurrent use, that keeps what is
// written and lets a test wait for a line.
type lineLog struct {
	mu      sync.Mutex
	text    strings.Builder
	changed chan struct{} // closed and replaced on every write
}

func newLineLog() *lineLog { return &lineLog{changed: make(chan struct{})} }

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.text.Write(p)
	close(l.changed)
	l.changed = make(chan struct{})
	return len(p), nil
}

// String returns everything written so far.
func (l *lineLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text.String()
}

// lines returns the complete lines written so far.
func (l *lineLog) lines() []string {
	s := l.String()
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return strings.Split(s[:i], "\n")
	}
	return nil
}

// waitLine waits for a complete line starting with prefix and returns it.
func (l *lineLog) waitLine(t *testing.T, prefix string) string {
	t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		changed := l.changed
		l.mu.Unlock()
		for _, line := range l.lines() {
			if strings.HasPrefix(line, prefix) {
				return line
			}
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("no line starting with %q within %v; got:\n%s", prefix, waitLimit, l.String())
		}
	}
}

// bgRun is a run() in progress in its own goroutine.
type bgRun struct {
	stdout, stderr *lineLog
	cancel         context.CancelFunc
	done           chan struct{} // closed when run has returned
	code           int           // run's result, valid after done
}

// startRun starts run(args) in a goroutine. When run returns, stdin is
// closed if it is a pipe (as a process exit would), so a test writing to it
// never blocks forever. The test's cleanup cancels the run and waits for it.
func startRun(t *testing.T, stdin io.Reader, args ...string) *bgRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &bgRun{stdout: newLineLog(), stderr: newLineLog(), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.code = run(ctx, args, stdin, r.stdout, r.stderr)
		if pr, ok := stdin.(*io.PipeReader); ok {
			pr.Close()
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	return r
}

// wait waits for the run to end and returns its exit status.
func (r *bgRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-r.done:
		return r.code
	case <-time.After(waitLimit):
		t.Fatalf("run did not end within %v; stdout:\n%s\nstderr:\n%s", waitLimit, r.stdout, r.stderr)
		return -1
	}
}

// boundEndpoint waits for the "zkit: bound EP" line and returns EP.
func (r *bgRun) boundEndpoint(t *testing.T) string {
	t.Helper()
	return strings.TrimPrefix(r.stderr.waitLine(t, "zkit: bound "), "zkit: bound ")
}

// runSync runs args to completion and returns the status and outputs.
func runSync(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	r := startRun(t, strings.NewReader(stdin), args...)
	code = r.wait(t)
	return code, r.stdout.String(), r.stderr.String()
}

// checkOneLineError checks that stderr is one "zkit: " line.
func checkOneLineError(t *testing.T, stderr string) {
	t.Helper()
	if !strings.HasPrefix(stderr, "zkit: ") || !strings.HasSuffix(stderr, "\n") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr is not one \"zkit: \" line: %q", stderr)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{nil, {"help"}, {"-h"}, {"--help"}} {
		code, out, errOut := runSync(t, "", args...)
		if code != 0 || errOut != "" {
			t.Errorf("%q: status %d, stderr %q", args, code, errOut)
		}
		for _, c := range commands() {
			if !strings.Contains(out, "\n  "+c.name+" ") {
				t.Errorf("%q: command %q missing from:\n%s", args, c.name, out)
			}
		}
	}
}

func TestCommandHelp(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"help", "cat"}, "usage: zkit cat TYPE ENDPOINTS"},
		{[]string{"cat", "-h"}, "usage: zkit cat TYPE ENDPOINTS"},
		{[]string{"cat", "pull", "x", "--help"}, "-frames-sep"},
		{[]string{"help", "perf"}, "zkit perf thr"},
		{[]string{"perf", "lat", "-h"}, "zkit perf lat"},
		{[]string{"help", "demo"}, "usage: zkit demo"},
		{[]string{"demo", "-h"}, "-list"},
		{[]string{"help", "version"}, "usage: zkit version"},
		{[]string{"help", "help"}, "usage: zkit help"},
	}
	for _, tt := range tests {
		code, out, errOut := runSync(t, "", tt.args...)
		if code != 0 || errOut != "" || !strings.Contains(out, tt.want) {
			t.Errorf("%q: status %d, stderr %q, stdout without %q:\n%s", tt.args, code, errOut, tt.want, out)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runSync(t, "", "version")
	if code != 0 || out != "zkit 0.1.0-dev\n" {
		t.Errorf("status %d, stdout %q", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"nosuch"},
		{"help", "nosuch"},
		{"version", "extra"},
		{"cat"},
		{"cat", "pull"},
		{"cat", "nosuch", "tcp://127.0.0.1:5555"},
		{"cat", "pull", "@tcp://127.0.0.1:*", "--bogus"},
		{"cat", "pull", "@tcp://127.0.0.1:*", "extra"},
		{"cat", "pull", "@tcp://127.0.0.1:*", "-n", "x"},
		{"cat", "pull", "@tcp://127.0.0.1:*", "-n", "-1"},
		{"cat", "pull", "@tcp://127.0.0.1:*", "--timeout", "-1s"},
		{"cat", "push", "tcp://127.0.0.1:5555", "--echo"},
		{"cat", "pull", "@tcp://127.0.0.1:*", "--subscribe", "a"},
		{"cat", "sub", "tcp://127.0.0.1:5555", "--subscribe", `\q`},
		{"cat", "pull", "@tcp://127.0.0.1:*", "--frames-sep", ""},
		{"cat", "pull", "@tcp://127.0.0.1:*", "--frames-sep", `\\`},
		{"cat", "pull", "@tcp://127.0.0.1:*", "--frames-sep", `\n`},
		{"cat", "pull", ","},
		{"perf"},
		{"perf", "nosuch"},
		{"perf", "thr", "extra"},
		{"perf", "thr", "--count", "1"},
		{"perf", "lat", "--count", "0"},
		{"perf", "thr", "--size", "-1"},
		{"perf", "thr", "--transport", "udp"},
		{"perf", "thr", "--bind", "tcp://127.0.0.1:*", "--connect", "tcp://127.0.0.1:5555"},
		{"perf", "lat", "--bind", "tcp://127.0.0.1:*", "--transport", "ipc"},
		{"demo", "nosuch"},
	} {
		code, out, errOut := runSync(t, "", args...)
		if code != 2 || out != "" {
			t.Errorf("%q: status %d (want 2), stdout %q", args, code, out)
		}
		checkOneLineError(t, errOut)
	}
}

func TestRuntimeErrors(t *testing.T) {
	for _, args := range [][]string{
		{"cat", "pull", "@tcp://127.0.0.1:notaport"},
		{"cat", "pull", "@nosuch://x"},
		{"perf", "thr", "--bind", "tcp://127.0.0.1:notaport", "--count", "2"},
	} {
		code, _, errOut := runSync(t, "", args...)
		if code != 1 {
			t.Errorf("%q: status %d, want 1", args, code)
		}
		checkOneLineError(t, errOut)
	}
}

func TestParseArgsInterspersed(t *testing.T) {
	fs := newFlagSet("x")
	n := fs.Int("n", 0, "")
	v := fs.Bool("v", false, "")
	pos, err := parseArgs(fs, []string{"-n", "3", "a", "-v", "b", "--", "-c"}, 0, -1, func() {})
	if err != nil {
		t.Fatal(err)
	}
	if *n != 3 || !*v || strings.Join(pos, " ") != "a b -c" {
		t.Errorf("n=%d v=%v pos=%q", *n, *v, pos)
	}
}
