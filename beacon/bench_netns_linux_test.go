package beacon

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkFirstBeaconNetns measures, across a real link, the time from a
// publisher starting (New, Configure, Publish) in this process to a
// listener in another network namespace delivering its first beacon. The
// two ends are joined by a veth pair from this namespace to one the
// benchmark creates; the listener is this test binary run as a beacon
// node there, and the time includes its writing a line to a pipe. Needs
// root and iproute2.
func BenchmarkFirstBeaconNetns(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("needs root to create a network namespace")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		b.Skip("needs the ip command (iproute2)")
	}
	id := os.Getpid() % 100000
	ns, here, there := fmt.Sprintf("zkbench%d", id), fmt.Sprintf("zkbh%d", id), fmt.Sprintf("zkbt%d", id)
	sh := func(args ...string) {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	sh("ip", "netns", "add", ns)
	b.Cleanup(func() { _ = exec.Command("ip", "netns", "del", ns).Run() })
	sh("ip", "link", "add", here, "type", "veth", "peer", "name", there, "netns", ns)
	b.Cleanup(func() { _ = exec.Command("ip", "link", "del", here).Run() })
	sh("ip", "addr", "add", "10.253.7.1/24", "brd", "+", "dev", here)
	sh("ip", "link", "set", here, "up")
	sh("ip", "-n", ns, "addr", "add", "10.253.7.2/24", "brd", "+", "dev", there)
	sh("ip", "-n", ns, "link", "set", "lo", "up")
	sh("ip", "-n", ns, "link", "set", there, "up")

	port := freePortRaw(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", ns, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|broadcast|%d|listener|bench-", nodeEnv, there, port))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	// round publishes payload every interval and returns when the node
	// prints it.
	round := func(payload string, interval time.Duration) time.Duration {
		start := time.Now()
		pub, err := New(ctx, WithInterface(here))
		if err != nil {
			b.Fatal(err)
		}
		defer pub.Close()
		if _, err := pub.Configure(ctx, port); err != nil {
			b.Fatal(err)
		}
		if err := pub.Publish(ctx, []byte(payload), interval); err != nil {
			b.Fatal(err)
		}
		want := "10.253.7.1 " + payload
		deadline := time.After(10 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					b.Fatal("listener ended")
				}
				if l == want {
					return time.Since(start)
				}
			case <-deadline:
				b.Fatalf("no %q within 10s", want)
			}
		}
	}
	// The node is ready once it hears the warm-up beacon, repeated until
	// it does; every measured beacon is then sent once.
	round("bench-warmup", 50*time.Millisecond)
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		times = append(times, round(fmt.Sprintf("bench-%d", i), time.Hour))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1e3, "p50-us")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds())/1e3, "p99-us")
}
