package zframe

import (
	"strings"
	"testing"
)

func TestHex(t *testing.T) {
	tests := []struct {
		f    Frame
		want string
	}{
		{Frame{}, ""},
		{New([]byte{0x00}), "00"},
		{New([]byte{0xAB, 0xCD, 0xEF, 0x01}), "ABCDEF01"},
		{FromString("hi"), "6869"},
		{New(make([]byte, 100)), strings.Repeat("00", 100)},
	}
	for _, tt := range tests {
		if got := tt.f.Hex(); got != tt.want {
			t.Errorf("Hex(%v) = %q, want %q", tt.f.Data(), got, tt.want)
		}
	}
}

func TestString(t *testing.T) {
	seq := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}
	tests := []struct {
		name string
		f    Frame
		want string
	}{
		{"empty", Frame{}, "[000] "},
		{"text", FromString("hello"), "[005] hello"},
		{"space is printable", FromString("a b~"), "[004] a b~"},
		{"binary", New([]byte{0, 1, 2, 0xFF, 'A'}), "[005] 000102FF41"},
		{"tab is binary", FromString("a\tb"), "[003] 610962"},
		{"newline is binary", FromString("a\n"), "[002] 610A"},
		{"DEL is binary", New([]byte{0x7F}), "[001] 7F"},
		{"text 70", FromString(strings.Repeat("x", 70)), "[070] " + strings.Repeat("x", 70)},
		{"text 71", FromString(strings.Repeat("x", 71)), "[071] " + strings.Repeat("x", 70) + "..."},
		{"binary 35", New(seq(35)), "[035] " + New(seq(35)).Hex()},
		{"binary 36", New(seq(36)), "[036] " + New(seq(35)).Hex() + "..."},
		{"four digit size", FromString(strings.Repeat("y", 1234)), "[1234] " + strings.Repeat("y", 70) + "..."},
		{"more and props hidden", FromString("m").WithMore(true).WithProps(map[string]string{"a": "b"}), "[001] m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
