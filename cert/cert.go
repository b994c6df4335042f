package cert

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
)

// Key sizes.
const (
	// KeySize is the size in bytes of a CURVE public or secret key.
	KeySize = 32
	// KeyTextSize is the length of a key in Z85 text.
	KeyTextSize = 40
	// MaxMetaName is the longest metadata name, in bytes; ZeroMQ
	// properties (as ZAP returns metadata) cannot carry longer names.
	MaxMetaName = 255
)

// Meta is one metadata entry of a certificate.
type Meta struct {
	Name  string
	Value string
}

// Cert is a CURVE certificate: a public key, optionally the matching
// secret key, and metadata as ordered name/value pairs.
//
// Create one with New, NewFromKeys, NewFromText, Load or Parse; the zero
// Cert is not a valid certificate. Methods that only read may be called
// from many goroutines at once; SetMeta must not run concurrently with
// any other method on the same Cert.
type Cert struct {
	public     [KeySize]byte // public key
	publicText string        // public key in Z85, computed once
	secret     [KeySize]byte // secret key; all zero when hasSecret is false
	hasSecret  bool          // whether secret holds the secret key
	meta       []Meta        // metadata in insertion order; names are unique
}

// New returns a certificate with a freshly generated key pair. Keys are
// X25519 key pairs from crypto/ecdh, the same curve and encoding that
// libzmq's zmq_curve_keypair produces through libsodium.
func New() (*Cert, error) {
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("cert: generating a key pair: %w", err)
	}
	return NewFromKeys(priv.PublicKey().Bytes(), priv.Bytes())
}

// NewFromKeys returns a certificate holding the given 32-byte keys. The
// secret key may be nil for a public-only certificate; otherwise the
// public key must be the one that belongs to it. A secret key of 32 zero
// bytes is taken as absent, as CZMQ writes it for public-only
// certificates. A public key of 32 zero bytes is rejected. Errors match
// ErrInvalid.
func NewFromKeys(public, secret []byte) (*Cert, error) {
	if len(public) != KeySize {
		return nil, fmt.Errorf("%w: public key is %d bytes, want %d", ErrInvalid, len(public), KeySize)
	}
	if secret != nil && len(secret) != KeySize {
		return nil, fmt.Errorf("%w: secret key is %d bytes, want %d", ErrInvalid, len(secret), KeySize)
	}
	var zero [KeySize]byte
	if bytes.Equal(public, zero[:]) {
		return nil, fmt.Errorf("%w: public key is all zero", ErrInvalid)
	}
	c := &Cert{}
	copy(c.public[:], public)
	c.publicText = encodeKey(&c.public)
	if secret != nil && !bytes.Equal(secret, zero[:]) {
		priv, err := ecdh.X25519().NewPrivateKey(secret)
		if err != nil {
			return nil, fmt.Errorf("%w: secret key: %v", ErrInvalid, err)
		}
		if !bytes.Equal(priv.PublicKey().Bytes(), public) {
			return nil, fmt.Errorf("%w: secret key does not belong to public key %s", ErrInvalid, c.publicText)
		}
		copy(c.secret[:], secret)
		c.hasSecret = true
	}
	return c, nil
}

// NewFromText is NewFromKeys for keys in Z85 text (40 characters each).
// The secret key may be "" for a public-only certificate. Errors match
// ErrInvalid, and ErrZ85 when a key is not valid Z85.
func NewFromText(public, secret string) (*Cert, error) {
	pub, err := decodeKey(public)
	if err != nil {
		return nil, fmt.Errorf("%w: public key: %w", ErrInvalid, err)
	}
	var sec []byte
	if secret != "" {
		s, err := decodeKey(secret)
		if err != nil {
			return nil, fmt.Errorf("%w: secret key: %w", ErrInvalid, err)
		}
		sec = s[:]
	}
	return NewFromKeys(pub[:], sec)
}

// PublicKey returns a copy of the 32-byte public key.
func (c *Cert) PublicKey() []byte { return slices.Clone(c.public[:]) }

// SecretKey returns a copy of the 32-byte secret key, or nil when the
// certificate holds only the public key.
func (c *Cert) SecretKey() []byte {
	if !c.hasSecret {
		return nil
	}
	return slices.Clone(c.secret[:])
}

// PublicText returns the public key in Z85 (40 characters).
func (c *Cert) PublicText() string {
	if c.publicText == "" {
		return encodeKey(&c.public)
	}
	return c.publicText
}

// SecretText returns the secret key in Z85 (40 characters), or "" when
// the certificate holds only the public key.
func (c *Cert) SecretText() string {
	if !c.hasSecret {
		return ""
	}
	return encodeKey(&c.secret)
}

// HasSecret reports whether the certificate holds its secret key.
func (c *Cert) HasSecret() bool { return c.hasSecret }

// SetMeta sets metadata name to value. A name already present keeps its
// position and takes the new value; a new name goes after the others.
//
// Names are 1 to MaxMetaName characters from ZPL's name set: ASCII
// letters and digits and "$-_@.&+/", not starting or ending with '/'.
// Values may hold any text except NUL, CR and LF. ZPL has no escapes, so
// a value holding both kinds of quote mark is written bare, and must then
// not start with a quote mark or white space, end with white space or
// hold '#'. Other names and values are rejected with an error matching
// ErrInvalid, since no certificate file could hold them.
func (c *Cert) SetMeta(name, value string) error {
	if err := checkMetaName(name); err != nil {
		return err
	}
	if _, ok := quoteValue(value, false); !ok {
		return fmt.Errorf("%w: metadata %s: value %q cannot be written in a certificate file", ErrInvalid, name, value)
	}
	c.setMeta(name, value)
	return nil
}

// setMeta sets a checked name and value.
func (c *Cert) setMeta(name, value string) {
	for i := range c.meta {
		if c.meta[i].Name == name {
			c.meta[i].Value = value
			return
		}
	}
	c.meta = append(c.meta, Meta{name, value})
}

// Meta returns the value of metadata name and whether it is set.
func (c *Cert) Meta(name string) (string, bool) {
	for _, m := range c.meta {
		if m.Name == name {
			return m.Value, true
		}
	}
	return "", false
}

// Metadata returns a copy of the metadata in the order the names were
// first set (for a loaded certificate, the order of the file).
func (c *Cert) Metadata() []Meta { return slices.Clone(c.meta) }

// Public returns a copy of the certificate without the secret key.
func (c *Cert) Public() *Cert {
	return &Cert{public: c.public, publicText: c.PublicText(), meta: slices.Clone(c.meta)}
}

// clone returns a deep copy.
func (c *Cert) clone() *Cert {
	d := *c
	d.meta = slices.Clone(c.meta)
	return &d
}

// Equal reports whether c and o hold the same keys (both with the same
// secret key, or both without one) and the same metadata names and
// values; the order of the metadata does not matter.
func (c *Cert) Equal(o *Cert) bool {
	if c == nil || o == nil {
		return c == o
	}
	if c.public != o.public || c.hasSecret != o.hasSecret || c.secret != o.secret || len(c.meta) != len(o.meta) {
		return false
	}
	values := make(map[string]string, len(o.meta))
	for _, m := range o.meta {
		values[m.Name] = m.Value
	}
	for _, m := range c.meta {
		if v, ok := values[m.Name]; !ok || v != m.Value {
			return false
		}
	}
	return true
}

// String describes the certificate by its public key; it never shows the
// secret key.
func (c *Cert) String() string {
	s := "cert " + c.PublicText()
	if c.hasSecret {
		s += " (with secret key)"
	}
	return s
}

// isNameChar reports whether b may appear in a ZPL name.
func isNameChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("$-_@.&+/", b) >= 0
}

// checkMetaName validates a metadata name.
func checkMetaName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: empty metadata name", ErrInvalid)
	}
	if len(name) > MaxMetaName {
		return fmt.Errorf("%w: metadata name of %d bytes; at most %d", ErrInvalid, len(name), MaxMetaName)
	}
	for i := range len(name) {
		if !isNameChar(name[i]) {
			return fmt.Errorf("%w: metadata name %q: character %q is not allowed in ZPL names", ErrInvalid, name, name[i])
		}
	}
	if name[0] == '/' || name[len(name)-1] == '/' {
		return fmt.Errorf("%w: metadata name %q may not start or end with '/'", ErrInvalid, name)
	}
	return nil
}
