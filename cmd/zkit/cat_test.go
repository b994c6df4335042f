package main

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// wildcards are bind endpoints, one per transport that works between two
// runs (inproc cannot: each run has its own libzmq context).
var wildcards = []struct{ name, bind string }{
	{"tcp", "@tcp://127.0.0.1:*"},
	{"ipc", "@ipc://*"},
}

func TestCatPushPull(t *testing.T) {
	const lines = "a\nb\tc\n\\x00\\xffz\\\\\n\nlast"
	const want = "a\nb\tc\n\\x00\\xffz\\\\\n\nlast\n"
	for _, tr := range wildcards {
		t.Run(tr.name, func(t *testing.T) {
			pull := startRun(t, nil, "cat", "pull", tr.bind, "-n", "5")
			ep := pull.boundEndpoint(t)
			code, _, errOut := runSync(t, lines, "cat", "push", ep)
			if code != 0 || errOut != "" {
				t.Fatalf("push: status %d, stderr %q", code, errOut)
			}
			if code := pull.wait(t); code != 0 {
				t.Fatalf("pull: status %d, stderr %q", code, pull.stderr)
			}
			if got := pull.stdout.String(); got != want {
				t.Errorf("pull printed %q, want %q", got, want)
			}
		})
	}
}

func TestCatReqRepEcho(t *testing.T) {
	for _, tr := range wildcards {
		t.Run(tr.name, func(t *testing.T) {
			rep := startRun(t, nil, "cat", "rep", tr.bind, "--echo", "-n", "2")
			ep := rep.boundEndpoint(t)
			const lines = "hello\tworld\nbin\\x01\\x7f\n"
			code, out, errOut := runSync(t, lines, "cat", "req", ep, "-n", "2")
			if code != 0 || out != lines {
				t.Errorf("req: status %d, stdout %q, stderr %q", code, out, errOut)
			}
			if code := rep.wait(t); code != 0 || rep.stdout.String() != "" {
				t.Errorf("rep: status %d, stdout %q, stderr %q", code, rep.stdout, rep.stderr)
			}
		})
	}
}

func TestCatRepAnswersFromStdin(t *testing.T) {
	rep := startRun(t, strings.NewReader("answer 1\nanswer\t2\n"), "cat", "rep", "@tcp://127.0.0.1:*", "-n", "2")
	ep := rep.boundEndpoint(t)
	code, out, errOut := runSync(t, "q1\nq\t2\n", "cat", "req", ep)
	if code != 0 || out != "answer 1\nanswer\t2\n" {
		t.Errorf("req: status %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code := rep.wait(t); code != 0 || rep.stdout.String() != "q1\nq\t2\n" {
		t.Errorf("rep: status %d, stdout %q, stderr %q", code, rep.stdout, rep.stderr)
	}
}

func TestCatRouterDealer(t *testing.T) {
	routerIn, toRouter := io.Pipe()
	defer toRouter.Close()
	router := startRun(t, routerIn, "cat", "router", "@tcp://127.0.0.1:*")
	ep := router.boundEndpoint(t)

	dealerIn, toDealer := io.Pipe()
	defer toDealer.Close()
	dealer := startRun(t, dealerIn, "cat", "dealer", ep, "--identity", `d\x01`, "-n", "1")
	if _, err := io.WriteString(toDealer, "hello\tworld\n"); err != nil {
		t.Fatal(err)
	}
	if got := router.stdout.waitLine(t, `d\x01`); got != "d\\x01\thello\tworld" {
		t.Errorf("router printed %q", got)
	}
	// An unknown peer is a warning; the next line still goes out.
	if _, err := io.WriteString(toRouter, "ghost\tboo\nd\\x01\tback\\tat you\n"); err != nil {
		t.Fatal(err)
	}
	if code := dealer.wait(t); code != 0 {
		t.Fatalf("dealer: status %d, stderr %q", code, dealer.stderr)
	}
	if got := dealer.stdout.String(); got != "back\\tat you\n" {
		t.Errorf("dealer printed %q", got)
	}
	router.stderr.waitLine(t, "zkit: warning: no peer with routing id ghost")
	router.cancel()
	if code := router.wait(t); code != 0 {
		t.Errorf("router: status %d after cancel, stderr %q", code, router.stderr)
	}
}

func TestCatPubSub(t *testing.T) {
	sub := startRun(t, nil, "cat", "sub", "@tcp://127.0.0.1:*", "--subscribe", "weather", "--subscribe", `\x00w`, "-n", "1")
	ep := sub.boundEndpoint(t)
	pubIn, toPub := io.Pipe()
	defer toPub.Close()
	pub := startRun(t, pubIn, "cat", "pub", ">"+ep)
	// A publisher drops messages until the subscription reaches it (slow
	// joiner): publish until the subscriber has had its message. "sports"
	// comes first in every round, so it would be printed if not filtered.
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for done := false; !done; {
		if _, err := io.WriteString(toPub, "sports\tgoal\n\\x00wind\nweather\tsunny\n"); err != nil {
			t.Fatalf("pub stdin: %v; pub stderr %q", err, pub.stderr)
		}
		select {
		case <-sub.done:
			done = true
		case <-tick.C:
		}
	}
	if code := sub.wait(t); code != 0 {
		t.Fatalf("sub: status %d, stderr %q", code, sub.stderr)
	}
	if got := sub.stdout.String(); got != "weather\tsunny\n" && got != "\\x00wind\n" {
		t.Errorf("sub printed %q", got)
	}
	toPub.Close()
	if code := pub.wait(t); code != 0 {
		t.Errorf("pub: status %d, stderr %q", code, pub.stderr)
	}
}

func TestCatPair(t *testing.T) {
	aIn, toA := io.Pipe()
	defer toA.Close()
	a := startRun(t, aIn, "cat", "pair", "@tcp://127.0.0.1:*")
	ep := a.boundEndpoint(t)
	b := startRun(t, strings.NewReader("from b\n"), "cat", "pair", ep, "-n", "1")
	a.stdout.waitLine(t, "from b")
	if _, err := io.WriteString(toA, "from a\n"); err != nil {
		t.Fatal(err)
	}
	if code := b.wait(t); code != 0 || b.stdout.String() != "from a\n" {
		t.Errorf("b: status %d, stdout %q, stderr %q", code, b.stdout, b.stderr)
	}
	a.cancel()
	if code := a.wait(t); code != 0 {
		t.Errorf("a: status %d after cancel, stderr %q", code, a.stderr)
	}
}

func TestCatFramesSep(t *testing.T) {
	pull := startRun(t, nil, "cat", "pull", "@tcp://127.0.0.1:*", "-n", "2", "--frames-sep", ", ")
	ep := pull.boundEndpoint(t)
	// With separator "|", "\x7c" is a "|" inside a frame.
	code, _, errOut := runSync(t, "a|b\\x7cc\nx,y|\n", "cat", "push", ep, "--frames-sep", "|")
	if code != 0 {
		t.Fatalf("push: status %d, stderr %q", code, errOut)
	}
	if code := pull.wait(t); code != 0 {
		t.Fatalf("pull: status %d, stderr %q", code, pull.stderr)
	}
	// With separator ", ", commas inside frames are escaped.
	if got, want := pull.stdout.String(), "a, b|c\nx\\x2cy, \n"; got != want {
		t.Errorf("pull printed %q, want %q", got, want)
	}
}

func TestCatTimeout(t *testing.T) {
	code, _, errOut := runSync(t, "", "cat", "pull", "@tcp://127.0.0.1:*", "-n", "1", "--timeout", "50ms")
	if code != 1 || !strings.HasSuffix(errOut, "\nzkit: timeout\n") {
		t.Errorf("with -n: status %d, stderr %q", code, errOut)
	}
	code, _, errOut = runSync(t, "", "cat", "pull", "@tcp://127.0.0.1:*", "--timeout", "50ms")
	if code != 0 || strings.Count(errOut, "\n") != 1 {
		t.Errorf("without -n: status %d, stderr %q", code, errOut)
	}
	code, _, errOut = runSync(t, "x\n", "cat", "req", "tcp://127.0.0.1:1", "-n", "1", "--timeout", "50ms")
	if code != 1 || errOut != "zkit: timeout\n" {
		t.Errorf("req: status %d, stderr %q", code, errOut)
	}
}

func TestCatInterrupt(t *testing.T) {
	for _, args := range [][]string{
		{"cat", "pull", "@tcp://127.0.0.1:*"},
		{"cat", "router", "@tcp://127.0.0.1:*"},
		{"cat", "rep", "@tcp://127.0.0.1:*"},
		{"cat", "push", "@tcp://127.0.0.1:*"},
	} {
		in, w := io.Pipe()
		r := startRun(t, in, args...)
		r.boundEndpoint(t)
		if args[1] == "push" {
			// Blocked sending: a bound PUSH has no peer.
			if _, err := io.WriteString(w, "stuck\n"); err != nil {
				t.Fatal(err)
			}
		}
		r.cancel()
		if code := r.wait(t); code != 0 {
			t.Errorf("%q: status %d after cancel, stderr %q", args, code, r.stderr)
		}
		w.Close()
	}
}

func TestCatBadLine(t *testing.T) {
	code, _, errOut := runSync(t, "good\n\\q\n", "cat", "push", "tcp://127.0.0.1:1")
	if code != 1 || !strings.Contains(errOut, "line 2") {
		t.Errorf("status %d, stderr %q", code, errOut)
	}
	checkOneLineError(t, errOut)
}

func TestCatVerbose(t *testing.T) {
	pull := startRun(t, nil, "cat", "pull", "@tcp://127.0.0.1:*", "-n", "1", "-v")
	ep := pull.boundEndpoint(t)
	if code, _, errOut := runSync(t, "x\n", "cat", "push", ep); code != 0 {
		t.Fatalf("push: status %d, stderr %q", code, errOut)
	}
	if code := pull.wait(t); code != 0 {
		t.Fatalf("pull: status %d", code)
	}
	if !strings.Contains(pull.stderr.String(), "msg=received") {
		t.Errorf("no received log in %q", pull.stderr)
	}
}

func TestIsWildcard(t *testing.T) {
	for ep, want := range map[string]bool{
		"tcp://127.0.0.1:*":      true,
		"tcp://127.0.0.1:!":      true,
		"tcp://*:*[60000-60010]": true,
		"tcp://127.0.0.1:0":      true,
		"ipc://*":                true,
		"tcp://127.0.0.1:5555":   false,
		"tcp://*:5555":           false,
		"ipc:///tmp/x":           false,
		"inproc://x":             false,
		"tcp://127.0.0.1":        false,
		"tcp://[::1]:*":          true,
		"tcp://127.0.0.1:6000":   false,
	} {
		if got := isWildcard(ep); got != want {
			t.Errorf("isWildcard(%q) = %v, want %v", ep, got, want)
		}
	}
}

// TestCatStream talks to a plain TCP client: a STREAM socket prints a
// connection notice and the bytes received, each after the connection's
// routing id, and sends the bytes of a line to the id in its first frame.
func TestCatStream(t *testing.T) {
	in, toStream := io.Pipe()
	defer toStream.Close()
	stream := startRun(t, in, "cat", "stream", "@tcp://127.0.0.1:*")
	ep := stream.boundEndpoint(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(ep, "tcp://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("hi\x00there")); err != nil {
		t.Fatal(err)
	}
	got := stream.stdout.waitLine(t, "") // the connection notice: id and an empty frame
	id, rest, ok := strings.Cut(got, "\t")
	if !ok || rest != "" || id == "" {
		t.Fatalf("first line %q, want ID<tab>", got)
	}
	if got := stream.stdout.waitLine(t, id+"\thi"); got != id+"\thi\\x00there" {
		t.Errorf("data line %q", got)
	}
	if _, err := io.WriteString(toStream, id+"\tback\\n\n"); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(waitLimit))
	buf := make([]byte, 5)
	if _, err := io.ReadFull(conn, buf); err != nil || string(buf) != "back\n" {
		t.Errorf("client read %q, %v", buf, err)
	}
	stream.cancel()
	if code := stream.wait(t); code != 0 {
		t.Errorf("status %d after cancel, stderr %q", code, stream.stderr)
	}
}
