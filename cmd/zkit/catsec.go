package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/zkit-go/zkit/auth"
	"github.com/zkit-go/zkit/cert"
	"github.com/zkit-go/zkit/zsock"
)

// secFlags are cat's security flags as given.
type secFlags struct {
	curveServer string     // --curve-server: secret certificate of a CURVE server
	curveClient string     // --curve-client: secret certificate of a CURVE client
	serverKey   string     // --curve-serverkey: server's public key, Z85 or a certificate file
	plainServer bool       // --plain-server
	plain       string     // --plain USER:PASS
	authCurve   string     // --auth-curve DIR or *
	authPlain   string     // --auth-plain FILE
	allow       stringList // --allow ADDR
	deny        stringList // --deny ADDR
	zapDomain   string     // --zap-domain NAME
	showUser    bool       // --show-user
}

func addSecFlags(fs *flag.FlagSet) *secFlags {
	f := &secFlags{}
	fs.StringVar(&f.curveServer, "curve-server", "", "be a CURVE server with the secret certificate `FILE`")
	fs.StringVar(&f.curveClient, "curve-client", "", "be a CURVE client with the secret certificate `FILE` (needs --curve-serverkey)")
	fs.StringVar(&f.serverKey, "curve-serverkey", "", "the CURVE server's public key: `Z85` text or a certificate file")
	fs.BoolVar(&f.plainServer, "plain-server", false, "be a PLAIN server (check passwords with --auth-plain)")
	fs.StringVar(&f.plain, "plain", "", "be a PLAIN client with `USER:PASS`")
	fs.StringVar(&f.authCurve, "auth-curve", "", "authenticate CURVE clients against the certificates in `DIR`, or * for any key")
	fs.StringVar(&f.authPlain, "auth-plain", "", "authenticate PLAIN clients against the password `FILE` (user=password lines)")
	fs.Var(&f.allow, "allow", "accept connections only from `ADDR` (repeatable)")
	fs.Var(&f.deny, "deny", "refuse connections from `ADDR` (repeatable; ignored when --allow is given)")
	fs.StringVar(&f.zapDomain, "zap-domain", "", "ZAP domain `NAME` of this socket (authenticates NULL connections too)")
	fs.BoolVar(&f.showUser, "show-user", false, "print each received message's User-Id, then the frame separator, before its frames")
	return f
}

// secConfig is the validated security setup of a cat session.
type secConfig struct {
	opts     []zsock.Option // mechanism and ZAP options for the socket
	auth     bool           // run an authenticator in the session's context
	curveDir string         // "" none, "*" any key, else a directory
	plain    string         // password file for PLAIN
	allow    []string
	deny     []string
	showUser bool
}

// parseSec validates the flags and loads certificates.
func parseSec(f *secFlags, set map[string]bool) (secConfig, error) {
	var sc secConfig
	mechs := 0
	for _, on := range []bool{f.curveServer != "", f.curveClient != "", f.plainServer, f.plain != ""} {
		if on {
			mechs++
		}
	}
	switch {
	case mechs > 1:
		return sc, usagef("cat: choose one of --curve-server, --curve-client, --plain-server and --plain")
	case set["curve-serverkey"] && f.curveClient == "":
		return sc, usagef("cat: --curve-serverkey needs --curve-client")
	case f.curveClient != "" && f.serverKey == "":
		return sc, usagef("cat: --curve-client needs --curve-serverkey")
	case f.authCurve != "" && f.curveServer == "":
		return sc, usagef("cat: --auth-curve needs --curve-server")
	case f.authPlain != "" && !f.plainServer:
		return sc, usagef("cat: --auth-plain needs --plain-server")
	case f.plainServer && f.authPlain == "":
		return sc, usagef("cat: --plain-server needs --auth-plain (no authenticator would accept anyone)")
	}
	switch {
	case f.curveServer != "":
		c, err := loadSecret(f.curveServer, "--curve-server")
		if err != nil {
			return sc, err
		}
		sc.opts = append(sc.opts, zsock.WithCurveServer(c.SecretText()))
	case f.curveClient != "":
		c, err := loadSecret(f.curveClient, "--curve-client")
		if err != nil {
			return sc, err
		}
		key, err := serverKey(f.serverKey)
		if err != nil {
			return sc, err
		}
		sc.opts = append(sc.opts, zsock.WithCurveClient(c.PublicText(), c.SecretText(), key))
	case f.plainServer:
		sc.opts = append(sc.opts, zsock.WithPlainServer())
	case f.plain != "":
		user, pass, ok := strings.Cut(f.plain, ":")
		if !ok {
			return sc, usagef("cat: --plain wants USER:PASS")
		}
		sc.opts = append(sc.opts, zsock.WithPlainClient(user, pass))
	}
	if f.zapDomain != "" {
		sc.opts = append(sc.opts, zsock.WithZapDomain(f.zapDomain))
	}
	if f.showUser {
		sc.opts = append(sc.opts, zsock.WithProperties("User-Id"))
		sc.showUser = true
	}
	sc.curveDir, sc.plain = f.authCurve, f.authPlain
	sc.allow, sc.deny = f.allow, f.deny
	sc.auth = sc.curveDir != "" || sc.plain != "" || len(sc.allow) > 0 || len(sc.deny) > 0
	if sc.auth && !f.plainServer && f.curveServer == "" && f.zapDomain == "" {
		// libzmq asks ZAP about NULL connections only on sockets with a
		// domain; give address rules one so they apply.
		sc.opts = append(sc.opts, zsock.WithZapDomain("global"))
	}
	return sc, nil
}

// loadSecret loads a certificate that must hold a secret key.
func loadSecret(path, flagName string) (*cert.Cert, error) {
	c, err := cert.Load(path)
	if err != nil {
		return nil, fmt.Errorf("cat: %s: %w", flagName, err)
	}
	if !c.HasSecret() {
		return nil, fmt.Errorf("cat: %s: %s has no secret key (give the _secret file or its base name)", flagName, path)
	}
	return c, nil
}

// serverKey takes a Z85 public key or a certificate file.
func serverKey(s string) (string, error) {
	if len(s) == 40 {
		if _, err := cert.Z85Decode(s); err == nil {
			return s, nil
		}
	}
	c, err := cert.Load(s)
	if err != nil {
		return "", fmt.Errorf("cat: --curve-serverkey: not a Z85 key, and %w", err)
	}
	return c.PublicText(), nil
}

// startAuth runs an authenticator in zctx configured from sc, or returns
// nil when no authentication flag was given.
func startAuth(ctx context.Context, zctx *zsock.Context, sc secConfig, log *slog.Logger) (*auth.Authenticator, error) {
	if !sc.auth {
		return nil, nil
	}
	a, err := auth.New(ctx, zctx, auth.WithLogger(log))
	if err != nil {
		return nil, fmt.Errorf("cat: authenticator: %w", err)
	}
	err = configureAuth(ctx, a, sc)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("cat: authenticator: %w", err), a.Close())
	}
	return a, nil
}

func configureAuth(ctx context.Context, a *auth.Authenticator, sc secConfig) error {
	if len(sc.allow) > 0 {
		if err := a.Allow(ctx, sc.allow...); err != nil {
			return err
		}
	}
	if len(sc.deny) > 0 {
		if err := a.Deny(ctx, sc.deny...); err != nil {
			return err
		}
	}
	switch sc.curveDir {
	case "":
	case auth.CurveAllowAny:
		if err := a.CurveAny(ctx); err != nil {
			return err
		}
	default:
		if err := a.Curve(ctx, sc.curveDir); err != nil {
			return err
		}
	}
	if sc.plain != "" {
		return a.Plain(ctx, sc.plain)
	}
	return nil
}

// closeAuth ends the authenticator, if any.
func closeAuth(a *auth.Authenticator) error {
	if a == nil {
		return nil
	}
	return a.Close()
}
