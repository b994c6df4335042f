package zmsg

import (
	"strconv"
	"strings"

	"github.com/zkit-go/zkit/zframe"
)

// Pack builds a message from a text picture, one frame per letter, in the
// manner of CZMQ's zsock_send. The letters and the arguments they take are:
//
//	i  any signed integer type, sent as decimal text
//	1  integer fitting uint8, sent as decimal text
//	2  integer fitting uint16, sent as decimal text
//	4  integer fitting uint32, sent as decimal text
//	8  integer fitting uint64, sent as decimal text
//	s  string
//	b  []byte
//	c  []byte (a chunk; encoded like b)
//	f  zframe.Frame, sent as a frame with the same bytes
//	U  UUID or [16]byte, sent as a 16-byte frame
//	h  map[string]string, serialised into one frame (see below)
//	m  *Msg, all of whose frames are appended (nil, typed or not, adds none)
//	z  no argument; sends an empty frame
//
// The letters 1, 2, 4 and 8 accept any integer type whose value is not
// negative and fits the width. Byte slices and the bytes of frames and
// messages are not copied.
//
// An 'h' map is written as a 4-byte big-endian entry count followed by the
// entries in key order, each as a 1-byte key length and the key, then a
// 4-byte big-endian value length and the value. Keys longer than 255 bytes
// are rejected.
//
// Letters outside this list, including the pointer letter 'p' and the
// deprecated 'u', give an error wrapping ErrPicture. Passing the wrong
// number of arguments, an argument of the wrong type or an out-of-range
// value gives an error wrapping ErrArgument. Errors name the zero-based
// position of the offending letter in the picture.
func Pack(picture string, args ...any) (*Msg, error) {
	const op = "Pack"
	if err := checkPicture(op, picture, textLetters, false); err != nil {
		return nil, err
	}
	if err := checkCount(op, picture, len(picture)-strings.Count(picture, "z"), len(args)); err != nil {
		return nil, err
	}
	m := &Msg{frames: make([]zframe.Frame, 0, len(picture))}
	next := 0
	for pos := 0; pos < len(picture); pos++ {
		letter := picture[pos]
		if letter == 'z' {
			m.frames = append(m.frames, zframe.Frame{})
			continue
		}
		arg := args[next]
		next++
		if f := m.packText(letter, arg); f != nil {
			return nil, at(op, picture, pos, f)
		}
	}
	return m, nil
}

// packText appends the frames for one text picture letter and its argument.
func (m *Msg) packText(letter byte, arg any) *fault {
	switch letter {
	case 'i':
		v, ok := signedArg(arg)
		if !ok {
			return wantType("a signed integer (int, int8, int16, int32 or int64)", arg)
		}
		m.AppendBytes(strconv.AppendInt(nil, v, 10))
	case '1', '2', '4', '8':
		v, f := unsignedArg(arg, letter)
		if f != nil {
			return f
		}
		m.AppendBytes(strconv.AppendUint(nil, v, 10))
	case 's':
		s, ok := arg.(string)
		if !ok {
			return wantType("string", arg)
		}
		m.AppendString(s)
	case 'b', 'c':
		b, ok := arg.([]byte)
		if !ok {
			return wantType("[]byte", arg)
		}
		m.AppendBytes(b)
	case 'f':
		fr, ok := arg.(zframe.Frame)
		if !ok {
			return wantType("zframe.Frame", arg)
		}
		m.AppendBytes(fr.Data())
	case 'U':
		u, ok := uuidArg(arg)
		if !ok {
			return wantType("zmsg.UUID or [16]byte", arg)
		}
		m.AppendBytes(u[:])
	case 'h':
		h, ok := arg.(map[string]string)
		if !ok {
			return wantType("map[string]string", arg)
		}
		data, f := appendHash(nil, h)
		if f != nil {
			return f
		}
		m.AppendBytes(data)
	case 'm':
		sub, ok := msgArg(arg)
		if !ok {
			return wantType("*zmsg.Msg", arg)
		}
		m.frames = append(m.frames, sub.Frames()...)
	default:
		return &fault{kind: ErrPicture, detail: "unknown letter"}
	}
	return nil
}

// uuidArg returns a fresh copy of a UUID or [16]byte argument.
func uuidArg(arg any) (*UUID, bool) {
	switch a := arg.(type) {
	case UUID:
		return &a, true
	case [16]byte:
		u := UUID(a)
		return &u, true
	}
	return nil, false
}

// msgArg returns the *Msg argument of an 'm' letter. An untyped nil is
// accepted as a nil message.
func msgArg(arg any) (*Msg, bool) {
	if arg == nil {
		return nil, true
	}
	m, ok := arg.(*Msg)
	return m, ok
}
