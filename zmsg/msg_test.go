package zmsg

import (
	"slices"
	"testing"

	"github.com/zkit-go/zkit/zframe"
)

// texts returns the frames of m as strings, for compact comparisons.
func texts(m *Msg) []string {
	var out []string
	for _, f := range m.Frames() {
		out = append(out, f.Text())
	}
	return out
}

func TestConstructors(t *testing.T) {
	tests := []struct {
		name string
		m    *Msg
		want []string
	}{
		{"New empty", New(), nil},
		{"New frames", New(zframe.FromString("a"), zframe.FromString("bc")), []string{"a", "bc"}},
		{"FromStrings", FromStrings("x", "", "yz"), []string{"x", "", "yz"}},
		{"FromStrings none", FromStrings(), nil},
		{"FromBytes", FromBytes([]byte("p"), nil, []byte{}), []string{"p", "", ""}},
		{"zero value", &Msg{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := texts(tt.m); !slices.Equal(got, tt.want) {
				t.Errorf("frames = %q, want %q", got, tt.want)
			}
			if tt.m.Len() != len(tt.want) {
				t.Errorf("Len() = %d, want %d", tt.m.Len(), len(tt.want))
			}
		})
	}
}

func TestNewCopiesSliceNotData(t *testing.T) {
	data := []byte("abc")
	frames := []zframe.Frame{zframe.New(data), zframe.FromString("x")}
	m := New(frames...)
	frames[1] = zframe.FromString("changed")
	if got, _ := m.Frame(1); got.Text() != "x" {
		t.Errorf("New shares the frames slice: frame 1 = %q", got.Text())
	}
	data[0] = 'Z'
	if got, _ := m.First(); got.Text() != "Zbc" {
		t.Errorf("New copied frame data: frame 0 = %q", got.Text())
	}
	b := []byte("q")
	fb := FromBytes(b)
	b[0] = 'r'
	if got, _ := fb.First(); got.Text() != "r" {
		t.Errorf("FromBytes copied data: %q", got.Text())
	}
}

func TestContentSize(t *testing.T) {
	tests := []struct {
		m    *Msg
		want int
	}{
		{nil, 0},
		{New(), 0},
		{FromStrings("", ""), 0},
		{FromStrings("abc", "de", ""), 5},
	}
	for _, tt := range tests {
		if got := tt.m.ContentSize(); got != tt.want {
			t.Errorf("ContentSize(%q) = %d, want %d", texts(tt.m), got, tt.want)
		}
	}
}

func TestFrameAccess(t *testing.T) {
	m := FromStrings("a", "b", "c")
	tests := []struct {
		i    int
		want string
		ok   bool
	}{
		{-1, "", false},
		{0, "a", true},
		{1, "b", true},
		{2, "c", true},
		{3, "", false},
	}
	for _, tt := range tests {
		f, ok := m.Frame(tt.i)
		if ok != tt.ok || f.Text() != tt.want {
			t.Errorf("Frame(%d) = %q, %v; want %q, %v", tt.i, f.Text(), ok, tt.want, tt.ok)
		}
	}
	if f, ok := m.First(); !ok || f.Text() != "a" {
		t.Errorf("First() = %q, %v", f.Text(), ok)
	}
	if f, ok := m.Last(); !ok || f.Text() != "c" {
		t.Errorf("Last() = %q, %v", f.Text(), ok)
	}
	for _, e := range []*Msg{nil, New()} {
		if _, ok := e.First(); ok {
			t.Error("First() on empty message reported a frame")
		}
		if _, ok := e.Last(); ok {
			t.Error("Last() on empty message reported a frame")
		}
	}
}

func TestPushAppendPop(t *testing.T) {
	m := New()
	m.AppendString("b")
	m.PushString("a")
	m.AppendBytes([]byte("c"))
	m.PushBytes([]byte("0"))
	m.Append(zframe.FromString("d"))
	m.Push(zframe.FromString("-"))
	if got, want := texts(m), []string{"-", "0", "a", "b", "c", "d"}; !slices.Equal(got, want) {
		t.Fatalf("frames = %q, want %q", got, want)
	}
	f, ok := m.Pop()
	if !ok || f.Text() != "-" {
		t.Fatalf("Pop() = %q, %v", f.Text(), ok)
	}
	b, ok := m.PopBytes()
	if !ok || string(b) != "0" {
		t.Fatalf("PopBytes() = %q, %v", b, ok)
	}
	s, ok := m.PopString()
	if !ok || s != "a" {
		t.Fatalf("PopString() = %q, %v", s, ok)
	}
	m.PushString("again")
	if got, want := texts(m), []string{"again", "b", "c", "d"}; !slices.Equal(got, want) {
		t.Fatalf("after push = %q, want %q", got, want)
	}
	for m.Len() > 0 {
		m.Pop()
	}
	if _, ok := m.Pop(); ok {
		t.Error("Pop() on empty message reported a frame")
	}
	if b, ok := m.PopBytes(); ok || b != nil {
		t.Errorf("PopBytes() on empty = %q, %v", b, ok)
	}
	if s, ok := m.PopString(); ok || s != "" {
		t.Errorf("PopString() on empty = %q, %v", s, ok)
	}
}

func TestRemove(t *testing.T) {
	tests := []struct {
		i    int
		ok   bool
		want []string
	}{
		{-1, false, []string{"a", "b", "c"}},
		{3, false, []string{"a", "b", "c"}},
		{0, true, []string{"b", "c"}},
		{1, true, []string{"a", "c"}},
		{2, true, []string{"a", "b"}},
	}
	for _, tt := range tests {
		m := FromStrings("a", "b", "c")
		if ok := m.Remove(tt.i); ok != tt.ok {
			t.Errorf("Remove(%d) = %v, want %v", tt.i, ok, tt.ok)
		}
		if got := texts(m); !slices.Equal(got, tt.want) {
			t.Errorf("after Remove(%d) = %q, want %q", tt.i, got, tt.want)
		}
	}
}

func TestNilMsgIsSafe(t *testing.T) {
	var m *Msg
	m.Push(zframe.FromString("x"))
	m.Append(zframe.FromString("x"))
	m.PushString("x")
	m.AppendBytes([]byte("x"))
	m.AddMsg(FromStrings("x"))
	if m.Len() != 0 || m.ContentSize() != 0 || m.Frames() != nil {
		t.Fatal("nil message is not empty")
	}
	if _, ok := m.Pop(); ok {
		t.Error("Pop on nil reported a frame")
	}
	if m.Remove(0) {
		t.Error("Remove on nil succeeded")
	}
	if _, err := m.PopMsg(); err == nil {
		t.Error("PopMsg on nil succeeded")
	}
	if !m.Equal(New()) || !New().Equal(m) {
		t.Error("nil message is not equal to an empty one")
	}
	if c := m.Clone(); c == nil || c.Len() != 0 {
		t.Errorf("Clone of nil = %v", c)
	}
	if got := m.Encode(); len(got) != 0 {
		t.Errorf("Encode of nil = %x", got)
	}
	if m.String() != dumpHeader {
		t.Errorf("String of nil = %q", m.String())
	}
	if IsSignal(m) {
		t.Error("nil message is a signal")
	}
	var s string
	if err := m.Unpack("s", &s); err != nil || s != "" {
		t.Errorf("Unpack on nil = %v, %q", err, s)
	}
	if err := m.BUnpack("1", nil); err == nil {
		t.Error("BUnpack on nil succeeded")
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b *Msg
		want bool
	}{
		{"both empty", New(), New(), true},
		{"same", FromStrings("a", "b"), FromBytes([]byte("a"), []byte("b")), true},
		{"different count", FromStrings("a"), FromStrings("a", ""), false},
		{"different bytes", FromStrings("a", "b"), FromStrings("a", "c"), false},
		{"order matters", FromStrings("a", "b"), FromStrings("b", "a"), false},
		{"more flag ignored", New(zframe.FromString("a").WithMore(true)), FromStrings("a"), true},
		{"nil vs empty", nil, New(), true},
		{"nil vs non-empty", nil, FromStrings(""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Equal(tt.b); got != tt.want {
				t.Errorf("a.Equal(b) = %v, want %v", got, tt.want)
			}
			if got := tt.b.Equal(tt.a); got != tt.want {
				t.Errorf("b.Equal(a) = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClone(t *testing.T) {
	data := []byte("hello")
	props := map[string]string{zframe.PropUserID: "u"}
	m := New(zframe.New(data).WithMore(true).WithProps(props), zframe.FromString("x"))
	c := m.Clone()
	if !c.Equal(m) {
		t.Fatalf("Clone() = %q, want %q", texts(c), texts(m))
	}
	data[0] = 'J'
	if f, _ := c.First(); f.Text() != "hello" {
		t.Errorf("Clone shares data: %q", f.Text())
	}
	f, _ := c.First()
	if !f.More() {
		t.Error("Clone dropped the MORE flag")
	}
	if v, _ := f.Meta(zframe.PropUserID); v != "u" {
		t.Error("Clone dropped properties")
	}
	c.AppendString("extra")
	if m.Len() != 2 {
		t.Errorf("Clone shares the frame list: original has %d frames", m.Len())
	}
}
