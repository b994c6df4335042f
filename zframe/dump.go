package zframe

import (
	"strconv"
	"strings"
)

const (
	// dumpTextMax is the number of bytes of printable text shown by String.
	dumpTextMax = 70
	// dumpHexMax is the number of bytes shown in hexadecimal by String.
	dumpHexMax = 35
	// hexDigits are the uppercase hexadecimal digits used by Hex and String.
	hexDigits = "0123456789ABCDEF"
)

// Hex returns all bytes of the frame as uppercase hexadecimal, two digits
// per byte. An empty frame gives the empty string.
func (f Frame) Hex() string {
	var b strings.Builder
	b.Grow(2 * len(f.data))
	writeHex(&b, f.data)
	return b.String()
}

// String returns a one-line dump of the frame.
//
// The dump starts with the frame size in square brackets, zero-padded to at
// least three digits, and a space. If every byte is printable ASCII
// (0x20 to 0x7E) the text follows, cut to 70 bytes and followed by "..."
// when longer. Otherwise the first 35 bytes follow as uppercase hexadecimal,
// followed by "..." when the frame is longer. An empty frame dumps as
// "[000] ", with a trailing space. The MORE flag and properties are not
// shown.
func (f Frame) String() string {
	var b strings.Builder
	b.Grow(8 + 2*dumpHexMax + 3)
	b.WriteByte('[')
	size := strconv.Itoa(len(f.data))
	for i := len(size); i < 3; i++ {
		b.WriteByte('0')
	}
	b.WriteString(size)
	b.WriteString("] ")
	if isPrintable(f.data) {
		if len(f.data) > dumpTextMax {
			b.Write(f.data[:dumpTextMax])
			b.WriteString("...")
		} else {
			b.Write(f.data)
		}
		return b.String()
	}
	if len(f.data) > dumpHexMax {
		writeHex(&b, f.data[:dumpHexMax])
		b.WriteString("...")
	} else {
		writeHex(&b, f.data)
	}
	return b.String()
}

// isPrintable reports whether every byte of data is printable ASCII.
// Whitespace other than the space character is not printable.
func isPrintable(data []byte) bool {
	for _, c := range data {
		if c < 0x20 || c > 0x7E {
			return false
		}
	}
	return true
}

// writeHex writes data to b as uppercase hexadecimal.
func writeHex(b *strings.Builder, data []byte) {
	for _, c := range data {
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0x0F])
	}
}
