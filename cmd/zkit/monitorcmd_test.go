package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMonitorCommand(t *testing.T) {
	mon := startRun(t, nil, "monitor", "router", "@tcp://127.0.0.1:*", "--json", "-n", "4")
	ep := mon.boundEndpoint(t)
	// A client connects, says something and leaves.
	if code, _, errOut := runSync(t, "x\n", "cat", "dealer", ">"+ep, "-n", "0", "--timeout", "200ms"); code != 0 {
		t.Fatalf("dealer: status %d, stderr %q", code, errOut)
	}
	if code := mon.wait(t); code != 0 {
		t.Fatalf("monitor: status %d, stderr %q", code, mon.stderr)
	}
	var kinds []string
	for _, line := range strings.Split(strings.TrimSpace(mon.stdout.String()), "\n") {
		var ev struct {
			Event    string `json:"event"`
			Endpoint string `json:"endpoint"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		kinds = append(kinds, ev.Event)
	}
	want := "LISTENING ACCEPTED HANDSHAKE_SUCCEEDED DISCONNECTED"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("events %q, want %q", got, want)
	}
	if code, _, _ := runSync(t, "", "monitor", "router", "@tcp://127.0.0.1:*", "--events", "SNEEZED"); code != 2 {
		t.Fatalf("bad --events: status %d", code)
	}
}
