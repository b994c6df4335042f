package zmsg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"maps"
	"reflect"
	"testing"

	"github.com/zkit-go/zkit/zframe"
)

// refDecode is an independent, deliberately simple decoder used as an
// oracle. It reports the frames, whether the input used only the shortest
// header forms, and whether it was well formed.
func refDecode(b []byte) (frames [][]byte, canonical, ok bool) {
	canonical = true
	for len(b) > 0 {
		n := uint64(b[0])
		b = b[1:]
		if n == 0xFF {
			if len(b) < 4 {
				return nil, false, false
			}
			n = uint64(binary.BigEndian.Uint32(b))
			b = b[4:]
			if n < 0xFF {
				canonical = false
			}
		}
		if n > uint64(len(b)) {
			return nil, false, false
		}
		frames = append(frames, b[:n])
		b = b[n:]
	}
	return frames, canonical, true
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0})
	f.Add(FromStrings("hello", string(bytes.Repeat([]byte("x"), 300))).Encode())
	f.Add([]byte{0xFF, 0, 0, 0, 2, 'h', 'i'})
	f.Add([]byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Add([]byte{5, 'h', 'i'})
	f.Add(NewSignal(1).Encode())
	f.Fuzz(func(t *testing.T, data []byte) {
		input := bytes.Clone(data)
		m, err := Decode(data)
		want, canonical, ok := refDecode(input)
		if !ok {
			if !errors.Is(err, ErrTruncated) || m != nil {
				t.Fatalf("Decode(%x) = %v, %v; want ErrTruncated", input, m, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Decode(%x) rejected valid input: %v", input, err)
		}
		if m.Len() != len(want) {
			t.Fatalf("Decode(%x) has %d frames, want %d", input, m.Len(), len(want))
		}
		for i, fr := range m.Frames() {
			if !bytes.Equal(fr.Data(), want[i]) {
				t.Fatalf("frame %d = %x, want %x", i, fr.Data(), want[i])
			}
		}
		enc := m.Encode()
		if canonical && !bytes.Equal(enc, input) {
			t.Fatalf("Encode(Decode(%x)) = %x", input, enc)
		}
		// Non-canonical input (a short frame in long form) re-encodes to its
		// canonical form, which must itself round-trip exactly.
		again, err := Decode(enc)
		if err != nil || !again.Equal(m) || !bytes.Equal(again.Encode(), enc) {
			t.Fatalf("re-encoding of %x does not round-trip: %v", input, err)
		}
		// Decode must own its data.
		for i := range data {
			data[i] ^= 0xFF
		}
		if !bytes.Equal(m.Encode(), enc) {
			t.Fatal("decoded message aliases the input")
		}
	})
}

// fuzzMsg turns fuzz bytes into a message: a valid encoding is decoded,
// anything else becomes a single frame.
func fuzzMsg(data []byte) *Msg {
	if m, err := Decode(data); err == nil {
		return m
	}
	return FromBytes(bytes.Clone(data))
}

// fuzzPicture maps fuzz bytes onto letters of alphabet, at most max of them.
func fuzzPicture(raw []byte, alphabet string, max int) (string, []byte) {
	raw = raw[:min(len(raw), max)]
	pic := make([]byte, len(raw))
	for i, c := range raw {
		pic[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(pic), raw
}

// textPtr returns a fresh pointer suitable for a text picture letter;
// sel picks among the types a letter accepts.
func textPtr(letter, sel byte) any {
	switch letter {
	case 'i':
		return []any{new(int), new(int8), new(int16), new(int32), new(int64)}[int(sel)%5]
	case '1':
		return new(uint8)
	case '2':
		return new(uint16)
	case '4':
		return new(uint32)
	case '8':
		return new(uint64)
	case 's', 'S':
		return new(string)
	case 'b', 'c':
		return new([]byte)
	case 'f':
		return new(zframe.Frame)
	case 'U', 'u':
		if sel%2 == 0 {
			return new(UUID)
		}
		return new([16]byte)
	case 'h':
		return new(map[string]string)
	case 'm':
		return new(*Msg)
	}
	return nil
}

// deref returns the values the pointers point to.
func deref(ptrs []any) []any {
	vals := make([]any, len(ptrs))
	for i, p := range ptrs {
		vals[i] = reflect.ValueOf(p).Elem().Interface()
	}
	return vals
}

// freshLike returns new pointers of the same types as ptrs.
func freshLike(ptrs []any) []any {
	out := make([]any, len(ptrs))
	for i, p := range ptrs {
		out[i] = reflect.New(reflect.TypeOf(p).Elem()).Interface()
	}
	return out
}

// sameValue compares two unpacked values, treating nil and empty byte
// slices and maps as equal.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case []byte:
		return bytes.Equal(x, b.([]byte))
	case zframe.Frame:
		return x.Equal(b.(zframe.Frame))
	case map[string]string:
		return maps.Equal(x, b.(map[string]string))
	case *Msg:
		return x.Equal(b.(*Msg))
	}
	return a == b
}

func FuzzUnpack(f *testing.F) {
	f.Add(FromStrings("42", "text").Encode(), []byte{0, 6}, uint16(0))
	f.Add(FromStrings("-1", "255", "", "x").Encode(), []byte{0, 1, 12, 7}, uint16(0))
	h, _ := Pack("h", map[string]string{"a": "b"})
	f.Add(h.Encode(), []byte{11}, uint16(0))
	f.Add(FromStrings("0123456789abcdef", "a", "b").Encode(), []byte{9, 11, 3}, uint16(2))
	f.Add([]byte("raw bytes"), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, uint16(0x1000))
	f.Fuzz(func(t *testing.T, data, rawPic []byte, nilMask uint16) {
		m := fuzzMsg(data)
		picture, sel := fuzzPicture(rawPic, textLetters, 12)
		var ptrs []any
		skipped := false
		for i := 0; i < len(picture); i++ {
			if picture[i] == 'z' {
				continue
			}
			if nilMask&(1<<i) != 0 {
				ptrs = append(ptrs, nil)
				skipped = true
				continue
			}
			ptrs = append(ptrs, textPtr(picture[i], sel[i]/byte(len(textLetters))))
		}
		before := m.Encode()
		err := m.Unpack(picture, ptrs...)
		if !bytes.Equal(m.Encode(), before) {
			t.Fatal("Unpack modified the message")
		}
		if err != nil {
			if !errors.Is(err, ErrMismatch) {
				t.Fatalf("Unpack(%q) error %v, want only ErrMismatch", picture, err)
			}
			return
		}
		// Frames taken by 'm' are followed by nothing but zero values, which
		// Pack would turn into extra frames; only check pictures where 'm'
		// is absent or last.
		if mi := bytes.IndexByte([]byte(picture), 'm'); skipped || (mi >= 0 && mi != len(picture)-1) {
			return
		}
		vals := deref(ptrs)
		repacked, err := Pack(picture, vals...)
		if err != nil {
			t.Fatalf("Pack(%q) of unpacked values failed: %v", picture, err)
		}
		again := freshLike(ptrs)
		if err := repacked.Unpack(picture, again...); err != nil {
			t.Fatalf("Unpack of repacked message failed: %v", err)
		}
		for i, v := range deref(again) {
			if !sameValue(vals[i], v) {
				t.Fatalf("value %d changed after repacking: %#v vs %#v", i, vals[i], v)
			}
		}
	})
}

func FuzzBUnpack(f *testing.F) {
	seed, _ := BPack("1248sScuf", 1, 2, 3, 4, "ab", "long", []byte("c"), testUUID, zframe.FromString("x"))
	f.Add(seed.Encode(), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8}, false, uint16(0))
	withM, _ := BPack("2m", 9, FromStrings("a", "b"))
	f.Add(withM.Encode(), []byte{1}, true, uint16(0))
	f.Add([]byte{}, []byte{0}, false, uint16(0))
	f.Add([]byte{3, 2, 'a', 'b'}, []byte{4, 4}, true, uint16(1))
	f.Fuzz(func(t *testing.T, data, rawPic []byte, lastM bool, nilMask uint16) {
		m := fuzzMsg(data)
		fields := binaryLetters[:len(binaryLetters)-1] // every letter but 'm'
		picture, sel := fuzzPicture(rawPic, fields, 12)
		if lastM {
			picture += "m"
			sel = append(sel, 0)
		}
		ptrs := make([]any, len(picture))
		skipped := false
		for i := range ptrs {
			if nilMask&(1<<i) != 0 {
				skipped = true
				continue
			}
			ptrs[i] = textPtr(picture[i], sel[i]/byte(len(fields)))
		}
		before := m.Encode()
		err := m.BUnpack(picture, ptrs...)
		if !bytes.Equal(m.Encode(), before) {
			t.Fatal("BUnpack modified the message")
		}
		if err != nil {
			if !errors.Is(err, ErrMismatch) {
				t.Fatalf("BUnpack(%q) error %v, want only ErrMismatch", picture, err)
			}
			return
		}
		if skipped {
			return
		}
		// Packing the values again must give the fields that were read (a
		// prefix of the first frame, as trailing bytes are ignored) and the
		// same following frames.
		repacked, err := BPack(picture, deref(ptrs)...)
		if err != nil {
			t.Fatalf("BPack(%q) of unpacked values failed: %v", picture, err)
		}
		orig := m.Frames()
		got := repacked.Frames()
		if !bytes.HasPrefix(orig[0].Data(), got[0].Data()) {
			t.Fatalf("packed frame %x is not a prefix of %x", got[0].Data(), orig[0].Data())
		}
		if len(got) > len(orig) {
			t.Fatalf("repacked message has %d frames, original %d", len(got), len(orig))
		}
		for i := 1; i < len(got); i++ {
			if !got[i].Equal(orig[i]) {
				t.Fatalf("extra frame %d = %x, want %x", i, got[i].Data(), orig[i].Data())
			}
		}
		if lastM && len(got) != len(orig) {
			t.Fatalf("'m' did not take every remaining frame: %d vs %d", len(got), len(orig))
		}
	})
}
