package zframe

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

func FuzzString(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("hello"))
	f.Add([]byte{0, 1, 2, 0xFF})
	f.Add([]byte(strings.Repeat("z", 80)))
	f.Add([]byte("tab\there"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := New(data)
		s := fr.String()
		prefix := fmt.Sprintf("[%03d] ", len(data))
		if !strings.HasPrefix(s, prefix) {
			t.Fatalf("String() = %q, want prefix %q", s, prefix)
		}
		body := strings.TrimPrefix(s, prefix)
		if isPrintable(data) {
			want := string(data)
			if len(data) > 70 {
				want = string(data[:70]) + "..."
			}
			if body != want {
				t.Fatalf("text body = %q, want %q", body, want)
			}
			return
		}
		hexPart, cut := strings.CutSuffix(body, "...")
		if cut != (len(data) > 35) {
			t.Fatalf("ellipsis = %v for %d bytes", cut, len(data))
		}
		raw, err := hex.DecodeString(hexPart)
		if err != nil || hexPart != strings.ToUpper(hexPart) {
			t.Fatalf("hex body %q is not uppercase hex: %v", hexPart, err)
		}
		if string(raw) != string(data[:len(raw)]) || len(raw) != min(len(data), 35) {
			t.Fatalf("hex body %q does not match data %x", hexPart, data)
		}
		full, err := hex.DecodeString(fr.Hex())
		if err != nil || string(full) != string(data) {
			t.Fatalf("Hex() = %q does not round-trip", fr.Hex())
		}
	})
}

func FuzzMeta(f *testing.F) {
	f.Add("User-Id", "alice", "user-id")
	f.Add("Identity", "id", "Routing-Id")
	f.Add("Routing-Id", "rid", "IDENTITY")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, key, value, name string) {
		fr := New(nil).WithProps(map[string]string{key: value})
		got, ok := fr.Meta(name)
		direct := strings.EqualFold(key, name)
		alias := false
		if a, isAlias := aliasOf(name); isAlias {
			alias = strings.EqualFold(key, a)
		}
		if ok != (direct || alias) {
			t.Fatalf("Meta(%q) found=%v with key %q", name, ok, key)
		}
		if ok && got != value {
			t.Fatalf("Meta(%q) = %q, want %q", name, got, value)
		}
	})
}
