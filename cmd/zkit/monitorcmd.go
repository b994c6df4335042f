package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/zkit-go/zkit/monitor"
	"github.com/zkit-go/zkit/zsock"
)

func newMonitorFlags() (fs *flag.FlagSet, count *int, timeout *time.Duration, asJSON *bool, kinds *string) {
	fs = newFlagSet("monitor")
	count = fs.Int("n", 0, "stop after `N` events (0: no limit)")
	timeout = fs.Duration("timeout", 0, "stop after `D`; with -n it is an error to reach it")
	asJSON = fs.Bool("json", false, "print one JSON object per event")
	kinds = fs.String("events", "ALL", "comma-separated event `NAMES` to show (CONNECTED, ACCEPTED, ...)")
	return
}

func monitorUsage(w io.Writer) {
	fs, _, _, _, _ := newMonitorFlags()
	printFlags(w, fs, `usage: zkit monitor TYPE ENDPOINTS [-n N] [--timeout D] [--events NAMES] [--json]

Creates a socket of TYPE, attaches it to ENDPOINTS as zkit cat does, and
prints its events as they happen: listening, connections and their
retries, accepts, handshakes (with the reason when one fails) and
disconnections. The socket sends and receives nothing.
`)
}

func runMonitor(ctx context.Context, std stdio, args []string) error {
	fs, count, timeout, asJSON, kindList := newMonitorFlags()
	pos, err := parseArgs(fs, args, 2, 2, func() { monitorUsage(std.out) })
	if err != nil {
		return err
	}
	typ, err := zsock.ParseType(pos[0])
	if err != nil {
		return usagef("monitor: unknown socket type %q", pos[0])
	}
	if *count < 0 || *timeout < 0 {
		return usagef("monitor: -n and --timeout must not be negative")
	}
	var kinds monitor.Kind
	for _, name := range strings.Split(*kindList, ",") {
		k, err := monitor.ParseKind(strings.TrimSpace(name))
		if err != nil {
			return usagef("monitor: --events: %v", err)
		}
		kinds |= k
	}
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if *timeout > 0 {
		runCtx, cancel = context.WithTimeout(ctx, *timeout)
	}
	defer cancel()

	zctx, err := zsock.NewContext()
	if err != nil {
		return err
	}
	defer zctx.Close()
	sock, err := zsock.New(typ, zsock.WithContext(zctx))
	if err != nil {
		return err
	}
	defer sock.Close()
	events := make(chan monitor.Event, 256)
	m, err := monitor.New(runCtx, sock, monitor.WithEvents(events), monitor.WithKinds(kinds))
	if err != nil {
		return fmt.Errorf("monitor: %w", err)
	}
	defer m.Close()
	if err := attach(sock, pos[1], std.err, slog.New(slog.DiscardHandler)); err != nil {
		return err
	}
	for n := 0; *count == 0 || n < *count; n++ {
		select {
		case ev := <-events:
			if err := printEvent(std.out, ev, *asJSON); err != nil {
				return err
			}
		case <-runCtx.Done():
			if ctx.Err() == nil && *count > 0 {
				return errTimeout
			}
			return nil
		}
	}
	return nil
}

// printEvent writes one event as a line.
func printEvent(w io.Writer, ev monitor.Event, asJSON bool) error {
	if !asJSON {
		_, err := fmt.Fprintf(w, "%s %s\n", ev.Time.Format("15:04:05.000000"), ev)
		return err
	}
	line, err := json.Marshal(struct {
		Time     string `json:"time"`
		Event    string `json:"event"`
		Endpoint string `json:"endpoint"`
		Value    uint32 `json:"value"`
	}{ev.Time.Format(time.RFC3339Nano), ev.Kind.String(), ev.Endpoint, ev.Value})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", line)
	return err
}
