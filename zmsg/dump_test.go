package zmsg

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	const dashes = "--------------------------------------"
	tests := []struct {
		name string
		m    *Msg
		want string
	}{
		{"empty", New(), dashes},
		{"text frames", FromStrings("hello", ""), dashes + "\n[005] hello\n[000] "},
		{"binary frame", FromBytes([]byte{0, 1, 2, 0xFF, 'A'}), dashes + "\n[005] 000102FF41"},
		{"long frame", FromStrings(strings.Repeat("a", 1000)), dashes + "\n[1000] " + strings.Repeat("a", 70) + "..."},
		{"signal", NewSignal(3), dashes + "\n[008] 0311223344556677"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.String(); got != tt.want {
				t.Errorf("String() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
