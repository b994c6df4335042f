package zmsg

import "github.com/zkit-go/zkit/zframe"

// Equal reports whether m and o have the same number of frames with the
// same bytes, in order. MORE flags and frame properties are ignored. A nil
// *Msg is equal to an empty message.
func (m *Msg) Equal(o *Msg) bool {
	a, b := m.Frames(), o.Frames()
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// Clone returns a deep copy of m: every frame's bytes are copied, and MORE
// flags and properties are kept. Cloning a nil *Msg gives an empty message.
func (m *Msg) Clone() *Msg {
	frames := m.Frames()
	c := &Msg{}
	if len(frames) == 0 {
		return c
	}
	c.frames = make([]zframe.Frame, len(frames))
	for i, f := range frames {
		c.frames[i] = f.Clone()
	}
	return c
}
