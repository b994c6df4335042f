package zmsg

import (
	"bytes"
	"errors"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/zkit-go/zkit/zframe"
)

var testUUID = UUID{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}

func TestPackFrames(t *testing.T) {
	tests := []struct {
		name    string
		picture string
		args    []any
		want    []string
	}{
		{"empty picture", "", nil, nil},
		{"i int", "i", []any{-42}, []string{"-42"}},
		{"i int8 min", "i", []any{int8(math.MinInt8)}, []string{"-128"}},
		{"i int16", "i", []any{int16(300)}, []string{"300"}},
		{"i int32", "i", []any{int32(-7)}, []string{"-7"}},
		{"i int64 min", "i", []any{int64(math.MinInt64)}, []string{"-9223372036854775808"}},
		{"1 max", "1", []any{uint8(255)}, []string{"255"}},
		{"1 from int", "1", []any{7}, []string{"7"}},
		{"2 max", "2", []any{uint16(65535)}, []string{"65535"}},
		{"4 max", "4", []any{uint32(math.MaxUint32)}, []string{"4294967295"}},
		{"8 max", "8", []any{uint64(math.MaxUint64)}, []string{"18446744073709551615"}},
		{"8 from uint", "8", []any{uint(9)}, []string{"9"}},
		{"s", "s", []any{"hello"}, []string{"hello"}},
		{"s empty", "s", []any{""}, []string{""}},
		{"b", "b", []any{[]byte{1, 2}}, []string{"\x01\x02"}},
		{"b nil", "b", []any{[]byte(nil)}, []string{""}},
		{"c", "c", []any{[]byte("chunk")}, []string{"chunk"}},
		{"f", "f", []any{zframe.FromString("frame").WithMore(true)}, []string{"frame"}},
		{"U", "U", []any{testUUID}, []string{string(testUUID[:])}},
		{"U array", "U", []any{[16]byte(testUUID)}, []string{string(testUUID[:])}},
		{"m", "m", []any{FromStrings("x", "y")}, []string{"x", "y"}},
		{"m nil", "sm", []any{"a", (*Msg)(nil)}, []string{"a"}},
		{"m untyped nil", "ms", []any{nil, "a"}, []string{"a"}},
		{"m empty", "m", []any{New()}, nil},
		{"z", "z", nil, []string{""}},
		{"mixed", "szi1m", []any{"cmd", 5, 1, FromStrings("p")}, []string{"cmd", "", "5", "1", "p"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Pack(tt.picture, tt.args...)
			if err != nil {
				t.Fatalf("Pack(%q) error: %v", tt.picture, err)
			}
			if got := texts(m); !slices.Equal(got, tt.want) {
				t.Errorf("Pack(%q) = %q, want %q", tt.picture, got, tt.want)
			}
			for _, f := range m.Frames() {
				if f.More() {
					t.Error("Pack produced a frame with MORE set")
				}
			}
		})
	}
}

func TestPackHashGolden(t *testing.T) {
	m, err := Pack("h", map[string]string{"b": "22", "a": "1"})
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(t, "00000002 01 61 00000001 31 01 62 00000002 3232")
	if f, _ := m.First(); m.Len() != 1 || !bytes.Equal(f.Data(), want) {
		t.Fatalf("Pack(h) = %x, want %x", f.Data(), want)
	}
	for _, h := range []map[string]string{nil, {}} {
		m, err := Pack("h", h)
		if err != nil {
			t.Fatal(err)
		}
		if f, _ := m.First(); !bytes.Equal(f.Data(), []byte{0, 0, 0, 0}) {
			t.Errorf("Pack(h, %v) = %x, want 00000000", h, f.Data())
		}
	}
}

func TestPackUnpackRoundTrip(t *testing.T) {
	h := map[string]string{"key": "value", "": "empty key", "long": strings.Repeat("v", 300)}
	sub := FromStrings("sub1", "sub2")
	m, err := Pack("i1248sbcfUhzm",
		-12345, uint8(200), uint16(60000), uint32(4000000000), uint64(math.MaxUint64),
		"text", []byte{0, 1}, []byte("chunk"), zframe.FromString("frm"), testUUID, h, sub)
	if err != nil {
		t.Fatal(err)
	}
	var (
		i   int
		u1  uint8
		u2  uint16
		u4  uint32
		u8  uint64
		s   string
		b   []byte
		c   []byte
		f   zframe.Frame
		u   UUID
		gh  map[string]string
		rem *Msg
	)
	if err := m.Unpack("i1248sbcfUhzm", &i, &u1, &u2, &u4, &u8, &s, &b, &c, &f, &u, &gh, &rem); err != nil {
		t.Fatal(err)
	}
	if i != -12345 || u1 != 200 || u2 != 60000 || u4 != 4000000000 || u8 != math.MaxUint64 {
		t.Errorf("integers = %d %d %d %d %d", i, u1, u2, u4, u8)
	}
	if s != "text" || !bytes.Equal(b, []byte{0, 1}) || string(c) != "chunk" || !f.EqualString("frm") {
		t.Errorf("bytes = %q %q %q %q", s, b, c, f.Text())
	}
	if u != testUUID {
		t.Errorf("uuid = %x", u)
	}
	if !maps.Equal(gh, h) {
		t.Errorf("map = %v, want %v", gh, h)
	}
	if !rem.Equal(sub) {
		t.Errorf("rest = %q, want %q", texts(rem), texts(sub))
	}
}

func TestUnpackSignedTargets(t *testing.T) {
	m := FromStrings("-128", "-32768", "-2147483648", "-9223372036854775808", "9223372036854775807")
	var a int8
	var b int16
	var c int32
	var d int64
	var e int
	if err := m.Unpack("iiiii", &a, &b, &c, &d, &e); err != nil {
		t.Fatal(err)
	}
	if a != math.MinInt8 || b != math.MinInt16 || c != math.MinInt32 || d != math.MinInt64 || e != math.MaxInt64 {
		t.Errorf("got %d %d %d %d %d", a, b, c, d, e)
	}
}

func TestUnpackMissingFramesGiveZero(t *testing.T) {
	var (
		i   = 9
		u1  = uint8(9)
		s   = "old"
		b   = []byte("old")
		f   = zframe.FromString("old")
		u   = testUUID
		h   = map[string]string{"old": "x"}
		rem *Msg
	)
	m := FromStrings("first")
	var first string
	err := m.Unpack("sz1isbfUhm", &first, &u1, &i, &s, &b, &f, &u, &h, &rem)
	if err != nil {
		t.Fatal(err)
	}
	if first != "first" || i != 0 || u1 != 0 || s != "" || b != nil || f.Size() != 0 || u != (UUID{}) || h != nil {
		t.Errorf("zero values not stored: %d %d %q %q %v %x %v", i, u1, s, b, f, u, h)
	}
	if rem == nil || rem.Len() != 0 {
		t.Errorf("m with no frames left = %v, want empty message", rem)
	}
}

func TestUnpackDoesNotModify(t *testing.T) {
	m := FromStrings("1", "abc", "x", "y")
	before := m.Encode()
	var n int
	var b []byte
	var rest *Msg
	if err := m.Unpack("ibm", &n, &b, &rest); err != nil {
		t.Fatal(err)
	}
	b[0] = 'Z'
	rest.AppendString("more")
	rest.Pop()
	if !bytes.Equal(m.Encode(), before) || m.Len() != 4 {
		t.Errorf("Unpack results alias or modify the message: %q", texts(m))
	}
}

func TestUnpackMInMiddle(t *testing.T) {
	m := FromStrings("a", "b", "c")
	var s, after string
	var rest *Msg
	after = "unchanged?"
	if err := m.Unpack("sms", &s, &rest, &after); err != nil {
		t.Fatal(err)
	}
	if s != "a" || !rest.Equal(FromStrings("b", "c")) || after != "" {
		t.Errorf("got %q %q %q", s, texts(rest), after)
	}
}

func TestUnpackNilSkips(t *testing.T) {
	m := FromStrings("not a number", "keep", "also bad", "x")
	var s string
	if err := m.Unpack("isiz", nil, &s, (*int)(nil), nil); err == nil {
		t.Fatal("expected mismatch for the non-empty 'z' frame")
	}
	if err := m.Unpack("isis", nil, &s, (*int)(nil), nil); err != nil {
		t.Fatalf("nil pointers should skip without checking: %v", err)
	}
	if s != "keep" {
		t.Errorf("s = %q, want keep", s)
	}
	if err := m.Unpack("sm", nil, nil); err != nil {
		t.Fatalf("nil m: %v", err)
	}
	if err := m.Unpack("h", (*map[string]string)(nil)); err != nil {
		t.Fatalf("typed nil h: %v", err)
	}
}

func TestUnpackMismatch(t *testing.T) {
	var (
		i  int
		i8 int8
		i6 int64
		u1 uint8
		u2 uint16
		u4 uint32
		u8 uint64
		u  UUID
		ua [16]byte
		h  map[string]string
	)
	tests := []struct {
		name    string
		frames  []string
		picture string
		ptr     any
		detail  string
	}{
		{"i letters", []string{"abc"}, "i", &i, "not a decimal"},
		{"i empty", []string{""}, "i", &i, "not a decimal"},
		{"i plus sign", []string{"+5"}, "i", &i, "not a decimal"},
		{"i space", []string{" 5"}, "i", &i, "not a decimal"},
		{"i trailing", []string{"5\n"}, "i", &i, "not a decimal"},
		{"i lone minus", []string{"-"}, "i", &i, "not a decimal"},
		{"i decimal point", []string{"1.0"}, "i", &i, "not a decimal"},
		{"i underscore", []string{"1_000"}, "i", &i, "not a decimal"},
		{"i hex", []string{"0x10"}, "i", &i, "not a decimal"},
		{"i long text is elided", []string{strings.Repeat("n", 100)}, "i", &i, `"nnnnnnnnnnnnnnnnnnnnnnnn"... (100 bytes)`},
		{"i int8 overflow", []string{"128"}, "i", &i8, "out of range"},
		{"i int8 underflow", []string{"-129"}, "i", &i8, "out of range"},
		{"i int64 overflow", []string{"9223372036854775808"}, "i", &i6, "out of range"},
		{"1 overflow", []string{"256"}, "1", &u1, "out of range"},
		{"1 negative", []string{"-1"}, "1", &u1, "not an unsigned"},
		{"2 overflow", []string{"65536"}, "2", &u2, "out of range"},
		{"4 overflow", []string{"4294967296"}, "4", &u4, "out of range"},
		{"8 overflow", []string{"18446744073709551616"}, "8", &u8, "out of range"},
		{"8 letters", []string{"12a"}, "8", &u8, "not an unsigned"},
		{"U short", []string{strings.Repeat("u", 15)}, "U", &u, "15 bytes"},
		{"U long", []string{strings.Repeat("u", 17)}, "U", &ua, "17 bytes"},
		{"U empty", []string{""}, "U", &u, "0 bytes"},
		{"h empty frame", []string{""}, "h", &h, "no 4-byte entry count"},
		{"h short count", []string{"\x00\x00\x01"}, "h", &h, "no 4-byte entry count"},
		{"h missing entry", []string{"\x00\x00\x00\x01"}, "h", &h, "missing key length"},
		{"h key past end", []string{"\x00\x00\x00\x01\x05ab"}, "h", &h, "key of 5 bytes"},
		{"h missing value length", []string{"\x00\x00\x00\x01\x01a\x00\x00"}, "h", &h, "missing value length"},
		{"h value past end", []string{"\x00\x00\x00\x01\x01a\x00\x00\x00\x09xy"}, "h", &h, "value of 9 bytes"},
		{"h trailing", []string{"\x00\x00\x00\x00\x00"}, "h", &h, "1 trailing bytes"},
		{"h duplicate", []string{"\x00\x00\x00\x02\x01a\x00\x00\x00\x00\x01a\x00\x00\x00\x00"}, "h", &h, "duplicate key"},
		{"h huge count", []string{"\xff\xff\xff\xff"}, "h", &h, "missing key length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := FromStrings(tt.frames...)
			err := m.Unpack(tt.picture, tt.ptr)
			if !errors.Is(err, ErrMismatch) {
				t.Fatalf("error = %v, want ErrMismatch", err)
			}
			if !strings.Contains(err.Error(), tt.detail) || !strings.Contains(err.Error(), "position 0") {
				t.Errorf("error %q should mention %q and the position", err, tt.detail)
			}
		})
	}
}

func TestUnpackZMismatchPosition(t *testing.T) {
	m := FromStrings("a", "not empty")
	var s string
	err := m.Unpack("sz", &s)
	if !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), "position 1") {
		t.Fatalf("error = %v, want ErrMismatch at position 1", err)
	}
	if s != "" {
		t.Errorf("a failed Unpack stored %q", s)
	}
}

func TestUnpackAtomic(t *testing.T) {
	m := FromStrings("text", "5", "oops")
	s, n, k := "old", 1, 2
	if err := m.Unpack("sii", &s, &n, &k); !errors.Is(err, ErrMismatch) {
		t.Fatalf("error = %v, want ErrMismatch", err)
	}
	if s != "old" || n != 1 || k != 2 {
		t.Errorf("failed Unpack stored values: %q %d %d", s, n, k)
	}
}

func TestPackErrors(t *testing.T) {
	big := strings.Repeat("k", 256)
	tests := []struct {
		name    string
		picture string
		args    []any
		target  error
		detail  string
	}{
		{"unknown letter", "sx", []any{"a", "b"}, ErrPicture, "position 1: unknown letter 'x'"},
		{"pointer letter", "p", []any{nil}, ErrPicture, "unknown letter 'p'"},
		{"deprecated u", "u", []any{1}, ErrPicture, "unknown letter 'u'"},
		{"binary-only S", "S", []any{"a"}, ErrPicture, "unknown letter 'S'"},
		{"non-ASCII", "é", []any{1, 2}, ErrPicture, "position 0"},
		{"too few", "ss", []any{"a"}, ErrArgument, "takes 2 arguments, got 1"},
		{"too many", "s", []any{"a", "b"}, ErrArgument, "takes 1 argument, got 2"},
		{"z takes none", "z", []any{""}, ErrArgument, "takes 0 arguments, got 1"},
		{"i unsigned", "i", []any{uint(1)}, ErrArgument, "want a signed integer"},
		{"i string", "si", []any{"a", "1"}, ErrArgument, "position 1 ('i'): want a signed integer"},
		{"1 overflow", "1", []any{256}, ErrArgument, "value 256 out of range for uint8"},
		{"1 negative", "1", []any{-1}, ErrArgument, "value -1 out of range for uint8"},
		{"2 overflow", "2", []any{uint32(70000)}, ErrArgument, "out of range for uint16"},
		{"4 overflow", "4", []any{int64(math.MaxUint32 + 1)}, ErrArgument, "out of range for uint32"},
		{"8 negative", "8", []any{int64(-5)}, ErrArgument, "out of range for uint64"},
		{"8 float", "8", []any{1.5}, ErrArgument, "want an integer fitting uint64, got float64"},
		{"s bytes", "s", []any{[]byte("a")}, ErrArgument, "want string, got []uint8"},
		{"s nil", "s", []any{nil}, ErrArgument, "want string, got nil"},
		{"b string", "b", []any{"a"}, ErrArgument, "want []byte"},
		{"c string", "c", []any{"a"}, ErrArgument, "want []byte"},
		{"f pointer", "f", []any{&zframe.Frame{}}, ErrArgument, "want zframe.Frame"},
		{"U slice", "U", []any{testUUID[:]}, ErrArgument, "want zmsg.UUID or [16]byte"},
		{"h wrong map", "h", []any{map[string]int{}}, ErrArgument, "want map[string]string"},
		{"h long key", "h", []any{map[string]string{big: "v"}}, ErrArgument, "longer than 255"},
		{"m value", "m", []any{Msg{}}, ErrArgument, "want *zmsg.Msg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Pack(tt.picture, tt.args...)
			if !errors.Is(err, tt.target) {
				t.Fatalf("error = %v, want %v", err, tt.target)
			}
			if m != nil {
				t.Error("Pack returned a message with an error")
			}
			if !strings.Contains(err.Error(), tt.detail) {
				t.Errorf("error %q does not contain %q", err, tt.detail)
			}
		})
	}
}

func TestUnpackArgumentErrors(t *testing.T) {
	m := FromStrings("1", "2", "3")
	var (
		i  int
		u  uint
		s  string
		b  []byte
		u1 uint8
		u2 uint16
	)
	tests := []struct {
		name    string
		picture string
		ptrs    []any
		target  error
		detail  string
	}{
		{"unknown letter", "s?", []any{&s, &s}, ErrPicture, "position 1: unknown letter '?'"},
		{"p letter", "p", []any{&s}, ErrPicture, "unknown letter 'p'"},
		{"too few", "ii", []any{&i}, ErrArgument, "takes 2 arguments, got 1"},
		{"too many", "iz", []any{&i, &i}, ErrArgument, "takes 1 argument, got 2"},
		{"i non-pointer", "i", []any{i}, ErrArgument, "want *int, *int8, *int16, *int32 or *int64, got int"},
		{"i unsigned pointer", "i", []any{&u}, ErrArgument, "got *uint"},
		{"1 wrong width", "1", []any{&u2}, ErrArgument, "want *uint8, got *uint16"},
		{"2 wrong width", "2", []any{&u1}, ErrArgument, "want *uint16, got *uint8"},
		{"s bytes pointer", "s", []any{&b}, ErrArgument, "want *string"},
		{"b string pointer", "sb", []any{&s, &s}, ErrArgument, "position 1 ('b'): want *[]byte"},
		{"f value", "f", []any{zframe.Frame{}}, ErrArgument, "want *zframe.Frame"},
		{"U slice", "U", []any{&b}, ErrArgument, "want *zmsg.UUID or *[16]byte"},
		{"h map value", "h", []any{map[string]string{}}, ErrArgument, "want *map[string]string"},
		{"m single pointer", "m", []any{&Msg{}}, ErrArgument, "want **zmsg.Msg"},
		// Pointer types are checked before any frame is read.
		{"type error after mismatch", "zs", []any{&i}, ErrArgument, "position 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := m.Unpack(tt.picture, tt.ptrs...)
			if !errors.Is(err, tt.target) {
				t.Fatalf("error = %v, want %v", err, tt.target)
			}
			if !strings.Contains(err.Error(), tt.detail) {
				t.Errorf("error %q does not contain %q", err, tt.detail)
			}
		})
	}
}

func TestUnpackAcceptsLeadingZerosAndNegativeZero(t *testing.T) {
	m := FromStrings("007", "-0", "0255")
	var a, b int
	var c uint8
	if err := m.Unpack("ii1", &a, &b, &c); err != nil {
		t.Fatal(err)
	}
	if a != 7 || b != 0 || c != 255 {
		t.Errorf("got %d %d %d", a, b, c)
	}
}
