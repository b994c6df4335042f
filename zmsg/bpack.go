package zmsg

import (
	"encoding/binary"
	"math"

	"github.com/zkit-go/zkit/zframe"
)

// BPack builds a message from a binary picture, in the manner of CZMQ's
// zsock_bsend. All fields except 'f' and 'm' are packed, in picture order,
// into one first frame; 'f' and 'm' add extra frames after it, in picture
// order. The letters and the arguments they take are:
//
//	1  integer fitting uint8, written as 1 byte
//	2  integer fitting uint16, written as 2 bytes, big-endian
//	4  integer fitting uint32, written as 4 bytes, big-endian
//	8  integer fitting uint64, written as 8 bytes, big-endian
//	s  string of at most 255 bytes, written as a 1-byte length and the bytes
//	S  string, written as a 4-byte big-endian length and the bytes
//	c  []byte, written as a 4-byte big-endian length and the bytes
//	u  UUID or [16]byte, written as 16 bytes
//	f  zframe.Frame, sent as an extra frame with the same bytes
//	m  *Msg, whose frames are sent as extra frames; allowed only as the
//	   last letter. A nil message (typed or not) sends one empty frame,
//	   while an empty message sends none.
//
// Integer letters accept any integer type whose value is not negative and
// fits the width. The bytes of frames and messages are not copied.
//
// Other letters, and 'm' anywhere but last, give an error wrapping
// ErrPicture. The wrong number of arguments, an argument of the wrong type
// or a value that does not fit gives an error wrapping ErrArgument. Errors
// name the zero-based position of the letter in the picture.
func BPack(picture string, args ...any) (*Msg, error) {
	const op = "BPack"
	if err := checkPicture(op, picture, binaryLetters, true); err != nil {
		return nil, err
	}
	if err := checkCount(op, picture, len(picture), len(args)); err != nil {
		return nil, err
	}
	var packed []byte
	var extra []zframe.Frame
	for pos := 0; pos < len(picture); pos++ {
		var f *fault
		packed, extra, f = packBinary(picture[pos], args[pos], packed, extra)
		if f != nil {
			return nil, at(op, picture, pos, f)
		}
	}
	if packed == nil {
		packed = []byte{}
	}
	m := &Msg{frames: make([]zframe.Frame, 0, 1+len(extra))}
	m.frames = append(m.frames, zframe.New(packed))
	m.frames = append(m.frames, extra...)
	return m, nil
}

// packBinary encodes one binary picture letter and its argument, appending
// to the packed first frame or to the extra frames.
func packBinary(letter byte, arg any, packed []byte, extra []zframe.Frame) ([]byte, []zframe.Frame, *fault) {
	switch letter {
	case '1', '2', '4', '8':
		v, f := unsignedArg(arg, letter)
		if f != nil {
			return nil, nil, f
		}
		switch letter {
		case '1':
			packed = append(packed, byte(v))
		case '2':
			packed = binary.BigEndian.AppendUint16(packed, uint16(v))
		case '4':
			packed = binary.BigEndian.AppendUint32(packed, uint32(v))
		default:
			packed = binary.BigEndian.AppendUint64(packed, v)
		}
	case 's':
		s, ok := arg.(string)
		if !ok {
			return nil, nil, wantType("string", arg)
		}
		if len(s) > math.MaxUint8 {
			return nil, nil, badArg("string of %d bytes is longer than 255; use 'S'", len(s))
		}
		packed = append(packed, byte(len(s)))
		packed = append(packed, s...)
	case 'S':
		s, ok := arg.(string)
		if !ok {
			return nil, nil, wantType("string", arg)
		}
		if uint64(len(s)) > math.MaxUint32 {
			return nil, nil, badArg("string of %d bytes does not fit a 4-byte length", len(s))
		}
		packed = binary.BigEndian.AppendUint32(packed, uint32(len(s)))
		packed = append(packed, s...)
	case 'c':
		b, ok := arg.([]byte)
		if !ok {
			return nil, nil, wantType("[]byte", arg)
		}
		if uint64(len(b)) > math.MaxUint32 {
			return nil, nil, badArg("chunk of %d bytes does not fit a 4-byte length", len(b))
		}
		packed = binary.BigEndian.AppendUint32(packed, uint32(len(b)))
		packed = append(packed, b...)
	case 'u':
		u, ok := uuidArg(arg)
		if !ok {
			return nil, nil, wantType("zmsg.UUID or [16]byte", arg)
		}
		packed = append(packed, u[:]...)
	case 'f':
		fr, ok := arg.(zframe.Frame)
		if !ok {
			return nil, nil, wantType("zframe.Frame", arg)
		}
		extra = append(extra, zframe.New(fr.Data()))
	case 'm':
		sub, ok := msgArg(arg)
		if !ok {
			return nil, nil, wantType("*zmsg.Msg", arg)
		}
		if sub == nil {
			extra = append(extra, zframe.Frame{})
		} else {
			extra = append(extra, sub.frames...)
		}
	default:
		return nil, nil, &fault{kind: ErrPicture, detail: "unknown letter"}
	}
	return packed, extra, nil
}
