package interop

// Certificate interop: files written by CZMQ's zcert_save
// (testdata/czmqcert.c) and by pyzmq's zmq.auth (testdata/pycert.py) load
// in zkit's cert package with the same keys and metadata, and zkit's
// files load in CZMQ (zcert_load, zcertstore) and pyzmq
// (load_certificate, load_certificates). Saved with the same keys and
// metadata, zkit's files are byte-identical to CZMQ's and pyzmq's apart
// from the "Generated on" line, and to CZMQ's even including it when
// given CZMQ's time.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zkit-go/zkit/cert"
)

// buildCZMQCertTool compiles testdata/czmqcert.c into a directory removed
// when the test ends, or stops the test as requirePeer decides when gcc,
// pkg-config or libczmq is missing.
func buildCZMQCertTool(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"gcc", "pkg-config"} {
		if _, err := exec.LookPath(tool); err != nil {
			requirePeer(t, "CZMQ (gcc, pkg-config and libczmq)", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	flags, err := exec.CommandContext(ctx, "pkg-config", "--cflags", "--libs", "libczmq").Output()
	if err != nil {
		requirePeer(t, "CZMQ (gcc, pkg-config and libczmq)", fmt.Errorf("pkg-config --cflags --libs libczmq: %w", err))
	}
	src, err := filepath.Abs(filepath.Join("testdata", "czmqcert.c"))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "czmqcert")
	args := append([]string{"-O1", "-o", bin, src}, strings.Fields(string(flags))...)
	if out, err := exec.CommandContext(ctx, "gcc", args...).CombinedOutput(); err != nil {
		t.Fatalf("building the CZMQ certificate helper: gcc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return bin
}

// peerCert is a certificate as a helper printed it.
type peerCert struct {
	public, secret string
	meta           map[string]string
}

// parsePeerCert reads "public KEY", "secret KEY" and "meta NAME=VALUE"
// lines.
func parsePeerCert(t *testing.T, out string) peerCert {
	t.Helper()
	pc := peerCert{meta: map[string]string{}}
	for line := range strings.Lines(out) {
		kind, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		switch kind {
		case "public":
			pc.public = rest
		case "secret":
			pc.secret = rest
		case "meta":
			name, value, _ := strings.Cut(rest, "=")
			pc.meta[name] = value
		case "found":
		default:
			t.Fatalf("unexpected helper output %q", line)
		}
	}
	return pc
}

// metaMap returns a certificate's metadata as a map.
func metaMap(c *cert.Cert) map[string]string {
	m := map[string]string{}
	for _, e := range c.Metadata() {
		m[e.Name] = e.Value
	}
	return m
}

func sameMeta(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// checkCert compares a zkit certificate with a helper's view of one. An
// empty secret means the certificate must have none; CZMQ prints forty
// '0' for that and pyzmq "-".
func checkCert(t *testing.T, what string, c *cert.Cert, pc peerCert) {
	t.Helper()
	secret := pc.secret
	if secret == strings.Repeat("0", 40) || secret == "-" {
		secret = ""
	}
	if c.PublicText() != pc.public || c.SecretText() != secret {
		t.Errorf("%s: zkit has keys %q / %q; peer has %q / %q", what, c.PublicText(), c.SecretText(), pc.public, pc.secret)
	}
	if pc.meta != nil && !sameMeta(metaMap(c), pc.meta) {
		t.Errorf("%s: zkit has metadata %v; peer has %v", what, metaMap(c), pc.meta)
	}
}

// generatedLine matches the banner line that carries the time.
var generatedLine = regexp.MustCompile(`(?m)^#   \*\*\*\*  Generated on ([0-9 :.-]+) by (CZMQ|pyzmq)  \*\*\*\*\n`)

// withoutTime returns a file's contents without its "Generated on" line,
// failing the test if the line is missing.
func withoutTime(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !generatedLine.Match(data) {
		t.Fatalf("%s has no Generated on line:\n%s", path, data)
	}
	return generatedLine.ReplaceAllString(string(data), "")
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// testMeta is metadata that CZMQ, pyzmq and zkit all write and read
// back: CZMQ quotes values in '"' without escapes, so none holds a '"',
// and pyzmq writes values bare, so none holds a '#' or starts or ends
// with a space.
var testMeta = []string{"name=Alice Example", "email=alice@example.com", "organization=Example & Co.", "empty="}

// czmqMeta adds values that only a quoted ZPL value holds, as CZMQ and
// zkit write them (and pyzmq does not).
var czmqMeta = append(slices.Clone(testMeta), "role=#1 admin", "padded=  x  ")

func newZkitCert(t *testing.T, meta []string) *cert.Cert {
	t.Helper()
	c, err := cert.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range meta {
		name, value, _ := strings.Cut(kv, "=")
		if err := c.SetMeta(name, value); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func metaOf(meta []string) map[string]string {
	m := map[string]string{}
	for _, kv := range meta {
		name, value, _ := strings.Cut(kv, "=")
		m[name] = value
	}
	return m
}

func TestCZMQCertificates(t *testing.T) {
	ctx := testCtx(t)
	tool := buildCZMQCertTool(t)
	czmq := func(t *testing.T, args ...string) string {
		t.Helper()
		return startProc(t, ctx, nil, tool, args...).mustSucceed()
	}

	t.Run("czmq writes, zkit reads", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "czmq")
		made := parsePeerCert(t, czmq(t, append([]string{"save", path, "-", "-"}, czmqMeta...)...))
		made.meta = metaOf(czmqMeta)
		c, err := cert.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		checkCert(t, "zcert_save'd certificate", c, made)

		copyFile(t, path, filepath.Join(dir, "public-only"))
		c, err = cert.Load(filepath.Join(dir, "public-only"))
		if err != nil {
			t.Fatal(err)
		}
		checkCert(t, "zcert_save'd public file", c, peerCert{public: made.public, meta: made.meta})

		_ = os.Remove(filepath.Join(dir, "public-only"))
		s, err := cert.NewStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		found, err := s.Lookup(made.public)
		if err != nil {
			t.Fatal(err)
		}
		checkCert(t, "store lookup", found, peerCert{public: made.public, meta: made.meta})
	})

	t.Run("zkit writes, czmq reads", func(t *testing.T) {
		dir := t.TempDir()
		c := newZkitCert(t, czmqMeta)
		full := peerCert{public: c.PublicText(), secret: c.SecretText(), meta: metaOf(czmqMeta)}
		public := peerCert{public: c.PublicText(), secret: strings.Repeat("0", 40), meta: metaOf(czmqMeta)}

		if err := c.Save(filepath.Join(dir, "zkit")); err != nil {
			t.Fatal(err)
		}
		if got := parsePeerCert(t, czmq(t, "load", filepath.Join(dir, "zkit"))); got.public != full.public || got.secret != full.secret || !sameMeta(got.meta, full.meta) {
			t.Errorf("zcert_load of Save: %+v; want %+v", got, full)
		}

		pubDir := t.TempDir()
		if err := c.SavePublic(filepath.Join(pubDir, "zkit.txt")); err != nil {
			t.Fatal(err)
		}
		if got := parsePeerCert(t, czmq(t, "load", filepath.Join(pubDir, "zkit.txt"))); got.public != public.public || got.secret != public.secret || !sameMeta(got.meta, public.meta) {
			t.Errorf("zcert_load of SavePublic: %+v; want %+v", got, public)
		}
		// zcertstore finds it, with its metadata.
		out := czmq(t, "lookup", pubDir, c.PublicText())
		if !strings.HasPrefix(out, "found\n") {
			t.Fatalf("zcertstore_lookup: %q", out)
		}
		if got := parsePeerCert(t, out); !sameMeta(got.meta, metaOf(czmqMeta)) {
			t.Errorf("zcertstore_lookup metadata %v", got.meta)
		}
		if out := czmq(t, "lookup", pubDir, newZkitCert(t, nil).PublicText()); out != "missing\n" {
			t.Errorf("zcertstore_lookup of an unknown key: %q", out)
		}

		// pyzmq's layout, bare values and all, is read by CZMQ too.
		if err := c.Save(filepath.Join(dir, "py"), cert.WithPyzmqLayout()); err != nil {
			t.Fatal(err)
		}
		if got := parsePeerCert(t, czmq(t, "load", filepath.Join(dir, "py.key"))); got.public != full.public || got.secret != full.secret || !sameMeta(got.meta, full.meta) {
			t.Errorf("zcert_load of the pyzmq layout: %+v; want %+v", got, full)
		}
	})

	t.Run("same bytes as zcert_save", func(t *testing.T) {
		ref := newZkitCert(t, nil) // keys for CZMQ to use
		czmqDir, zkitDir := t.TempDir(), t.TempDir()
		czmq(t, append([]string{"save", filepath.Join(czmqDir, "c"), ref.PublicText(), ref.SecretText()}, czmqMeta...)...)

		// The same keys and metadata, in the order CZMQ wrote them (CZMQ
		// keeps metadata in a hash table, so its order is the table's).
		loaded, err := cert.Load(filepath.Join(czmqDir, "c"))
		if err != nil {
			t.Fatal(err)
		}
		c, err := cert.NewFromText(ref.PublicText(), ref.SecretText())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range loaded.Metadata() {
			if err := c.SetMeta(m.Name, m.Value); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.Save(filepath.Join(zkitDir, "c")); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"c", "c_secret"} {
			want := withoutTime(t, filepath.Join(czmqDir, name))
			got := withoutTime(t, filepath.Join(zkitDir, name))
			if got != want {
				t.Errorf("%s differs from CZMQ's apart from the time line:\nzkit:\n%s\nCZMQ:\n%s", name, got, want)
			}
		}

		// With CZMQ's own time (local, to the second) the files are
		// identical, banner included. CZMQ reads the clock for each file.
		again := t.TempDir()
		for _, name := range []string{"c", "c_secret"} {
			want, err := os.ReadFile(filepath.Join(czmqDir, name))
			if err != nil {
				t.Fatal(err)
			}
			stamp := generatedLine.FindSubmatch(want)
			when, err := time.ParseInLocation(time.DateTime, string(stamp[1]), time.Local)
			if err != nil {
				t.Fatalf("CZMQ's time %q: %v", stamp[1], err)
			}
			save := c.SavePublic
			if name == "c_secret" {
				save = c.SaveSecret
			}
			if err := save(filepath.Join(again, name), cert.WithTime(when)); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(again, name))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("%s with CZMQ's time:\nzkit:\n%s\nCZMQ:\n%s", name, got, want)
			}
		}

		// Both make the secret file private.
		for _, d := range []string{czmqDir, zkitDir} {
			info, err := os.Stat(filepath.Join(d, "c_secret"))
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != 0o600 {
				t.Errorf("%s: secret file mode %v", d, info.Mode().Perm())
			}
		}
	})
}

// pyCertScript returns testdata/pycert.py once it is known that python3
// can import zmq.
func pyCertScript(t *testing.T) string {
	t.Helper()
	pyzmqScript(t) // checks python3 and zmq, skipping or failing as requirePeer says
	script, err := filepath.Abs(filepath.Join("testdata", "pycert.py"))
	if err != nil {
		t.Fatal(err)
	}
	return script
}

func TestPyzmqCertificates(t *testing.T) {
	ctx := testCtx(t)
	script := pyCertScript(t)
	py := func(t *testing.T, args ...string) string {
		t.Helper()
		return startProc(t, ctx, nil, python, append([]string{script}, args...)...).mustSucceed()
	}

	t.Run("pyzmq writes, zkit reads", func(t *testing.T) {
		dir := t.TempDir()
		made := parsePeerCert(t, py(t, append([]string{"create", dir, "server"}, testMeta...)...))
		made.meta = metaOf(testMeta)
		base := filepath.Join(dir, "server")
		for _, p := range []string{base, base + ".key", base + ".key_secret"} {
			c, err := cert.Load(p)
			if err != nil {
				t.Fatalf("Load(%s): %v", p, err)
			}
			checkCert(t, "Load("+filepath.Base(p)+")", c, made)
		}
		// The public file alone has no metadata in pyzmq's layout.
		copyFile(t, base+".key", filepath.Join(dir, "public-only"))
		c, err := cert.Load(filepath.Join(dir, "public-only"))
		if err != nil {
			t.Fatal(err)
		}
		checkCert(t, "pyzmq public file", c, peerCert{public: made.public, meta: map[string]string{}})
		_ = os.Remove(filepath.Join(dir, "public-only"))

		// A store reads server.key, and its metadata from server.key_secret.
		s, err := cert.NewStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		found, err := s.Lookup(made.public)
		if err != nil {
			t.Fatal(err)
		}
		checkCert(t, "store lookup", found, peerCert{public: made.public, meta: made.meta})

		// zkit writes pyzmq's layout byte for byte, apart from the time.
		loaded, err := cert.Load(base)
		if err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		if err := loaded.Save(filepath.Join(out, "server"), cert.WithPyzmqLayout()); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"server.key", "server.key_secret"} {
			want := withoutTime(t, filepath.Join(dir, name))
			got := withoutTime(t, filepath.Join(out, name))
			if got != want {
				t.Errorf("%s differs from pyzmq's apart from the time line:\nzkit:\n%s\npyzmq:\n%s", name, got, want)
			}
		}
	})

	t.Run("zkit writes, pyzmq reads", func(t *testing.T) {
		dir := t.TempDir()
		czmqStyle, pyStyle := newZkitCert(t, czmqMeta), newZkitCert(t, czmqMeta)
		if err := czmqStyle.Save(filepath.Join(dir, "czmq")); err != nil {
			t.Fatal(err)
		}
		if err := pyStyle.Save(filepath.Join(dir, "py"), cert.WithPyzmqLayout()); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			path string
			cert *cert.Cert
			full bool
		}{
			{"czmq", czmqStyle, false},
			{"czmq_secret", czmqStyle, true},
			{"py.key", pyStyle, false},
			{"py.key_secret", pyStyle, true},
		} {
			got := parsePeerCert(t, py(t, "load", filepath.Join(dir, c.path)))
			want := c.cert
			if !c.full {
				want = c.cert.Public()
			}
			got.meta = nil // pyzmq does not read metadata
			checkCert(t, "load_certificate("+c.path+")", want, got)
		}
		// pyzmq's directory loader reads *.key files only.
		var keys []string
		for line := range strings.Lines(py(t, "loaddir", dir)) {
			keys = append(keys, strings.TrimPrefix(strings.TrimSuffix(line, "\n"), "public "))
		}
		if !slices.Equal(keys, []string{pyStyle.PublicText()}) {
			t.Errorf("load_certificates: %q; want [%q]", keys, pyStyle.PublicText())
		}
	})
}
