package zmsg

import (
	"slices"

	"github.com/zkit-go/zkit/zframe"
)

// Push inserts f before the first frame. It does nothing on a nil *Msg.
func (m *Msg) Push(f zframe.Frame) {
	if m == nil {
		return
	}
	m.frames = slices.Insert(m.frames, 0, f)
}

// PushBytes inserts a frame holding data before the first frame. The slice
// is not copied.
func (m *Msg) PushBytes(data []byte) {
	m.Push(zframe.New(data))
}

// PushString inserts a frame holding s before the first frame.
func (m *Msg) PushString(s string) {
	m.Push(zframe.FromString(s))
}

// Append adds f after the last frame. It does nothing on a nil *Msg.
func (m *Msg) Append(f zframe.Frame) {
	if m == nil {
		return
	}
	m.frames = append(m.frames, f)
}

// AppendBytes adds a frame holding data after the last frame. The slice is
// not copied.
func (m *Msg) AppendBytes(data []byte) {
	m.Append(zframe.New(data))
}

// AppendString adds a frame holding s after the last frame.
func (m *Msg) AppendString(s string) {
	m.Append(zframe.FromString(s))
}

// Pop removes and returns the first frame. It returns a zero frame and
// false when the message is empty.
func (m *Msg) Pop() (zframe.Frame, bool) {
	if m.Len() == 0 {
		return zframe.Frame{}, false
	}
	f := m.frames[0]
	m.frames[0] = zframe.Frame{} // drop the reference for the garbage collector
	m.frames = m.frames[1:]
	if len(m.frames) == 0 {
		m.frames = nil
	}
	return f, true
}

// PopBytes removes the first frame and returns its bytes, which are not
// copied. It returns nil and false when the message is empty.
func (m *Msg) PopBytes() ([]byte, bool) {
	f, ok := m.Pop()
	return f.Data(), ok
}

// PopString removes the first frame and returns its bytes as a string. It
// returns "" and false when the message is empty.
func (m *Msg) PopString() (string, bool) {
	f, ok := m.Pop()
	return f.Text(), ok
}

// Remove deletes the frame at index i and reports whether i was in range.
func (m *Msg) Remove(i int) bool {
	if i < 0 || i >= m.Len() {
		return false
	}
	m.frames = slices.Delete(m.frames, i, i+1)
	return true
}
