package auth

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/zkit-go/zkit/cert"
	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zsock"
)

// These tests run real libzmq handshakes over loopback TCP against the
// authenticator: the server's context has the authenticator, the client
// connects from 127.0.0.1.

func TestNullAddressRules(t *testing.T) {
	const other, other2 = "10.1.2.3", "10.9.9.9"
	cases := []struct {
		name  string
		allow []string
		deny  []string
		text  string // refusal reason; "" when accepted
	}{
		{name: "no rules"},
		{name: "allowed", allow: []string{"127.0.0.1"}},
		{name: "not in allow list", allow: []string{other}, text: "address not in allow list"},
		{name: "denied", deny: []string{"127.0.0.1"}, text: "address denied"},
		{name: "not denied", deny: []string{other}},
		{name: "allow list wins over deny list", allow: []string{"127.0.0.1"}, deny: []string{"127.0.0.1"}},
		{name: "deny list ignored with allow list", allow: []string{other}, deny: []string{other2}, text: "address not in allow list"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			zctx := newZctx(t)
			ch, opt := events()
			a := startAuth(t, zctx, opt)
			if tc.allow != nil {
				check(t, a.Allow(ctx, tc.allow...))
			}
			if tc.deny != nil {
				check(t, a.Deny(ctx, tc.deny...))
			}
			server := newServer(t, zctx, zsock.WithZapDomain("global"))
			client := newClient(t, zctx, server)
			if tc.text != "" {
				ev := refused(t, ctx, ch, server, client, StatusDenied, tc.text)
				if ev.Address != "127.0.0.1" || ev.Domain != "global" || ev.Mechanism != MechanismNull {
					t.Fatalf("event %s", describeEvent(ev))
				}
				return
			}
			exchange(t, ctx, server, client)
			ev := waitEvent(t, ctx, ch, func(Event) bool { return true })
			if ev.Status != StatusOK || ev.Address != "127.0.0.1" || ev.Domain != "global" || ev.Mechanism != MechanismNull || ev.Text != "OK" {
				t.Fatalf("event %s", describeEvent(ev))
			}
		})
	}
}

// writeFile writes data to path, failing the test on error.
func writeFile(t testing.TB, path, data string) {
	t.Helper()
	check(t, os.WriteFile(path, []byte(data), 0o600))
}

func TestPlain(t *testing.T) {
	file := filepath.Join(t.TempDir(), "passwords")
	writeFile(t, file, "# users\nadmin=secret\n\n  # indented comment\nbob=pa=ss\nnot a user line\n")
	cases := []struct {
		name, user, password string
		allow                string
		text                 string // refusal reason; "" when accepted
	}{
		{name: "good", user: "admin", password: "secret"},
		{name: "password with =", user: "bob", password: "pa=ss"},
		{name: "wrong password", user: "admin", password: "Secret", text: "wrong password"},
		{name: "unknown user", user: "eve", password: "secret", text: "unknown user"},
		{name: "comment is no user", user: "# users", password: "x", text: "unknown user"},
		{name: "allowed address still needs the password", allow: "127.0.0.1", user: "admin", password: "x", text: "wrong password"},
		{name: "allowed address with the password", allow: "127.0.0.1", user: "admin", password: "secret"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			zctx := newZctx(t)
			ch, opt := events()
			a := startAuth(t, zctx, opt)
			check(t, a.Plain(ctx, file))
			if tc.allow != "" {
				check(t, a.Allow(ctx, tc.allow))
			}
			server := newServer(t, zctx, zsock.WithPlainServer(), zsock.WithProperties(zframe.PropUserID))
			client := newClient(t, zctx, server, zsock.WithPlainClient(tc.user, tc.password))
			if tc.text != "" {
				ev := refused(t, ctx, ch, server, client, StatusDenied, tc.text)
				if ev.Client != tc.user || ev.Mechanism != MechanismPlain || ev.UserID != "" {
					t.Fatalf("event %s", describeEvent(ev))
				}
				return
			}
			m := exchange(t, ctx, server, client)
			if uid, _ := m.Frames()[0].Meta(zframe.PropUserID); uid != tc.user {
				t.Fatalf("User-Id %q, want %q", uid, tc.user)
			}
		})
	}
}

func TestPlainNotConfigured(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch, opt := events()
	startAuth(t, zctx, opt)
	server := newServer(t, zctx, zsock.WithPlainServer())
	client := newClient(t, zctx, server, zsock.WithPlainClient("admin", "secret"))
	refused(t, ctx, ch, server, client, StatusDenied, "PLAIN not configured")
}

func TestPlainFileReload(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch, opt := events()
	a := startAuth(t, zctx, opt)
	file := filepath.Join(t.TempDir(), "passwords")
	writeFile(t, file, "alice=secret1\n")
	check(t, a.Plain(ctx, file))
	server := newServer(t, zctx, zsock.WithPlainServer(), zsock.WithProperties(zframe.PropUserID))

	old := newClient(t, zctx, server, zsock.WithPlainClient("alice", "secret1"))
	exchange(t, ctx, server, old)
	fresh := newClient(t, zctx, server, zsock.WithPlainClient("alice", "secret2"))
	refused(t, ctx, ch, server, fresh, StatusDenied, "wrong password")
	fresh.Close()

	// Rewritten in place at once: same size, same inode, and maybe the
	// same modification time on file systems with coarse timestamps.
	writeFile(t, file, "alice=secret2\n")
	fresh = newClient(t, zctx, server, zsock.WithPlainClient("alice", "secret2"))
	exchange(t, ctx, server, fresh)
	stale := newClient(t, zctx, server, zsock.WithPlainClient("alice", "secret1"))
	refused(t, ctx, ch, server, stale, StatusDenied, "wrong password")
	stale.Close()

	// Replaced by rename, as editors and deployment tools do.
	tmp := file + ".new"
	writeFile(t, tmp, "# rotated\ncarol=third\n")
	check(t, os.Rename(tmp, file))
	carol := newClient(t, zctx, server, zsock.WithPlainClient("carol", "third"))
	m := exchange(t, ctx, server, carol)
	if uid, _ := m.Frames()[0].Meta(zframe.PropUserID); uid != "carol" {
		t.Fatalf("User-Id %q", uid)
	}

	// A file that disappears leaves the last users in force.
	check(t, os.Remove(file))
	again := newClient(t, zctx, server, zsock.WithPlainClient("carol", "third"))
	exchange(t, ctx, server, again)
}

func TestPlainUsers(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch, opt := events()
	a := startAuth(t, zctx, opt)
	users := map[string]string{"dave": "pw"}
	check(t, a.PlainUsers(ctx, users))
	users["eve"] = "pw" // copied: no effect
	server := newServer(t, zctx, zsock.WithPlainServer())
	exchange(t, ctx, server, newClient(t, zctx, server, zsock.WithPlainClient("dave", "pw")))
	eve := newClient(t, zctx, server, zsock.WithPlainClient("eve", "pw"))
	refused(t, ctx, ch, server, eve, StatusDenied, "unknown user")
}

func TestCurveStoreDirectory(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch, opt := events()
	a := startAuth(t, zctx, opt)
	dir := t.TempDir()
	serverCert := newCert(t)
	alice := newCert(t, "name", "alice", "role", "admin")
	check(t, alice.Save(filepath.Join(dir, "alice")))
	// A file that is not a certificate is skipped, not fatal.
	check(t, os.WriteFile(filepath.Join(dir, "README"), []byte("client certificates\n"), 0o644))
	check(t, a.Curve(ctx, dir))

	server := newServer(t, zctx, curveServer(serverCert), zsock.WithProperties(zframe.PropUserID, "name", "role"))
	client := newClient(t, zctx, server, curveClient(alice, serverCert))
	m := exchange(t, ctx, server, client)
	f := m.Frames()[0]
	for name, want := range map[string]string{zframe.PropUserID: alice.PublicText(), "name": "alice", "role": "admin"} {
		if got, ok := f.Meta(name); !ok || got != want {
			t.Errorf("property %s = %q (%v), want %q", name, got, ok, want)
		}
	}
	ev := waitEvent(t, ctx, ch, func(Event) bool { return true })
	if ev.Status != StatusOK || ev.UserID != alice.PublicText() || ev.Client != alice.PublicText() || ev.Mechanism != MechanismCurve {
		t.Fatalf("event %s", describeEvent(ev))
	}

	mallory := newCert(t)
	bad := newClient(t, zctx, server, curveClient(mallory, serverCert))
	ev = refused(t, ctx, ch, server, bad, StatusDenied, "unknown key")
	if ev.Client != mallory.PublicText() {
		t.Fatalf("event %s", describeEvent(ev))
	}
	bad.Close()

	// The store notices certificates added later.
	check(t, mallory.Save(filepath.Join(dir, "mallory")))
	exchange(t, ctx, server, newClient(t, zctx, server, curveClient(mallory, serverCert)))
}

func TestCurveMemStore(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch, opt := events()
	a := startAuth(t, zctx, opt)
	store := cert.NewMemStore()
	serverCert, known := newCert(t), newCert(t, "tier", "gold")
	check(t, store.Insert(known.Public()))
	check(t, a.CurveStore(ctx, store))
	server := newServer(t, zctx, curveServer(serverCert), zsock.WithProperties("tier"))
	m := exchange(t, ctx, server, newClient(t, zctx, server, curveClient(known, serverCert)))
	if tier, _ := m.Frames()[0].Meta("tier"); tier != "gold" {
		t.Fatalf("tier %q", tier)
	}
	refused(t, ctx, ch, server, newClient(t, zctx, server, curveClient(newCert(t), serverCert)), StatusDenied, "unknown key")
}

func TestCurveAny(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	a := startAuth(t, zctx)
	check(t, a.CurveAny(ctx))
	serverCert, anyone := newCert(t), newCert(t)
	server := newServer(t, zctx, curveServer(serverCert), zsock.WithProperties(zframe.PropUserID))
	m := exchange(t, ctx, server, newClient(t, zctx, server, curveClient(anyone, serverCert)))
	if uid, _ := m.Frames()[0].Meta(zframe.PropUserID); uid != anyone.PublicText() {
		t.Fatalf("User-Id %q", uid)
	}
}

func TestCurveNotConfigured(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch, opt := events()
	startAuth(t, zctx, opt)
	serverCert := newCert(t)
	server := newServer(t, zctx, curveServer(serverCert))
	refused(t, ctx, ch, server, newClient(t, zctx, server, curveClient(newCert(t), serverCert)), StatusDenied, "CURVE not configured")
}

func TestCurveAddressRules(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch, opt := events()
	a := startAuth(t, zctx, opt)
	check(t, a.CurveAny(ctx))
	check(t, a.Allow(ctx, "10.1.2.3"))
	serverCert := newCert(t)
	server := newServer(t, zctx, curveServer(serverCert))
	refused(t, ctx, ch, server, newClient(t, zctx, server, curveClient(newCert(t), serverCert)), StatusDenied, "address not in allow list")
}

func TestDomainPolicies(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch, opt := events()
	a := startAuth(t, zctx, opt)
	serverCert, client := newCert(t), newCert(t)

	// The default policy accepts any CURVE key; "vault" knows only its
	// own store and refuses other addresses; "closed" denies loopback.
	check(t, a.CurveAny(ctx))
	vault := a.Domain("vault")
	vaultStore := cert.NewMemStore()
	check(t, vault.CurveStore(ctx, vaultStore))
	check(t, a.Domain("closed").Deny(ctx, "127.0.0.1"))
	if name, ok := vault.Name(); name != "vault" || !ok {
		t.Fatalf("Name() = %q, %v", name, ok)
	}
	if _, ok := a.Default().Name(); ok {
		t.Fatal("the default policy has a name")
	}

	open := newServer(t, zctx, curveServer(serverCert), zsock.WithZapDomain("open"))
	exchange(t, ctx, open, newClient(t, zctx, open, curveClient(client, serverCert)))
	ev := waitEvent(t, ctx, ch, func(Event) bool { return true })
	if ev.Domain != "open" || ev.Status != StatusOK {
		t.Fatalf("event %s", describeEvent(ev))
	}

	vaultServer := newServer(t, zctx, curveServer(serverCert), zsock.WithZapDomain("vault"))
	ev = refused(t, ctx, ch, vaultServer, newClient(t, zctx, vaultServer, curveClient(client, serverCert)), StatusDenied, "unknown key")
	if ev.Domain != "vault" {
		t.Fatalf("event %s", describeEvent(ev))
	}
	check(t, vaultStore.Insert(client.Public()))
	exchange(t, ctx, vaultServer, newClient(t, zctx, vaultServer, curveClient(client, serverCert)))

	// A domain's policy does not inherit the default's CURVE setting.
	closed := newServer(t, zctx, curveServer(serverCert), zsock.WithZapDomain("closed"))
	refused(t, ctx, ch, closed, newClient(t, zctx, closed, curveClient(client, serverCert)), StatusDenied, "address denied")
	closedNull := newServer(t, zctx, zsock.WithZapDomain("closed"))
	refused(t, ctx, ch, closedNull, newClient(t, zctx, closedNull), StatusDenied, "address denied")
}

func TestEventsNeverBlock(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch := make(chan Event) // nobody receives
	a := startAuth(t, zctx, WithEvents(ch))
	server := newServer(t, zctx, zsock.WithZapDomain("global"))
	for range 3 {
		c := newClient(t, zctx, server)
		exchange(t, ctx, server, c)
		c.Close()
	}
	st := a.Stats()
	if st.Accepted != 3 || st.EventsDropped != 3 {
		t.Fatalf("stats %+v", st)
	}
}

func TestAlreadyBound(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	a, err := New(ctx, zctx)
	check(t, err)
	if _, err := New(ctx, zctx); !errorsIs(err, ErrAlreadyBound) {
		t.Fatalf("second New: %v", err)
	}
	// Another context has its own handler.
	other := newZctx(t)
	startAuth(t, other)
	check(t, a.Close())
	if err := a.Allow(ctx, "127.0.0.1"); !errorsIs(err, ErrClosed) {
		t.Fatalf("Allow after Close: %v", err)
	}
	check(t, a.Close()) // idempotent
	// Once closed, the endpoint is free again.
	startAuth(t, zctx)
}

func TestContextCancelStops(t *testing.T) {
	zctx := newZctx(t)
	ctx, cancel := context.WithCancel(testCtx(t))
	a, err := New(ctx, zctx)
	check(t, err)
	cancel()
	select {
	case <-a.Done():
	case <-testCtx(t).Done():
		t.Fatal("authenticator still running after its context ended")
	}
	_ = a.Close()
}
