package heartbeat_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/monitor"
	"github.com/zkit-go/zkit/zsock"
)

// clientEnv makes the test binary a peer process: it connects a DEALER to
// the endpoint, says hello and stays, silent, until stdin closes. libzmq's
// I/O thread in that process answers ZMTP PINGs on its own.
const clientEnv = "ZKIT_HEARTBEAT_PEER"

func peerMain(ep string) int {
	d, err := zsock.NewDealer(">" + ep)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := d.SendString("hello", 0); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	d.Close()
	return 0
}

// startPeer runs a peer process and returns it; cleanup resumes and ends it.
func startPeer(t *testing.T, ep string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), clientEnv+"="+ep)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGCONT)
		_ = stdin.Close()
		_ = cmd.Wait()
	})
	return cmd
}

// TestDeadPeerDropped proves the wire-level settings work: a peer frozen
// with SIGSTOP stops answering PINGs and the server drops its connection
// after the heartbeat timeout, while an idle peer that is alive stays.
func TestDeadPeerDropped(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w := heartbeat.Wire{Interval: 100 * time.Millisecond, Timeout: 300 * time.Millisecond, TTL: 600 * time.Millisecond}
	opts, err := w.Options()
	if err != nil {
		t.Fatal(err)
	}
	zctx, err := zsock.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	defer zctx.Close()
	server, err := zsock.New(zsock.Router, append(opts, zsock.WithContext(zctx))...)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	events := make(chan monitor.Event, 64)
	m, err := monitor.New(ctx, server, monitor.WithEvents(events), monitor.WithKinds(monitor.Accepted|monitor.Disconnected))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := server.Bind("tcp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	next := func() monitor.Event {
		t.Helper()
		select {
		case ev := <-events:
			return ev
		case <-ctx.Done():
			t.Fatal("no event:", ctx.Err())
			return monitor.Event{}
		}
	}
	// One peer at a time, so each accepted fd is known to be whose.
	frozen := startPeer(t, server.Endpoint())
	evFrozen := next()
	startPeer(t, server.Endpoint())
	evAlive := next()
	if evFrozen.Kind != monitor.Accepted || evAlive.Kind != monitor.Accepted {
		t.Fatalf("events %v, %v", evFrozen, evAlive)
	}
	for range 2 {
		if _, err := server.RecvMsgContext(ctx); err != nil {
			t.Fatal(err)
		}
	}

	if err := frozen.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	stopped := time.Now()
	ev := next()
	took := time.Since(stopped)
	if ev.Kind != monitor.Disconnected || ev.Value != evFrozen.Value {
		t.Fatalf("after SIGSTOP: %v (frozen peer's fd %d, alive %d)", ev, evFrozen.Value, evAlive.Value)
	}
	t.Logf("frozen peer dropped %v after SIGSTOP (timeout %v, interval %v)", took, w.Timeout, w.Interval)

	// The idle live peer keeps its connection through ten more timeouts:
	// nothing else is disconnected.
	window := time.NewTimer(10 * w.Timeout)
	defer window.Stop()
	select {
	case ev := <-events:
		t.Fatalf("live idle peer disturbed: %v", ev)
	case <-window.C:
	}
}
