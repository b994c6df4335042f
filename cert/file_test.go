package cert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var goldenTime = time.Date(2025, 1, 2, 3, 4, 5, 600_000_000, time.UTC)

// The files CZMQ 4.2's zcert_save writes for testCert with this
// metadata at goldenTime (the interop tests check the same against
// libczmq itself).
const goldenPublic = `#   ****  Generated on 2025-01-02 03:04:05 by CZMQ  ****
#   ZeroMQ CURVE Public Certificate
#   Exchange securely, or use a secure mechanism to verify the contents
#   of this file after exchange. Store public certificates in your home
#   directory, in the .curve subdirectory.

metadata
    name = "Alice Example"
    email = "alice@example.com"
curve
    public-key = "2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrjk"
`

const goldenSecret = `#   ****  Generated on 2025-01-02 03:04:05 by CZMQ  ****
#   ZeroMQ CURVE **Secret** Certificate
#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.

metadata
    name = "Alice Example"
    email = "alice@example.com"
curve
    public-key = "2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrjk"
    secret-key = "0rJua1Qkhq2)}4G4gS)W5Ft->6=4P585:Cl9uDpB"
`

// The files pyzmq's create_certificates writes for the same certificate.
const goldenPyzmqPublic = `#   ****  Generated on 2025-01-02 03:04:05.600000 by pyzmq  ****
#   ZeroMQ CURVE Public Certificate
#   Exchange securely, or use a secure mechanism to verify the contents
#   of this file after exchange. Store public certificates in your home
#   directory, in the .curve subdirectory.

metadata
curve
    public-key = "2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrjk"
`

const goldenPyzmqSecret = `#   ****  Generated on 2025-01-02 03:04:05.600000 by pyzmq  ****
#   ZeroMQ CURVE **Secret** Certificate
#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.

metadata
    name = Alice Example
    email = alice@example.com
curve
    public-key = "2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrjk"
    secret-key = "0rJua1Qkhq2)}4G4gS)W5Ft->6=4P585:Cl9uDpB"
`

func goldenCert(t testing.TB) *Cert {
	return testCert(t, "name", "Alice Example", "email", "alice@example.com")
}

func readString(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mode(t testing.TB, path string) fs.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

// noTempFiles fails if a save left a temporary file in dir.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestSaveCZMQLayout(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "alice")
	if err := goldenCert(t).Save(path, WithTime(goldenTime)); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); got != goldenPublic {
		t.Errorf("public file:\n%s\nwant:\n%s", got, goldenPublic)
	}
	if got := readString(t, path+"_secret"); got != goldenSecret {
		t.Errorf("secret file:\n%s\nwant:\n%s", got, goldenSecret)
	}
	if m := mode(t, path+"_secret"); runtime.GOOS != "windows" && m != 0o600 {
		t.Errorf("secret file mode %v; want 0600", m)
	}
	noTempFiles(t, dir)
}

func TestSavePyzmqLayout(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "alice")
	if err := goldenCert(t).Save(base, WithTime(goldenTime), WithPyzmqLayout()); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, base+".key"); got != goldenPyzmqPublic {
		t.Errorf("public file:\n%s\nwant:\n%s", got, goldenPyzmqPublic)
	}
	if got := readString(t, base+".key_secret"); got != goldenPyzmqSecret {
		t.Errorf("secret file:\n%s\nwant:\n%s", got, goldenPyzmqSecret)
	}
	if _, err := os.Stat(base); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("pyzmq layout wrote %s: %v", base, err)
	}
	// Python leaves out whole-second fractions.
	c := goldenCert(t)
	_ = c.SetMeta("hash", "a#b")
	if err := c.SaveSecret(base+"2", WithTime(goldenTime.Truncate(time.Second)), WithPyzmqLayout()); err != nil {
		t.Fatal(err)
	}
	got := readString(t, base+"2")
	if !strings.Contains(got, "on 2025-01-02 03:04:05 by pyzmq") || !strings.Contains(got, `hash = "a#b"`) {
		t.Errorf("pyzmq secret file:\n%s", got)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{"name", "Zoë ✓"}, {"quote", `say "hi"`}, {"empty", ""}, {"spaces", "  x  "}, {"hash", "#1"}, {"mixed", `it's "x"`}} {
		if err := c.SetMeta(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, layout := range []struct {
		name      string
		opts      []SaveOption
		pub, sec  string
		publicMet bool // the public file carries metadata
	}{
		{"czmq", nil, "", SecretSuffix, true},
		{"pyzmq", []SaveOption{WithPyzmqLayout()}, PyzmqPublicSuffix, PyzmqSecretSuffix, false},
	} {
		t.Run(layout.name, func(t *testing.T) {
			base := filepath.Join(t.TempDir(), "c")
			if err := c.Save(base, layout.opts...); err != nil {
				t.Fatal(err)
			}
			// Load by the base name, by the public file's name and by the
			// secret file's name: all find the secret file.
			for _, p := range []string{base, base + layout.pub, base + layout.sec} {
				got, err := Load(p)
				if err != nil {
					t.Fatalf("Load(%s): %v", p, err)
				}
				if !got.Equal(c) || !equalMeta(got.Metadata(), c.Metadata()) {
					t.Fatalf("Load(%s) = %v %v; want %v", p, got, got.Metadata(), c.Metadata())
				}
			}
			// The public file on its own.
			if err := os.Remove(base + layout.sec); err != nil {
				t.Fatal(err)
			}
			got, err := Load(base + layout.pub)
			if err != nil {
				t.Fatal(err)
			}
			want := c.Public()
			if !layout.publicMet {
				want = &Cert{public: c.public, publicText: c.publicText}
			}
			if !got.Equal(want) {
				t.Fatalf("public file loaded as %v %v", got, got.Metadata())
			}
		})
	}
}

func TestSavePublicAndSecret(t *testing.T) {
	dir := t.TempDir()
	c := goldenCert(t)
	if err := c.SavePublic(filepath.Join(dir, "pub"), WithTime(goldenTime)); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, filepath.Join(dir, "pub")); got != goldenPublic {
		t.Errorf("SavePublic wrote:\n%s", got)
	}
	if err := c.SaveSecret(filepath.Join(dir, "sec"), WithTime(goldenTime)); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, filepath.Join(dir, "sec")); got != goldenSecret {
		t.Errorf("SaveSecret wrote:\n%s", got)
	}
	if m := mode(t, filepath.Join(dir, "sec")); runtime.GOOS != "windows" && m != 0o600 {
		t.Errorf("secret file mode %v", m)
	}
	p := c.Public()
	if err := p.SaveSecret(filepath.Join(dir, "nosec")); !errors.Is(err, ErrNoSecret) {
		t.Errorf("SaveSecret of a public cert: %v", err)
	}
	if err := p.Save(filepath.Join(dir, "nosec")); !errors.Is(err, ErrNoSecret) {
		t.Errorf("Save of a public cert: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nosec")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a failed Save wrote a file")
	}
	if err := p.SavePublic(filepath.Join(dir, "pub2")); err != nil {
		t.Errorf("SavePublic of a public cert: %v", err)
	}
}

func TestSaveNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c")
	c := goldenCert(t)
	if err := c.Save(path, WithTime(goldenTime)); err != nil {
		t.Fatal(err)
	}
	other, _ := NewFromText(testPublic2, testSecret2)
	if err := other.Save(path); !errors.Is(err, ErrExists) {
		t.Fatalf("second Save: %v; want ErrExists", err)
	}
	if err := other.SavePublic(path); !errors.Is(err, ErrExists) {
		t.Fatalf("SavePublic over a file: %v; want ErrExists", err)
	}
	if err := other.SaveSecret(path + "_secret"); !errors.Is(err, ErrExists) {
		t.Fatalf("SaveSecret over a file: %v; want ErrExists", err)
	}
	if readString(t, path) != goldenPublic || readString(t, path+"_secret") != goldenSecret {
		t.Fatal("a refused save changed the files")
	}
	noTempFiles(t, dir)

	// Only the secret file exists: Save still writes nothing.
	lone := filepath.Join(dir, "lone")
	if err := os.WriteFile(lone+"_secret", []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(lone); !errors.Is(err, ErrExists) {
		t.Fatalf("Save with an existing secret file: %v", err)
	}
	if _, err := os.Stat(lone); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("Save wrote the public file although the secret one exists")
	}

	// With WithOverwrite both are replaced, the secret file stays 0600.
	if err := os.Chmod(path+"_secret", 0o644); err != nil {
		t.Fatal(err)
	}
	if err := other.Save(path, WithOverwrite()); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil || !got.Equal(other) {
		t.Fatalf("after overwrite: %v %v", got, err)
	}
	if m := mode(t, path+"_secret"); runtime.GOOS != "windows" && m != 0o600 {
		t.Errorf("overwritten secret file mode %v", m)
	}
	noTempFiles(t, dir)
}

func TestSaveConcurrentNoOverwrite(t *testing.T) {
	// Of many saves racing for one name, exactly one wins; the file is
	// complete and belongs to the winner.
	dir := t.TempDir()
	path := filepath.Join(dir, "race")
	certs := make([]*Cert, 8)
	for i := range certs {
		var err error
		if certs[i], err = New(); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(certs))
	for i, c := range certs {
		wg.Go(func() { errs[i] = c.SaveSecret(path) })
	}
	wg.Wait()
	winners := 0
	var winner *Cert
	for i, err := range errs {
		switch {
		case err == nil:
			winners++
			winner = certs[i]
		case !errors.Is(err, ErrExists):
			t.Errorf("save %d: %v", i, err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d saves succeeded", winners)
	}
	got, err := Load(path)
	if err != nil || !got.Equal(winner) {
		t.Fatalf("loaded %v, %v; want the winner %v", got, err, winner)
	}
	noTempFiles(t, dir)
}

func TestSaveErrors(t *testing.T) {
	c := goldenCert(t)
	dir := t.TempDir()
	if err := c.Save(filepath.Join(dir, "missing", "c")); err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("save into a missing directory: %v", err)
	}
	if err := c.Save(filepath.Join(dir, "c"), WithTime(time.Time{})); !errors.Is(err, ErrInvalid) {
		t.Errorf("zero time: %v", err)
	}
	if err := c.Save(filepath.Join(dir, "c"), nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil option: %v", err)
	}
	noTempFiles(t, dir)
}

// recorder is a slog handler that keeps records.
type recorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Clone())
	return nil
}
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

// warnings returns "message path=..." for each warning.
func (r *recorder) warnings() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, rec := range r.records {
		if rec.Level != slog.LevelWarn {
			continue
		}
		s := rec.Message
		rec.Attrs(func(a slog.Attr) bool {
			if a.Key == "path" {
				s += " path=" + a.Value.String()
			}
			return true
		})
		out = append(out, s)
	}
	return out
}

func TestLoadWarnsAboutReadableSecret(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not express who may read a file on Windows")
	}
	path := filepath.Join(t.TempDir(), "c")
	if err := goldenCert(t).Save(path); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	if _, err := Load(path, WithLogger(slog.New(rec))); err != nil {
		t.Fatal(err)
	}
	if w := rec.warnings(); len(w) != 0 {
		t.Fatalf("warnings for a 0600 file: %v", w)
	}
	for _, m := range []fs.FileMode{0o640, 0o604, 0o644} {
		if err := os.Chmod(path+"_secret", m); err != nil {
			t.Fatal(err)
		}
		rec := &recorder{}
		c, err := Load(path, WithLogger(slog.New(rec)))
		if err != nil || !c.HasSecret() {
			t.Fatalf("mode %v: %v %v", m, c, err)
		}
		w := rec.warnings()
		if len(w) != 1 || !strings.Contains(w[0], "readable by other users") || !strings.Contains(w[0], "path="+path+"_secret") {
			t.Fatalf("mode %v: warnings %q", m, w)
		}
	}
	// The public file alone is no secret and gives no warning.
	rec = &recorder{}
	if err := os.Remove(path + "_secret"); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, WithLogger(slog.New(rec))); err != nil || len(rec.warnings()) != 0 {
		t.Fatalf("public file: %v %v", err, rec.warnings())
	}
	if _, err := Load(path, WithLogger(nil)); !errors.Is(err, ErrInvalid) {
		t.Fatalf("nil logger: %v", err)
	}
}

func TestLoadPyzmqFiles(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "server")
	// As pyzmq writes them: bare metadata values, only in the secret file,
	// and the default (umask) mode on the secret file.
	if err := os.WriteFile(base+".key", []byte(goldenPyzmqPublic), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(base+".key_secret", []byte(goldenPyzmqSecret), 0o600); err != nil {
		t.Fatal(err)
	}
	want := goldenCert(t)
	for _, p := range []string{base, base + ".key", base + ".key_secret"} {
		c, err := Load(p)
		if err != nil {
			t.Fatalf("Load(%s): %v", p, err)
		}
		if !c.Equal(want) || !equalMeta(c.Metadata(), want.Metadata()) {
			t.Fatalf("Load(%s) = %v %v", p, c, c.Metadata())
		}
	}
	// Only the public file: no metadata.
	if err := os.Remove(base + ".key_secret"); err != nil {
		t.Fatal(err)
	}
	c, err := Load(base)
	if err != nil || c.HasSecret() || len(c.Metadata()) != 0 || c.PublicText() != testPublic {
		t.Fatalf("public pyzmq file: %v %v %v", c, c.Metadata(), err)
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nothing"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "nothing_secret") {
		t.Fatalf("got %v", err)
	}
}

func TestLoadBrokenSecretIsAnError(t *testing.T) {
	// A secret file that exists but is broken is reported, not skipped in
	// favour of the public file.
	path := filepath.Join(t.TempDir(), "c")
	if err := goldenCert(t).Save(path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+"_secret", []byte("curve\n    public-key = \"short\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Path != path+"_secret" || fe.Line != 2 || !strings.Contains(fe.Reason, "5 characters") {
		t.Fatalf("got %v", err)
	}
}

func TestParseCertRules(t *testing.T) {
	const pub = `    public-key = "` + testPublic + "\"\n"
	const sec = `    secret-key = "` + testSecret + "\"\n"
	cases := []struct {
		name, in string
		ok       bool
		secret   bool
		meta     []Meta
		line     int    // for errors
		reason   string // for errors
	}{
		{name: "minimal", in: "curve\n" + pub, ok: true},
		{name: "no metadata section", in: "curve\n" + pub + sec, ok: true, secret: true},
		{name: "first metadata value wins", in: "metadata\n    a = 1\n    a = 2\n    b\ncurve\n" + pub, ok: true,
			meta: []Meta{{"a", "1"}, {"b", ""}}},
		{name: "first key wins", in: "curve\n" + pub + `    public-key = "` + testPublic2 + "\"\n", ok: true},
		{name: "first curve section wins", in: "curve\n" + pub + "curve\n" + `    public-key = "x"` + "\n", ok: true},
		{name: "other sections ignored", in: "other\n    x = 1\ncurve\n" + pub + "    note = hi\n", ok: true},
		{name: "nested metadata ignored", in: "metadata\n    a = 1\n        deeper = 2\ncurve\n" + pub, ok: true, meta: []Meta{{"a", "1"}}},
		{name: "zero secret means none", in: "curve\n" + pub + `    secret-key = "0000000000000000000000000000000000000000"` + "\n", ok: true},
		// A bare value ends at '#', which is a Z85 digit: keys need quotes.
		{name: "bare key with a hash", in: "curve\n    public-key = " + testPublic + "\n", line: 2, reason: "public key has 29 characters"},
		{name: "single-quoted key", in: "curve\n    public-key = '" + testPublic + "'\n", ok: true},
		{name: "crlf", in: strings.ReplaceAll("metadata\n    a = \"1\"\ncurve\n"+pub+sec, "\n", "\r\n"), ok: true, secret: true, meta: []Meta{{"a", "1"}}},

		{name: "empty", in: "", line: 0, reason: "no curve/public-key"},
		{name: "no key", in: "metadata\ncurve\n", line: 0, reason: "no curve/public-key"},
		{name: "key at top level", in: pub[4:], line: 0, reason: "no curve/public-key"},
		{name: "short key", in: "curve\n    public-key = \"abc\"\n", line: 2, reason: "public key has 3 characters"},
		{name: "bad key", in: "curve\n    public-key = \"" + testPublic[:39] + " \"\n", line: 2, reason: "public key"},
		{name: "short secret", in: "curve\n" + pub + "    secret-key = \"abc\"\n", line: 3, reason: "secret key has 3"},
		{name: "mismatched secret", in: "curve\n" + pub + `    secret-key = "` + testSecret2 + "\"\n", line: 3, reason: "unusable keys"},
		{name: "zero public", in: "curve\n    public-key = \"0000000000000000000000000000000000000000\"\n", line: 2, reason: "unusable keys"},
		{name: "syntax", in: "metadata\n   a = 1\ncurve\n" + pub, line: 2, reason: "indented by 3 spaces"},
		{name: "long metadata name", in: "metadata\n    " + strings.Repeat("n", 256) + " = 1\ncurve\n" + pub, line: 2, reason: "metadata name"},
		{name: "NUL in metadata", in: "metadata\n    a = x\x00y\ncurve\n" + pub, line: 2, reason: "metadata a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Parse([]byte(c.in))
			if c.ok {
				if err != nil {
					t.Fatal(err)
				}
				if got.PublicText() != testPublic || got.HasSecret() != c.secret || !equalMeta(got.Metadata(), c.meta) {
					t.Fatalf("got %v %v", got, got.Metadata())
				}
				return
			}
			var fe *FormatError
			if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) {
				t.Fatalf("got %v, %v; want a *FormatError", got, err)
			}
			if fe.Line != c.line || !strings.Contains(fe.Reason, c.reason) {
				t.Fatalf("error %q (line %d); want line %d with %q", err, fe.Line, c.line, c.reason)
			}
		})
	}
}

func TestParseBareKey(t *testing.T) {
	c, err := Parse([]byte("curve\n    public-key = " + testPublic2 + "   # bare\n"))
	if err != nil || c.PublicText() != testPublic2 {
		t.Fatalf("got %v, %v", c, err)
	}
}

func TestLoadTruncatedAndGarbage(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c")
	// Every prefix of a secret file either loads (as the same certificate,
	// perhaps without some metadata or its secret key) or fails with
	// ErrFormat naming the file.
	want := goldenCert(t)
	for n := 0; n <= len(goldenSecret); n++ {
		if err := os.WriteFile(path, []byte(goldenSecret[:n]), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Path != path {
				t.Fatalf("prefix %d: %v", n, err)
			}
			continue
		}
		if c.PublicText() != want.PublicText() {
			t.Fatalf("prefix %d loaded %v", n, c)
		}
	}
	garbage := map[string][]byte{
		"binary":     {0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 0xff, '\n', 0},
		"nul lines":  bytes.Repeat([]byte{0}, 4096),
		"one line":   bytes.Repeat([]byte("a"), 100_000),
		"deep":       []byte(strings.Repeat("x\n    ", 1000)),
		"too large":  bytes.Repeat([]byte("# comment\n"), maxFileSize/10+1),
		"only magic": []byte("\xEF\xBB\xBF"),
	}
	for name, data := range garbage {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if c, err := Load(path); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v, %v; want ErrFormat", name, c, err)
		}
	}
}

func TestLoadNotAFile(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(sub); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: %v", err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	// Dangling symbolic link: the certificate is missing.
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(filepath.Join(dir, "dangling")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dangling link: %v", err)
	}
	// A path through a file is an error, not "missing".
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(filepath.Join(file, "c")); err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("path through a file: %v", err)
	}
}

func TestParseManyMetadataEntries(t *testing.T) {
	// A file of the largest size made of tiny metadata lines parses in
	// time linear in the number of entries.
	var b strings.Builder
	b.WriteString("metadata\n")
	for i := 0; b.Len() < maxFileSize-200; i++ {
		fmt.Fprintf(&b, "    m%d\n", i)
	}
	b.WriteString("curve\n    public-key = \"" + testPublic + "\"\n")
	start := time.Now()
	c, err := Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Metadata()); n < 50_000 {
		t.Fatalf("%d entries", n)
	}
	if !c.Equal(c.Public()) {
		t.Fatal("not equal to its own copy")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %v", d)
	}
}
