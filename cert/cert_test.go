package cert

import (
	"bytes"
	"crypto/ecdh"
	"errors"
	"strings"
	"testing"
)

// Fixed key pairs for tests: the secret keys are the bytes 1..32 and
// 0x41..0x60, the public keys their X25519 public keys.
const (
	testPublic  = "2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrjk"
	testSecret  = "0rJua1Qkhq2)}4G4gS)W5Ft->6=4P585:Cl9uDpB"
	testPublic2 = "wu=fu^7SXs1IC53N3vT[Z=)^JL{k:O?4CZmm+096"
	testSecret2 = "k%^}bmmG^rnLhSHo?[FXqbQs(rArg6sZ23mu0Z(C"
)

func testCert(t testing.TB, meta ...string) *Cert {
	t.Helper()
	c, err := NewFromText(testPublic, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(meta); i += 2 {
		if err := c.SetMeta(meta[i], meta[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestNew(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if !a.HasSecret() || len(a.PublicKey()) != KeySize || len(a.SecretKey()) != KeySize {
		t.Fatalf("new cert: %v %x %x", a.HasSecret(), a.PublicKey(), a.SecretKey())
	}
	if bytes.Equal(a.PublicKey(), b.PublicKey()) {
		t.Fatal("two new certificates share a key")
	}
	priv, err := ecdh.X25519().NewPrivateKey(a.SecretKey())
	if err != nil || !bytes.Equal(priv.PublicKey().Bytes(), a.PublicKey()) {
		t.Fatal("public key does not belong to the secret key")
	}
	if len(a.PublicText()) != KeyTextSize || len(a.SecretText()) != KeyTextSize {
		t.Fatalf("texts %q %q", a.PublicText(), a.SecretText())
	}
	if pk, _ := Z85Decode(a.PublicText()); !bytes.Equal(pk, a.PublicKey()) {
		t.Fatal("PublicText does not decode to PublicKey")
	}
}

func TestNewFromKeys(t *testing.T) {
	pub, _ := Z85Decode(testPublic)
	sec, _ := Z85Decode(testSecret)
	sec2, _ := Z85Decode(testSecret2)
	zero := make([]byte, KeySize)

	c, err := NewFromKeys(pub, sec)
	if err != nil || c.PublicText() != testPublic || c.SecretText() != testSecret || !c.HasSecret() {
		t.Fatalf("NewFromKeys: %v %v", c, err)
	}
	c, err = NewFromKeys(pub, nil)
	if err != nil || c.HasSecret() || c.SecretKey() != nil || c.SecretText() != "" {
		t.Fatalf("public only: %v %v", c, err)
	}
	c, err = NewFromKeys(pub, zero)
	if err != nil || c.HasSecret() {
		t.Fatalf("zero secret should mean public only: %v %v", c, err)
	}
	for name, args := range map[string][2][]byte{
		"short public":    {pub[:31], nil},
		"long public":     {append(pub, 0), nil},
		"short secret":    {pub, sec[:31]},
		"empty secret":    {pub, {}},
		"mismatch":        {pub, sec2},
		"zero public":     {zero, nil},
		"zero public+sec": {zero, sec},
	} {
		if c, err := NewFromKeys(args[0], args[1]); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, %v; want ErrInvalid", name, c, err)
		}
	}
	// The certificate keeps its own copies.
	c, _ = NewFromKeys(pub, sec)
	pub[0] ^= 1
	c.PublicKey()[1] ^= 1
	c.SecretKey()[1] ^= 1
	if c.PublicText() != testPublic || c.SecretText() != testSecret {
		t.Fatal("certificate shares memory with its caller")
	}
}

func TestNewFromText(t *testing.T) {
	if c, err := NewFromText(testPublic, ""); err != nil || c.HasSecret() {
		t.Fatalf("public only: %v %v", c, err)
	}
	for _, k := range [][2]string{
		{testPublic[:39], ""},
		{testPublic + "0", ""},
		{"Hello World" + testPublic[11:], ""},
		{testPublic, testSecret[:35]},
		{testPublic, "\"" + testSecret[1:]},
	} {
		_, err := NewFromText(k[0], k[1])
		if !errors.Is(err, ErrInvalid) || !errors.Is(err, ErrZ85) {
			t.Errorf("NewFromText(%q, %q): %v; want ErrInvalid and ErrZ85", k[0], k[1], err)
		}
	}
	if _, err := NewFromText(testPublic, testSecret2); !errors.Is(err, ErrInvalid) || errors.Is(err, ErrZ85) {
		t.Errorf("mismatched keys: %v", err)
	}
}

func TestSetMeta(t *testing.T) {
	c := testCert(t, "name", "Alice", "email", "a@example.com")
	if err := c.SetMeta("name", "Bob"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetMeta("org", "Example"); err != nil {
		t.Fatal(err)
	}
	want := []Meta{{"name", "Bob"}, {"email", "a@example.com"}, {"org", "Example"}}
	if got := c.Metadata(); !equalMeta(got, want) {
		t.Fatalf("metadata %v; want %v", got, want)
	}
	if v, ok := c.Meta("email"); !ok || v != "a@example.com" {
		t.Fatalf("Meta(email) = %q, %v", v, ok)
	}
	if _, ok := c.Meta("nope"); ok {
		t.Fatal("Meta(nope) found")
	}
	c.Metadata()[0].Value = "changed"
	if v, _ := c.Meta("name"); v != "Bob" {
		t.Fatal("Metadata returned shared memory")
	}

	good := []string{"a", "A9", "$-_@.&+", "x/y", strings.Repeat("n", MaxMetaName)}
	for _, n := range good {
		if err := c.SetMeta(n, "v"); err != nil {
			t.Errorf("SetMeta(%q): %v", n, err)
		}
	}
	bad := []string{"", "a b", "a=b", "a#", "é", "/a", "a/", "tab\t", strings.Repeat("n", MaxMetaName+1)}
	for _, n := range bad {
		if err := c.SetMeta(n, "v"); !errors.Is(err, ErrInvalid) {
			t.Errorf("SetMeta(%q): %v; want ErrInvalid", n, err)
		}
	}
	for _, v := range []string{"", " spaced ", `say "hi"`, "it's", `it's "x"`, "#hash", "é ✓"} {
		if err := c.SetMeta("v", v); err != nil {
			t.Errorf("SetMeta(v, %q): %v", v, err)
		}
	}
	for _, v := range []string{"a\nb", "a\rb", "a\x00b", `'both' "kinds" #`} {
		if err := c.SetMeta("v", v); !errors.Is(err, ErrInvalid) {
			t.Errorf("SetMeta(v, %q): %v; want ErrInvalid", v, err)
		}
	}
}

func equalMeta(a, b []Meta) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPublicAndEqual(t *testing.T) {
	c := testCert(t, "name", "x", "role", "y")
	p := c.Public()
	if p.HasSecret() || p.PublicText() != c.PublicText() || !equalMeta(p.Metadata(), c.Metadata()) {
		t.Fatalf("Public: %v %v", p, p.Metadata())
	}
	if c.Equal(p) || p.Equal(c) {
		t.Fatal("a certificate equals its public part")
	}
	d := testCert(t, "role", "y", "name", "x")
	if !c.Equal(d) {
		t.Fatal("metadata order should not matter")
	}
	_ = d.SetMeta("name", "z")
	if c.Equal(d) {
		t.Fatal("different metadata compare equal")
	}
	e, _ := NewFromText(testPublic2, testSecret2)
	if e.Equal(c) {
		t.Fatal("different keys compare equal")
	}
	_ = p.SetMeta("extra", "1")
	if _, ok := c.Meta("extra"); ok {
		t.Fatal("Public shares metadata with the original")
	}
	var nilCert *Cert
	if !nilCert.Equal(nil) || c.Equal(nil) {
		t.Fatal("nil handling")
	}
}

func TestStringHidesSecret(t *testing.T) {
	c := testCert(t)
	if s := c.String(); strings.Contains(s, testSecret) || !strings.Contains(s, testPublic) {
		t.Fatalf("String() = %q", s)
	}
}
