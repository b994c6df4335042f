package heartbeat_test

import (
	"bytes"
	"testing"

	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/zframe"
)

func TestSignalBytes(t *testing.T) {
	if got := heartbeat.Ready.Bytes(); !bytes.Equal(got, []byte("\x01")) {
		t.Fatalf("Ready.Bytes() = %q", got)
	}
	if got := heartbeat.Heartbeat.Bytes(); !bytes.Equal(got, []byte("\x02")) {
		t.Fatalf("Heartbeat.Bytes() = %q", got)
	}
	b := heartbeat.Ready.Bytes()
	b[0] = 0x7f
	if !bytes.Equal(heartbeat.Ready.Bytes(), []byte{1}) {
		t.Fatal("Bytes returned a shared slice")
	}
	if f := heartbeat.Heartbeat.Frame(); !heartbeat.IsHeartbeatFrame(f) || heartbeat.IsReadyFrame(f) {
		t.Fatalf("Heartbeat.Frame() = %q", f.Data())
	}
	if heartbeat.Ready.String() != "READY" || heartbeat.Heartbeat.String() != "HEARTBEAT" ||
		heartbeat.Goodbye.String() != "GOODBYE" ||
		heartbeat.Signal(9).String() != "Signal(0x09)" {
		t.Fatal("String")
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		in    []byte
		want  heartbeat.Signal
		ok    bool
		ready bool
		hb    bool
	}{
		{[]byte{1}, heartbeat.Ready, true, true, false},
		{[]byte{2}, heartbeat.Heartbeat, true, false, true},
		{nil, 0, false, false, false},
		{[]byte{}, 0, false, false, false},
		{[]byte{0}, 0, false, false, false},
		{[]byte{3}, 0, false, false, false},
		{[]byte{5}, heartbeat.Goodbye, true, false, false},
		{[]byte{5, 5}, 0, false, false, false},
		{[]byte{1, 0}, 0, false, false, false},
		{[]byte("\x02hello"), 0, false, false, false},
	}
	for _, c := range cases {
		s, ok := heartbeat.Parse(c.in)
		if s != c.want || ok != c.ok {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", c.in, s, ok, c.want, c.ok)
		}
		if heartbeat.IsReady(c.in) != c.ready || heartbeat.IsHeartbeat(c.in) != c.hb ||
			heartbeat.IsGoodbye(c.in) != (c.want == heartbeat.Goodbye && c.ok) {
			t.Errorf("IsReady/IsHeartbeat(%q) wrong", c.in)
		}
		f := zframe.New(c.in)
		if heartbeat.IsReadyFrame(f) != c.ready || heartbeat.IsHeartbeatFrame(f) != c.hb {
			t.Errorf("frame predicates(%q) wrong", c.in)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte{1})
	f.Add([]byte{2})
	f.Add([]byte{})
	f.Add([]byte("\x01\x02"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, ok := heartbeat.Parse(b)
		if ok != (heartbeat.IsReady(b) || heartbeat.IsHeartbeat(b) || heartbeat.IsGoodbye(b)) {
			t.Fatalf("Parse(%q) ok=%v disagrees with predicates", b, ok)
		}
		if ok && !bytes.Equal(s.Bytes(), b) {
			t.Fatalf("Parse(%q) = %v does not round-trip", b, s)
		}
	})
}
