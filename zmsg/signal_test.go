package zmsg

import (
	"bytes"
	"testing"

	"github.com/zkit-go/zkit/zframe"
)

func TestNewSignalBytes(t *testing.T) {
	tests := []struct {
		status uint8
		want   []byte
	}{
		{0, []byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}},
		{1, []byte{0x01, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}},
		{255, []byte{0xFF, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}},
	}
	for _, tt := range tests {
		m := NewSignal(tt.status)
		if m.Len() != 1 {
			t.Fatalf("NewSignal(%d) has %d frames", tt.status, m.Len())
		}
		if f, _ := m.First(); !bytes.Equal(f.Data(), tt.want) {
			t.Errorf("NewSignal(%d) = %x, want %x", tt.status, f.Data(), tt.want)
		}
		status, ok := m.Signal()
		if !ok || status != tt.status {
			t.Errorf("Signal() = %d, %v; want %d, true", status, ok, tt.status)
		}
		if !IsSignal(m) {
			t.Errorf("IsSignal(NewSignal(%d)) = false", tt.status)
		}
	}
}

func TestNotSignals(t *testing.T) {
	good := []byte{0x07, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}
	tests := []struct {
		name string
		m    *Msg
	}{
		{"nil", nil},
		{"empty message", New()},
		{"7-byte frame", FromBytes(good[:7])},
		{"9-byte frame", FromBytes(append(append([]byte{}, good...), 0))},
		{"two frames", FromBytes(good, good)},
		{"signal then empty", FromBytes(good, nil)},
		{"wrong magic low", FromBytes([]byte{0x07, 0x10, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77})},
		{"wrong magic high", FromBytes([]byte{0x07, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x78})},
		{"big-endian magic", FromBytes([]byte{0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00})},
		{"text", FromStrings("READY")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, ok := tt.m.Signal(); ok || status != 0 {
				t.Errorf("Signal() = %d, %v; want 0, false", status, ok)
			}
			if IsSignal(tt.m) {
				t.Error("IsSignal() = true")
			}
		})
	}
	if _, ok := New(zframe.New(good)).Signal(); !ok {
		t.Error("control case: a valid signal frame was not recognised")
	}
}
