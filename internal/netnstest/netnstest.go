// Package netnstest builds private networks for tests: network namespaces
// joined by veth pairs, so that tests can cut a link without touching any
// network but their own.
package netnstest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// RequireRoot skips the test unless it runs as root with the ip command;
// under CI=true it fails instead.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() == 0 {
		if _, err := exec.LookPath("ip"); err == nil {
			return
		}
		if os.Getenv("CI") == "true" {
			t.Fatal("the ip command (iproute2) is needed for namespace tests")
		}
		t.Skip("namespace tests need the ip command (iproute2)")
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("namespace tests must run as root when CI=true")
	}
	t.Skip("namespace tests need root (ip netns); skipped")
}

// Run runs a command and fails the test, with its output, if it fails.
func Run(t testing.TB, args ...string) {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// Pair is two namespaces joined by a veth pair.
type Pair struct {
	NSA, NSB     string // namespace names
	IfA, IfB     string // interface names, IfA in NSA
	AddrA, AddrB string // IPv4 addresses of IfA and IfB
}

// NewPair creates two namespaces joined by a veth pair, 10.251.subnet.1
// and .2 on a /24, with IPv6 duplicate address detection off so that
// link-local addresses are usable at once. tag (a few letters) keeps the
// names of different packages' tests apart; cleanup deletes both
// namespaces, and the veth pair with them.
func NewPair(t testing.TB, tag string, subnet int) Pair {
	t.Helper()
	id := os.Getpid() % 100000
	p := Pair{
		NSA: fmt.Sprintf("zk%s%da", tag, id), NSB: fmt.Sprintf("zk%s%db", tag, id),
		IfA: fmt.Sprintf("zk%s%da", tag[:1], id), IfB: fmt.Sprintf("zk%s%db", tag[:1], id),
		AddrA: fmt.Sprintf("10.251.%d.1", subnet), AddrB: fmt.Sprintf("10.251.%d.2", subnet),
	}
	Run(t, "ip", "netns", "add", p.NSA)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", p.NSA).Run() })
	Run(t, "ip", "netns", "add", p.NSB)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", p.NSB).Run() })
	Run(t, "ip", "link", "add", p.IfA, "netns", p.NSA, "type", "veth", "peer", "name", p.IfB, "netns", p.NSB)
	for _, side := range [][3]string{{p.NSA, p.IfA, p.AddrA}, {p.NSB, p.IfB, p.AddrB}} {
		ns, ifn, addr := side[0], side[1], side[2]
		Run(t, "ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf."+ifn+".accept_dad=0")
		Run(t, "ip", "-n", ns, "addr", "add", addr+"/24", "brd", "+", "dev", ifn)
		Run(t, "ip", "-n", ns, "link", "set", "lo", "up")
		Run(t, "ip", "-n", ns, "link", "set", ifn, "up")
	}
	WaitLinkLocal(t, p.NSA, p.IfA)
	WaitLinkLocal(t, p.NSB, p.IfB)
	return p
}

// WaitLinkLocal waits until interface ifn in namespace ns has a usable
// IPv6 link-local address: the kernel adds it some time after the link
// comes up, and again after every down and up.
func WaitLinkLocal(t testing.TB, ns, ifn string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := exec.Command("ip", "-n", ns, "-6", "addr", "show", "dev", ifn, "scope", "link").CombinedOutput()
		if err != nil {
			t.Fatalf("ip addr show %s in %s: %v\n%s", ifn, ns, err, out)
		}
		text := string(out)
		if strings.Contains(text, "inet6 fe80:") && !strings.Contains(text, "tentative") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s in %s has no link-local address after 10 s:\n%s", ifn, ns, text)
		}
		time.Sleep(20 * time.Millisecond) // polling the kernel's state, not ordering goroutines
	}
}

// Command returns a command that runs the test binary itself inside
// namespace ns, running no test (-test.run=^$), with env added to its
// environment: the binary's TestMain is expected to act on env.
func Command(ns string, env ...string) *exec.Cmd {
	cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	return cmd
}
