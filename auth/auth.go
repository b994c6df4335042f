package auth

import (
	"context"
	"fmt"
	"maps"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/zsock"
)

// Authenticator is a ZAP handler running as an actor: it owns the ZAP
// socket of one zsock.Context and answers every security handshake of the
// context's sockets.
//
// The embedded *actor.Actor is the CZMQ-style interface: send commands
// such as ("ALLOW", "127.0.0.1") on it and wait for each acknowledgement
// with WaitSignal, as with zauth; Close ends the authenticator. The typed
// methods (Allow, Curve, ...) run the same commands and wait for them to
// take effect. Both may be used on the same authenticator, but pipe
// commands and their acknowledgements belong to one goroutine at a time,
// while the typed methods are safe for concurrent use.
type Authenticator struct {
	*actor.Actor // the pipe and the actor's life

	h     *handler   // the actor's state, reached only through loop.Post
	loop  *loop.Loop // the actor's reactor, for Post
	stats *counters  // shared with the handler
}

// New starts an authenticator for zctx (nil means zsock.Default()) and
// returns once its ZAP socket is bound at Endpoint. If another ZAP handler
// is already bound in zctx, New fails with an error matching
// ErrAlreadyBound.
//
// Until it is configured the authenticator accepts NULL clients (of
// sockets with a ZAP domain) and refuses PLAIN, CURVE and GSSAPI ones.
//
// ctx bounds the authenticator's life, like an actor's: cancelling it
// stops the authenticator. Close stops it and waits for every goroutine
// it started, including running Checker calls. Close it before closing
// zctx: the ZAP socket is one of zctx's sockets.
func New(ctx context.Context, zctx *zsock.Context, opts ...Option) (*Authenticator, error) {
	o := defaultOptions()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if ctx == nil {
		return nil, fmt.Errorf("%w: nil context", ErrOption)
	}
	l, err := loop.New(loop.WithLogger(o.log))
	if err != nil {
		return nil, err
	}
	st := &counters{}
	h := &handler{
		zctx:       zctx,
		loop:       l,
		log:        o.log,
		events:     o.events,
		workers:    o.workers,
		maxPending: o.maxPending,
		timeout:    o.timeout,
		stats:      st,
		verbose:    o.verbose,
		dflt:       newRules(),
		domains:    make(map[string]*rules),
		jobs:       make(map[*job]struct{}),
	}
	h.dflt.checker = o.checker
	var startErr error
	act, err := actor.New(ctx, func(ctx context.Context, pipe *actor.Pipe) error {
		err := h.run(ctx, pipe)
		if h.sock == nil {
			startErr = err // reported by New as it is
		}
		return err
	}, actor.WithName("auth"), actor.WithLogger(o.log))
	if err != nil {
		_ = l.Close()
		if startErr != nil {
			return nil, startErr
		}
		return nil, err
	}
	return &Authenticator{Actor: act, h: h, loop: l, stats: st}, nil
}

// do runs fn on the authenticator's goroutine and waits for its result.
// If ctx ends first, do returns ctx's error, and fn may still run later.
func (a *Authenticator) do(ctx context.Context, fn func(h *handler) error) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	done := make(chan error, 1)
	if err := a.loop.Post(func() { done <- fn(a.h) }); err != nil {
		return ErrClosed
	}
	select {
	case err := <-done:
		return err
	case <-a.Done():
		select {
		case err := <-done:
			return err
		default:
			return ErrClosed
		}
	case <-ctx.Done():
		return fmt.Errorf("auth: %w (the change may still take effect)", ctx.Err())
	}
}

// Stats returns the authenticator's counters. It is safe from any
// goroutine, also after Close.
func (a *Authenticator) Stats() Stats {
	s := a.stats
	return Stats{
		Requests:      s.requests.Load(),
		Accepted:      s.accepted.Load(),
		Temporary:     s.temporary.Load(),
		Denied:        s.denied.Load(),
		Internal:      s.internal.Load(),
		Malformed:     s.malformed.Load(),
		Unanswered:    s.unanswered.Load(),
		Overloaded:    s.overloaded.Load(),
		TimedOut:      s.timedOut.Load(),
		Pending:       int(s.pending.Load()),
		EventsDropped: s.eventsDropped.Load(),
	}
}

// Verbose turns logging of every command and decision (at Info, to the
// WithLogger logger) on or off, like the VERBOSE command.
func (a *Authenticator) Verbose(ctx context.Context, on bool) error {
	arg := "off"
	if on {
		arg = "on"
	}
	return a.do(ctx, func(h *handler) error { return h.command([]string{CmdVerbose, arg}) })
}

// Default returns the default policy, which decides requests for every
// ZAP domain that has no policy of its own. The Authenticator's own
// Allow, Deny, Plain, ... methods change it.
func (a *Authenticator) Default() *Policy { return &Policy{a: a} }

// Domain returns the policy of ZAP domain name ("" is the domain of
// sockets that set none). The domain gets a policy of its own, separate
// from the default one and starting empty, with the first change made
// through it; until then its requests follow the default policy.
func (a *Authenticator) Domain(name string) *Policy {
	return &Policy{a: a, domain: name, scoped: true}
}

// Allow adds addresses to the default policy's allow list (ALLOW).
func (a *Authenticator) Allow(ctx context.Context, addrs ...string) error {
	return a.Default().Allow(ctx, addrs...)
}

// Deny adds addresses to the default policy's deny list (DENY).
func (a *Authenticator) Deny(ctx context.Context, addrs ...string) error {
	return a.Default().Deny(ctx, addrs...)
}

// Plain checks PLAIN clients of the default policy against a password
// file (PLAIN).
func (a *Authenticator) Plain(ctx context.Context, file string) error {
	return a.Default().Plain(ctx, file)
}

// PlainUsers checks PLAIN clients of the default policy against users.
func (a *Authenticator) PlainUsers(ctx context.Context, users map[string]string) error {
	return a.Default().PlainUsers(ctx, users)
}

// Curve checks CURVE clients of the default policy against the
// certificates in dir, or accepts any key when dir is CurveAllowAny
// (CURVE).
func (a *Authenticator) Curve(ctx context.Context, dir string) error {
	return a.Default().Curve(ctx, dir)
}

// CurveAny accepts every CURVE client key in the default policy
// (CURVE *).
func (a *Authenticator) CurveAny(ctx context.Context) error {
	return a.Default().CurveAny(ctx)
}

// CurveStore checks CURVE clients of the default policy against store.
func (a *Authenticator) CurveStore(ctx context.Context, store CertLookup) error {
	return a.Default().CurveStore(ctx, store)
}

// GSSAPI accepts GSSAPI clients in the default policy (GSSAPI).
func (a *Authenticator) GSSAPI(ctx context.Context) error {
	return a.Default().GSSAPI(ctx)
}

// SetChecker sets the default policy's Checker; nil removes it.
func (a *Authenticator) SetChecker(ctx context.Context, c Checker) error {
	return a.Default().SetChecker(ctx, c)
}

// Policy is a handle on the policy of one ZAP domain, or on the default
// policy, of an Authenticator. Its methods are safe for concurrent use;
// each waits until its change is in force, or until ctx ends (the change
// may then still take effect). After Close they return ErrClosed.
type Policy struct {
	a      *Authenticator
	domain string // the ZAP domain when scoped
	scoped bool   // false for the default policy
}

// Name returns the policy's ZAP domain; ok is false for the default
// policy.
func (p *Policy) Name() (domain string, ok bool) { return p.domain, p.scoped }

// command runs a pipe command against the policy.
func (p *Policy) command(ctx context.Context, parts ...string) error {
	if p.scoped {
		parts = append([]string{CmdDomain, p.domain}, parts...)
	}
	return p.a.do(ctx, func(h *handler) error { return h.command(parts) })
}

// rules runs fn with the policy's rules, creating a domain's on first use.
func (p *Policy) rules(ctx context.Context, fn func(h *handler, r *rules) error) error {
	return p.a.do(ctx, func(h *handler) error { return fn(h, h.rulesFor(p.domain, p.scoped)) })
}

// Allow adds addresses to the allow list. While the list is not empty,
// clients from any other address are refused, whatever their mechanism,
// and the deny list is ignored. Clients from listed addresses must still
// pass the PLAIN, CURVE or GSSAPI check; NULL clients are accepted.
// Addresses are compared as exact strings, such as "127.0.0.1".
func (p *Policy) Allow(ctx context.Context, addrs ...string) error {
	return p.command(ctx, append([]string{CmdAllow}, addrs...)...)
}

// Deny adds addresses to the deny list: clients from them are refused,
// unless the allow list is in use, which makes the deny list ignored.
func (p *Policy) Deny(ctx context.Context, addrs ...string) error {
	return p.command(ctx, append([]string{CmdDeny}, addrs...)...)
}

// Plain checks PLAIN clients against a password file of "user=password"
// lines ('#' starts a comment line). The file is read now (a missing or
// unreadable file is an error) and read again whenever it changes: before
// each PLAIN request the authenticator compares its modification time,
// size and identity with the last read. Accepted clients get their user
// name as User-Id.
func (p *Policy) Plain(ctx context.Context, file string) error {
	return p.command(ctx, CmdPlain, file)
}

// PlainUsers checks PLAIN clients against users (user name to password),
// copied now. It replaces a password file set with Plain.
func (p *Policy) PlainUsers(ctx context.Context, users map[string]string) error {
	table := &passwords{users: maps.Clone(users)}
	if table.users == nil {
		table.users = map[string]string{}
	}
	return p.rules(ctx, func(h *handler, r *rules) error {
		r.plain = table
		h.logCommand("PLAIN (users)", p.domain, p.scoped, "users", len(table.users))
		return nil
	})
}

// Curve checks CURVE clients against the certificates in dir, through a
// cert.Store that notices files added, changed and removed. dir may be
// CurveAllowAny, as for CurveAny. Accepted clients get their public key
// in Z85 as User-Id, and their certificate's metadata as further message
// properties.
func (p *Policy) Curve(ctx context.Context, dir string) error {
	return p.command(ctx, CmdCurve, dir)
}

// CurveAny accepts every CURVE client key; the key in Z85 is the User-Id.
// Without it, CURVE clients are refused unless a store or directory is
// set. Curve with a directory or CurveStore turns it off again.
func (p *Policy) CurveAny(ctx context.Context) error {
	return p.command(ctx, CmdCurve, CurveAllowAny)
}

// CurveStore checks CURVE clients against store, such as a
// cert.NewMemStore filled by the application.
func (p *Policy) CurveStore(ctx context.Context, store CertLookup) error {
	if store == nil {
		return fmt.Errorf("%w: nil certificate store", ErrOption)
	}
	return p.rules(ctx, func(h *handler, r *rules) error {
		h.setCurve(r, store)
		h.logCommand("CURVE (store)", p.domain, p.scoped)
		return nil
	})
}

// GSSAPI accepts every GSSAPI client whose address passes; the principal
// is the User-Id. GSSAPI clients are refused until it is called.
func (p *Policy) GSSAPI(ctx context.Context) error {
	return p.command(ctx, CmdGSSAPI)
}

// SetChecker makes c decide every request of the policy that passes the
// address rules, after the built-in checks (see Checker); nil removes it.
// Requests already handed to the previous Checker stay with it.
func (p *Policy) SetChecker(ctx context.Context, c Checker) error {
	return p.rules(ctx, func(h *handler, r *rules) error {
		r.checker = c
		h.logCommand("CHECKER", p.domain, p.scoped, "set", c != nil)
		return nil
	})
}
