package zmsg

import (
	"strconv"
	"strings"

	"github.com/zkit-go/zkit/zframe"
)

// Unpack reads the frames of m, from the first, according to a text
// picture, in the manner of CZMQ's zsock_recv. m is not modified. Each
// letter consumes one frame and stores it through a pointer argument:
//
//	i  *int, *int8, *int16, *int32 or *int64: strict decimal, may start with '-'
//	1  *uint8: strict decimal digits
//	2  *uint16: strict decimal digits
//	4  *uint32: strict decimal digits
//	8  *uint64: strict decimal digits
//	s  *string
//	b  *[]byte: a copy of the frame's bytes
//	c  *[]byte: a copy of the frame's bytes
//	f  *zframe.Frame: the frame itself, sharing its bytes with m
//	U  *UUID or *[16]byte: the frame must hold exactly 16 bytes
//	h  *map[string]string: a frame in the format written by Pack
//	m  **Msg: a new message holding all remaining frames, possibly none;
//	   the frames share their bytes with m
//	z  no pointer: the frame must be empty
//
// A nil pointer, typed or untyped, skips its frame without checking or
// storing it. When m has fewer frames than the picture, the pointers for
// the missing frames receive zero values ('m' receives an empty message);
// this is not an error.
//
// A frame whose content does not fit its letter (non-numeric text, an
// integer out of range for the target, a UUID frame of the wrong size, a
// malformed map, a non-empty 'z' frame) gives an error wrapping
// ErrMismatch. Unknown letters give an error wrapping ErrPicture, and a
// wrong number or type of pointers one wrapping ErrArgument. Errors name
// the zero-based position of the letter in the picture. On error nothing
// is stored.
func (m *Msg) Unpack(picture string, ptrs ...any) error {
	const op = "Unpack"
	if err := checkPicture(op, picture, textLetters, false); err != nil {
		return err
	}
	if err := checkCount(op, picture, len(picture)-strings.Count(picture, "z"), len(ptrs)); err != nil {
		return err
	}
	// Check every pointer type first so that misuse is reported whatever
	// the message holds.
	next := 0
	for pos := 0; pos < len(picture); pos++ {
		if picture[pos] == 'z' {
			continue
		}
		if f := checkTextPtr(picture[pos], ptrs[next]); f != nil {
			return at(op, picture, pos, f)
		}
		next++
	}

	frames := m.Frames()
	commits := make([]func(), 0, len(ptrs))
	next = 0
	for pos := 0; pos < len(picture); pos++ {
		letter := picture[pos]
		if letter == 'z' {
			if len(frames) > 0 {
				if frames[0].Size() != 0 {
					return at(op, picture, pos, mismatch("frame of %d bytes is not empty", frames[0].Size()))
				}
				frames = frames[1:]
			}
			continue
		}
		ptr := ptrs[next]
		next++
		if letter == 'm' {
			if p, ok := ptr.(**Msg); ok && p != nil {
				rest := New(frames...)
				commits = append(commits, func() { *p = rest })
			}
			frames = nil
			continue
		}
		var fr zframe.Frame
		have := len(frames) > 0
		if have {
			fr = frames[0]
			frames = frames[1:]
		}
		commit, f := unpackText(letter, ptr, fr, have)
		if f != nil {
			return at(op, picture, pos, f)
		}
		if commit != nil {
			commits = append(commits, commit)
		}
	}
	for _, commit := range commits {
		commit()
	}
	return nil
}

// checkTextPtr reports whether ptr is an acceptable pointer for letter.
// An untyped nil is always acceptable.
func checkTextPtr(letter byte, ptr any) *fault {
	if ptr == nil {
		return nil
	}
	ok := false
	want := ""
	switch letter {
	case 'i':
		switch ptr.(type) {
		case *int, *int8, *int16, *int32, *int64:
			ok = true
		}
		want = "*int, *int8, *int16, *int32 or *int64"
	case '1', '2', '4', '8':
		switch ptr.(type) {
		case *uint8:
			ok = letter == '1'
		case *uint16:
			ok = letter == '2'
		case *uint32:
			ok = letter == '4'
		case *uint64:
			ok = letter == '8'
		}
		want = "*" + typeOf(letter)
	case 's':
		_, ok = ptr.(*string)
		want = "*string"
	case 'b', 'c':
		_, ok = ptr.(*[]byte)
		want = "*[]byte"
	case 'f':
		_, ok = ptr.(*zframe.Frame)
		want = "*zframe.Frame"
	case 'U':
		switch ptr.(type) {
		case *UUID, *[16]byte:
			ok = true
		}
		want = "*zmsg.UUID or *[16]byte"
	case 'h':
		_, ok = ptr.(*map[string]string)
		want = "*map[string]string"
	case 'm':
		_, ok = ptr.(**Msg)
		want = "**zmsg.Msg"
	}
	if !ok {
		return wantType(want, ptr)
	}
	return nil
}

// unpackText decodes one frame for a text picture letter other than 'm'
// and 'z'. have is false when the message has run out of frames, in which
// case the zero value is stored. It returns the function that stores the
// result, or nil when there is nothing to store.
func unpackText(letter byte, ptr any, fr zframe.Frame, have bool) (func(), *fault) {
	data := fr.Data()
	switch p := ptr.(type) {
	case nil:
		return nil, nil
	case *int:
		return storeSigned(p, data, have, strconv.IntSize)
	case *int8:
		return storeSigned(p, data, have, 8)
	case *int16:
		return storeSigned(p, data, have, 16)
	case *int32:
		return storeSigned(p, data, have, 32)
	case *int64:
		return storeSigned(p, data, have, 64)
	case *uint8:
		return storeUnsigned(p, data, have, 8)
	case *uint16:
		return storeUnsigned(p, data, have, 16)
	case *uint32:
		return storeUnsigned(p, data, have, 32)
	case *uint64:
		return storeUnsigned(p, data, have, 64)
	case *string:
		return store(p, fr.Text()), nil
	case *[]byte:
		var b []byte
		if have {
			b = append([]byte{}, data...)
		}
		return store(p, b), nil
	case *zframe.Frame:
		return store(p, fr), nil
	case *UUID:
		return storeUUID(p, data, have)
	case *[16]byte:
		return storeUUID(p, data, have)
	case *map[string]string:
		if p == nil || !have {
			return store(p, nil), nil
		}
		h, f := parseHash(data)
		if f != nil {
			return nil, f
		}
		return store(p, h), nil
	}
	return nil, wantType("a pointer matching the letter", ptr)
}

// store returns a function that writes v through p, or nil if p is nil.
func store[T any](p *T, v T) func() {
	if p == nil {
		return nil
	}
	return func() { *p = v }
}

// storeSigned parses a signed decimal frame for a target of the given width.
func storeSigned[T int | int8 | int16 | int32 | int64](p *T, data []byte, have bool, bits int) (func(), *fault) {
	if p == nil || !have {
		return store(p, 0), nil
	}
	v, f := parseSigned(data, bits)
	if f != nil {
		return nil, f
	}
	return store(p, T(v)), nil
}

// storeUnsigned parses an unsigned decimal frame for a target of the given
// width.
func storeUnsigned[T uint8 | uint16 | uint32 | uint64](p *T, data []byte, have bool, bits int) (func(), *fault) {
	if p == nil || !have {
		return store(p, 0), nil
	}
	v, f := parseUnsigned(data, bits)
	if f != nil {
		return nil, f
	}
	return store(p, T(v)), nil
}

// storeUUID checks that a frame holds exactly 16 bytes and stores them.
func storeUUID[T UUID | [16]byte](p *T, data []byte, have bool) (func(), *fault) {
	var v T
	if p == nil || !have {
		return store(p, v), nil
	}
	if len(data) != len(v) {
		return nil, mismatch("UUID frame has %d bytes, want 16", len(data))
	}
	copy(v[:], data)
	return store(p, v), nil
}
