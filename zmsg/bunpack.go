package zmsg

import (
	"github.com/zkit-go/zkit/zframe"
)

// BUnpack reads a message built by BPack (or CZMQ's zsock_bsend) according
// to a binary picture. m is not modified. The first frame is parsed field
// by field; 'f' and 'm' read the frames that follow it. The letters and the
// pointers they store through are:
//
//	1  *uint8
//	2  *uint16
//	4  *uint32
//	8  *uint64
//	s  *string (1-byte length and bytes)
//	S  *string (4-byte length and bytes)
//	c  *[]byte (4-byte length and bytes, copied)
//	u  *UUID or *[16]byte
//	f  *zframe.Frame: the next frame after the packed one, sharing its bytes
//	m  **Msg: a new message holding all remaining frames, sharing their
//	   bytes; allowed only as the last letter
//
// A nil pointer, typed or untyped, means the field is parsed but not
// stored. Bytes left over at the end of the first frame are ignored.
//
// An empty message, a field running past the end of the first frame, an
// 'f' with no frame left, or an 'm' with no frames left gives an error
// wrapping ErrMismatch. Other letters, or 'm' anywhere but last, give an
// error wrapping ErrPicture; a wrong number or type of pointers gives one
// wrapping ErrArgument. Errors name the zero-based position of the letter
// in the picture. On error nothing is stored.
func (m *Msg) BUnpack(picture string, ptrs ...any) error {
	const op = "BUnpack"
	if err := checkPicture(op, picture, binaryLetters, true); err != nil {
		return err
	}
	if err := checkCount(op, picture, len(picture), len(ptrs)); err != nil {
		return err
	}
	for pos := 0; pos < len(picture); pos++ {
		if f := checkBinaryPtr(picture[pos], ptrs[pos]); f != nil {
			return at(op, picture, pos, f)
		}
	}
	frames := m.Frames()
	if len(frames) == 0 {
		return fmtMismatch(op, picture, "message has no frames")
	}
	r := reader{data: frames[0].Data()}
	frames = frames[1:]
	commits := make([]func(), 0, len(ptrs))
	for pos := 0; pos < len(picture); pos++ {
		var commit func()
		var f *fault
		commit, frames, f = unpackBinary(picture[pos], ptrs[pos], &r, frames)
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

// checkBinaryPtr reports whether ptr is an acceptable pointer for a binary
// picture letter. An untyped nil is always acceptable.
func checkBinaryPtr(letter byte, ptr any) *fault {
	if ptr == nil {
		return nil
	}
	switch letter {
	case 's', 'S':
		if _, ok := ptr.(*string); !ok {
			return wantType("*string", ptr)
		}
		return nil
	case 'c':
		if _, ok := ptr.(*[]byte); !ok {
			return wantType("*[]byte", ptr)
		}
		return nil
	case 'u':
		switch ptr.(type) {
		case *UUID, *[16]byte:
			return nil
		}
		return wantType("*zmsg.UUID or *[16]byte", ptr)
	}
	// The remaining letters share their pointer types with text pictures.
	return checkTextPtr(letter, ptr)
}

// unpackBinary decodes one binary picture letter from the packed frame r or
// from the extra frames, returning the store function and the extra frames
// still unread.
func unpackBinary(letter byte, ptr any, r *reader, frames []zframe.Frame) (func(), []zframe.Frame, *fault) {
	switch letter {
	case '1', '2', '4', '8':
		size := bitsOf(letter) / 8
		start := r.off
		v, ok := r.uint(size)
		if !ok {
			return nil, nil, short(size, start, r)
		}
		switch p := ptr.(type) {
		case *uint8:
			return store(p, uint8(v)), frames, nil
		case *uint16:
			return store(p, uint16(v)), frames, nil
		case *uint32:
			return store(p, uint32(v)), frames, nil
		case *uint64:
			return store(p, v), frames, nil
		}
		return nil, frames, nil
	case 's', 'S', 'c':
		size := 1
		if letter != 's' {
			size = 4
		}
		start := r.off
		n, ok := r.uint(size)
		if !ok {
			return nil, nil, short(size, start, r)
		}
		start = r.off
		b, ok := r.take(n)
		if !ok {
			return nil, nil, mismatch("%d-byte field at offset %d runs past the end of the %d-byte frame",
				n, start, len(r.data))
		}
		switch p := ptr.(type) {
		case *string:
			return store(p, string(b)), frames, nil
		case *[]byte:
			return store(p, append([]byte{}, b...)), frames, nil
		}
		return nil, frames, nil
	case 'u':
		start := r.off
		b, ok := r.take(16)
		if !ok {
			return nil, nil, short(16, start, r)
		}
		switch p := ptr.(type) {
		case *UUID:
			return store(p, UUID(b)), frames, nil
		case *[16]byte:
			return store(p, [16]byte(b)), frames, nil
		}
		return nil, frames, nil
	case 'f':
		if len(frames) == 0 {
			return nil, nil, mismatch("no frame left after the packed frame")
		}
		p, _ := ptr.(*zframe.Frame)
		return store(p, frames[0]), frames[1:], nil
	case 'm':
		if len(frames) == 0 {
			return nil, nil, mismatch("no frames left after the packed frame")
		}
		p, _ := ptr.(**Msg)
		if p == nil {
			return nil, nil, nil
		}
		return store(p, New(frames...)), nil, nil
	}
	return nil, nil, &fault{kind: ErrPicture, detail: "unknown letter"}
}

// short returns the fault for a fixed-size field of size bytes at offset
// start that does not fit in the packed frame.
func short(size, start int, r *reader) *fault {
	return mismatch("%d-byte field at offset %d runs past the end of the %d-byte frame",
		size, start, len(r.data))
}
