package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkit-go/zkit/cert"
)

func TestMakecertAndShow(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "server")
	code, out, errOut := runSync(t, "", "makecert", "--meta", "name=server", "--meta", "role=test=1", path)
	if code != 0 {
		t.Fatalf("makecert: status %d, stderr %q", code, errOut)
	}
	key := strings.TrimSpace(out)
	c, err := cert.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicText() != key || !c.HasSecret() {
		t.Fatalf("printed key %q, file key %q, secret %v", key, c.PublicText(), c.HasSecret())
	}
	if v, _ := c.Meta("role"); v != "test=1" {
		t.Fatalf("meta role = %q", v)
	}
	st, err := os.Stat(path + "_secret")
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v, mode %v", err, st.Mode())
	}
	// Never replaced silently; --force replaces.
	code, _, errOut = runSync(t, "", "makecert", path)
	if code != 1 || !strings.Contains(errOut, "--force") {
		t.Fatalf("second makecert: status %d, stderr %q", code, errOut)
	}
	checkOneLineError(t, errOut)
	if code, _, _ := runSync(t, "", "makecert", "--force", "--meta", "name=server", "--meta", "role=test=1", path); code != 0 {
		t.Fatalf("makecert --force: status %d", code)
	}

	code, out, _ = runSync(t, "", "cert", "show", path+"_secret")
	if code != 0 {
		t.Fatalf("cert show: status %d", code)
	}
	for _, want := range []string{"public-key: ", "secret-key: present", "meta name: server", "meta role: test=1"} {
		if !strings.Contains(out, want) {
			t.Errorf("cert show lacks %q:\n%s", want, out)
		}
	}
	// A garbage file gives a one-line error with status 1.
	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte("curve\n    public-key = \"short\"\n"), 0o644)
	code, _, errOut = runSync(t, "", "cert", "show", bad)
	if code != 1 {
		t.Fatalf("cert show garbage: status %d", code)
	}
	checkOneLineError(t, errOut)
	if code, _, _ := runSync(t, "", "makecert", "--meta", "bad name=x", filepath.Join(dir, "x")); code != 2 {
		t.Fatalf("bad --meta: status %d, want 2", code)
	}
}

// TestCatCurveWithAuthenticator runs a CURVE PULL server whose
// authenticator knows alice but not mallory: only alice's line arrives,
// labelled with her User-Id (her public key).
func TestCatCurveWithAuthenticator(t *testing.T) {
	dir := t.TempDir()
	clients := filepath.Join(dir, "clients")
	os.Mkdir(clients, 0o755)
	mk := func(name string) *cert.Cert {
		c, err := cert.New()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Save(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		return c
	}
	mk("server")
	alice := mk("alice")
	mk("mallory")
	if err := alice.SavePublic(filepath.Join(clients, "alice")); err != nil {
		t.Fatal(err)
	}
	pull := startRun(t, nil, "cat", "pull", "@tcp://127.0.0.1:*", "-n", "1", "--show-user",
		"--curve-server", filepath.Join(dir, "server"), "--auth-curve", clients)
	ep := pull.boundEndpoint(t)
	// mallory first: refused by the handshake, so her line never arrives.
	mallory := startRun(t, strings.NewReader("from mallory\n"), "cat", "push", ep,
		"--curve-client", filepath.Join(dir, "mallory"), "--curve-serverkey", filepath.Join(dir, "server"))
	code, _, errOut := runSync(t, "from alice\n", "cat", "push", ep,
		"--curve-client", filepath.Join(dir, "alice"), "--curve-serverkey", filepath.Join(dir, "server"))
	if code != 0 {
		t.Fatalf("alice: status %d, stderr %q", code, errOut)
	}
	if code := pull.wait(t); code != 0 {
		t.Fatalf("pull: status %d, stderr %q", code, pull.stderr)
	}
	want := alice.PublicText() + "\tfrom alice\n"
	if got := pull.stdout.String(); got != want {
		t.Fatalf("pull printed %q, want %q", got, want)
	}
	mallory.cancel()
	mallory.wait(t)
}

func TestCatSecurityUsage(t *testing.T) {
	for _, args := range [][]string{
		{"cat", "pull", "@tcp://127.0.0.1:*", "--curve-server", "a", "--plain-server"},
		{"cat", "push", ">tcp://127.0.0.1:1", "--curve-client", "a"},
		{"cat", "push", ">tcp://127.0.0.1:1", "--curve-serverkey", "k"},
		{"cat", "pull", "@tcp://127.0.0.1:*", "--auth-curve", "*"},
		{"cat", "pull", "@tcp://127.0.0.1:*", "--plain-server"},
		{"cat", "push", ">tcp://127.0.0.1:1", "--plain", "nocolon"},
	} {
		code, _, errOut := runSync(t, "", args...)
		if code != 2 {
			t.Errorf("%v: status %d, stderr %q", args, code, errOut)
		}
	}
}

// TestCatPlainAndAddressRules: a PLAIN server accepts the right password
// and shows the user name; then a NULL server whose --allow list excludes
// loopback receives nothing.
func TestCatPlainAndAddressRules(t *testing.T) {
	dir := t.TempDir()
	passwords := filepath.Join(dir, "passwords")
	if err := os.WriteFile(passwords, []byte("# users\nadmin=secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pull := startRun(t, nil, "cat", "pull", "@tcp://127.0.0.1:*", "-n", "1", "--show-user",
		"--plain-server", "--auth-plain", passwords)
	ep := pull.boundEndpoint(t)
	wrong := startRun(t, strings.NewReader("wrong password\n"), "cat", "push", ep, "--plain", "admin:guess")
	code, _, errOut := runSync(t, "right password\n", "cat", "push", ep, "--plain", "admin:secret")
	if code != 0 {
		t.Fatalf("push: status %d, stderr %q", code, errOut)
	}
	if code := pull.wait(t); code != 0 {
		t.Fatalf("pull: status %d, stderr %q", code, pull.stderr)
	}
	if got := pull.stdout.String(); got != "admin\tright password\n" {
		t.Fatalf("pull printed %q", got)
	}
	wrong.cancel()
	wrong.wait(t)

	// With loopback on the allow list the message arrives...
	pull = startRun(t, nil, "cat", "pull", "@tcp://127.0.0.1:*", "--allow", "127.0.0.1", "-n", "1")
	if code, _, errOut := runSync(t, "allowed\n", "cat", "push", pull.boundEndpoint(t)); code != 0 {
		t.Fatalf("allowed push: status %d, stderr %q", code, errOut)
	}
	if code := pull.wait(t); code != 0 || pull.stdout.String() != "allowed\n" {
		t.Fatalf("allowed pull: status %d, stdout %q", code, pull.stdout)
	}
	// ...and when only 10.9.9.9 may connect, the loopback client is
	// refused, so the run ends at its timeout with nothing printed.
	pull = startRun(t, nil, "cat", "pull", "@tcp://127.0.0.1:*", "--allow", "10.9.9.9", "--timeout", "300ms")
	ep = pull.boundEndpoint(t)
	push := startRun(t, strings.NewReader("refused\n"), "cat", "push", ep)
	if code := pull.wait(t); code != 0 || pull.stdout.String() != "" {
		t.Fatalf("pull: status %d, stdout %q, stderr %q", code, pull.stdout, pull.stderr)
	}
	push.cancel()
	push.wait(t)
}
