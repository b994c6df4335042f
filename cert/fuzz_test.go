package cert

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func FuzzZ85Decode(f *testing.F) {
	for _, s := range []string{
		"", "HelloWorld", "00000", "%nSc0", "%nSc1", "#####",
		testPublic, testSecret, "Hello World", "abcd", "\x00\x00\x00\x00\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		data, err := Z85Decode(text)
		if err != nil {
			if !errors.Is(err, ErrZ85) {
				t.Fatalf("error %v does not match ErrZ85", err)
			}
			return
		}
		if len(data) != len(text)/5*4 {
			t.Fatalf("%d characters decoded to %d bytes", len(text), len(data))
		}
		// Z85 is one-to-one: valid text encodes back to itself.
		back, err := Z85Encode(data)
		if err != nil || back != text {
			t.Fatalf("Z85Encode(Z85Decode(%q)) = %q, %v", text, back, err)
		}
	})
}

func FuzzZPLParse(f *testing.F) {
	for _, s := range []string{
		goldenPublic, goldenSecret, goldenPyzmqSecret,
		"a\n    b = 1\n        c\n", "k = 'x\"y'  # c\n", "a\n  b\n", "\tk\n",
		"k = \"open\n", "/k\n", "a\r\n    b = \"\"\r\n", "\xEF\xBB\xBFk=v",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := parseZPL(data)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
			if fe.Line < 0 || fe.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("error on line %d of a %d-line input", fe.Line, bytes.Count(data, []byte("\n"))+1)
			}
			return
		}
		// Whatever parses and can be written parses back to the same tree.
		var buf bytes.Buffer
		if err := writeZPL(&buf, nil, root); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("write: %v", err)
			}
			return
		}
		again, err := parseZPL(buf.Bytes())
		if err != nil {
			t.Fatalf("reparse of\n%s\nfailed: %v", buf.Bytes(), err)
		}
		if dump(again) != dump(root) {
			t.Fatalf("round trip changed the tree:\n%s\nto\n%s", dump(root), dump(again))
		}
	})
}

func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		goldenPublic, goldenSecret, goldenPyzmqPublic, goldenPyzmqSecret,
		goldenSecret[:len(goldenSecret)/2], "", "curve\n    public-key = \"\"\n",
		"metadata\n    a = \"\x00\"\ncurve\n    public-key = \"" + testPublic + "\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "c")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not match ErrFormat", err)
			}
			return
		}
		// A loaded certificate is valid: in either layout it is written
		// out and read back the same (Save's file handling is tested
		// elsewhere; syncing files here would only slow the fuzzer).
		if len(c.PublicKey()) != KeySize || c.HasSecret() != (c.SecretKey() != nil) {
			t.Fatalf("loaded an invalid certificate %v", c)
		}
		for _, pyzmq := range []bool{false, true} {
			text, err := c.encode(c.HasSecret(), saveConfig{when: goldenTime, pyzmq: pyzmq})
			if err != nil {
				t.Fatalf("encoding a loaded certificate: %v", err)
			}
			back, err := Parse(text)
			want := c
			if pyzmq && !c.HasSecret() {
				want = &Cert{public: c.public, publicText: c.publicText} // no metadata in a pyzmq public file
			}
			if err != nil || !back.Equal(want) || !equalMeta(back.Metadata(), want.Metadata()) {
				t.Fatalf("reparse of\n%s\ngave %v %v; want %v %v", text, back, err, want, want.Metadata())
			}
		}
	})
}
