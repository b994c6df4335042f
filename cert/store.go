package cert

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// racyWindow is how close to a scan a file's modification time must be
// for the scan to distrust it. File systems record times at a coarse
// granularity (a clock tick on Linux, up to 2 s on FAT), so a file
// rewritten within the same tick as the scan, at the same size, looks
// unchanged. Files stamped within this window of a scan are read again at
// the next one (the "racy" check Git applies to its index).
const racyWindow = 2 * time.Second

// maxDepth bounds how deep a store descends, which also ends symbolic
// link cycles on systems where cycles cannot be recognised by inode.
const maxDepth = 64

// stamp is what a store remembers of a file or directory to notice that it
// changed without reading it.
type stamp struct {
	size  int64
	mtime int64 // modification time, Unix nanoseconds
	ctime int64 // status change time, Unix nanoseconds; 0 where unknown
	dev   uint64
	ino   uint64 // 0 where unknown
	mode  fs.FileMode
}

func stampOf(info fs.FileInfo) stamp {
	s := stamp{size: info.Size(), mtime: info.ModTime().UnixNano(), mode: info.Mode()}
	s.ctime, s.dev, s.ino, _ = sysStamp(info)
	return s
}

// racy reports whether the stamp is too recent to prove a later
// unchanged stamp means unchanged contents.
func (s stamp) racy(scanStart time.Time) bool {
	return s.mtime >= scanStart.Add(-racyWindow).UnixNano()
}

// dirState is what a store remembers of its top directory.
type dirState struct {
	stamp stamp
	// names lists the visible entries, sorted, when the directory's stamp
	// was too recent to trust at the last walk (nil otherwise): until the
	// next walk each check compares the listing itself.
	names []string
}

// entry is one certificate file of a directory store: a file whose name
// does not end in "_secret", loaded together with its "_secret" companion
// when there is one.
type entry struct {
	stamp     stamp // of the file itself
	secret    stamp // of path+"_secret"
	hasSecret bool  // whether path+"_secret" exists
	racy      bool  // read again at the next scan whatever the stamps say
	cert      *Cert // public copy, or nil when err is set
	err       error // why the file is not a certificate
}

// Store is a set of public certificates indexed by public key: CZMQ's
// zcertstore. A store made by NewStore mirrors a directory tree; one made
// by NewMemStore holds only what Insert puts in it. A Store is safe for
// use by many goroutines at once.
//
// # Directory stores
//
// NewStore reads every file in the tree (following symbolic links) whose
// name does not start with '.' and does not end in "_secret" (so neither
// CZMQ's "x_secret" nor pyzmq's "x.key_secret" files are read on their
// own). Each is loaded like Load loads it, so when "x_secret" exists it is
// read in place of "x", as CZMQ does; this is also how pyzmq's metadata,
// kept only in "x.key_secret", is found. Files that are not certificates
// are skipped and reported. The store keeps public keys and metadata
// only: secret keys are discarded after loading.
//
// # Noticing changes
//
// Lookup and Certs first make sure the store matches the directory,
// without reading files that have not changed:
//
//   - On every call the store stats its directory (one system call,
//     however many certificates it holds). Creating, deleting or renaming
//     a file in the directory, including the write-and-rename that Save
//     and most editors do, changes the directory's modification time, so
//     the call sees it.
//   - At least every check interval (DefaultCheckInterval, or
//     WithCheckInterval) and whenever the directory changed, the store
//     walks the tree and stats every file and subdirectory, comparing
//     size, modification and status-change times and inode with what it
//     saw before. Files that differ are read again, new ones are read and
//     missing ones are dropped. This catches changes in subdirectories
//     and files edited in place.
//   - File systems record times with limited precision (a clock tick on
//     Linux, up to 2 seconds on some), so a change in the same tick as the
//     store's last look can leave every time unchanged. The store
//     therefore distrusts times less than 2 seconds older than its last
//     walk: such a directory is listed at every call until the next walk
//     (for a directory of thousands of files that costs about a
//     millisecond per call), and such a file is read again at the next
//     walk.
//
// So files added to or removed from the directory are seen by the next
// Lookup; anything else, within one check interval. With a check interval
// of zero the store walks the tree before every Lookup and sees every
// change at once, at a cost that grows with the number of files. Refresh
// forces a full reread.
//
// # Problems
//
// A file that cannot be read or is not a valid certificate, a
// subdirectory that cannot be listed, and a public key found in more than
// one file (CZMQ aborts the process on this) do not stop the store: the
// problem is logged once and reported by Err, and NewStore returns it as
// a *StoreError beside a working store. Of two files with the same key,
// the first in path order is used. If the directory itself cannot be read
// (removed, not a directory, no permission), Lookup and Certs return that
// error until it can be read again.
type Store struct {
	dir string      // the tree's root; "" for a memory store
	cfg storeConfig // options

	scanMu sync.Mutex // held while checking or scanning the directory
	// The fields up to mu are guarded by scanMu.
	top      dirState          // the top directory at the last walk
	entries  map[string]*entry // certificate files by path
	lastWalk time.Time         // start of the last walk
	rootErr  error             // the directory could not be read
	walkErrs []pathErr         // problems of the last walk not tied to an entry
	dupErrs  []pathErr         // duplicate keys found by the last index rebuild
	logged   map[string]bool   // problem texts already logged

	mu       sync.RWMutex     // guards the fields below
	index    map[string]*Cert // by Z85 public key: files' and inserted certs
	inserted map[string]*Cert // certs added by Insert, by key
	problems error            // *StoreError of the last walk, or nil
	failed   error            // rootErr, for readers that do not hold scanMu
}

// pathErr is a problem and the path it concerns, for ordering.
type pathErr struct {
	path string
	err  error
}

// NewMemStore returns an empty store that holds only the certificates
// given to Insert.
func NewMemStore() *Store {
	return &Store{index: map[string]*Cert{}, inserted: map[string]*Cert{}}
}

// NewStore loads the certificates in dir and its subdirectories and keeps
// watching them (see Store). It fails if dir cannot be read. If some files
// could not be used, it returns the store, which answers for every other
// certificate, together with a *StoreError listing them. A caller that
// accepts such a store logs the problems and goes on:
//
//	store, err := cert.NewStore(dir)
//	if se := (*cert.StoreError)(nil); errors.As(err, &se) {
//		log.Warn("some certificates were skipped", "error", se)
//	} else if err != nil {
//		return err
//	}
func NewStore(dir string, opts ...StoreOption) (*Store, error) {
	cfg, err := newStoreConfig(opts)
	if err != nil {
		return nil, err
	}
	if dir == "" {
		return nil, fmt.Errorf("%w: empty store directory", ErrInvalid)
	}
	s := NewMemStore()
	s.dir = dir
	s.cfg = cfg
	s.entries = map[string]*entry{}
	s.logged = map[string]bool{}
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	if err := s.walk(time.Now(), true); err != nil {
		return nil, err
	}
	return s, s.Err()
}

// Dir returns the store's directory, or "" for a memory store.
func (s *Store) Dir() string { return s.dir }

// Lookup returns a copy of the certificate whose public key is the Z85
// text publicKey, or an error matching ErrNotFound. A directory store
// first brings itself up to date (see Store), and returns an error if its
// directory cannot be read.
func (s *Store) Lookup(publicKey string) (*Cert, error) {
	if err := s.check(false); err != nil {
		return nil, err
	}
	s.mu.RLock()
	c := s.index[publicKey]
	s.mu.RUnlock()
	if c == nil {
		return nil, ErrNotFound
	}
	return c.clone(), nil
}

// LookupKey is Lookup for a 32-byte binary public key, as ZAP requests
// carry it.
func (s *Store) LookupKey(publicKey []byte) (*Cert, error) {
	if len(publicKey) != KeySize {
		return nil, fmt.Errorf("%w: key of %d bytes", ErrNotFound, len(publicKey))
	}
	return s.Lookup(string(z85Append(make([]byte, 0, KeyTextSize), publicKey)))
}

// Insert adds a copy of c, without its secret key, to the store's memory.
// Inserted certificates are not saved anywhere and stay in the store
// whatever happens in its directory; a file holding the same key is then
// reported as a duplicate. Insert fails with ErrDuplicate if the store
// already holds c's public key.
func (s *Store) Insert(c *Cert) error {
	if c == nil {
		return fmt.Errorf("%w: nil certificate", ErrInvalid)
	}
	p := c.Public()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.index[p.publicText]; ok {
		return fmt.Errorf("%w: %s", ErrDuplicate, p.publicText)
	}
	s.index[p.publicText] = p
	s.inserted[p.publicText] = p
	return nil
}

// Certs returns copies of all certificates in the store, sorted by public
// key, after bringing a directory store up to date as Lookup does.
func (s *Store) Certs() ([]*Cert, error) {
	if err := s.check(false); err != nil {
		return nil, err
	}
	s.mu.RLock()
	out := make([]*Cert, 0, len(s.index))
	for _, c := range s.index {
		out = append(out, c.clone())
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b *Cert) int { return strings.Compare(a.publicText, b.publicText) })
	return out, nil
}

// Len returns the number of certificates in the store as of its last
// check; it does not look at the directory.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.index)
}

// Err reports the problems of the directory store's latest scan: the
// error reading the directory itself, or a *StoreError listing the files
// that could not be used, or nil. A memory store always returns nil.
func (s *Store) Err() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.failed != nil {
		return s.failed
	}
	return s.problems
}

// Refresh reads every file of a directory store again, whatever their
// stamps say, and returns what Err returns afterwards. It does nothing for
// a memory store.
func (s *Store) Refresh() error {
	if s.dir == "" {
		return nil
	}
	if err := s.check(true); err != nil {
		return err
	}
	return s.Err()
}

// check brings a directory store up to date: it walks the tree when
// forced, when the check interval has passed, when the directory could not
// be read last time, or when the top directory changed.
func (s *Store) check(force bool) error {
	if s.dir == "" {
		return nil
	}
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	now := time.Now()
	if force || s.rootErr != nil || now.Sub(s.lastWalk) >= s.cfg.interval || s.topChanged() {
		return s.walk(now, force)
	}
	return nil
}

// topChanged stats the top directory, and lists it if its stamp was too
// recent to trust at the last walk.
func (s *Store) topChanged() bool {
	info, err := os.Stat(s.dir)
	if err != nil || !info.IsDir() || stampOf(info) != s.top.stamp {
		return true
	}
	if s.top.names != nil {
		names, err := visibleNames(s.dir)
		if err != nil || !slices.Equal(names, s.top.names) {
			return true
		}
	}
	return false
}

// visibleNames lists the names in dir that a walk considers, sorted.
func visibleNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	all, err := f.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	names := all[:0]
	for _, n := range all {
		if n != "" && n[0] != '.' {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

// walk stats the whole tree, reloads what changed (everything when
// reread is set) and rebuilds the index if anything did. scanMu is held.
func (s *Store) walk(start time.Time, reread bool) error {
	w := walker{start: start, files: map[string]stamp{}, seen: map[[2]uint64]bool{}}
	info, err := os.Stat(s.dir)
	if err == nil && !info.IsDir() {
		err = fmt.Errorf("cert: store %s: not a directory", s.dir)
	}
	if err == nil {
		err = w.dir(s.dir, info, 0)
	}
	if err != nil {
		if !strings.HasPrefix(err.Error(), "cert: ") {
			err = fmt.Errorf("cert: store %s: %w", s.dir, err)
		}
		s.fail(err)
		return err
	}
	s.rootErr = nil
	s.walkErrs = w.errs

	changed := reread
	read := 0
	entries := make(map[string]*entry, len(s.entries))
	for path, st := range w.files {
		if strings.HasSuffix(path, SecretSuffix) {
			continue
		}
		sec, hasSec := w.files[path+SecretSuffix]
		if old := s.entries[path]; !reread && old != nil && !old.racy &&
			old.stamp == st && old.hasSecret == hasSec && old.secret == sec {
			entries[path] = old
			continue
		}
		e := &entry{stamp: st, secret: sec, hasSecret: hasSec}
		e.racy = st.racy(start) || hasSec && sec.racy(start)
		name := path
		if hasSec {
			name = path + SecretSuffix
		}
		if c, err := loadFile(name, s.cfg.log); err != nil {
			e.err = err
		} else {
			e.cert = c.Public()
		}
		entries[path] = e
		changed = true
		read++
	}
	for path := range s.entries { // removals (additions set changed above)
		if entries[path] == nil {
			changed = true
			break
		}
	}
	s.entries = entries
	s.top = w.top
	s.lastWalk = start
	if changed {
		n := s.rebuild()
		s.cfg.log.Debug("cert: certificate store updated", "dir", s.dir,
			"files-read", read, "certificates", n, "took", time.Since(start))
	}
	s.report()
	return nil
}

// fail records that the directory itself could not be read: the files'
// certificates leave the index until it can be read again.
func (s *Store) fail(err error) {
	s.rootErr = err
	s.top = dirState{}
	s.entries = map[string]*entry{}
	s.walkErrs, s.dupErrs = nil, nil
	s.mu.Lock()
	s.index = make(map[string]*Cert, len(s.inserted))
	for k, c := range s.inserted {
		s.index[k] = c
	}
	s.failed = err
	s.problems = nil
	s.mu.Unlock()
	if !s.logged[err.Error()] {
		s.logged = map[string]bool{err.Error(): true}
		s.cfg.log.Warn("cert: cannot read certificate store", "dir", s.dir, "error", err)
	}
}

// rebuild makes a new index from the entries, in path order so that of
// two files with one key the first is kept, and returns its size. scanMu
// is held.
func (s *Store) rebuild() int {
	paths := make([]string, 0, len(s.entries))
	for p := range s.entries {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	s.dupErrs = nil
	s.mu.Lock()
	defer s.mu.Unlock()
	index := make(map[string]*Cert, len(s.inserted)+len(paths))
	for k, c := range s.inserted {
		index[k] = c
	}
	owner := make(map[string]string, len(paths))
	for _, p := range paths {
		e := s.entries[p]
		if e.cert == nil {
			continue
		}
		k := e.cert.publicText
		if first, ok := owner[k]; ok {
			s.dupErrs = append(s.dupErrs, pathErr{p, fmt.Errorf("%w: %s in %s and %s; using %s", ErrDuplicate, k, first, p, first)})
			continue
		}
		if _, ok := s.inserted[k]; ok {
			s.dupErrs = append(s.dupErrs, pathErr{p, fmt.Errorf("%w: %s in %s is already in the store (inserted)", ErrDuplicate, k, p)})
			continue
		}
		owner[k] = p
		index[k] = e.cert
	}
	s.index = index
	s.failed = nil
	return len(index)
}

// report gathers the problems of the last walk, logs the new ones and
// publishes them for Err. scanMu is held.
func (s *Store) report() {
	probs := slices.Clone(s.walkErrs)
	for p, e := range s.entries {
		if e.err != nil {
			probs = append(probs, pathErr{p, e.err})
		}
	}
	probs = append(probs, s.dupErrs...)
	slices.SortStableFunc(probs, func(a, b pathErr) int { return strings.Compare(a.path, b.path) })
	logged := make(map[string]bool, len(probs))
	var errs []error
	for _, p := range probs {
		text := p.err.Error()
		if !s.logged[text] {
			s.cfg.log.Warn("cert: skipping file in certificate store", "dir", s.dir, "path", p.path, "error", p.err)
		}
		logged[text] = true
		errs = append(errs, p.err)
	}
	s.logged = logged
	s.mu.Lock()
	s.failed = nil
	s.problems = nil
	if len(errs) > 0 {
		s.problems = &StoreError{Dir: s.dir, Errs: errs}
	}
	s.mu.Unlock()
}

// walker collects the stamps of a directory tree.
type walker struct {
	start time.Time          // when the walk began
	top   dirState           // the top directory
	files map[string]stamp   // regular files by path
	seen  map[[2]uint64]bool // directories entered, by device and inode
	errs  []pathErr          // subdirectories and links that could not be read
}

// dir lists one directory and descends into its subdirectories. Only an
// error listing this directory is returned; problems below it are
// collected in w.errs.
func (w *walker) dir(path string, info fs.FileInfo, depth int) error {
	st := stampOf(info)
	if st.ino != 0 {
		id := [2]uint64{st.dev, st.ino}
		if w.seen[id] {
			return nil // a symbolic link back up the tree
		}
		w.seen[id] = true
	}
	list, err := os.ReadDir(path)
	if err != nil {
		return err
	}
	ds := dirState{stamp: st}
	if depth == 0 && st.racy(w.start) {
		ds.names = []string{}
	}
	for _, d := range list {
		name := d.Name()
		if name == "" || name[0] == '.' {
			continue
		}
		if ds.names != nil {
			ds.names = append(ds.names, name) // os.ReadDir sorts by name
		}
		full := filepath.Join(path, name)
		var info fs.FileInfo
		if d.Type()&fs.ModeSymlink != 0 {
			if info, err = os.Stat(full); err != nil {
				w.errs = append(w.errs, pathErr{full, fmt.Errorf("cert: store: %w", err)})
				continue
			}
		} else if info, err = d.Info(); err != nil {
			continue // removed since the listing
		}
		switch {
		case info.IsDir():
			if depth+1 >= maxDepth {
				w.errs = append(w.errs, pathErr{full, fmt.Errorf("cert: store: %s: more than %d levels deep; not read", full, maxDepth)})
				continue
			}
			if err := w.dir(full, info, depth+1); err != nil {
				w.errs = append(w.errs, pathErr{full, fmt.Errorf("cert: store: %w", err)})
			}
		case info.Mode().IsRegular():
			w.files[full] = stampOf(info)
		}
	}
	if depth == 0 {
		w.top = ds
	}
	return nil
}
