package zmsg

import "encoding/binary"

// reader consumes fields from a byte slice without ever reading past its
// end.
type reader struct {
	data []byte
	off  int
}

// left returns the number of unread bytes.
func (r *reader) left() int {
	return len(r.data) - r.off
}

// take returns the next n bytes, or false if fewer than n are left. The
// result is a sub-slice of the input, not a copy.
func (r *reader) take(n uint64) ([]byte, bool) {
	if n > uint64(r.left()) {
		return nil, false
	}
	b := r.data[r.off : r.off+int(n)]
	r.off += int(n)
	return b, true
}

// uint reads a big-endian unsigned integer of size 1, 2, 4 or 8 bytes.
func (r *reader) uint(size int) (uint64, bool) {
	b, ok := r.take(uint64(size))
	if !ok {
		return 0, false
	}
	switch size {
	case 1:
		return uint64(b[0]), true
	case 2:
		return uint64(binary.BigEndian.Uint16(b)), true
	case 4:
		return uint64(binary.BigEndian.Uint32(b)), true
	case 8:
		return binary.BigEndian.Uint64(b), true
	}
	return 0, false
}
