package beacon

import (
	"bufio"
	"context"
	"fmt"
	"github.com/zkit-go/zkit/internal/netnstest"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// nodeEnv makes the test binary a beacon node inside a namespace:
// "iface|mode|port|payload|prefix". It publishes payload, prints every
// beacon it hears as "addr payload", and exits when stdin closes.
const nodeEnv = "ZKIT_BEACON_NODE"

func nodeMain(spec string) error {
	f := strings.Split(spec, "|")
	if len(f) != 5 {
		return fmt.Errorf("bad node spec %q", spec)
	}
	port, err := strconv.Atoi(f[2])
	if err != nil {
		return err
	}
	opts := []Option{WithInterface(f[0])}
	switch f[1] {
	case "multicast":
		opts = append(opts, WithGroup(netip.MustParseAddr("239.192.0.77")))
	case "ipv6":
		opts = append(opts, WithIPv6())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // end when the parent closes stdin
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	b, err := New(ctx, opts...)
	if err != nil {
		return err
	}
	defer b.Close()
	if _, err := b.Configure(ctx, port); err != nil {
		return err
	}
	if err := b.Subscribe(ctx, []byte(f[4])); err != nil {
		return err
	}
	if err := b.Publish(ctx, []byte(f[3]), 50*time.Millisecond); err != nil {
		return err
	}
	for {
		m, err := b.RecvMsgContext(ctx)
		if err != nil {
			return nil
		}
		fs := m.Frames()
		fmt.Printf("%s %s\n", fs[0].Text(), fs[1].Text())
	}
}

func requireRoot(t *testing.T) { netnstest.RequireRoot(t) }

func run(t *testing.T, args ...string) {
	t.Helper()
	netnstest.Run(t, args...)
}

// netPair creates two namespaces joined by a veth pair, 10.251.7.1 and .2.
func netPair(t *testing.T) (nsA, nsB, ifA, ifB string) {
	t.Helper()
	p := netnstest.NewPair(t, "beacon", 7)
	return p.NSA, p.NSB, p.IfA, p.IfB
}

// node runs a beacon node in namespace ns and returns its output lines.
func node(t *testing.T, ctx context.Context, ns, spec string) <-chan string {
	t.Helper()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", ns, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), nodeEnv+"="+spec)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default: // the test stopped reading
			}
		}
	}()
	t.Cleanup(func() {
		_ = stdin.Close()
		<-done
		if err := cmd.Wait(); err != nil && ctx.Err() == nil {
			t.Errorf("node in %s: %v", ns, err)
		}
	})
	return lines
}

// expect waits for a line satisfying ok.
func expect(t *testing.T, ctx context.Context, lines <-chan string, what string, ok func(string) bool) {
	t.Helper()
	for {
		select {
		case l, open := <-lines:
			if !open {
				t.Fatalf("node ended while waiting for %s", what)
			}
			if ok(l) {
				return
			}
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		}
	}
}

// quiet waits until lines stays silent for gap.
func quiet(t *testing.T, ctx context.Context, lines <-chan string, gap time.Duration) {
	t.Helper()
	for {
		select {
		case <-lines:
		case <-time.After(gap):
			return
		case <-ctx.Done():
			t.Fatalf("peer still heard: %v", ctx.Err())
		}
	}
}

func TestNamespaces(t *testing.T) {
	requireRoot(t)
	nsA, nsB, ifA, ifB := netPair(t)
	for _, mode := range []string{"broadcast", "multicast", "ipv6"} {
		t.Run(mode, func(t *testing.T) {
			ctx := testCtx(t)
			if mode == "ipv6" {
				// The broadcast case took the link down and up again.
				netnstest.WaitLinkLocal(t, nsA, ifA)
				netnstest.WaitLinkLocal(t, nsB, ifB)
			}
			port := freePort(t)
			a := node(t, ctx, nsA, fmt.Sprintf("%s|%s|%d|A-%s|B", ifA, mode, port, mode))
			b := node(t, ctx, nsB, fmt.Sprintf("%s|%s|%d|B-%s|A", ifB, mode, port, mode))
			wantA, wantB := "10.251.7.1 A-"+mode, "10.251.7.2 B-"+mode
			if mode == "ipv6" {
				wantA, wantB = "%"+ifB+" A-"+mode, "%"+ifA+" B-"+mode
			}
			expect(t, ctx, b, wantA, func(l string) bool { return strings.Contains(l, wantA) })
			expect(t, ctx, a, wantB, func(l string) bool { return strings.Contains(l, wantB) })
			if mode != "broadcast" {
				return
			}
			// The link goes down: A is no longer heard; it comes back: A is
			// heard again.
			run(t, "ip", "-n", nsA, "link", "set", ifA, "down")
			quiet(t, ctx, b, time.Second)
			run(t, "ip", "-n", nsA, "link", "set", ifA, "up")
			expect(t, ctx, b, wantA+" after link up", func(l string) bool { return strings.Contains(l, wantA) })
		})
	}
}
