package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/zkit-go/zkit/zsock"
)

// flushLinger bounds how long a remote sending end (--connect for thr,
// --bind for lat) waits at exit for its last messages to reach the peer.
const flushLinger = 10 * time.Second

// perfConfig is a validated perf thr or perf lat invocation.
type perfConfig struct {
	test      string // "thr" or "lat"
	size      int    // message size in bytes
	count     int    // messages (thr) or round trips (lat)
	transport string // tcp, inproc or ipc, when both ends run here
	bind      string // run only the passive end, bound here
	connect   string // run only the active end, connected here
}

func newPerfFlags(test string) (*flag.FlagSet, *perfConfig) {
	cfg := &perfConfig{test: test}
	fs := newFlagSet("perf " + test)
	count, what := 1_000_000, "messages"
	if test == "lat" {
		count, what = 10_000, "round trips"
	}
	fs.IntVar(&cfg.size, "size", 16, "message size in `bytes`")
	fs.IntVar(&cfg.count, "count", count, "number of "+what)
	fs.StringVar(&cfg.transport, "transport", "tcp", "tcp, inproc or ipc, when both ends run in this process")
	passive, active := "receiving end (PULL)", "sending end (PUSH)"
	if test == "lat" {
		passive, active = "echoing end (REP)", "measuring end (REQ)"
	}
	fs.StringVar(&cfg.bind, "bind", "", "run only the "+passive+", bound to `ENDPOINT`")
	fs.StringVar(&cfg.connect, "connect", "", "run only the "+active+", connected to `ENDPOINT`")
	return fs, cfg
}

func perfUsage(w io.Writer) {
	fmt.Fprint(w, `usage: zkit perf thr|lat [flags]

thr measures PUSH->PULL throughput, lat REQ/REP round-trip latency, as
libzmq's local_thr/remote_thr and local_lat/remote_lat do. By default both
ends run in this process; --bind and --connect run one end each, so that the
two can run in different processes or on different hosts.

`)
	for _, test := range []string{"thr", "lat"} {
		fs, _ := newPerfFlags(test)
		printFlags(w, fs, "zkit perf "+test+" [--size B] [--count N] [--transport T] [--bind EP | --connect EP]\n")
		fmt.Fprintln(w)
	}
}

func runPerf(ctx context.Context, std stdio, args []string) error {
	if len(args) == 0 {
		return usagef("perf: want thr or lat (run 'zkit help perf')")
	}
	switch args[0] {
	case "-h", "-help", "--help":
		perfUsage(std.out)
		return nil
	case "thr", "lat":
	default:
		return usagef("perf: unknown test %q (want thr or lat)", args[0])
	}
	fs, cfg := newPerfFlags(args[0])
	if _, err := parseArgs(fs, args[1:], 0, 0, func() { perfUsage(std.out) }); err != nil {
		return err
	}
	set := setFlags(fs)
	switch {
	case cfg.size < 0:
		return usagef("perf: --size must not be negative")
	case cfg.test == "thr" && cfg.count < 2:
		return usagef("perf: --count must be at least 2 (the clock starts at the first message)")
	case cfg.count < 1:
		return usagef("perf: --count must be at least 1")
	case set["bind"] && set["connect"]:
		return usagef("perf: --bind and --connect are exclusive")
	case set["transport"] && (set["bind"] || set["connect"]):
		return usagef("perf: --transport applies only when both ends run here; the endpoint names it")
	case set["bind"] && cfg.bind == "", set["connect"] && cfg.connect == "":
		return usagef("perf: empty endpoint")
	}
	switch cfg.transport {
	case "tcp", "inproc", "ipc":
	default:
		return usagef("perf: unknown transport %q (want tcp, inproc or ipc)", cfg.transport)
	}
	if cfg.test == "thr" {
		return perfThr(ctx, *cfg, std)
	}
	return perfLat(ctx, *cfg, std)
}

// localEndpoint returns the endpoint the passive end binds when both ends
// run in this process, and a function removing what it created.
func localEndpoint(transport, test string) (string, func(), error) {
	switch transport {
	case "inproc":
		return "inproc://zkit-perf-" + test, func() {}, nil
	case "ipc":
		dir, err := os.MkdirTemp("", "zkit-perf-")
		if err != nil {
			return "", nil, err
		}
		return "ipc://" + filepath.Join(dir, test+".sock"), func() { os.RemoveAll(dir) }, nil
	}
	return "tcp://127.0.0.1:*", func() {}, nil
}

// pair runs the two ends of a local test, each in its own goroutine with
// its own socket. passive binds and calls bound with its endpoint; active
// starts then, connected to it. When one end fails the other is cancelled.
// Each end gets a channel closed when the other has finished, so that the
// end that finishes first can keep its socket open until the peer has read
// everything.
func pair(ctx context.Context,
	passive func(ctx context.Context, bound func(string), peerDone <-chan struct{}) error,
	active func(ctx context.Context, ep string, peerDone <-chan struct{}) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	passiveDone := make(chan struct{})
	activeDone := make(chan struct{})
	ready := make(chan string, 1)
	var perr, aerr error
	go func() {
		defer close(passiveDone)
		perr = passive(ctx, func(ep string) { ready <- ep }, activeDone)
		if perr != nil {
			cancel()
		}
	}()
	select {
	case ep := <-ready:
		go func() {
			defer close(activeDone)
			aerr = active(ctx, ep, passiveDone)
			if aerr != nil {
				cancel()
			}
		}()
	case <-passiveDone:
		close(activeDone)
	}
	<-passiveDone
	<-activeDone
	// Report the failure that came first, not the cancellation it caused.
	switch {
	case perr != nil && !errors.Is(perr, context.Canceled):
		return perr
	case aerr != nil && !errors.Is(aerr, context.Canceled):
		return aerr
	}
	return errors.Join(perr, aerr)
}

// holdUntil waits for peerDone (if not nil) or ctx: the end that finished
// first keeps its socket open meanwhile, so its last messages are not
// dropped when it closes with linger 0.
func holdUntil(ctx context.Context, peerDone <-chan struct{}) {
	if peerDone == nil {
		return
	}
	select {
	case <-peerDone:
	case <-ctx.Done():
	}
}

// closeRemote closes a context whose socket is already closed, waiting (up
// to the socket's linger, and no longer than ctx allows) for pending
// messages to be delivered.
func closeRemote(ctx context.Context, zctx *zsock.Context) error {
	err := zctx.Shutdown(ctx)
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// report writes aligned "key: value" lines.
func report(w io.Writer, kv [][2]string) error {
	tw := tabwriter.NewWriter(w, 0, 8, 1, ' ', 0)
	for _, p := range kv {
		fmt.Fprintf(tw, "%s:\t%s\n", p[0], p[1])
	}
	return tw.Flush()
}

// perfAbort turns a cancellation by the user (SIGINT) into a clean exit.
func perfAbort(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return nil
	}
	return err
}
