package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
)

// version is zkit's version.
const version = "0.1.0-dev"

// printHelp writes the command list, or with one argument that command's
// help.
func printHelp(w io.Writer, args []string) error {
	switch len(args) {
	case 0:
	case 1:
		for _, c := range commands() {
			if c.name == args[0] {
				c.usage(w)
				return nil
			}
		}
		return usagef("help: unknown command %q", args[0])
	default:
		return usagef("help: too many arguments")
	}
	fmt.Fprint(w, "zkit is a ZeroMQ toolkit.\n\nUsage:\n\n\tzkit COMMAND [arguments]\n\nCommands:\n\n")
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "\t%s\t%s\n", c.name, c.summary)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprint(w, "\nRun 'zkit help COMMAND' for the arguments and flags of a command.\n")
	return err
}

func helpUsage(w io.Writer) {
	fmt.Fprint(w, "usage: zkit help [COMMAND]\n\nWithout COMMAND, lists the commands; with one, shows its help.\n")
}

func runVersion(_ context.Context, std stdio, args []string) error {
	fs := newFlagSet("version")
	if _, err := parseArgs(fs, args, 0, 0, func() { versionUsage(std.out) }); err != nil {
		return err
	}
	_, err := fmt.Fprintf(std.out, "zkit %s\n", version)
	return err
}

func versionUsage(w io.Writer) {
	fmt.Fprint(w, "usage: zkit version\n\nPrints zkit's version.\n")
}
