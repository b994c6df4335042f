package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/zkit-go/zkit/cert"
)

func newMakecertFlags() (*flag.FlagSet, *stringList, *bool) {
	fs := newFlagSet("makecert")
	var meta stringList
	fs.Var(&meta, "meta", "add metadata `NAME=VALUE` (repeatable, kept in order)")
	force := fs.Bool("force", false, "replace existing certificate files")
	return fs, &meta, force
}

func makecertUsage(w io.Writer) {
	fs, _, _ := newMakecertFlags()
	printFlags(w, fs, `usage: zkit makecert [--meta NAME=VALUE]... [--force] PATH

Generates a CURVE key pair and writes it as a CZMQ certificate: PATH holds
the public key and the metadata, PATH_secret (mode 0600) also the secret
key. Existing files are never replaced without --force. Prints the public
key in Z85.
`)
}

func runMakecert(ctx context.Context, std stdio, args []string) error {
	fs, meta, force := newMakecertFlags()
	pos, err := parseArgs(fs, args, 1, 1, func() { makecertUsage(std.out) })
	if err != nil {
		return err
	}
	c, err := cert.New()
	if err != nil {
		return err
	}
	for _, m := range *meta {
		name, value, ok := strings.Cut(m, "=")
		if !ok || name == "" {
			return usagef("makecert: --meta %q: want NAME=VALUE", m)
		}
		if err := c.SetMeta(name, value); err != nil {
			return usagef("makecert: --meta %q: %v", m, err)
		}
	}
	var opts []cert.SaveOption
	if *force {
		opts = append(opts, cert.WithOverwrite())
	}
	if err := c.Save(pos[0], opts...); err != nil {
		if errors.Is(err, cert.ErrExists) {
			return fmt.Errorf("makecert: %w (use --force to replace)", err)
		}
		return fmt.Errorf("makecert: %w", err)
	}
	fmt.Fprintf(std.out, "%s\n", c.PublicText())
	fmt.Fprintf(std.err, "wrote %s and %s_secret\n", pos[0], pos[0])
	return nil
}

func certUsage(w io.Writer) {
	fs := newFlagSet("cert")
	printFlags(w, fs, `usage: zkit cert show PATH

Loads a certificate as CZMQ does (PATH_secret first, then PATH; pyzmq's
.key and .key_secret files too), validates it and prints its public key,
whether the secret key is present, and its metadata in order.
`)
}

func runCert(ctx context.Context, std stdio, args []string) error {
	fs := newFlagSet("cert")
	pos, err := parseArgs(fs, args, 2, 2, func() { certUsage(std.out) })
	if err != nil {
		return err
	}
	if pos[0] != "show" {
		return usagef("cert: unknown subcommand %q (want show)", pos[0])
	}
	c, err := cert.Load(pos[1])
	if err != nil {
		return fmt.Errorf("cert: %w", err)
	}
	fmt.Fprintf(std.out, "public-key: %s\n", c.PublicText())
	if c.HasSecret() {
		fmt.Fprintln(std.out, "secret-key: present")
	} else {
		fmt.Fprintln(std.out, "secret-key: absent")
	}
	for _, m := range c.Metadata() {
		fmt.Fprintf(std.out, "meta %s: %s\n", m.Name, m.Value)
	}
	return nil
}
