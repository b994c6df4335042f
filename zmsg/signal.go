package zmsg

import (
	"encoding/binary"

	"github.com/zkit-go/zkit/zframe"
)

const (
	// signalMagic is the constant a signal adds its status to. Written
	// little-endian, its low byte (zero) is where the status goes.
	signalMagic uint64 = 0x7766554433221100
	// signalSize is the size of the single frame of a signal.
	signalSize = 8
)

// NewSignal returns a signal message carrying status, compatible with
// CZMQ's zsock_signal: one 8-byte frame holding 0x7766554433221100 plus
// status as a little-endian integer.
func NewSignal(status uint8) *Msg {
	data := binary.LittleEndian.AppendUint64(make([]byte, 0, signalSize), signalMagic+uint64(status))
	return New(zframe.New(data))
}

// Signal returns the status carried by a signal message and true, or 0 and
// false when m is not a signal. A message is a signal only when it has
// exactly one frame, of exactly 8 bytes, whose upper 7 bytes (in
// little-endian order) match the signal constant.
func (m *Msg) Signal() (status uint8, ok bool) {
	if m.Len() != 1 {
		return 0, false
	}
	data := m.frames[0].Data()
	if len(data) != signalSize {
		return 0, false
	}
	v := binary.LittleEndian.Uint64(data)
	if v&^0xFF != signalMagic {
		return 0, false
	}
	return uint8(v), true
}

// IsSignal reports whether m is a signal message (see Msg.Signal).
func IsSignal(m *Msg) bool {
	_, ok := m.Signal()
	return ok
}
