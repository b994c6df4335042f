package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/zkit-go/zkit/auth"
	"github.com/zkit-go/zkit/zsock"
)

// errTimeout is reported when --timeout expires before -n is satisfied.
var errTimeout = errors.New("timeout")

// catMode is how cat drives a socket type.
type catMode int

const (
	modeSend   catMode = iota // PUSH, PUB, XSUB: stdin lines out
	modeRecv                  // PULL, SUB, XPUB: messages to stdout
	modeReq                   // REQ: a line out, its reply printed
	modeRep                   // REP: a request printed, answered with a line (or echoed)
	modeDuplex                // DEALER, PAIR, ROUTER, STREAM: both directions at once
)

func modeOf(t zsock.Type) catMode {
	switch t {
	case zsock.Push, zsock.Pub, zsock.XSub:
		return modeSend
	case zsock.Pull, zsock.Sub, zsock.XPub:
		return modeRecv
	case zsock.Req:
		return modeReq
	case zsock.Rep:
		return modeRep
	}
	return modeDuplex
}

// catFlags holds cat's command-line flags as given.
type catFlags struct {
	count     int           // -n: stop after this many messages (0: no limit)
	timeout   time.Duration // --timeout: overall deadline (0: none)
	subscribe stringList    // --subscribe: SUB prefixes, escaped
	sep       string        // --frames-sep: frame separator, escaped
	echo      bool          // --echo: REP answers each request with itself
	verbose   bool          // -v: log to stderr
	wait      time.Duration // --wait: pause before the first send
	linger    time.Duration // --linger: how long to deliver pending messages at exit
	identity  string        // --identity: routing id, escaped
	sec       *secFlags     // security flags
}

func newCatFlags() (*flag.FlagSet, *catFlags) {
	f := &catFlags{}
	fs := newFlagSet("cat")
	fs.IntVar(&f.count, "n", 0, "stop after `N` messages: received (receiving types, DEALER, PAIR, ROUTER, STREAM),\nreplies (REQ), requests answered (REP) or sent (PUSH, PUB, XSUB); 0 means no limit")
	fs.DurationVar(&f.timeout, "timeout", 0, "overall deadline; with -n it is an error to reach it, without -n it ends the run")
	fs.Var(&f.subscribe, "subscribe", "SUB: subscribe to `PREFIX` (escapes allowed; repeatable; default everything)")
	fs.StringVar(&f.sep, "frames-sep", "\t", "frame separator in lines, `S` (escapes allowed)")
	fs.BoolVar(&f.echo, "echo", false, "REP: answer every request with itself instead of reading stdin")
	fs.BoolVar(&f.verbose, "v", false, "log sockets and messages to stderr")
	fs.DurationVar(&f.wait, "wait", 0, "pause before the first send, so that PUB subscribers can join (slow joiner)")
	fs.DurationVar(&f.linger, "linger", time.Second, "at exit, how long to keep trying to deliver messages already sent")
	fs.StringVar(&f.identity, "identity", "", "routing `ID` that ROUTER peers see for this socket (escapes allowed)")
	f.sec = addSecFlags(fs)
	return fs, f
}

func catUsage(w io.Writer) {
	fs, _ := newCatFlags()
	printFlags(w, fs, `usage: zkit cat TYPE ENDPOINTS [flags]

A netcat for ZeroMQ. TYPE is a socket type (push, pull, pub, sub, req, rep,
dealer, router, pair, xpub, xsub, stream); ENDPOINTS is a comma-separated
list, '@' to bind and '>' to connect (default: bind for pub, rep, router,
pull and xpub, connect otherwise). Lines of stdin are sent, one message per
line with frames separated by a tab; messages received are printed the same
way, with bytes outside printable ASCII written as \t \n \r \\ or \xNN.
`)
}

// catConfig is a validated cat invocation.
type catConfig struct {
	typ       zsock.Type
	mode      catMode
	endpoints string
	codec     lineCodec
	count     int
	timeout   time.Duration
	subscribe []string // unescaped
	identity  string   // unescaped; "" for none
	echo      bool
	wait      time.Duration
	linger    time.Duration
	log       *slog.Logger // never nil
	sec       secConfig    // mechanism, authenticator and --show-user
}

func parseCat(args []string, stderr io.Writer) (catConfig, error) {
	fs, f := newCatFlags()
	pos, err := parseArgs(fs, args, 2, 2, func() {})
	if err != nil {
		return catConfig{}, err
	}
	typ, err := zsock.ParseType(pos[0])
	if err != nil {
		return catConfig{}, usagef("cat: unknown socket type %q", pos[0])
	}
	cfg := catConfig{
		typ: typ, mode: modeOf(typ), endpoints: pos[1],
		count: f.count, timeout: f.timeout, echo: f.echo, wait: f.wait, linger: f.linger,
		log: slog.New(slog.DiscardHandler),
	}
	if f.verbose {
		cfg.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	set := setFlags(fs)
	switch {
	case f.count < 0:
		return cfg, usagef("cat: -n must not be negative")
	case f.timeout < 0:
		return cfg, usagef("cat: --timeout must not be negative")
	case f.wait < 0:
		return cfg, usagef("cat: --wait must not be negative")
	case set["subscribe"] && typ != zsock.Sub:
		return cfg, usagef("cat: --subscribe applies only to SUB sockets")
	case f.echo && typ != zsock.Rep:
		return cfg, usagef("cat: --echo applies only to REP sockets")
	}
	if cfg.sec, err = parseSec(f.sec, set); err != nil {
		return cfg, err
	}
	if cfg.codec, err = newLineCodec(f.sep); err != nil {
		return cfg, usagef("cat: --frames-sep: %v", err)
	}
	for _, p := range f.subscribe {
		b, err := unescape([]byte(p))
		if err != nil {
			return cfg, usagef("cat: --subscribe %q: %v", p, err)
		}
		cfg.subscribe = append(cfg.subscribe, string(b))
	}
	if typ == zsock.Sub && len(cfg.subscribe) == 0 {
		cfg.subscribe = []string{""}
	}
	if f.identity != "" {
		b, err := unescape([]byte(f.identity))
		if err != nil {
			return cfg, usagef("cat: --identity %q: %v", f.identity, err)
		}
		cfg.identity = string(b)
	}
	return cfg, nil
}

// runCat is the cat command.
func runCat(ctx context.Context, std stdio, args []string) error {
	cfg, err := parseCat(args, std.err)
	if errors.Is(err, errHelpShown) {
		catUsage(std.out)
	}
	if err != nil {
		return err
	}
	return cat(ctx, cfg, std)
}

// cat runs one configured session. Cancelling ctx ends it cleanly (nil);
// --timeout ends it with errTimeout when -n was given and not reached.
func cat(ctx context.Context, cfg catConfig, std stdio) error {
	zctx, err := zsock.NewContext(zsock.WithContextLogger(cfg.log))
	if err != nil {
		return err
	}
	// The authenticator must be in place before the socket binds: libzmq
	// asks it about every handshake.
	authr, err := startAuth(ctx, zctx, cfg.sec, cfg.log)
	if err != nil {
		zctx.Close()
		return err
	}
	sock, err := openCatSocket(zctx, cfg, std.err)
	if err != nil {
		return errors.Join(err, closeAuth(authr), zctx.Close())
	}
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if cfg.timeout > 0 {
		runCtx, cancel = context.WithTimeout(ctx, cfg.timeout)
	}
	defer cancel()

	s := &session{cfg: cfg, sock: sock, out: std.out, stderr: std.err, log: cfg.log}
	err = s.run(runCtx, std.in)

	// A run that ended by itself succeeded even if a deadline passed since.
	// zsock wakes a receive at the context's deadline, which can be a moment
	// before runCtx.Err reports it.
	interrupted := err != nil && ctx.Err() != nil
	timedOut := err != nil && !interrupted &&
		(runCtx.Err() != nil || errors.Is(err, context.DeadlineExceeded))
	// Whatever ended the run early, pending messages are dropped.
	if cerr := closeCat(ctx, zctx, sock, authr, cfg, err != nil); cerr != nil && err == nil {
		err = cerr
	}
	switch {
	case interrupted:
		cfg.log.Debug("interrupted")
		return nil
	case timedOut && cfg.count > 0:
		return errTimeout
	case timedOut:
		cfg.log.Debug("timeout reached")
		return nil
	}
	return err
}

// openCatSocket creates the socket, binds and connects it, and reports
// every bind to a wildcard port on stderr.
func openCatSocket(zctx *zsock.Context, cfg catConfig, stderr io.Writer) (*zsock.Socket, error) {
	opts := []zsock.Option{zsock.WithContext(zctx), zsock.WithLinger(cfg.linger)}
	opts = append(opts, cfg.sec.opts...)
	if len(cfg.subscribe) > 0 {
		opts = append(opts, zsock.WithSubscribe(cfg.subscribe...))
	}
	if cfg.identity != "" {
		opts = append(opts, zsock.WithIdentity(cfg.identity))
	}
	switch cfg.typ {
	case zsock.Router:
		opts = append(opts, zsock.WithRouterMandatory(true))
	}
	sock, err := zsock.New(cfg.typ, opts...)
	if err != nil {
		return nil, err
	}
	cfg.log.Debug("socket", "type", cfg.typ, "endpoints", cfg.endpoints)
	if err := attach(sock, cfg.endpoints, stderr, cfg.log); err != nil {
		sock.Close()
		return nil, err
	}
	return sock, nil
}

// closeCat closes the socket and the context. After a normal end, pending
// messages get up to --linger to be delivered (cut short by ctx); after an
// interruption, a timeout or an error they are dropped.
func closeCat(ctx context.Context, zctx *zsock.Context, sock *zsock.Socket, authr *auth.Authenticator, cfg catConfig, abort bool) error {
	if abort {
		if err := sock.SetLinger(0); err != nil {
			cfg.log.Debug("set linger", "err", err)
		}
	}
	err := errors.Join(sock.Close(), closeAuth(authr))
	if abort || cfg.linger == 0 {
		return errors.Join(err, zctx.Close())
	}
	cfg.log.Debug("delivering pending messages", "linger", cfg.linger)
	if serr := zctx.Shutdown(ctx); serr != nil && ctx.Err() == nil {
		err = errors.Join(err, fmt.Errorf("closing: %w", serr))
	}
	return err
}
