package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/zkit-go/zkit/beacon"
)

// defaultBeaconPort is ZRE's beacon port, the usual choice on a LAN.
const defaultBeaconPort = 5670

// beaconFlags are the flags both beacon subcommands take.
type beaconFlags struct {
	port  int
	iface string
	ipv6  bool
	group string
}

func addBeaconFlags(fs *flag.FlagSet) *beaconFlags {
	f := &beaconFlags{}
	fs.IntVar(&f.port, "port", defaultBeaconPort, "UDP `PORT`")
	fs.StringVar(&f.iface, "iface", "", "interface by `NAME`, address or index, or * for all (default: the first that can broadcast, else loopback)")
	fs.BoolVar(&f.ipv6, "ipv6", false, "use IPv6 multicast (ff02::1 unless --group)")
	fs.StringVar(&f.group, "group", "", "multicast group `ADDR` instead of broadcast")
	return f
}

// options turns the flags into beacon options.
func (f *beaconFlags) options(cmd string) ([]beacon.Option, error) {
	if f.port <= 0 || f.port > 65535 {
		return nil, usagef("beacon %s: --port %d out of range", cmd, f.port)
	}
	var opts []beacon.Option
	if f.iface != "" {
		opts = append(opts, beacon.WithInterface(f.iface))
	}
	if f.ipv6 {
		opts = append(opts, beacon.WithIPv6())
	}
	if f.group != "" {
		g, err := netip.ParseAddr(f.group)
		if err != nil {
			return nil, usagef("beacon %s: --group: %v", cmd, err)
		}
		opts = append(opts, beacon.WithGroup(g))
	}
	return opts, nil
}

func beaconUsage(w io.Writer) {
	fs := newFlagSet("beacon")
	addBeaconFlags(fs)
	printFlags(w, fs, `usage: zkit beacon listen [--filter PREFIX] [-n N] [--timeout D] [--json] [flags]
       zkit beacon publish DATA [--hex] [--interval D] [--for D] [flags]

UDP beacons as CZMQ's zbeacon sends them. listen prints one line per beacon
received: the sender's address and port, the interface it arrived on, and
the payload with bytes outside printable ASCII escaped; --json prints
{"addr":...,"port":...,"iface":...,"data":"<hex>"} instead. publish sends
DATA (at most 255 bytes; --hex to give it in hex) at once and then every
--interval, for --for or until interrupted.
`)
}

func runBeacon(ctx context.Context, std stdio, args []string) error {
	if len(args) == 0 {
		return usagef("beacon: missing subcommand (listen or publish)")
	}
	switch args[0] {
	case "listen":
		return beaconListen(ctx, std, args[1:])
	case "publish":
		return beaconPublish(ctx, std, args[1:])
	case "-h", "-help", "--help":
		beaconUsage(std.out)
		return nil
	}
	return usagef("beacon: unknown subcommand %q (want listen or publish)", args[0])
}

func beaconListen(ctx context.Context, std stdio, args []string) error {
	fs := newFlagSet("beacon")
	bf := addBeaconFlags(fs)
	filter := fs.String("filter", "", "deliver only beacons starting with `PREFIX` (escapes allowed)")
	count := fs.Int("n", 0, "stop after `N` beacons (0: no limit)")
	timeout := fs.Duration("timeout", 0, "stop after `D`; with -n it is an error to reach it")
	asJSON := fs.Bool("json", false, "print one JSON object per beacon")
	if _, err := parseArgs(fs, args, 0, 0, func() { beaconUsage(std.out) }); err != nil {
		return err
	}
	opts, err := bf.options("listen")
	if err != nil {
		return err
	}
	if *count < 0 || *timeout < 0 {
		return usagef("beacon listen: -n and --timeout must not be negative")
	}
	prefix, err := unescape([]byte(*filter))
	if err != nil {
		return usagef("beacon listen: --filter: %v", err)
	}
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if *timeout > 0 {
		runCtx, cancel = context.WithTimeout(ctx, *timeout)
	}
	defer cancel()
	ch := make(chan beacon.Message, 256)
	b, err := beacon.New(runCtx, append(opts, beacon.WithChannel(ch))...)
	if err != nil {
		return fmt.Errorf("beacon listen: %w", err)
	}
	defer b.Close()
	addr, err := b.Configure(runCtx, bf.port)
	if err != nil {
		return fmt.Errorf("beacon listen: %w", err)
	}
	fmt.Fprintf(std.err, "zkit: listening on %s port %d\n", addr, bf.port)
	if err := b.Subscribe(runCtx, prefix); err != nil {
		return fmt.Errorf("beacon listen: %w", err)
	}
	for n := 0; *count == 0 || n < *count; n++ {
		select {
		case m := <-ch:
			if err := printBeacon(std.out, m, *asJSON); err != nil {
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

// printBeacon writes one received beacon as a line.
func printBeacon(w io.Writer, m beacon.Message, asJSON bool) error {
	if asJSON {
		line, err := json.Marshal(struct {
			Addr  string `json:"addr"`
			Port  uint16 `json:"port"`
			Iface string `json:"iface"`
			Data  string `json:"data"`
		}{m.Addr.String(), m.Port, m.Iface, hex.EncodeToString(m.Payload)})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", line)
		return err
	}
	iface := m.Iface
	if iface == "" {
		iface = "-"
	}
	_, err := fmt.Fprintf(w, "%s %s %s\n", netip.AddrPortFrom(m.Addr, m.Port), iface, escape(m.Payload))
	return err
}

func beaconPublish(ctx context.Context, std stdio, args []string) error {
	fs := newFlagSet("beacon")
	bf := addBeaconFlags(fs)
	isHex := fs.Bool("hex", false, "DATA is hexadecimal")
	interval := fs.Duration("interval", time.Second, "time `D` between beacons")
	forD := fs.Duration("for", 0, "stop after `D` (default: until interrupted)")
	pos, err := parseArgs(fs, args, 1, 1, func() { beaconUsage(std.out) })
	if err != nil {
		return err
	}
	opts, err := bf.options("publish")
	if err != nil {
		return err
	}
	var data []byte
	if *isHex {
		if data, err = hex.DecodeString(pos[0]); err != nil {
			return usagef("beacon publish: --hex: %v", err)
		}
	} else if data, err = unescape([]byte(pos[0])); err != nil {
		return usagef("beacon publish: DATA: %v", err)
	}
	switch {
	case len(data) == 0 || len(data) > beacon.MaxPayload:
		return usagef("beacon publish: DATA is %d bytes; a beacon carries 1 to %d", len(data), beacon.MaxPayload)
	case *interval <= 0:
		return usagef("beacon publish: --interval must be positive")
	case *forD < 0:
		return usagef("beacon publish: --for must not be negative")
	}
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if *forD > 0 {
		runCtx, cancel = context.WithTimeout(ctx, *forD)
	}
	defer cancel()
	b, err := beacon.New(ctx, opts...)
	if err != nil {
		return fmt.Errorf("beacon publish: %w", err)
	}
	defer b.Close()
	addr, err := b.Configure(ctx, bf.port)
	if err != nil {
		return fmt.Errorf("beacon publish: %w", err)
	}
	if err := b.Publish(ctx, data, *interval); err != nil {
		return fmt.Errorf("beacon publish: %w", err)
	}
	fmt.Fprintf(std.err, "zkit: publishing on %s port %d every %v\n", addr, bf.port, *interval)
	<-runCtx.Done()
	return nil
}
