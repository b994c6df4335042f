package interop

// Beacon interop with CZMQ's zbeacon (testdata/czmqbeacon.c). zbeacon only
// uses interfaces that can broadcast, never loopback, so the test builds
// two network namespaces joined by a veth pair (it needs root and
// iproute2) and runs CZMQ in one and zkit's command-line tool in the
// other, in both directions.

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/zkit-go/zkit/internal/netnstest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireNetns skips (or, with CI=true, fails) unless namespaces can be
// made here.
func requireNetns(t *testing.T) {
	t.Helper()
	var err error
	if os.Geteuid() != 0 {
		err = fmt.Errorf("network namespaces need root")
	} else if _, lerr := exec.LookPath("ip"); lerr != nil {
		err = fmt.Errorf("the ip command (iproute2) is missing: %w", lerr)
	}
	requirePeer(t, "network namespaces (root and iproute2)", err)
}

// vethPair makes namespaces A (10.251.9.1) and B (10.251.9.2) joined by a
// veth pair and returns their names and B's interface.
func vethPair(t *testing.T) (nsA, nsB, ifB string) {
	t.Helper()
	p := netnstest.NewPair(t, "interop", 9)
	return p.NSA, p.NSB, p.IfB
}

// buildTool compiles a C helper against libczmq, or the zkit command, into
// dir.
func buildTools(t *testing.T, ctx context.Context) (czmqBeacon, zkit string) {
	t.Helper()
	var missing error
	for _, tool := range []string{"gcc", "pkg-config"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = err
		}
	}
	var flags []byte
	if missing == nil {
		var err error
		if flags, err = exec.CommandContext(ctx, "pkg-config", "--cflags", "--libs", "libczmq").Output(); err != nil {
			missing = fmt.Errorf("pkg-config --cflags --libs libczmq: %w", err)
		}
	}
	requirePeer(t, "CZMQ (gcc, pkg-config and libczmq)", missing)
	dir := t.TempDir()
	src, err := filepath.Abs(filepath.Join("testdata", "czmqbeacon.c"))
	if err != nil {
		t.Fatal(err)
	}
	czmqBeacon = filepath.Join(dir, "czmqbeacon")
	args := append([]string{"-O1", "-o", czmqBeacon, src}, strings.Fields(string(flags))...)
	if out, err := exec.CommandContext(ctx, "gcc", args...).CombinedOutput(); err != nil {
		t.Fatalf("gcc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	zkit = filepath.Join(dir, "zkit")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", zkit, "github.com/zkit-go/zkit/cmd/zkit").CombinedOutput(); err != nil {
		t.Fatalf("go build zkit: %v\n%s", err, out)
	}
	return czmqBeacon, zkit
}

func TestCZMQBeacon(t *testing.T) {
	requireNetns(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	czmqBeacon, zkit := buildTools(t, ctx)
	nsA, nsB, ifB := vethPair(t)
	const port = "31999"

	t.Run("zkit hears czmq", func(t *testing.T) {
		pub := exec.CommandContext(ctx, "ip", "netns", "exec", nsA, czmqBeacon, "publish", port, "czmq-hello", "20")
		if err := pub.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { pub.Process.Kill(); pub.Wait() }()
		out, err := exec.CommandContext(ctx, "ip", "netns", "exec", nsB, zkit, "beacon", "listen",
			"--iface", ifB, "--port", port, "--filter", "czmq", "-n", "1", "--json", "--timeout", "15s").CombinedOutput()
		if err != nil {
			t.Fatalf("zkit beacon listen: %v\n%s", err, out)
		}
		var got struct {
			Addr string `json:"addr"`
			Data string `json:"data"`
		}
		line := out[strings.LastIndexByte(strings.TrimSpace(string(out)), '\n')+1:]
		if err := json.Unmarshal(line, &got); err != nil {
			t.Fatalf("output %q: %v", out, err)
		}
		if got.Addr != "10.251.9.1" || got.Data != fmt.Sprintf("%x", "czmq-hello") {
			t.Fatalf("zkit heard %+v", got)
		}
	})

	t.Run("czmq hears zkit", func(t *testing.T) {
		pub := exec.CommandContext(ctx, "ip", "netns", "exec", nsB, zkit, "beacon", "publish", "zkit-hello",
			"--iface", ifB, "--port", port, "--interval", "100ms", "--for", "20s")
		if err := pub.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { pub.Process.Kill(); pub.Wait() }()
		out, err := exec.CommandContext(ctx, "ip", "netns", "exec", nsA, czmqBeacon, "listen", port, "zkit", "15").Output()
		if err != nil {
			t.Fatalf("czmqbeacon listen: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "beacon 10.251.9.2 zkit-hello\n") {
			t.Fatalf("CZMQ printed %q", out)
		}
	})

	t.Run("filters and self-suppression agree", func(t *testing.T) {
		// CZMQ publishes "self-czmq" and subscribes to "self" in one
		// process, while zkit publishes "self-zkit" and "nope-zkit" from
		// the other namespace. Of the first five beacons CZMQ delivers,
		// all are zkit's "self-zkit": its own beacon is suppressed by
		// content and "nope" fails the prefix, exactly as zkit's own
		// listener behaves (see the beacon package's tests).
		for _, data := range []string{"self-zkit", "nope-zkit"} {
			pub := exec.CommandContext(ctx, "ip", "netns", "exec", nsB, zkit, "beacon", "publish", data,
				"--iface", ifB, "--port", port, "--interval", "100ms", "--for", "20s")
			if err := pub.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { pub.Process.Kill(); pub.Wait() }()
		}
		out, err := exec.CommandContext(ctx, "ip", "netns", "exec", nsA, czmqBeacon, "both", port, "self-czmq", "self", "5", "15").Output()
		if err != nil {
			t.Fatalf("czmqbeacon both: %v\n%s", err, out)
		}
		beacons := 0
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if !strings.HasPrefix(line, "beacon ") {
				continue
			}
			beacons++
			if line != "beacon 10.251.9.2 self-zkit" {
				t.Errorf("CZMQ delivered %q", line)
			}
		}
		if beacons != 5 {
			t.Fatalf("CZMQ delivered %d beacons:\n%s", beacons, out)
		}
	})
}
