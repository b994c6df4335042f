package beacon

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// helperEnv makes the test binary act as a second beacon process.
const helperEnv = "ZKIT_BEACON_CHILD_PORT"

// helperMain runs the child side when helperEnv is set: it publishes
// "child" on loopback, waits for a beacon starting with "parent", prints
// it and exits. It reports whether it ran.
func helperMain() bool {
	if spec := os.Getenv(nodeEnv); spec != "" {
		if err := nodeMain(spec); err != nil {
			fmt.Fprintln(os.Stderr, "node:", err)
			os.Exit(1)
		}
		return true
	}
	port, err := strconv.Atoi(os.Getenv(helperEnv))
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := child(ctx, port); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
	return true
}

func child(ctx context.Context, port int) error {
	b, err := New(ctx, WithInterface("lo"))
	if err != nil {
		return err
	}
	defer b.Close()
	if _, err := b.Configure(ctx, port); err != nil {
		return err
	}
	if err := b.Subscribe(ctx, []byte("parent")); err != nil {
		return err
	}
	if err := b.Publish(ctx, []byte("child"), fast); err != nil {
		return err
	}
	m, err := b.RecvMsgContext(ctx)
	if err != nil {
		return err
	}
	fs := m.Frames()
	fmt.Printf("heard %s %s\n", fs[0].Text(), fs[1].Text())
	return nil
}

// Two processes on a loopback-only setup find each other.
func TestLoopbackTwoProcesses(t *testing.T) {
	ctx := testCtx(t)
	port := freePort(t)
	b := loBeacon(t, ctx, port)
	if err := b.Subscribe(ctx, []byte("child")); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(ctx, []byte("parent"), fast); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", helperEnv, port))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	if strings.TrimSpace(line) != "heard 127.0.0.1 parent" {
		t.Fatalf("child printed %q", line)
	}
	if _, data := recvBeacon(t, ctx, b); data != "child" {
		t.Fatalf("parent heard %q", data)
	}
}
