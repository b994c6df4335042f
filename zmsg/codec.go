package zmsg

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/zkit-go/zkit/zframe"
)

const (
	// longFrame is the size byte announcing a 4-byte length field.
	longFrame = 0xFF
	// maxFrameSize is the largest frame size the encoding can express.
	maxFrameSize = math.MaxUint32
)

// Encode returns the message serialised into a single byte slice, in the
// format used by CZMQ's zmsg_encode. See AppendEncoded for the format.
func (m *Msg) Encode() []byte {
	return m.AppendEncoded(make([]byte, 0, m.encodedSize()))
}

// AppendEncoded appends the serialised message to dst and returns the
// extended slice.
//
// Each frame is written as a size header followed by its bytes. Frames of
// fewer than 255 bytes have a one-byte size; longer frames have the byte
// 0xFF followed by the size as a 4-byte big-endian integer. There is no
// message header or frame count, so an empty message encodes to nothing.
//
// The format cannot express frames of 4 GiB or more; only the first
// 4294967295 bytes of such a frame are written, which keeps the output
// decodable.
func (m *Msg) AppendEncoded(dst []byte) []byte {
	for _, f := range m.Frames() {
		data := f.Data()
		if uint64(len(data)) > maxFrameSize {
			data = data[:maxFrameSize]
		}
		dst = appendHeader(dst, len(data))
		dst = append(dst, data...)
	}
	return dst
}

// appendHeader appends the size header for a frame of n bytes, where n is
// at most maxFrameSize.
func appendHeader(dst []byte, n int) []byte {
	if n < longFrame {
		return append(dst, byte(n))
	}
	dst = append(dst, longFrame)
	return binary.BigEndian.AppendUint32(dst, uint32(n))
}

// encodedSize returns the length of Encode's result.
func (m *Msg) encodedSize() int {
	n := 0
	for _, f := range m.Frames() {
		size := f.Size()
		if uint64(size) > maxFrameSize {
			size = maxFrameSize
		}
		if size < longFrame {
			n += 1 + size
		} else {
			n += 5 + size
		}
	}
	return n
}

// Decode parses a message serialised by Encode (or CZMQ's zmsg_encode).
//
// The input is copied once and the frames of the result share that copy,
// so b may be reused afterwards. An empty input gives an empty message.
// Input that ends inside a frame header or frame body gives an error
// wrapping ErrTruncated; nothing else is rejected. In particular a frame
// shorter than 255 bytes written with the long header form is accepted,
// although Encode would write it in the short form.
func Decode(b []byte) (*Msg, error) {
	count, err := scan(b, nil)
	if err != nil {
		return nil, err
	}
	m := &Msg{}
	if count == 0 {
		return m, nil
	}
	buf := append([]byte(nil), b...)
	m.frames = make([]zframe.Frame, 0, count)
	_, err = scan(buf, func(data []byte) {
		m.frames = append(m.frames, zframe.New(data))
	})
	if err != nil { // cannot happen: buf holds the same bytes as b
		return nil, err
	}
	return m, nil
}

// scan walks the encoded frames in b, calling emit (when not nil) with each
// frame's bytes as a sub-slice of b whose capacity ends at its length. It
// returns the number of frames, or an error wrapping ErrTruncated.
func scan(b []byte, emit func([]byte)) (int, error) {
	count := 0
	for off := 0; off < len(b); count++ {
		start := off
		size := int(b[off])
		off++
		if size == longFrame {
			if len(b)-off < 4 {
				return 0, fmt.Errorf("%w: frame %d at offset %d: 4-byte length field needs %d more bytes, have %d",
					ErrTruncated, count, start, 4, len(b)-off)
			}
			n := binary.BigEndian.Uint32(b[off:])
			off += 4
			if uint64(n) > uint64(len(b)-off) {
				return 0, fmt.Errorf("%w: frame %d at offset %d: length %d exceeds the %d remaining bytes",
					ErrTruncated, count, start, n, len(b)-off)
			}
			size = int(n)
		} else if size > len(b)-off {
			return 0, fmt.Errorf("%w: frame %d at offset %d: length %d exceeds the %d remaining bytes",
				ErrTruncated, count, start, size, len(b)-off)
		}
		if emit != nil {
			emit(b[off : off+size : off+size])
		}
		off += size
	}
	return count, nil
}

// AddMsg appends sub, serialised with Encode, as a single frame. A nil sub
// adds an empty frame. It does nothing on a nil *Msg.
func (m *Msg) AddMsg(sub *Msg) {
	if m == nil {
		return
	}
	m.AppendBytes(sub.Encode())
}

// PopMsg removes the first frame and decodes it, as written by AddMsg, into
// a new message.
//
// It returns an error wrapping ErrEmpty when there is no frame, and an
// error wrapping ErrTruncated when the frame is not a valid encoding. The
// frame is removed in both the success and the decoding-failure case.
func (m *Msg) PopMsg() (*Msg, error) {
	f, ok := m.Pop()
	if !ok {
		return nil, fmt.Errorf("%w: no frame to decode", ErrEmpty)
	}
	return Decode(f.Data())
}
