package zmsg

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/zkit-go/zkit/zframe"
)

func TestBPackGolden(t *testing.T) {
	tests := []struct {
		name    string
		picture string
		args    []any
		packed  string
		extra   []string
	}{
		{"integers and s", "1248s", []any{1, 2, 3, 4, "ab"},
			"01 0002 00000003 0000000000000004 02 6162", nil},
		{"empty picture", "", nil, "", nil},
		{"max values", "1248", []any{uint8(255), uint16(65535), uint32(math.MaxUint32), uint64(math.MaxUint64)},
			"FF FFFF FFFFFFFF FFFFFFFFFFFFFFFF", nil},
		{"S and c", "Sc", []any{"xyz", []byte{0, 1}}, "00000003 78797A 00000002 0001", nil},
		{"empty strings", "sSc", []any{"", "", []byte(nil)}, "00 00000000 00000000", nil},
		{"u", "u", []any{testUUID}, "000102030405060708090A0B0C0D0E0F", nil},
		{"u array", "u", []any{[16]byte(testUUID)}, "000102030405060708090A0B0C0D0E0F", nil},
		{"f between fields", "1f2f", []any{1, zframe.FromString("A"), 2, zframe.FromString("B")},
			"01 0002", []string{"A", "B"}},
		{"m last", "f1m", []any{zframe.FromString("F"), 9, FromStrings("m1", "m2")},
			"09", []string{"F", "m1", "m2"}},
		{"m nil", "1m", []any{1, (*Msg)(nil)}, "01", []string{""}},
		{"m untyped nil", "m", []any{nil}, "", []string{""}},
		{"m empty", "1m", []any{1, New()}, "01", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := BPack(tt.picture, tt.args...)
			if err != nil {
				t.Fatalf("BPack error: %v", err)
			}
			first, ok := m.First()
			if !ok {
				t.Fatal("BPack produced no frames")
			}
			if want := mustHex(t, tt.packed); !bytes.Equal(first.Data(), want) {
				t.Errorf("packed frame = %X, want %X", first.Data(), want)
			}
			if got := texts(m)[1:]; strings.Join(got, "|") != strings.Join(tt.extra, "|") || len(got) != len(tt.extra) {
				t.Errorf("extra frames = %q, want %q", got, tt.extra)
			}
		})
	}
}

func TestBPackBUnpackRoundTrip(t *testing.T) {
	long := strings.Repeat("L", 70000)
	m, err := BPack("1248sScuffm", uint8(8), uint16(16), uint32(32), uint64(64), "short", long,
		[]byte("chunk"), testUUID, zframe.FromString("f1"), zframe.FromString("f2"), FromStrings("r1", "r2"))
	if err != nil {
		t.Fatal(err)
	}
	before := m.Encode()
	var (
		a      uint8
		b      uint16
		c      uint32
		d      uint64
		s, S   string
		ch     []byte
		u      [16]byte
		f1, f2 zframe.Frame
		rest   *Msg
	)
	if err := m.BUnpack("1248sScuffm", &a, &b, &c, &d, &s, &S, &ch, &u, &f1, &f2, &rest); err != nil {
		t.Fatal(err)
	}
	if a != 8 || b != 16 || c != 32 || d != 64 || s != "short" || S != long || string(ch) != "chunk" {
		t.Errorf("fields = %d %d %d %d %q %d %q", a, b, c, d, s, len(S), ch)
	}
	if UUID(u) != testUUID || !f1.EqualString("f1") || !f2.EqualString("f2") || !rest.Equal(FromStrings("r1", "r2")) {
		t.Errorf("uuid/frames = %x %q %q %q", u, f1.Text(), f2.Text(), texts(rest))
	}
	ch[0] = 'X'
	if !bytes.Equal(m.Encode(), before) {
		t.Error("BUnpack modified the message or aliased a chunk")
	}
}

func TestBUnpackTrailingBytesAndNil(t *testing.T) {
	m := FromBytes(mustHex(t, "01 0002 03 616263 EEEE"), []byte("extra"))
	var b uint16
	if err := m.BUnpack("12s", nil, &b, (*string)(nil)); err != nil {
		t.Fatal(err)
	}
	if b != 2 {
		t.Errorf("b = %d, want 2", b)
	}
	if err := m.BUnpack(""); err != nil {
		t.Errorf("empty picture: %v", err)
	}
	if err := m.BUnpack("1m", nil, nil); err != nil {
		t.Errorf("nil m: %v", err)
	}
	var f zframe.Frame
	if err := m.BUnpack("f", &f); err != nil || !f.EqualString("extra") {
		t.Errorf("f = %q, %v", f.Text(), err)
	}
}

func TestBUnpackMismatch(t *testing.T) {
	var (
		u1   uint8
		u2   uint16
		u4   uint32
		u8   uint64
		s    string
		c    []byte
		u    UUID
		f    zframe.Frame
		rest *Msg
	)
	tests := []struct {
		name    string
		m       *Msg
		picture string
		ptrs    []any
		detail  string
	}{
		{"empty message", New(), "", nil, "no frames"},
		{"empty message with fields", New(), "1", []any{&u1}, "no frames"},
		{"1 past end", FromStrings(""), "1", []any{&u1}, "1-byte field at offset 0"},
		{"2 past end", FromBytes([]byte{1}), "2", []any{&u2}, "2-byte field at offset 0"},
		{"4 past end", FromBytes([]byte{1, 2, 3}), "4", []any{&u4}, "4-byte field"},
		{"8 past end", FromBytes([]byte{1, 2, 3, 4, 5, 6, 7}), "8", []any{&u8}, "8-byte field"},
		{"second field past end", FromBytes([]byte{1, 2}), "12", []any{&u1, &u2}, "position 1"},
		{"s length missing", FromStrings(""), "s", []any{&s}, "1-byte field"},
		{"s body past end", FromBytes([]byte{3, 'a', 'b'}), "s", []any{&s}, "3-byte field at offset 1"},
		{"S body past end", FromBytes([]byte{0, 0, 0, 9, 'a'}), "S", []any{&s}, "9-byte field at offset 4"},
		{"S huge length", FromBytes([]byte{0xFF, 0xFF, 0xFF, 0xFF}), "S", []any{&s}, "4294967295-byte field"},
		{"c length short", FromBytes([]byte{0, 0}), "c", []any{&c}, "4-byte field"},
		{"u short", FromBytes(make([]byte, 15)), "u", []any{&u}, "16-byte field"},
		{"f missing", FromStrings("x"), "f", []any{&f}, "no frame left"},
		{"f nil still needs frame", FromStrings("x"), "f", []any{nil}, "no frame left"},
		{"second f missing", FromStrings("", "a"), "ff", []any{&f, &f}, "position 1"},
		{"m missing", FromStrings("\x01"), "1m", []any{&u1, &rest}, "no frames left"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.BUnpack(tt.picture, tt.ptrs...)
			if !errors.Is(err, ErrMismatch) {
				t.Fatalf("error = %v, want ErrMismatch", err)
			}
			if !strings.Contains(err.Error(), tt.detail) {
				t.Errorf("error %q does not contain %q", err, tt.detail)
			}
		})
	}
}

func TestBUnpackAtomic(t *testing.T) {
	m := FromBytes([]byte{7, 0})
	a, b := uint8(1), uint16(2)
	if err := m.BUnpack("12", &a, &b); !errors.Is(err, ErrMismatch) {
		t.Fatalf("error = %v, want ErrMismatch", err)
	}
	if a != 1 || b != 2 {
		t.Errorf("failed BUnpack stored values: %d %d", a, b)
	}
}

func TestBPackErrors(t *testing.T) {
	tests := []struct {
		name    string
		picture string
		args    []any
		target  error
		detail  string
	}{
		{"text letter i", "i", []any{1}, ErrPicture, "unknown letter 'i'"},
		{"text letter b", "1b", []any{1, []byte{}}, ErrPicture, "position 1: unknown letter 'b'"},
		{"text letter U", "U", []any{testUUID}, ErrPicture, "unknown letter 'U'"},
		{"m not last", "m1", []any{New(), 1}, ErrPicture, "position 0: 'm' must be the last letter"},
		{"two m", "mm", []any{New(), New()}, ErrPicture, "'m' must be the last letter"},
		{"too few", "12", []any{1}, ErrArgument, "takes 2 arguments, got 1"},
		{"too many", "1", []any{1, 2}, ErrArgument, "takes 1 argument, got 2"},
		{"1 overflow", "1", []any{300}, ErrArgument, "value 300 out of range for uint8"},
		{"2 negative", "2", []any{-1}, ErrArgument, "out of range for uint16"},
		{"4 string", "4", []any{"4"}, ErrArgument, "want an integer fitting uint32, got string"},
		{"s too long", "s", []any{strings.Repeat("s", 256)}, ErrArgument, "longer than 255"},
		{"s bytes", "s", []any{[]byte("x")}, ErrArgument, "want string"},
		{"S bytes", "S", []any{[]byte("x")}, ErrArgument, "want string"},
		{"c string", "c", []any{"x"}, ErrArgument, "want []byte"},
		{"u slice", "u", []any{testUUID[:]}, ErrArgument, "want zmsg.UUID or [16]byte"},
		{"f string", "f", []any{"x"}, ErrArgument, "want zframe.Frame"},
		{"m strings", "m", []any{[]string{"x"}}, ErrArgument, "want *zmsg.Msg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := BPack(tt.picture, tt.args...)
			if !errors.Is(err, tt.target) {
				t.Fatalf("error = %v, want %v", err, tt.target)
			}
			if m != nil {
				t.Error("BPack returned a message with an error")
			}
			if !strings.Contains(err.Error(), tt.detail) {
				t.Errorf("error %q does not contain %q", err, tt.detail)
			}
		})
	}
	if _, err := BPack("s", strings.Repeat("s", 255)); err != nil {
		t.Errorf("255-byte 's' string rejected: %v", err)
	}
}

func TestBUnpackArgumentErrors(t *testing.T) {
	m := FromBytes(make([]byte, 32), []byte("x"))
	var (
		u1 uint8
		u2 uint16
		s  string
		b  []byte
	)
	tests := []struct {
		name    string
		picture string
		ptrs    []any
		target  error
		detail  string
	}{
		{"unknown letter", "1z", []any{&u1, nil}, ErrPicture, "unknown letter 'z'"},
		{"m not last", "m1", []any{nil, nil}, ErrPicture, "must be the last letter"},
		{"count", "11", []any{&u1}, ErrArgument, "takes 2 arguments, got 1"},
		{"1 wrong width", "1", []any{&u2}, ErrArgument, "want *uint8, got *uint16"},
		{"s bytes", "s", []any{&b}, ErrArgument, "want *string"},
		{"S non-pointer", "S", []any{s}, ErrArgument, "want *string, got string"},
		{"c string", "c", []any{&s}, ErrArgument, "want *[]byte"},
		{"u bytes", "u", []any{&b}, ErrArgument, "want *zmsg.UUID or *[16]byte"},
		{"f string", "f", []any{&s}, ErrArgument, "want *zframe.Frame"},
		{"m single pointer", "m", []any{m}, ErrArgument, "want **zmsg.Msg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := m.BUnpack(tt.picture, tt.ptrs...)
			if !errors.Is(err, tt.target) {
				t.Fatalf("error = %v, want %v", err, tt.target)
			}
			if !strings.Contains(err.Error(), tt.detail) {
				t.Errorf("error %q does not contain %q", err, tt.detail)
			}
		})
	}
}
