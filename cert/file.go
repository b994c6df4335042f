package cert

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// File name suffixes.
const (
	// SecretSuffix ends the name of a secret certificate file: CZMQ saves
	// "name" and "name_secret".
	SecretSuffix = "_secret"
	// PyzmqPublicSuffix and PyzmqSecretSuffix end the names of the files
	// pyzmq writes: "name.key" and "name.key_secret".
	PyzmqPublicSuffix = ".key"
	PyzmqSecretSuffix = ".key_secret"
)

// The comment banners of certificate files, as CZMQ 4 and pyzmq write
// them (without the leading '#'), after the "Generated on" line.
var (
	publicBanner = []string{
		"   ZeroMQ CURVE Public Certificate",
		"   Exchange securely, or use a secure mechanism to verify the contents",
		"   of this file after exchange. Store public certificates in your home",
		"   directory, in the .curve subdirectory.",
	}
	secretBanner = []string{
		"   ZeroMQ CURVE **Secret** Certificate",
		"   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.",
	}
)

// Load reads a certificate the way CZMQ's zcert_load does: it tries
// path+"_secret" first, which holds both keys, then path itself. When
// neither exists and path does not already end in ".key", it tries
// pyzmq's names, path+".key_secret" then path+".key". Loading "x.key"
// finds "x.key_secret" by the first rule, so pyzmq's metadata, which only
// its secret file holds, is read.
//
// The first file that exists is used; a file that exists but is not a
// valid certificate is an error (a *FormatError matching ErrFormat), not
// a reason to try the next name. A missing certificate gives an error
// matching fs.ErrNotExist.
//
// Loading a secret key from a file that users other than its owner may
// read succeeds, but logs a warning through the logger of WithLogger.
func Load(path string, opts ...LoadOption) (*Cert, error) {
	cfg, err := newLoadConfig(opts)
	if err != nil {
		return nil, err
	}
	names := []string{path + SecretSuffix, path}
	if !strings.HasSuffix(path, PyzmqPublicSuffix) {
		names = append(names, path+PyzmqSecretSuffix, path+PyzmqPublicSuffix)
	}
	for _, name := range names {
		c, err := loadFile(name, cfg.log)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		return c, err
	}
	return nil, fmt.Errorf("cert: no certificate at %s (tried %s): %w", path, strings.Join(names, ", "), fs.ErrNotExist)
}

// loadFile reads and parses exactly one file.
func loadFile(name string, log *slog.Logger) (*Cert, error) {
	data, info, err := readFile(name)
	if err != nil {
		return nil, err
	}
	c, err := parseCert(data)
	if err != nil {
		var fe *FormatError
		if errors.As(err, &fe) {
			fe.Path = name
		}
		return nil, err
	}
	if c.hasSecret && runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		log.Warn("cert: secret certificate file is readable by other users",
			"path", name, "mode", info.Mode().Perm().String(), "public-key", c.publicText)
	}
	return c, nil
}

// readFile reads a regular file of at most maxFileSize bytes.
func readFile(name string) ([]byte, fs.FileInfo, error) {
	// Stat first so that a FIFO or device is refused instead of opened:
	// opening a FIFO would block until something writes to it.
	info, err := os.Stat(name)
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, &FormatError{Path: name, Reason: "not a regular file (" + info.Mode().Type().String() + ")"}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, &FormatError{Path: name, Reason: "not a regular file"}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > maxFileSize {
		return nil, nil, &FormatError{Path: name, Reason: fmt.Sprintf("larger than the %d bytes a certificate file may hold", maxFileSize)}
	}
	return data, info, nil
}

// Parse reads a certificate from the contents of a certificate file in
// CZMQ's or pyzmq's layout. It checks what Load checks, except file
// permissions; errors match ErrFormat.
func Parse(data []byte) (*Cert, error) { return parseCert(data) }

// parseCert builds a certificate from file contents, following
// zcert_load: the key is curve/public-key, which must be 40 characters;
// curve/secret-key is optional; every child of metadata is an entry. Where
// a name appears twice the first one counts, as in CZMQ. Unlike CZMQ,
// parseCert rejects a secret key that is not 40 characters or does not
// belong to the public key, instead of ignoring it.
func parseCert(data []byte) (*Cert, error) {
	root, err := parseZPL(data)
	if err != nil {
		return nil, err
	}
	curve := root.child("curve")
	pub := curve.child("public-key")
	if pub == nil {
		return nil, &FormatError{Reason: "no curve/public-key: not a certificate"}
	}
	pubKey, err := decodeKeyLine(pub, "public")
	if err != nil {
		return nil, err
	}
	var secKey []byte
	if sec := curve.child("secret-key"); sec != nil {
		k, err := decodeKeyLine(sec, "secret")
		if err != nil {
			return nil, err
		}
		secKey = k[:]
	}
	c, err := NewFromKeys(pubKey[:], secKey)
	if err != nil {
		line := pub.line
		if secKey != nil {
			line = curve.child("secret-key").line
		}
		return nil, &FormatError{Line: line, Reason: "unusable keys", Err: err}
	}
	items := root.child("metadata").childrenOrNil()
	seen := make(map[string]bool, len(items)) // a file may hold many: stay linear
	for _, m := range items {
		if seen[m.name] {
			continue
		}
		seen[m.name] = true
		if err := checkMetaName(m.name); err != nil {
			return nil, &FormatError{Line: m.line, Reason: "metadata name", Err: err}
		}
		if _, ok := quoteValue(m.value, false); !ok {
			return nil, &FormatError{Line: m.line, Reason: fmt.Sprintf("metadata %s: value holds characters a certificate cannot carry", m.name)}
		}
		c.meta = append(c.meta, Meta{m.name, m.value})
	}
	return c, nil
}

func (n *zplNode) childrenOrNil() []*zplNode {
	if n == nil {
		return nil
	}
	return n.children
}

// decodeKeyLine decodes the value of a key line.
func decodeKeyLine(n *zplNode, which string) ([KeySize]byte, error) {
	if len(n.value) != KeyTextSize {
		return [KeySize]byte{}, &FormatError{Line: n.line,
			Reason: fmt.Sprintf("%s key has %d characters; want %d", which, len(n.value), KeyTextSize)}
	}
	k, err := decodeKey(n.value)
	if err != nil {
		return k, &FormatError{Line: n.line, Reason: which + " key", Err: err}
	}
	return k, nil
}

// Save writes the certificate as CZMQ's zcert_save does: the public
// certificate to path and the secret certificate to path+"_secret", or,
// with WithPyzmqLayout, to path+".key" and path+".key_secret". The
// certificate must hold its secret key (ErrNoSecret otherwise).
//
// Unless WithOverwrite is given, Save fails with ErrExists, writing
// nothing, when either file exists. Each file is written to a temporary
// file in the same directory, synced and then moved into place, so a
// crash never leaves a partly written certificate; the secret file is
// created with mode 0600 from the start. If the secret file cannot be
// written after the public one was, Save removes the public file again
// (unless it replaced an older one).
func (c *Cert) Save(path string, opts ...SaveOption) error {
	cfg, err := newSaveConfig(opts)
	if err != nil {
		return err
	}
	if !c.hasSecret {
		return fmt.Errorf("%w: use SavePublic to save %s", ErrNoSecret, c.PublicText())
	}
	pubPath, secPath := path, path+SecretSuffix
	if cfg.pyzmq {
		pubPath, secPath = path+PyzmqPublicSuffix, path+PyzmqSecretSuffix
	}
	pubData, err := c.encode(false, cfg)
	if err != nil {
		return err
	}
	secData, err := c.encode(true, cfg)
	if err != nil {
		return err
	}
	if !cfg.overwrite {
		for _, p := range []string{pubPath, secPath} {
			if _, err := os.Lstat(p); err == nil {
				return fmt.Errorf("%w: %s", ErrExists, p)
			}
		}
	}
	if err := writeFileAtomic(pubPath, pubData, 0o644, false, cfg.overwrite); err != nil {
		return err
	}
	if err := writeFileAtomic(secPath, secData, 0o600, true, cfg.overwrite); err != nil {
		if !cfg.overwrite {
			_ = os.Remove(pubPath)
		}
		return err
	}
	return nil
}

// SavePublic writes the public certificate (no secret key) to exactly
// path, in CZMQ's layout or, with WithPyzmqLayout, pyzmq's. It replaces an
// existing file only with WithOverwrite (ErrExists otherwise), and writes
// atomically like Save.
func (c *Cert) SavePublic(path string, opts ...SaveOption) error {
	cfg, err := newSaveConfig(opts)
	if err != nil {
		return err
	}
	data, err := c.encode(false, cfg)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data, 0o644, false, cfg.overwrite)
}

// SaveSecret writes the secret certificate (both keys) to exactly path
// with mode 0600. It fails with ErrNoSecret for a public-only
// certificate, and otherwise behaves like SavePublic.
func (c *Cert) SaveSecret(path string, opts ...SaveOption) error {
	cfg, err := newSaveConfig(opts)
	if err != nil {
		return err
	}
	if !c.hasSecret {
		return fmt.Errorf("%w: %s", ErrNoSecret, c.PublicText())
	}
	data, err := c.encode(true, cfg)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data, 0o600, true, cfg.overwrite)
}

// encode renders the public or secret certificate file.
func (c *Cert) encode(secret bool, cfg saveConfig) ([]byte, error) {
	var b bytes.Buffer
	if cfg.pyzmq {
		c.encodePyzmq(&b, secret, cfg.when)
		return b.Bytes(), nil
	}
	comments := []string{"   ****  Generated on " + cfg.when.Format(time.DateTime) + " by CZMQ  ****"}
	if secret {
		comments = append(comments, secretBanner...)
	} else {
		comments = append(comments, publicBanner...)
	}
	root := &zplNode{}
	meta := root.add("metadata", "", false)
	for _, m := range c.meta {
		meta.add(m.Name, m.Value, true)
	}
	curve := root.add("curve", "", false)
	curve.add("public-key", c.PublicText(), true)
	if secret {
		curve.add("secret-key", c.SecretText(), true)
	}
	if err := writeZPL(&b, comments, root); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// encodePyzmq renders a file as pyzmq's zmq.auth.create_certificates
// does: metadata only in the secret file and bare where possible, keys
// quoted, and Python's datetime format in the banner.
func (c *Cert) encodePyzmq(b *bytes.Buffer, secret bool, when time.Time) {
	stamp := when.Format(time.DateTime)
	if us := when.Nanosecond() / 1000; us != 0 {
		stamp += fmt.Sprintf(".%06d", us)
	}
	fmt.Fprintf(b, "#   ****  Generated on %s by pyzmq  ****\n", stamp)
	banner := publicBanner
	if secret {
		banner = secretBanner
	}
	for _, line := range banner {
		b.WriteString("#" + line + "\n")
	}
	b.WriteString("\nmetadata\n")
	if secret {
		for _, m := range c.meta {
			v, _ := quoteValue(m.Value, true) // SetMeta and Load admit only writable values
			b.WriteString("    " + m.Name + " = " + v + "\n")
		}
	}
	b.WriteString("curve\n")
	b.WriteString(`    public-key = "` + c.PublicText() + "\"\n")
	if secret {
		b.WriteString(`    secret-key = "` + c.SecretText() + "\"\n")
	}
}

// writeFileAtomic writes data to a new temporary file next to path,
// syncs it and moves it to path. Without overwrite it links the file into
// place, which fails if path exists, so an existing file is never
// replaced even when another process creates it meanwhile. A private
// file is set to exactly perm whatever the umask.
func writeFileAtomic(path string, data []byte, perm fs.FileMode, private, overwrite bool) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	// A dot name, so that stores scanning the directory ignore it.
	tmp := filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("cert: save %s: %w", path, err)
	}
	defer func() {
		if f != nil {
			_ = f.Close()
		}
		_ = os.Remove(tmp) // after a link or on failure; gone after a rename
	}()
	if private {
		if err := f.Chmod(perm); err != nil {
			return fmt.Errorf("cert: save %s: %w", path, err)
		}
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("cert: save %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("cert: save %s: %w", path, err)
	}
	err = f.Close()
	f = nil
	if err != nil {
		return fmt.Errorf("cert: save %s: %w", path, err)
	}
	if overwrite {
		err = os.Rename(tmp, path)
	} else if err = os.Link(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		// Some file systems have no hard links: check, then rename.
		if _, statErr := os.Lstat(path); statErr == nil {
			err = fs.ErrExist
		} else {
			err = os.Rename(tmp, path)
		}
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w: %s", ErrExists, path)
	}
	if err != nil {
		return fmt.Errorf("cert: save %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename or link in dir durable where the system allows.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
