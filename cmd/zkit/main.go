package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	if spec := os.Getenv(demoPeerEnv); spec != "" {
		os.Exit(demoPeerMain(spec)) // a client process of "zkit demo presence"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, restore the default handling so that a second
	// one kills a process stuck in shutdown.
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// stdio is the standard streams a command works with.
type stdio struct {
	in  io.Reader // messages to send, one per line (cat)
	out io.Writer // results: received messages, reports, narrative
	err io.Writer // diagnostics: bound endpoints, warnings, -v logs
}

// command is one zkit subcommand.
type command struct {
	name    string                                                    // as typed on the command line
	summary string                                                    // one line for the command list
	run     func(ctx context.Context, std stdio, args []string) error // args follow the name
	usage   func(w io.Writer)                                         // detailed help
}

// commands lists the subcommands in the order help shows them.
func commands() []command {
	return []command{
		{"cat", "send stdin lines to a socket and print what it receives", runCat, catUsage},
		{"perf", "measure throughput (thr) or latency (lat), like libzmq's perf tools", runPerf, perfUsage},
		{"beacon", "listen for or publish UDP beacons, compatible with CZMQ's zbeacon", runBeacon, beaconUsage},
		{"monitor", "print a socket's connection events as they happen", runMonitor, monitorUsage},
		{"makecert", "generate a CURVE certificate in CZMQ's file format", runMakecert, makecertUsage},
		{"cert", "validate a certificate and print its keys and metadata", runCert, certUsage},
		{"demo", "a guided tour: patterns, actors, security, discovery, presence", runDemo, demoUsage},
		{"version", "print zkit's version", runVersion, versionUsage},
		{"help", "show this list, or the help of one command", nil, helpUsage},
	}
}

// run is the whole program: it runs the command named by args and returns
// the exit status (0 success, 1 runtime error, 2 usage error). Errors are
// written to stderr as one line starting with "zkit: ". Cancelling ctx
// (SIGINT, SIGTERM) ends the command cleanly with status 0.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	std := stdio{in: stdin, out: stdout, err: stderr}
	return exitCode(stderr, dispatch(ctx, std, args))
}

func dispatch(ctx context.Context, std stdio, args []string) error {
	if len(args) == 0 {
		return printHelp(std.out, nil)
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		return printHelp(std.out, rest)
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.run(ctx, std, rest)
		}
	}
	return usagef("unknown command %q (run 'zkit help')", name)
}

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errHelpShown reports that -h printed a command's help: exit status 0.
var errHelpShown = errors.New("help shown")

// exitCode prints err, if any, as one line and maps it to an exit status.
func exitCode(stderr io.Writer, err error) int {
	if err == nil || errors.Is(err, errHelpShown) {
		return 0
	}
	msg := strings.NewReplacer("\r\n", "; ", "\n", "; ", "\r", "; ").Replace(err.Error())
	fmt.Fprintf(stderr, "zkit: %s\n", msg)
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}
