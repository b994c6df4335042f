package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/zkit-go/zkit/zsock"
)

// attach binds and connects sock to a CZMQ endpoint list, as
// zsock.Socket.Attach does, and writes "zkit: bound ENDPOINT" to stderr for
// every bind whose address the engine chose (tcp port "*", "!" or 0, ipc
// path "*"), so that scripts can find it.
func attach(sock *zsock.Socket, list string, stderr io.Writer, log *slog.Logger) error {
	if strings.TrimSpace(list) == "" {
		return usagef("no endpoints given")
	}
	for _, item := range strings.Split(list, ",") {
		ep := strings.TrimSpace(item)
		bind := sock.Type().Serverish()
		switch {
		case strings.HasPrefix(ep, "@"):
			bind, ep = true, ep[1:]
		case strings.HasPrefix(ep, ">"):
			bind, ep = false, ep[1:]
		}
		if ep == "" {
			return usagef("empty element in endpoint list %q", list)
		}
		if !bind {
			if err := sock.Connect(ep); err != nil {
				return err
			}
			log.Debug("connected", "endpoint", ep)
			continue
		}
		got, err := bindReport(sock, ep, stderr)
		if err != nil {
			return err
		}
		log.Debug("bound", "endpoint", got)
	}
	return nil
}

// bindReport binds sock to ep and returns the endpoint actually bound,
// reporting it on stderr when the engine chose it.
func bindReport(sock *zsock.Socket, ep string, stderr io.Writer) (string, error) {
	got, err := bindResolved(sock, ep)
	if err != nil || !isWildcard(ep) {
		return got, err
	}
	_, err = fmt.Fprintf(stderr, "zkit: bound %s\n", got)
	return got, err
}

// bindResolved binds sock to ep and returns the endpoint actually bound:
// ep itself unless the engine chose the port or path.
func bindResolved(sock *zsock.Socket, ep string) (string, error) {
	if _, err := sock.Bind(ep); err != nil {
		return "", err
	}
	return sock.Endpoint(), nil
}

// isWildcard reports whether binding ep lets the engine choose the address:
// a tcp port of "*" or "!" (with an optional range) or 0, or ipc path "*".
func isWildcard(ep string) bool {
	if ep == "ipc://*" {
		return true
	}
	if !strings.HasPrefix(ep, "tcp://") {
		return false
	}
	port := ep[strings.LastIndexByte(ep, ':')+1:]
	return port == "0" || strings.HasPrefix(port, "*") || strings.HasPrefix(port, "!")
}
