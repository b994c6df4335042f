package zmsg

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/zkit-go/zkit/zframe"
)

// mustHex decodes a hex string with optional spaces.
func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEncodeGolden(t *testing.T) {
	x300 := strings.Repeat("x", 300)
	tests := []struct {
		name string
		m    *Msg
		want string
	}{
		{"empty message", New(), ""},
		{"one empty frame", FromStrings(""), "00"},
		{"two empty frames", FromStrings("", ""), "00 00"},
		{"hello", FromStrings("hello"), "05 68656c6c6f"},
		{"hello and 300 x", FromStrings("hello", x300),
			"05 68656c6c6f FF 0000012C " + strings.Repeat("78", 300)},
		{"binary", FromBytes([]byte{0, 0xFF}), "02 00FF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := mustHex(t, tt.want)
			got := tt.m.Encode()
			if !bytes.Equal(got, want) {
				t.Fatalf("Encode() = %x, want %x", got, want)
			}
			if got := tt.m.AppendEncoded([]byte("pre")); !bytes.Equal(got, append([]byte("pre"), want...)) {
				t.Errorf("AppendEncoded() = %x", got)
			}
			back, err := Decode(want)
			if err != nil {
				t.Fatalf("Decode() error: %v", err)
			}
			if !back.Equal(tt.m) {
				t.Errorf("Decode() = %q, want %q", texts(back), texts(tt.m))
			}
		})
	}
}

func TestEncodeSizeBoundaries(t *testing.T) {
	tests := []struct {
		size   int
		header string
	}{
		{0, "00"},
		{1, "01"},
		{254, "FE"},
		{255, "FF000000FF"},
		{256, "FF00000100"},
		{65536, "FF00010000"},
	}
	for _, tt := range tests {
		data := bytes.Repeat([]byte{0xA5}, tt.size)
		m := FromBytes(data)
		enc := m.Encode()
		header := mustHex(t, tt.header)
		if !bytes.HasPrefix(enc, header) || !bytes.Equal(enc[len(header):], data) {
			t.Errorf("size %d: encoding starts %x, want header %x then data", tt.size, enc[:min(len(enc), 8)], header)
		}
		if len(enc) != m.encodedSize() {
			t.Errorf("size %d: encodedSize() = %d, len = %d", tt.size, m.encodedSize(), len(enc))
		}
		back, err := Decode(enc)
		if err != nil || !back.Equal(m) {
			t.Errorf("size %d: round trip failed: %v", tt.size, err)
		}
	}
}

func TestAppendHeaderClamp(t *testing.T) {
	// Frames of 4 GiB cannot be built in a test, but the header writer is
	// only ever called with clamped sizes; check the largest one.
	got := appendHeader(nil, maxFrameSize)
	if want := []byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF}; !bytes.Equal(got, want) {
		t.Errorf("appendHeader(max) = %x, want %x", got, want)
	}
}

func TestDecodeTruncatedPrefixes(t *testing.T) {
	m := FromStrings("hello", "", strings.Repeat("x", 300), "z")
	enc := m.Encode()
	// Offsets where a frame boundary falls: those prefixes are valid.
	boundaries := map[int]bool{0: true, 6: true, 7: true, 312: true, 314: true}
	for n := 0; n <= len(enc); n++ {
		got, err := Decode(enc[:n])
		if boundaries[n] {
			if err != nil {
				t.Errorf("prefix %d: unexpected error %v", n, err)
			} else if !bytes.Equal(got.Encode(), enc[:n]) {
				t.Errorf("prefix %d: round trip mismatch", n)
			}
			continue
		}
		if !errors.Is(err, ErrTruncated) {
			t.Errorf("prefix %d: error = %v, want ErrTruncated", n, err)
		}
		if got != nil {
			t.Errorf("prefix %d: got a message with an error", n)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		msg   string
	}{
		{"size past end", "05 6869", "frame 0 at offset 0"},
		{"second frame", "01 61 03 62", "frame 1 at offset 2"},
		{"short length field", "00 FF 0000", "frame 1 at offset 1"},
		{"huge length", "FF FFFFFFFF 00", "length 4294967295 exceeds the 1 remaining bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(mustHex(t, tt.input))
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("error = %v, want ErrTruncated", err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not mention %q", err, tt.msg)
			}
		})
	}
}

func TestDecodeAcceptsLongFormForShortFrame(t *testing.T) {
	m, err := Decode(mustHex(t, "FF00000002 6869"))
	if err != nil {
		t.Fatal(err)
	}
	if !m.Equal(FromStrings("hi")) {
		t.Errorf("Decode = %q, want [hi]", texts(m))
	}
}

func TestDecodeCopiesInput(t *testing.T) {
	in := mustHex(t, "02 6162 01 63")
	m, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	in[1] = 'X'
	if f, _ := m.First(); f.Text() != "ab" {
		t.Fatalf("Decode aliases its input: %q", f.Text())
	}
	// Appending to one frame's data must not overwrite the next frame.
	f, _ := m.First()
	_ = append(f.Data(), 'Q')
	if g, _ := m.Frame(1); g.Text() != "c" {
		t.Errorf("frames share capacity: second frame is %q", g.Text())
	}
}

func TestDecodeEmpty(t *testing.T) {
	for _, in := range [][]byte{nil, {}} {
		m, err := Decode(in)
		if err != nil || m == nil || m.Len() != 0 {
			t.Errorf("Decode(%v) = %v, %v; want empty message", in, m, err)
		}
	}
}

func TestAddMsgPopMsg(t *testing.T) {
	inner := FromStrings("a", strings.Repeat("b", 260), "")
	outer := FromStrings("head")
	outer.AddMsg(inner)
	outer.AddMsg(nil)
	if outer.Len() != 3 {
		t.Fatalf("Len() = %d, want 3", outer.Len())
	}
	if f, _ := outer.Frame(1); !bytes.Equal(f.Data(), inner.Encode()) {
		t.Errorf("AddMsg frame = %x, want %x", f.Data(), inner.Encode())
	}
	if f, _ := outer.Last(); f.Size() != 0 {
		t.Errorf("AddMsg(nil) frame has %d bytes, want 0", f.Size())
	}

	if _, err := outer.PopMsg(); !errors.Is(err, ErrTruncated) {
		t.Errorf("PopMsg of %q: error = %v, want ErrTruncated", "head", err)
	}
	if outer.Len() != 2 {
		t.Errorf("failed PopMsg did not consume the frame: Len() = %d", outer.Len())
	}
	got, err := outer.PopMsg()
	if err != nil || !got.Equal(inner) {
		t.Fatalf("PopMsg() = %q, %v; want %q", texts(got), err, texts(inner))
	}
	got, err = outer.PopMsg()
	if err != nil || got.Len() != 0 {
		t.Fatalf("PopMsg() of nil = %q, %v; want empty", texts(got), err)
	}
	if _, err := outer.PopMsg(); !errors.Is(err, ErrEmpty) {
		t.Errorf("PopMsg() on empty: error = %v, want ErrEmpty", err)
	}
}

func TestEncodeIgnoresFrameFlags(t *testing.T) {
	a := New(zframe.FromString("x").WithMore(true).WithProps(map[string]string{"k": "v"}))
	if !bytes.Equal(a.Encode(), []byte{1, 'x'}) {
		t.Errorf("Encode() = %x", a.Encode())
	}
}
