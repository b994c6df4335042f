package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestBeaconListenPublish(t *testing.T) {
	port, err := freeUDPPort()
	if err != nil {
		t.Fatal(err)
	}
	p := strconv.Itoa(port)
	listen := startRun(t, nil, "beacon", "listen", "--iface", "lo", "--port", p, "-n", "2", "--json", "--filter", "zk")
	listen.stderr.waitLine(t, "zkit: listening on ")
	// Filtered out, then delivered: the prefix filter applies.
	other := startRun(t, nil, "beacon", "publish", "other", "--iface", "lo", "--port", p, "--interval", "50ms")
	pub := startRun(t, nil, "beacon", "publish", "zk\\x01", "--iface", "lo", "--port", p, "--interval", "50ms")
	if code := listen.wait(t); code != 0 {
		t.Fatalf("listen: status %d, stderr %q", code, listen.stderr)
	}
	pub.cancel()
	other.cancel()
	if code := pub.wait(t); code != 0 {
		t.Fatalf("publish: status %d, stderr %q", code, pub.stderr)
	}
	lines := strings.Split(strings.TrimSpace(listen.stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("listen printed %q", listen.stdout)
	}
	for _, l := range lines {
		var got struct {
			Addr  string `json:"addr"`
			Port  int    `json:"port"`
			Iface string `json:"iface"`
			Data  string `json:"data"`
		}
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if got.Addr != "127.0.0.1" || got.Data != "7a6b01" || got.Iface != "lo" || got.Port == 0 {
			t.Fatalf("beacon %+v", got)
		}
	}
}

func TestBeaconTextOutputAndErrors(t *testing.T) {
	port, err := freeUDPPort()
	if err != nil {
		t.Fatal(err)
	}
	p := strconv.Itoa(port)
	listen := startRun(t, nil, "beacon", "listen", "--iface", "lo", "--port", p, "-n", "1")
	listen.stderr.waitLine(t, "zkit: listening on ")
	pub := startRun(t, nil, "beacon", "publish", "--hex", "41420a", "--iface", "lo", "--port", p, "--interval", "50ms")
	if code := listen.wait(t); code != 0 {
		t.Fatalf("listen: status %d", code)
	}
	pub.cancel()
	pub.wait(t)
	line := listen.stdout.String()
	if !strings.HasPrefix(line, "127.0.0.1:") || !strings.HasSuffix(line, " lo AB\\n\n") {
		t.Fatalf("listen printed %q", line)
	}
	// A listener that hears nothing within its timeout fails only with -n.
	if code, _, _ := runSync(t, "", "beacon", "listen", "--iface", "lo", "--port", p, "--timeout", "50ms"); code != 0 {
		t.Fatalf("listen --timeout without -n: status %d", code)
	}
	if code, _, _ := runSync(t, "", "beacon", "listen", "--iface", "lo", "--port", p, "--timeout", "50ms", "-n", "1"); code != 1 {
		t.Fatalf("listen --timeout with -n: status %d", code)
	}
	for _, args := range [][]string{
		{"beacon"},
		{"beacon", "shout"},
		{"beacon", "publish", strings.Repeat("x", 256)},
		{"beacon", "publish", "--hex", "zz"},
		{"beacon", "publish", "x", "--interval", "0s"},
		{"beacon", "listen", "--port", "70000"},
		{"beacon", "listen", "--group", "not-an-ip"},
	} {
		code, _, errOut := runSync(t, "", args...)
		if code != 2 {
			t.Errorf("%v: status %d, stderr %q", args, code, errOut)
		}
	}
}
