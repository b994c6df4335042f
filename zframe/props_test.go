package zframe

import (
	"maps"
	"testing"
)

func TestMeta(t *testing.T) {
	props := map[string]string{
		PropUserID:      "alice",
		PropPeerAddress: "10.0.0.1",
		PropSocketType:  "ROUTER",
		"X-Custom":      "custom",
	}
	f := FromString("x").WithProps(props)
	tests := []struct {
		name  string
		want  string
		found bool
	}{
		{PropUserID, "alice", true},
		{"user-id", "alice", true},
		{"USER-ID", "alice", true},
		{PropPeerAddress, "10.0.0.1", true},
		{"socket-type", "ROUTER", true},
		{"x-custom", "custom", true},
		{"missing", "", false},
		{"", "", false},
		{PropRoutingID, "", false},
		{PropIdentity, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := f.Meta(tt.name)
			if got != tt.want || ok != tt.found {
				t.Errorf("Meta(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.found)
			}
		})
	}
}

func TestMetaAliases(t *testing.T) {
	tests := []struct {
		name   string
		props  map[string]string
		lookup string
		want   string
	}{
		{"identity via routing-id", map[string]string{PropIdentity: "A"}, PropRoutingID, "A"},
		{"routing-id via identity", map[string]string{PropRoutingID: "B"}, PropIdentity, "B"},
		{"alias folds case", map[string]string{"routing-id": "C"}, "IDENTITY", "C"},
		{"direct name wins over alias", map[string]string{PropIdentity: "I", PropRoutingID: "R"}, PropIdentity, "I"},
		{"direct name wins over alias 2", map[string]string{PropIdentity: "I", PropRoutingID: "R"}, PropRoutingID, "R"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := New(nil).WithProps(tt.props).Meta(tt.lookup)
			if !ok || got != tt.want {
				t.Errorf("Meta(%q) = %q, %v; want %q, true", tt.lookup, got, ok, tt.want)
			}
		})
	}
}

func TestMetaDeterministic(t *testing.T) {
	props := map[string]string{"KEY": "upper", "key": "lower", "Key": "title"}
	f := New(nil).WithProps(props)
	for range 50 {
		if v, _ := f.Meta("Key"); v != "title" {
			t.Fatalf("exact match not preferred: got %q", v)
		}
		if v, _ := f.Meta("kEY"); v != "upper" {
			t.Fatalf("smallest key not preferred: got %q", v)
		}
	}
}

func TestProps(t *testing.T) {
	if p := (Frame{}).Props(); p != nil {
		t.Errorf("zero frame Props() = %v, want nil", p)
	}
	if p := New(nil).WithProps(map[string]string{}).Props(); p != nil {
		t.Errorf("empty props Props() = %v, want nil", p)
	}
	src := map[string]string{"a": "1", "b": "2"}
	f := New(nil).WithProps(src)
	got := f.Props()
	if !maps.Equal(got, src) {
		t.Fatalf("Props() = %v, want %v", got, src)
	}
	got["a"] = "changed"
	if v, _ := f.Meta("a"); v != "1" {
		t.Errorf("Props() is not a copy: Meta(a) = %q", v)
	}
	if p := f.WithProps(nil).Props(); p != nil {
		t.Errorf("WithProps(nil) did not clear: %v", p)
	}
	if _, ok := f.WithProps(nil).Meta("a"); ok {
		t.Error("WithProps(nil) did not clear Meta")
	}
}
