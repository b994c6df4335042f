package cert

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// newCert returns a fresh certificate with metadata name=name.
func newCert(t testing.TB, name string) *Cert {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetMeta("name", name); err != nil {
		t.Fatal(err)
	}
	return c
}

func mkdir(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(parts...)
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func save(t testing.TB, c *Cert, path string, opts ...SaveOption) {
	t.Helper()
	if err := c.Save(path, opts...); err != nil {
		t.Fatal(err)
	}
}

// mustFind looks key up and checks the metadata name.
func mustFind(t *testing.T, s *Store, key, name string) {
	t.Helper()
	c, err := s.Lookup(key)
	if err != nil {
		t.Fatalf("Lookup(%s): %v", key, err)
	}
	if got, _ := c.Meta("name"); got != name {
		t.Fatalf("Lookup(%s): name %q; want %q", key, got, name)
	}
	if c.HasSecret() {
		t.Fatalf("Lookup(%s) returned a secret key", key)
	}
}

func mustMiss(t *testing.T, s *Store, key string) {
	t.Helper()
	if c, err := s.Lookup(key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Lookup(%s) = %v, %v; want ErrNotFound", key, c, err)
	}
}

// touch gives path a modification time far from any other, so a store
// that compares times cannot miss the change whatever the clock's
// granularity.
func touch(t testing.TB, path string, offset time.Duration) {
	t.Helper()
	when := time.Now().Add(offset)
	if err := os.Chtimes(path, when, when); err != nil {
		t.Fatal(err)
	}
}

func TestStoreLoadsTree(t *testing.T) {
	dir := t.TempDir()
	czmq, pyzmq, public, hidden, orphan := newCert(t, "czmq"), newCert(t, "pyzmq"), newCert(t, "public"), newCert(t, "hidden"), newCert(t, "orphan")
	save(t, czmq, filepath.Join(dir, "czmq"))
	save(t, pyzmq, filepath.Join(mkdir(t, dir, "sub"), "py"), WithPyzmqLayout())
	if err := public.SavePublic(filepath.Join(mkdir(t, dir, "sub", "deeper", "deepest"), "pub.txt")); err != nil {
		t.Fatal(err)
	}
	save(t, hidden, filepath.Join(mkdir(t, dir, ".git"), "hidden"))
	save(t, hidden, filepath.Join(dir, ".hidden"))
	if err := orphan.SaveSecret(filepath.Join(dir, "orphan_secret")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("Certificates for the printers.\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	s, err := NewStore(dir)
	var se *StoreError
	if !errors.As(err, &se) || len(se.Errs) != 1 || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "README") {
		t.Fatalf("NewStore: %v; want a StoreError about README", err)
	}
	if s == nil || s.Len() != 3 || s.Dir() != dir {
		t.Fatalf("store of %d", s.Len())
	}
	mustFind(t, s, czmq.PublicText(), "czmq")
	mustFind(t, s, pyzmq.PublicText(), "pyzmq") // metadata from py.key_secret
	mustFind(t, s, public.PublicText(), "public")
	mustMiss(t, s, hidden.PublicText())
	mustMiss(t, s, orphan.PublicText())
	if c, err := s.LookupKey(czmq.PublicKey()); err != nil || c.PublicText() != czmq.PublicText() {
		t.Fatalf("LookupKey: %v %v", c, err)
	}
	if _, err := s.LookupKey([]byte("short")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LookupKey(short): %v", err)
	}
	certs, err := s.Certs()
	if err != nil || len(certs) != 3 {
		t.Fatalf("Certs: %v %v", certs, err)
	}
	if !slices.IsSortedFunc(certs, func(a, b *Cert) int { return strings.Compare(a.PublicText(), b.PublicText()) }) {
		t.Fatal("Certs not sorted by key")
	}
	if !errors.Is(s.Err(), ErrFormat) {
		t.Fatalf("Err: %v", s.Err())
	}
}

func TestStoreNoticesEveryChange(t *testing.T) {
	// With a check interval of zero every Lookup compares stamps, and
	// files changed within the racy window are reread: every change is
	// seen at once, even one that keeps the size and lands in the same
	// clock tick.
	dir := t.TempDir()
	a, b := newCert(t, "a-1"), newCert(t, "b")
	save(t, a, filepath.Join(dir, "a"))
	s, err := NewStore(dir, WithCheckInterval(0))
	if err != nil {
		t.Fatal(err)
	}
	mustFind(t, s, a.PublicText(), "a-1")
	mustMiss(t, s, b.PublicText())

	// Added, in a new subdirectory.
	save(t, b, filepath.Join(mkdir(t, dir, "new"), "b"))
	mustFind(t, s, b.PublicText(), "b")

	// Edited in place at the same size: a-1 becomes a-2.
	for _, name := range []string{"a", "a_secret"} {
		p := filepath.Join(dir, name)
		data := strings.Replace(readString(t, p), `"a-1"`, `"a-2"`, 1)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mustFind(t, s, a.PublicText(), "a-2")

	// Replaced by rename (Save with WithOverwrite).
	_ = a.SetMeta("name", "a-3")
	save(t, a, filepath.Join(dir, "a"), WithOverwrite())
	mustFind(t, s, a.PublicText(), "a-3")

	// Removed.
	if err := os.RemoveAll(filepath.Join(dir, "new")); err != nil {
		t.Fatal(err)
	}
	mustMiss(t, s, b.PublicText())
	if s.Len() != 1 {
		t.Fatalf("Len %d", s.Len())
	}

	// The secret file alone changes: metadata is read from it.
	p := filepath.Join(dir, "a_secret")
	data := strings.Replace(readString(t, p), `"a-3"`, `"a-4"`, 1)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	mustFind(t, s, a.PublicText(), "a-4")
}

func TestStoreChecksItsDirectoryOnEveryLookup(t *testing.T) {
	// With a long interval only changes to the top directory are noticed
	// before a Lookup. Directory times are set explicitly, so the test
	// does not depend on the file system's clock granularity.
	dir := t.TempDir()
	sub := mkdir(t, dir, "sub")
	a, b, c := newCert(t, "a"), newCert(t, "b"), newCert(t, "c")
	save(t, a, filepath.Join(dir, "a"))
	s, err := NewStore(dir, WithCheckInterval(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	mustFind(t, s, a.PublicText(), "a")

	save(t, b, filepath.Join(dir, "b"))
	touch(t, dir, time.Minute)
	mustFind(t, s, b.PublicText(), "b")

	// A subdirectory waits for the next walk (an hour away here)...
	save(t, c, filepath.Join(sub, "c"))
	touch(t, sub, 2*time.Minute)
	mustMiss(t, s, c.PublicText())
	// ...which any change to the top directory brings forward.
	touch(t, dir, 3*time.Minute)
	mustFind(t, s, c.PublicText(), "c")

	if err := os.Remove(filepath.Join(dir, "b")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "b_secret")); err != nil {
		t.Fatal(err)
	}
	touch(t, dir, 4*time.Minute)
	mustMiss(t, s, b.PublicText())

	// An in-place edit leaves the directory alone: it waits for the next
	// walk (an hour away here) or Refresh.
	for _, name := range []string{"a", "a_secret"} {
		p := filepath.Join(dir, name)
		data := strings.Replace(readString(t, p), `"a"`, `"A"`, 1)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mustFind(t, s, a.PublicText(), "a")
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	mustFind(t, s, a.PublicText(), "A")
}

func TestStoreDoesNotRereadUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	for i := range 5 {
		save(t, newCert(t, fmt.Sprint(i)), filepath.Join(dir, fmt.Sprint("c", i)))
	}
	// Age the files past the racy window, as files of a running system are.
	list, _ := os.ReadDir(dir)
	for _, e := range list {
		touch(t, filepath.Join(dir, e.Name()), -time.Hour)
	}
	s, err := NewStore(dir, WithCheckInterval(0))
	if err != nil {
		t.Fatal(err)
	}
	snapshot := func() map[string]*entry {
		s.scanMu.Lock()
		defer s.scanMu.Unlock()
		return maps(s.entries)
	}
	before := snapshot()
	for range 3 {
		if _, err := s.Certs(); err != nil {
			t.Fatal(err)
		}
	}
	after := snapshot()
	if len(after) != 5 {
		t.Fatalf("%d entries", len(after))
	}
	for p, e := range after {
		if before[p] != e {
			t.Errorf("%s was read again although it did not change", p)
		}
	}
}

func maps(m map[string]*entry) map[string]*entry {
	out := make(map[string]*entry, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestStoreDuplicateKeys(t *testing.T) {
	dir := t.TempDir()
	c := newCert(t, "first")
	save(t, c, filepath.Join(dir, "a"))
	_ = c.SetMeta("name", "second")
	save(t, c, filepath.Join(mkdir(t, dir, "z"), "b"))
	other := newCert(t, "other")
	save(t, other, filepath.Join(dir, "m"))

	rec := &recorder{}
	s, err := NewStore(dir, WithCheckInterval(0), WithLogger(slog.New(rec)))
	if !errors.Is(err, ErrDuplicate) || s == nil {
		t.Fatalf("NewStore: %v", err)
	}
	first, second := filepath.Join(dir, "a"), filepath.Join(dir, "z", "b")
	if msg := err.Error(); !strings.Contains(msg, first) || !strings.Contains(msg, second) || !strings.Contains(msg, c.PublicText()) {
		t.Fatalf("error does not name both files and the key: %v", err)
	}
	mustFind(t, s, c.PublicText(), "first")
	mustFind(t, s, other.PublicText(), "other")
	if s.Len() != 2 {
		t.Fatalf("Len %d", s.Len())
	}
	// Logged once, not at every check.
	for range 3 {
		mustFind(t, s, c.PublicText(), "first")
	}
	if w := rec.warnings(); len(w) != 1 {
		t.Fatalf("warnings: %q", w)
	}
	// Removing the first file leaves the second, and no problem.
	for _, n := range []string{"a", "a_secret"} {
		if err := os.Remove(filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	mustFind(t, s, c.PublicText(), "second")
	if err := s.Err(); err != nil {
		t.Fatalf("Err after fixing: %v", err)
	}
}

func TestStoreBadDirectory(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		path string
		is   error
		text string
	}{
		"missing":        {filepath.Join(dir, "missing"), fs.ErrNotExist, "missing"},
		"a file":         {file, nil, "not a directory"},
		"through a file": {filepath.Join(file, "sub"), nil, "not a directory"},
		"dangling link":  {filepath.Join(dir, "dangling"), fs.ErrNotExist, "dangling"},
		"empty path":     {"", ErrInvalid, "empty"},
		"link to a file": {filepath.Join(dir, "tofile"), nil, "not a directory"},
	}
	if runtime.GOOS != "windows" {
		if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "dangling")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(file, filepath.Join(dir, "tofile")); err != nil {
			t.Fatal(err)
		}
	}
	for name, c := range cases {
		s, err := NewStore(c.path)
		if s != nil || err == nil || c.is != nil && !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: NewStore = %v, %v; want an error with %q", name, s, err, c.text)
		}
	}
	if _, err := NewStore(dir, WithCheckInterval(-time.Second)); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative interval: %v", err)
	}
	if _, err := NewStore(dir, WithLogger(nil)); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil logger: %v", err)
	}
}

func TestStorePermissionDenied(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permission bits do not control reading on Windows")
	}
	if os.Geteuid() == 0 && os.Getenv("ZKIT_TEST_UNPRIVILEGED") == "" {
		// Root reads every file whatever its mode, so run this test again
		// in a child process as the unprivileged user "nobody".
		runUnprivileged(t)
		return
	}
	dir := t.TempDir()
	good := newCert(t, "good")
	save(t, good, filepath.Join(dir, "good"))
	locked := mkdir(t, dir, "locked")
	save(t, newCert(t, "hidden"), filepath.Join(locked, "c"))
	secretless := newCert(t, "unreadable")
	save(t, secretless, filepath.Join(dir, "unreadable"))
	for _, p := range []string{locked, filepath.Join(dir, "unreadable_secret")} {
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(p, 0o700) })
	}
	s, err := NewStore(dir)
	if !errors.Is(err, fs.ErrPermission) || s == nil {
		t.Fatalf("NewStore: %v", err)
	}
	var se *StoreError
	if !errors.As(err, &se) || len(se.Errs) != 2 {
		t.Fatalf("want two problems: %v", err)
	}
	mustFind(t, s, good.PublicText(), "good")
	mustMiss(t, s, secretless.PublicText())

	// The store's own directory becoming unreadable fails lookups.
	if err := os.Chmod(dir, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	s2, err := NewStore(dir)
	if s2 != nil || !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("NewStore of an unreadable directory: %v, %v", s2, err)
	}
}

func TestStoreBadEntries(t *testing.T) {
	// Entries that cannot be read, made without relying on permissions
	// (so this also runs as root).
	if runtime.GOOS == "windows" {
		t.Skip("needs symbolic links")
	}
	dir := t.TempDir()
	good := newCert(t, "good")
	save(t, good, filepath.Join(dir, "good"))
	linked := newCert(t, "linked")
	elsewhere := t.TempDir()
	save(t, linked, filepath.Join(elsewhere, "linked"))
	// A link to a certificate is followed, so is a link to a directory.
	if err := os.Symlink(filepath.Join(elsewhere, "linked"), filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(elsewhere, "linked_secret"), filepath.Join(dir, "link_secret")); err != nil {
		t.Fatal(err)
	}
	sub := mkdir(t, dir, "sub")
	save(t, newCert(t, "in sub"), filepath.Join(sub, "c"))
	// A link back up the tree is not followed around forever.
	if err := os.Symlink(dir, filepath.Join(sub, "loop")); err != nil {
		t.Fatal(err)
	}
	// A dangling link is a problem.
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	// A broken secret file is a problem for its certificate, even though
	// the public file is fine.
	broken := newCert(t, "broken")
	if err := broken.SavePublic(filepath.Join(dir, "broken")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken_secret"), []byte("curve\n    public-key = \"cut sho"), 0o600); err != nil {
		t.Fatal(err)
	}

	s, err := NewStore(dir, WithCheckInterval(0))
	var se *StoreError
	if !errors.As(err, &se) || len(se.Errs) != 2 {
		t.Fatalf("NewStore: %v; want 2 problems", err)
	}
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "dangling") || !strings.Contains(err.Error(), "broken_secret") {
		t.Fatalf("problems: %v", err)
	}
	mustFind(t, s, good.PublicText(), "good")
	mustFind(t, s, linked.PublicText(), "linked")
	mustMiss(t, s, broken.PublicText())
	if s.Len() != 3 {
		t.Fatalf("Len %d", s.Len())
	}

	// The directory itself disappears: lookups fail until it is back.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lookup(good.PublicText()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Lookup in a removed directory: %v", err)
	}
	if _, err := s.Certs(); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Certs of a removed directory: %v", err)
	}
	if s.Len() != 0 || !errors.Is(s.Err(), fs.ErrNotExist) {
		t.Fatalf("Len %d, Err %v", s.Len(), s.Err())
	}
	mkdir(t, dir)
	save(t, good, filepath.Join(dir, "good"))
	mustFind(t, s, good.PublicText(), "good")
	if err := s.Err(); err != nil {
		t.Fatalf("Err after recovery: %v", err)
	}
}

func TestMemStore(t *testing.T) {
	s := NewMemStore()
	a, b := newCert(t, "a"), newCert(t, "b")
	if err := s.Insert(a); err != nil {
		t.Fatal(err)
	}
	if err := s.Insert(b.Public()); err != nil {
		t.Fatal(err)
	}
	if err := s.Insert(a.Public()); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second insert: %v", err)
	}
	if err := s.Insert(nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("nil insert: %v", err)
	}
	mustFind(t, s, a.PublicText(), "a") // without its secret key
	mustFind(t, s, b.PublicText(), "b")
	mustMiss(t, s, testPublic)
	mustMiss(t, s, "not even a key")

	// Neither the inserted cert nor a returned one is shared.
	_ = a.SetMeta("name", "changed")
	got, _ := s.Lookup(a.PublicText())
	_ = got.SetMeta("name", "changed too")
	mustFind(t, s, a.PublicText(), "a")

	certs, err := s.Certs()
	if err != nil || len(certs) != 2 || s.Len() != 2 || s.Dir() != "" {
		t.Fatalf("Certs %v %v, Len %d", certs, err, s.Len())
	}
	if s.Err() != nil || s.Refresh() != nil {
		t.Fatal("a memory store has no problems")
	}
}

func TestStoreInsertIntoDirectoryStore(t *testing.T) {
	dir := t.TempDir()
	s, err := NewStore(dir, WithCheckInterval(0))
	if err != nil {
		t.Fatal(err)
	}
	mem := newCert(t, "memory")
	if err := s.Insert(mem); err != nil {
		t.Fatal(err)
	}
	file := newCert(t, "file")
	save(t, file, filepath.Join(dir, "file"))
	mustFind(t, s, file.PublicText(), "file")
	mustFind(t, s, mem.PublicText(), "memory") // survives rescans
	if err := s.Insert(file); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("insert of a key from a file: %v", err)
	}
	// A file with an inserted key is a duplicate; the inserted one stays.
	_ = mem.SetMeta("name", "on disk")
	save(t, mem, filepath.Join(dir, "mem"))
	mustFind(t, s, mem.PublicText(), "memory")
	if err := s.Err(); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("Err: %v", err)
	}
}

func TestStoreConcurrentUse(t *testing.T) {
	dir := t.TempDir()
	stable := newCert(t, "stable")
	save(t, stable, filepath.Join(dir, "stable"))
	s, err := NewStore(dir, WithCheckInterval(0))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.Lookup(stable.PublicText()); err != nil {
					errs <- err
					return
				}
				if _, err := s.Certs(); err != nil {
					errs <- err
					return
				}
				_ = s.Len()
			}
		})
	}
	for i := range 50 {
		c := newCert(t, fmt.Sprint(i))
		save(t, c, filepath.Join(dir, fmt.Sprint("c", i)))
		if i%2 == 0 {
			_ = os.Remove(filepath.Join(dir, fmt.Sprint("c", i)))
		} else if err := s.Insert(newCert(t, fmt.Sprint("mem", i))); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// 25 public files left (the others lost their public half), 25 inserted.
	certs, err := s.Certs()
	if err != nil || len(certs) != 51 {
		t.Fatalf("%d certs, %v", len(certs), err)
	}
}

// sameTick makes the store believe its last look already saw the current
// stamps of path (a directory or a file), as happens when a change lands
// in the same clock tick as the look: the stamps then prove nothing.
func sameTick(t *testing.T, s *Store, path string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	if path == s.dir {
		s.top.stamp = stampOf(info)
		return
	}
	e, ok := s.entries[path]
	if !ok {
		t.Fatalf("store does not know %s", path)
	}
	e.stamp = stampOf(info)
}

func TestStoreRacyDirectory(t *testing.T) {
	dir := t.TempDir()
	a := newCert(t, "a")
	save(t, a, filepath.Join(dir, "a"))
	s, err := NewStore(dir, WithCheckInterval(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	b := newCert(t, "b")
	save(t, b, filepath.Join(dir, "b"))
	sameTick(t, s, dir)
	// The directory was modified just before the walk, so its listing is
	// compared at each check: the new name shows although the stamp
	// matches.
	mustFind(t, s, b.PublicText(), "b")

	// A directory last modified long before the walk is trusted on its
	// stamp alone, and is not listed at every check.
	touch(t, dir, -time.Hour)
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	s.scanMu.Lock()
	names := s.top.names
	s.scanMu.Unlock()
	if names != nil {
		t.Fatalf("an old directory is listed at every check: %v", names)
	}
}

func TestStoreRacyFile(t *testing.T) {
	// A file edited in the same tick as the walk that read it, at the same
	// size, keeps its stamps; it is read again at the next walk because
	// its time was too close to that walk.
	dir := t.TempDir()
	a := newCert(t, "a-1")
	path := filepath.Join(dir, "a")
	if err := a.SavePublic(path); err != nil {
		t.Fatal(err)
	}
	s, err := NewStore(dir, WithCheckInterval(0))
	if err != nil {
		t.Fatal(err)
	}
	data := strings.Replace(readString(t, path), `"a-1"`, `"a-2"`, 1)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	sameTick(t, s, path)
	mustFind(t, s, a.PublicText(), "a-2")

	// Once its time is well before the walk, the stamps are trusted.
	touch(t, path, -time.Hour)
	mustFind(t, s, a.PublicText(), "a-2")
	s.scanMu.Lock()
	racy := s.entries[path].racy
	s.scanMu.Unlock()
	if racy {
		t.Fatal("an old file is still read at every walk")
	}
}

// runUnprivileged runs the current test in a child test process as uid and
// gid 65534 and fails t if the child fails.
func runUnprivileged(t *testing.T) {
	t.Helper()
	// The test binary's own directory is private to root: run a copy.
	dir, err := os.MkdirTemp("", "zkit-unprivileged-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "test")
	data, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ZKIT_TEST_UNPRIVILEGED=1", "TMPDIR="+os.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("as nobody, the test did not pass:\n%s", out)
	}
}
