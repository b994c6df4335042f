package zframe

import (
	"bytes"
	"testing"
)

func TestNewSharesData(t *testing.T) {
	buf := []byte("abc")
	f := New(buf)
	buf[0] = 'X'
	if got := f.Text(); got != "Xbc" {
		t.Fatalf("New copied its input: Text() = %q, want %q", got, "Xbc")
	}
	if &f.Data()[0] != &buf[0] {
		t.Fatal("Data() does not return the slice given to New")
	}
}

func TestAccessors(t *testing.T) {
	tests := []struct {
		name string
		f    Frame
		data []byte
		text string
		size int
	}{
		{"zero", Frame{}, nil, "", 0},
		{"empty string", FromString(""), []byte{}, "", 0},
		{"nil bytes", New(nil), nil, "", 0},
		{"string", FromString("hello"), []byte("hello"), "hello", 5},
		{"binary", New([]byte{0, 1, 0xFF}), []byte{0, 1, 0xFF}, "\x00\x01\xff", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Equal(tt.f.Data(), tt.data) {
				t.Errorf("Data() = %v, want %v", tt.f.Data(), tt.data)
			}
			if got := tt.f.Size(); got != tt.size {
				t.Errorf("Size() = %d, want %d", got, tt.size)
			}
			if got := tt.f.Text(); got != tt.text {
				t.Errorf("Text() = %q, want %q", got, tt.text)
			}
			if tt.f.More() {
				t.Error("More() = true for a new frame")
			}
		})
	}
}

func TestWithMore(t *testing.T) {
	f := FromString("x")
	g := f.WithMore(true)
	if !g.More() {
		t.Error("WithMore(true).More() = false")
	}
	if f.More() {
		t.Error("WithMore modified its receiver")
	}
	if g.WithMore(false).More() {
		t.Error("WithMore(false).More() = true")
	}
	if !g.Equal(f) {
		t.Error("WithMore changed the data")
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b Frame
		want bool
	}{
		{"both zero", Frame{}, Frame{}, true},
		{"nil vs empty", New(nil), New([]byte{}), true},
		{"same", FromString("abc"), New([]byte("abc")), true},
		{"different", FromString("abc"), FromString("abd"), false},
		{"prefix", FromString("ab"), FromString("abc"), false},
		{"more ignored", FromString("a").WithMore(true), FromString("a"), true},
		{"props ignored", FromString("a").WithProps(map[string]string{"k": "v"}), FromString("a"), true},
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

func TestEqualString(t *testing.T) {
	tests := []struct {
		f    Frame
		s    string
		want bool
	}{
		{Frame{}, "", true},
		{FromString("hello"), "hello", true},
		{FromString("hello"), "Hello", false},
		{FromString("hello"), "hell", false},
		{New([]byte{0}), "\x00", true},
	}
	for _, tt := range tests {
		if got := tt.f.EqualString(tt.s); got != tt.want {
			t.Errorf("%v.EqualString(%q) = %v, want %v", tt.f, tt.s, got, tt.want)
		}
	}
}

func TestClone(t *testing.T) {
	props := map[string]string{PropSocketType: "DEALER"}
	f := New([]byte("data")).WithMore(true).WithProps(props)
	c := f.Clone()
	if !c.Equal(f) || !c.More() {
		t.Fatalf("Clone() = %v more=%v, want same data and more", c, c.More())
	}
	if v, ok := c.Meta(PropSocketType); !ok || v != "DEALER" {
		t.Errorf("Clone lost properties: Meta = %q, %v", v, ok)
	}
	c.Data()[0] = 'D'
	if f.Text() != "data" {
		t.Errorf("Clone shares data: original is now %q", f.Text())
	}
	if z := (Frame{}).Clone(); z.Data() != nil || z.Size() != 0 {
		t.Errorf("zero Clone() = %v, want empty", z)
	}
}

func TestSource(t *testing.T) {
	f := New([]byte("x"))
	if _, ok := f.Source(); ok {
		t.Fatal("a new frame has a known source")
	}
	g := f.WithSource(0)
	if fd, ok := g.Source(); !ok || fd != 0 {
		t.Fatalf("Source = %d, %v; want 0, true", fd, ok)
	}
	g = g.WithSource(17).WithMore(true).Clone()
	if fd, ok := g.Source(); !ok || fd != 17 {
		t.Fatalf("Source after WithMore and Clone = %d, %v; want 17, true", fd, ok)
	}
	if _, ok := g.WithSource(-1).Source(); ok {
		t.Fatal("WithSource(-1) left the source known")
	}
	if _, ok := f.Source(); ok {
		t.Fatal("WithSource changed the receiver")
	}
}

func TestWithPropsOf(t *testing.T) {
	src := New([]byte("a")).WithProps(map[string]string{PropPeerAddress: "10.0.0.1"})
	f := New([]byte("b"))
	if f.HasProps() || !src.HasProps() {
		t.Fatal("HasProps wrong")
	}
	g := f.WithPropsOf(src)
	if v, ok := g.Meta(PropPeerAddress); !ok || v != "10.0.0.1" || !g.HasProps() {
		t.Fatalf("WithPropsOf: %q %v", v, ok)
	}
	if f.HasProps() || string(g.Data()) != "b" {
		t.Fatal("WithPropsOf changed the receiver or the data")
	}
}
