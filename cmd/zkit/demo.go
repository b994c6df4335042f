package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// sectionTimeout bounds each demo section, so a broken network setup
// fails instead of hanging.
const sectionTimeout = 3 * time.Second

// demoSection is one part of the guided tour. New sections are added to
// demoSections.
type demoSection struct {
	name  string // for "zkit demo NAME"
	title string // heading
	// run plays the section, narrating to n. Its sockets live in zctx,
	// which the demo shares between sections, and are used only by the
	// goroutine that calls run.
	run func(ctx context.Context, zctx *zsock.Context, n *narrator) error
	// limit bounds the section; 0 means sectionTimeout.
	limit time.Duration
}

// demoSections lists the sections in the order "zkit demo" plays them.
func demoSections() []demoSection {
	return []demoSection{
		{"reqrep", "REQ/REP over inproc", demoReqRep, 0},
		{"pubsub", "PUB/SUB over tcp with a topic filter", demoPubSub, 0},
		{"router", "DEALER/ROUTER over tcp with routing ids", demoRouter, 0},
		{"actors", "actors with loops: timer heartbeats and ticket expiry", demoActors, 0},
		{"curve", "CURVE encryption with an authenticator and a certificate store", demoCurve, 0},
		{"discovery", "nodes find each other by UDP beacon, then connect", demoDiscovery, 0},
		{"presence", "a server sees clients come, freeze, die and come back", demoPresence, 10 * time.Second},
	}
}

func newDemoFlags() (*flag.FlagSet, *bool) {
	fs := newFlagSet("demo")
	list := fs.Bool("list", false, "list the sections and exit")
	return fs, list
}

func demoUsage(w io.Writer) {
	fs, _ := newDemoFlags()
	printFlags(w, fs, `usage: zkit demo [--list] [SECTION...]

Plays a short guided tour of ZeroMQ patterns, printing every message that
flows. Without SECTION it plays all sections in order.
`)
}

func runDemo(ctx context.Context, std stdio, args []string) error {
	fs, list := newDemoFlags()
	names, err := parseArgs(fs, args, 0, -1, func() { demoUsage(std.out) })
	if err != nil {
		return err
	}
	all := demoSections()
	if *list {
		tw := tabwriter.NewWriter(std.out, 0, 8, 2, ' ', 0)
		for _, s := range all {
			fmt.Fprintf(tw, "%s\t%s\n", s.name, s.title)
		}
		return tw.Flush()
	}
	chosen := all
	if len(names) > 0 {
		chosen = nil
		for _, name := range names {
			s, ok := findSection(all, name)
			if !ok {
				return usagef("demo: unknown section %q (run 'zkit demo --list')", name)
			}
			chosen = append(chosen, s)
		}
	}
	zctx, err := zsock.NewContext()
	if err != nil {
		return err
	}
	err = playSections(ctx, zctx, chosen, &narrator{w: std.out})
	err = errors.Join(err, zctx.Close())
	if ctx.Err() != nil {
		return nil // interrupted
	}
	return err
}

func findSection(all []demoSection, name string) (demoSection, bool) {
	for _, s := range all {
		if s.name == name {
			return s, true
		}
	}
	return demoSection{}, false
}

func playSections(ctx context.Context, zctx *zsock.Context, sections []demoSection, n *narrator) error {
	for i, s := range sections {
		if i > 0 {
			n.say("")
		}
		n.say("== %s: %s ==", s.name, s.title)
		limit := s.limit
		if limit == 0 {
			limit = sectionTimeout
		}
		sctx, cancel := context.WithTimeout(ctx, limit)
		err := s.run(sctx, zctx, n)
		cancel()
		if err != nil {
			return fmt.Errorf("demo %s: %w", s.name, err)
		}
		if n.err != nil {
			return n.err
		}
	}
	return nil
}

// narrator writes the demo's story. It keeps the first write error and
// then writes nothing more, so sections need not check every line.
type narrator struct {
	w   io.Writer
	err error
}

// say writes one line.
func (n *narrator) say(format string, args ...any) {
	if n.err == nil {
		_, n.err = fmt.Fprintf(n.w, format+"\n", args...)
	}
}

// show writes an event and the frames of its message, one per line in
// zframe's dump style, aligned under each other.
func (n *narrator) show(who, what string, m *zmsg.Msg) {
	label := fmt.Sprintf("  %-7s %-9s", who, what)
	pad := fmt.Sprintf("%*s", len(label), "")
	for i, f := range m.Frames() {
		if i == 0 {
			n.say("%s %s", label, f)
		} else {
			n.say("%s %s", pad, f)
		}
	}
}
