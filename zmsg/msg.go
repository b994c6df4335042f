package zmsg

import "github.com/zkit-go/zkit/zframe"

// Msg is an ordered list of frames forming one ZeroMQ message.
//
// The zero value is an empty message ready to use. Methods that only read
// the message also accept a nil *Msg and treat it as empty; methods that
// modify the message do nothing on a nil *Msg.
//
// A Msg is not safe for concurrent use when any goroutine modifies it.
type Msg struct {
	frames []zframe.Frame
}

// New returns a message holding the given frames in order. The frames slice
// is copied, but the frames' bytes are shared, not copied.
func New(frames ...zframe.Frame) *Msg {
	if len(frames) == 0 {
		return &Msg{}
	}
	return &Msg{frames: append([]zframe.Frame(nil), frames...)}
}

// FromStrings returns a message with one frame per string, in order.
func FromStrings(parts ...string) *Msg {
	m := &Msg{frames: make([]zframe.Frame, 0, len(parts))}
	for _, p := range parts {
		m.frames = append(m.frames, zframe.FromString(p))
	}
	return m
}

// FromBytes returns a message with one frame per byte slice, in order. The
// slices are not copied.
func FromBytes(parts ...[]byte) *Msg {
	m := &Msg{frames: make([]zframe.Frame, 0, len(parts))}
	for _, p := range parts {
		m.frames = append(m.frames, zframe.New(p))
	}
	return m
}

// Len returns the number of frames in the message.
func (m *Msg) Len() int {
	if m == nil {
		return 0
	}
	return len(m.frames)
}

// ContentSize returns the total number of data bytes in all frames.
func (m *Msg) ContentSize() int {
	n := 0
	for _, f := range m.Frames() {
		n += f.Size()
	}
	return n
}

// Frames returns the message's frames in order. The returned slice is the
// message's own backing storage, returned without copying: the caller must
// not modify it or the frames' bytes, and it may become stale once the
// message is changed.
func (m *Msg) Frames() []zframe.Frame {
	if m == nil {
		return nil
	}
	return m.frames
}

// Frame returns the frame at index i and true, or a zero frame and false
// when i is out of range.
func (m *Msg) Frame(i int) (zframe.Frame, bool) {
	frames := m.Frames()
	if i < 0 || i >= len(frames) {
		return zframe.Frame{}, false
	}
	return frames[i], true
}

// First returns the first frame and true, or a zero frame and false when
// the message is empty.
func (m *Msg) First() (zframe.Frame, bool) {
	return m.Frame(0)
}

// Last returns the last frame and true, or a zero frame and false when the
// message is empty.
func (m *Msg) Last() (zframe.Frame, bool) {
	return m.Frame(m.Len() - 1)
}
