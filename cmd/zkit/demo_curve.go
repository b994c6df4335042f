package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/zkit-go/zkit/auth"
	"github.com/zkit-go/zkit/cert"
	"github.com/zkit-go/zkit/zsock"
)

// demoCurve: a CURVE server whose authenticator knows alice's certificate
// but not mallory's. alice's message arrives with her User-Id and
// certificate metadata; mallory's handshake is refused.
func demoCurve(ctx context.Context, zctx *zsock.Context, n *narrator) error {
	server, alice, mallory, err := demoCerts()
	if err != nil {
		return err
	}
	store := cert.NewMemStore()
	if err := store.Insert(alice.Public()); err != nil {
		return err
	}
	n.say("Three certificates: the server's, alice's (metadata name=alice) and")
	n.say("mallory's. The server's store holds alice's public certificate only.")

	events := make(chan auth.Event, 16)
	a, err := auth.New(ctx, zctx, auth.WithEvents(events))
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.CurveStore(ctx, store); err != nil {
		return err
	}
	n.say("An authenticator answers libzmq's ZAP requests for the context.")

	router, err := zsock.NewRouter("@tcp://127.0.0.1:*", zsock.WithContext(zctx),
		zsock.WithCurveServer(server.SecretText()), zsock.WithProperties("User-Id", "name"))
	if err != nil {
		return err
	}
	defer router.Close()
	client := func(c *cert.Cert) (*zsock.Socket, error) {
		return zsock.NewDealer(">"+router.Endpoint(), zsock.WithContext(zctx),
			zsock.WithCurveClient(c.PublicText(), c.SecretText(), server.PublicText()))
	}
	for _, who := range []struct {
		name string
		c    *cert.Cert
	}{{"alice", alice}, {"mallory", mallory}} {
		d, err := client(who.c)
		if err != nil {
			return err
		}
		defer d.Close()
		if err := d.SendString("hello from "+who.name, 0); err != nil {
			return err
		}
		n.say("  %-7s connects over CURVE and sends %q", who.name, "hello from "+who.name)
		ev, err := awaitDecision(ctx, events, who.c.PublicText())
		if err != nil {
			return err
		}
		if ev.Status != auth.StatusOK {
			n.say("  auth    refuses %s's key: %d %s", who.name, ev.Status, ev.Text)
			continue
		}
		n.say("  auth    accepts %s's key: %d", who.name, ev.Status)
		m, err := router.RecvMsgContext(ctx)
		if err != nil {
			return err
		}
		body, _ := m.Frame(1)
		user, _ := body.Meta("User-Id")
		name, _ := body.Meta("name")
		n.say("  ROUTER  receives %q; User-Id is %s's key: %v; name = %q",
			body.Text(), who.name, user == who.c.PublicText(), name)
	}
	if _, err := router.TryRecvMsg(); !errors.Is(err, zsock.ErrWouldBlock) {
		return fmt.Errorf("a message from a refused client arrived (%v)", err)
	}
	n.say("mallory's message never reaches the ROUTER: her connection was refused")
	n.say("during the handshake, before any message.")
	return nil
}

// demoCerts makes the section's three certificates.
func demoCerts() (server, alice, mallory *cert.Cert, err error) {
	if server, err = cert.New(); err != nil {
		return
	}
	if alice, err = cert.New(); err != nil {
		return
	}
	if err = alice.SetMeta("name", "alice"); err != nil {
		return
	}
	mallory, err = cert.New()
	return
}

// awaitDecision waits for the authenticator's decision about key.
func awaitDecision(ctx context.Context, events <-chan auth.Event, key string) (auth.Event, error) {
	for {
		select {
		case ev := <-events:
			if ev.Client == key {
				return ev, nil
			}
		case <-ctx.Done():
			return auth.Event{}, fmt.Errorf("no authentication decision: %w", ctx.Err())
		}
	}
}
