package main

import (
	"strings"
	"testing"
	"time"
)

func TestDemo(t *testing.T) {
	start := time.Now()
	code, out, errOut := runSync(t, "", "demo")
	if code != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", code, errOut)
	}
	// A guard against a section that hangs, not a speed target: each
	// section has its own limit, and the presence section's is 10 s.
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("demo took %v", d)
	}
	for _, want := range []string{
		"== reqrep: REQ/REP over inproc ==",
		"  REQ     sends     [006] ping 1",
		"  REP     receives  [006] ping 3",
		"  REQ     receives  [006] pong 3",
		"== pubsub: PUB/SUB over tcp with a topic filter ==",
		"  SUB     receives  [013] weather.hello",
		"  SUB     receives  [013] weather.paris\n                    [009] 18C sunny",
		"SUB got 3 of 5 messages",
		"== router: DEALER/ROUTER over tcp with routing ids ==",
		"  ROUTER  receives  [005] alice\n                    [016] hello from alice",
		"  ROUTER  replies   [003] bob\n                    [006] hi bob",
		"  bob     receives  [006] hi bob",
		"== actors: actors with loops: timer heartbeats and ticket expiry ==",
		"  bob     reports   [006] JOINED\n                    [005] alice",
		"  bob     reports   [009] HEARTBEAT\n                    [005] alice\n                    [001] 3",
		"  bob     reports   [007] EXPIRED\n                    [005] alice",
		"  alice   ended cleanly",
		"  bob     ended cleanly",
		"== curve: CURVE encryption with an authenticator and a certificate store ==",
		"  auth    accepts alice's key: 200",
		`  ROUTER  receives "hello from alice"; User-Id is alice's key: true; name = "alice"`,
		"  auth    refuses mallory's key: 400",
		"mallory's message never reaches the ROUTER",
		"== discovery: nodes find each other by UDP beacon, then connect ==",
		"  alice   found bob and carol",
		"  carol   found alice and bob",
		`  alice   receives "hello alice, this is bob"`,
		`  carol   receives "hello carol, this is bob"`,
		"== presence: a server sees clients come, freeze, die and come back ==",
		"  server  JOIN  alice  from 127.0.0.1",
		"  server  JOIN  carol  from 127.0.0.1",
		"  server  LEAVE carol  heartbeat expired after ",
		"  server  LEAVE carol  disconnected\n",
		"  server  LEAVE bob    said goodbye\n",
		"  server  present: alice, carol",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// Only the topics subscribed to reach SUB.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  SUB ") && !strings.Contains(line, "weather.") {
			t.Errorf("SUB received %q", line)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", out)
	}
}

func TestDemoSections(t *testing.T) {
	code, out, _ := runSync(t, "", "demo", "--list")
	if code != 0 {
		t.Fatalf("--list: status %d", code)
	}
	for _, s := range demoSections() {
		if !strings.Contains(out, s.name+"  ") || !strings.Contains(out, s.title) {
			t.Errorf("--list lacks %q: %q", s.name, out)
		}
	}
	code, out, errOut := runSync(t, "", "demo", "router")
	if code != 0 || errOut != "" {
		t.Fatalf("router: status %d, stderr %q", code, errOut)
	}
	if !strings.HasPrefix(out, "== router:") || strings.Contains(out, "== reqrep") {
		t.Errorf("demo router printed:\n%s", out)
	}
}
