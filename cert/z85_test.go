package cert

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestZ85Vectors(t *testing.T) {
	cases := []struct {
		hex, text string
	}{
		{"", ""},
		{"864FD26FB559F75B", "HelloWorld"}, // RFC 32
		{"00000000", "00000"},
		{"FFFFFFFF", "%nSc0"},
		{"00000001", "00001"},
		{"00000055", "00010"}, // 85
		// The 32-byte key of RFC 32's test case.
		{"8E0BDD697628B91D8F245587EE95C5B04D48963F79259877B49CD9063AEAD3B7", "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"},
	}
	for _, c := range cases {
		data := mustHex(t, c.hex)
		got, err := Z85Encode(data)
		if err != nil || got != c.text {
			t.Errorf("Z85Encode(%s) = %q, %v; want %q", c.hex, got, err, c.text)
		}
		back, err := Z85Decode(c.text)
		if err != nil || !bytes.Equal(back, data) {
			t.Errorf("Z85Decode(%q) = %x, %v; want %s", c.text, back, err, c.hex)
		}
	}
}

func TestZ85AlphabetOrder(t *testing.T) {
	// Each digit alone in the last place of a group decodes to its value.
	for i := range len(z85Alphabet) {
		b, err := Z85Decode("0000" + z85Alphabet[i:i+1])
		if err != nil || b[3] != byte(i) {
			t.Fatalf("digit %q: %x, %v", z85Alphabet[i], b, err)
		}
	}
	if len(z85Alphabet) != 85 {
		t.Fatalf("alphabet has %d digits", len(z85Alphabet))
	}
}

func TestZ85RoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 256; n += 4 {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(r.UintN(256))
		}
		text, err := Z85Encode(data)
		if err != nil || len(text) != n/4*5 {
			t.Fatalf("%d bytes: %q, %v", n, text, err)
		}
		back, err := Z85Decode(text)
		if err != nil || !bytes.Equal(back, data) {
			t.Fatalf("%d bytes: round trip gave %x, %v", n, back, err)
		}
	}
}

func TestZ85EncodeRejectsLength(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5, 31, 33} {
		if _, err := Z85Encode(make([]byte, n)); !errors.Is(err, ErrZ85) {
			t.Errorf("Z85Encode(%d bytes) = %v; want ErrZ85", n, err)
		}
	}
}

func TestZ85DecodeRejects(t *testing.T) {
	cases := []struct {
		text, want string // want: part of the error message
	}{
		{"Hell", "multiple of 5"},
		{"HelloWorld!", "multiple of 5"},
		{"Hello Worl", `' ' at offset 5`},
		{"Hello\"orld", `'"' at offset 5`},
		{"Hello\\orld", `offset 5`},
		{"He,loWorld", `',' at offset 2`},
		{"HelloWor;d", `offset 8`},
		{"Hello_orld", "offset 5"},
		{"Hello`orld", "offset 5"},
		{"Hello|orld", "offset 5"},
		{"Hello~orld", "offset 5"},
		{"Hello'orld", "offset 5"},
		{"\x00ello", "offset 0"},
		{"Hell\xff", "offset 4"},
		{"%nSc1", `group "%nSc1" at offset 0 exceeds 32 bits`}, // 0xFFFFFFFF + 1
		{"00000#####", `group "#####" at offset 5`},
	}
	for _, c := range cases {
		b, err := Z85Decode(c.text)
		if !errors.Is(err, ErrZ85) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Z85Decode(%q) = %x, %v; want ErrZ85 mentioning %q", c.text, b, err, c.want)
		}
	}
}
