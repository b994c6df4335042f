package main

import (
	"bytes"
	"testing"

	"github.com/zkit-go/zkit/zmsg"
)

// FuzzEscape checks that escaping is unambiguous: the output is printable
// ASCII only and unescapes to the input.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "a\\b\t\n\r", "\x00\xff\x7f", `\x41`, "é"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e := escape(b)
		for i := 0; i < len(e); i++ {
			if e[i] < 0x20 || e[i] > 0x7e {
				t.Fatalf("escape(%q) = %q has byte %#x", b, e, e[i])
			}
		}
		u, err := unescape([]byte(e))
		if err != nil || !bytes.Equal(u, b) {
			t.Fatalf("unescape(escape(%q)) = %q, %v", b, u, err)
		}
	})
}

// FuzzUnescape feeds arbitrary input to the parser: it must never panic,
// and whatever it accepts must survive a round trip.
func FuzzUnescape(f *testing.F) {
	for _, s := range []string{"", `\`, `\x`, `\x4`, `\xzz`, `\q`, `a\\b\t`, `\x00\xFF`, "raw\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		u, err := unescape(s)
		if err != nil {
			return
		}
		again, err := unescape([]byte(escape(u)))
		if err != nil || !bytes.Equal(again, u) {
			t.Fatalf("input %q: round trip of %q gave %q, %v", s, u, again, err)
		}
	})
}

// FuzzLineCodec checks that a message of any frames, written with any valid
// separator, parses back to the same frames, and that parsing arbitrary
// lines never panics.
func FuzzLineCodec(f *testing.F) {
	f.Add([]byte("a\x00b\x00"), "\t")
	f.Add([]byte("x|y\x00|"), "|")
	f.Add([]byte(", ,\x00,"), ", ")
	f.Add([]byte("\\t\t\x00"), `\x00`)
	f.Fuzz(func(t *testing.T, data []byte, sep string) {
		c, err := newLineCodec(sep)
		if err != nil {
			return
		}
		if m, err := c.parseLine(data); err == nil && m.Len() == 0 {
			t.Fatalf("parseLine(%q) gave no frames", data)
		}
		// Zero bytes split data into frames.
		m := zmsg.FromBytes(bytes.Split(data, []byte{0})...)
		line := c.appendMsg(nil, m)
		if bytes.ContainsAny(line, "\n\r") {
			t.Fatalf("line %q has a newline", line)
		}
		back, err := c.parseLine(line)
		if err != nil || !back.Equal(m) {
			t.Fatalf("sep %q: %q -> %q -> %v, %v", sep, m.Frames(), line, back, err)
		}
	})
}
