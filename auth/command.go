package auth

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zkit-go/zkit/cert"
)

// The commands an authenticator accepts on its pipe (see the package
// documentation). Each is answered with a signal: status 0 when it
// succeeded, 1 when it failed. actor.Term ("$TERM") stops the
// authenticator and is not answered.
const (
	CmdAllow   = "ALLOW"
	CmdDeny    = "DENY"
	CmdPlain   = "PLAIN"
	CmdCurve   = "CURVE"
	CmdGSSAPI  = "GSSAPI"
	CmdVerbose = "VERBOSE"
	CmdDomain  = "DOMAIN"
)

// rulesFor returns the policy that commands for domain change: the
// domain's own (created on first use) when scoped, else the default.
func (h *handler) rulesFor(domain string, scoped bool) *rules {
	if !scoped {
		return h.dflt
	}
	r := h.domains[domain]
	if r == nil {
		r = newRules()
		h.domains[domain] = r
	}
	return r
}

// rulesOf returns the policy that decides requests for domain.
func (h *handler) rulesOf(domain string) *rules {
	if r := h.domains[domain]; r != nil {
		return r
	}
	return h.dflt
}

// command runs one pipe command, given as its frames.
func (h *handler) command(parts []string) error {
	if len(parts) == 0 {
		return fmt.Errorf("%w: empty message", ErrCommand)
	}
	domain, scoped := "", false
	if parts[0] == CmdDomain {
		if len(parts) < 3 {
			return fmt.Errorf("%w: DOMAIN needs a domain name and a command", ErrCommand)
		}
		domain, scoped = parts[1], true
		parts = parts[2:]
	}
	name, args := parts[0], parts[1:]
	switch name {
	case CmdAllow, CmdDeny:
		r := h.rulesFor(domain, scoped)
		set := r.allow
		if name == CmdDeny {
			set = r.deny
		}
		for _, a := range args {
			set[a] = struct{}{}
		}
		h.logCommand(name, domain, scoped, "addresses", args)
		return nil
	case CmdPlain:
		if len(args) != 1 {
			return fmt.Errorf("%w: PLAIN takes one password file, got %d arguments", ErrCommand, len(args))
		}
		p, err := loadPasswordFile(args[0], h.log)
		if err != nil {
			return err
		}
		h.rulesFor(domain, scoped).plain = p
		h.logCommand(name, domain, scoped, "file", args[0], "users", len(p.users))
		return nil
	case CmdCurve:
		if len(args) != 1 {
			return fmt.Errorf("%w: CURVE takes a certificate directory or %q, got %d arguments", ErrCommand, CurveAllowAny, len(args))
		}
		if args[0] == CurveAllowAny {
			h.rulesFor(domain, scoped).curveAny = true
			h.logCommand(name, domain, scoped, "any", true)
			return nil
		}
		store, err := cert.NewStore(args[0], cert.WithLogger(h.log))
		if se := (*cert.StoreError)(nil); errors.As(err, &se) {
			// Files that are not certificates (a README, a duplicate key)
			// are skipped; every other certificate is in force.
			h.log.Warn("auth: CURVE: some files were skipped", "dir", args[0], "err", se)
		} else if err != nil {
			return fmt.Errorf("auth: CURVE %s: %w", args[0], err)
		}
		h.setCurve(h.rulesFor(domain, scoped), store)
		h.logCommand(name, domain, scoped, "dir", args[0])
		return nil
	case CmdGSSAPI:
		if len(args) != 0 {
			return fmt.Errorf("%w: GSSAPI takes no arguments", ErrCommand)
		}
		h.rulesFor(domain, scoped).gssapi = true
		h.logCommand(name, domain, scoped)
		return nil
	case CmdVerbose:
		if scoped {
			return fmt.Errorf("%w: VERBOSE applies to the whole authenticator, not to a domain", ErrCommand)
		}
		on := true
		if len(args) > 1 {
			return fmt.Errorf("%w: VERBOSE takes at most one argument (on or off)", ErrCommand)
		}
		if len(args) == 1 {
			switch strings.ToLower(args[0]) {
			case "on", "1", "true":
			case "off", "0", "false":
				on = false
			default:
				return fmt.Errorf("%w: VERBOSE %q: want on or off", ErrCommand, args[0])
			}
		}
		h.verbose = on
		h.logCommand(name, "", false, "on", on)
		return nil
	}
	return fmt.Errorf("%w: unknown command %q (want ALLOW, DENY, PLAIN, CURVE, GSSAPI, VERBOSE, DOMAIN or $TERM)", ErrCommand, clip([]byte(name)))
}

// setCurve makes r check CURVE keys against store.
func (h *handler) setCurve(r *rules, store CertLookup) {
	r.curve, r.curveAny = store, false
}

// logCommand records a configuration change when verbose.
func (h *handler) logCommand(name, domain string, scoped bool, args ...any) {
	if !h.verbose {
		return
	}
	attrs := []any{"command", name}
	if scoped {
		attrs = append(attrs, "domain", domain)
	}
	h.log.Info("auth: command", append(attrs, args...)...)
}
