package zframe

import "bytes"

// Frame is one ZeroMQ message part: its bytes, the MORE flag and the
// read-only message properties delivered with it.
//
// Frame is a value type; copies share the underlying bytes and properties.
// The zero value is an empty frame.
type Frame struct {
	data  []byte
	more  bool
	src   int32 // source connection's descriptor + 1; 0 when unknown
	props map[string]string
}

// New returns a frame holding data. The slice is not copied, so the caller
// should not modify it afterwards.
func New(data []byte) Frame {
	return Frame{data: data}
}

// FromString returns a frame holding the bytes of s.
func FromString(s string) Frame {
	return Frame{data: []byte(s)}
}

// Data returns the frame's bytes. The slice is shared with the frame and
// must be treated as read-only.
func (f Frame) Data() []byte {
	return f.data
}

// Size returns the number of bytes in the frame.
func (f Frame) Size() int {
	return len(f.data)
}

// Text returns the frame's bytes as a Go string. The bytes are copied, and
// no validation of their encoding is done.
func (f Frame) Text() string {
	return string(f.data)
}

// More reports whether the MORE flag is set, meaning further parts of the
// same message follow this one.
func (f Frame) More() bool {
	return f.more
}

// WithMore returns a copy of f with the MORE flag set to more.
func (f Frame) WithMore(more bool) Frame {
	f.more = more
	return f
}

// Source returns the descriptor of the connection the frame arrived on
// (libzmq's ZMQ_SRCFD) and reports whether it is known. It is known for
// frames received over tcp and ipc by a socket that asks for it
// (zsock.WithSourceFD), and identifies the connection only while that
// connection lasts: the operating system reuses descriptors.
func (f Frame) Source() (fd int, ok bool) {
	return int(f.src) - 1, f.src > 0
}

// WithSource returns a copy of f whose Source is fd; a negative fd makes
// it unknown. A socket layer sets it on receive.
func (f Frame) WithSource(fd int) Frame {
	if fd < 0 || fd > 1<<30 {
		f.src = 0
	} else {
		f.src = int32(fd) + 1
	}
	return f
}

// Equal reports whether f and g hold the same bytes. The MORE flag and
// properties are not compared. A nil and an empty data slice are equal.
func (f Frame) Equal(g Frame) bool {
	return bytes.Equal(f.data, g.data)
}

// EqualString reports whether the frame's bytes are exactly those of s.
func (f Frame) EqualString(s string) bool {
	return string(f.data) == s
}

// Clone returns a copy of f whose bytes are independent of f. The MORE flag
// and the (read-only, shared) properties are kept.
func (f Frame) Clone() Frame {
	if f.data != nil {
		f.data = bytes.Clone(f.data)
	}
	return f
}
