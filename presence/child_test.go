package presence_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/presence"
	"github.com/zkit-go/zkit/zsock"
)

// The test binary doubles as helper processes, chosen by environment:
//
//	ZKIT_PRESENCE_PEER=endpoint|interval  a presence client; prints "up"
//	    when connected; says GOODBYE and exits when stdin closes.
//	ZKIT_PRESENCE_SERVER=endpoint|interval|liveness  a presence server;
//	    prints "bound", then "JOIN id" and "LEAVE id reason silence-ms"
//	    lines; exits when stdin closes.
const (
	peerEnv   = "ZKIT_PRESENCE_PEER"
	serverEnv = "ZKIT_PRESENCE_SERVER"
)

// childMain runs the test binary as a helper process when the environment
// asks for one, and reports whether it did.
func childMain() (int, bool) {
	var err error
	switch {
	case os.Getenv(peerEnv) != "":
		err = peerChild(strings.Split(os.Getenv(peerEnv), "|"))
	case os.Getenv(serverEnv) != "":
		err = serverChild(strings.Split(os.Getenv(serverEnv), "|"))
	default:
		return 0, false
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1, true
	}
	return 0, true
}

// untilStdinCloses returns a context that ends when the parent closes our
// stdin (or dies).
func untilStdinCloses() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	return ctx, cancel
}

func peerChild(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("bad peer spec %q", args)
	}
	ivl, err := time.ParseDuration(args[1])
	if err != nil {
		return err
	}
	ctx, cancel := untilStdinCloses()
	defer cancel()
	sock, err := zsock.NewDealer("", zsock.WithLinger(time.Second))
	if err != nil {
		return err
	}
	defer sock.Close()
	l, err := loop.New()
	if err != nil {
		return err
	}
	c, err := presence.NewClient(ctx, l, sock, presence.WithHeartbeat(ivl, 3), presence.WithOnEvent(func(e presence.Event) error {
		if e.Kind == presence.Connected {
			fmt.Println("up")
		}
		return nil
	}))
	if err != nil {
		return err
	}
	defer c.Close()
	if err := sock.Connect(args[0]); err != nil {
		return err
	}
	if err := l.Run(ctx); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

func serverChild(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("bad server spec %q", args)
	}
	ivl, err := time.ParseDuration(args[1])
	if err != nil {
		return err
	}
	liveness, err := strconv.Atoi(args[2])
	if err != nil {
		return err
	}
	ctx, cancel := untilStdinCloses()
	defer cancel()
	sock, err := zsock.NewRouter(args[0])
	if err != nil {
		return err
	}
	defer sock.Close()
	l, err := loop.New()
	if err != nil {
		return err
	}
	p, err := presence.NewServer(ctx, l, sock, presence.WithHeartbeat(ivl, liveness), presence.WithOnEvent(func(e presence.Event) error {
		switch e.Kind {
		case presence.Join:
			fmt.Printf("JOIN %s\n", e.Peer.ID)
		case presence.Leave:
			fmt.Printf("LEAVE %s %s %d\n", e.Peer.ID, strings.ReplaceAll(e.Reason.String(), " ", "-"),
				e.Time.Sub(e.Peer.LastSeen).Milliseconds())
		}
		return nil
	}))
	if err != nil {
		return err
	}
	defer p.Close()
	if _, err := l.OnMessage(sock, p.Handler(sock.SendMsg)); err != nil {
		return err
	}
	fmt.Println("bound")
	if err := l.Run(ctx); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

// helper is a running helper process and its output lines.
type helper struct {
	cmd   *exec.Cmd
	lines chan string
}

// startHelper starts cmd (the test binary with a helper's environment);
// cleanup closes its stdin and waits for it.
func startHelper(t *testing.T, cmd *exec.Cmd) *helper {
	t.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if cmd.Stderr == nil {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &helper{cmd: cmd, lines: make(chan string, 1000)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(h.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			h.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		_ = stdin.Close()
		<-done
		_ = cmd.Wait()
	})
	return h
}

// helperCmd returns the test binary as a helper with env set.
func helperCmd(env string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env)
	return cmd
}

// expectLine waits for the next line and checks its prefix.
func (h *helper) expectLine(t *testing.T, prefix string) string {
	t.Helper()
	select {
	case l, ok := <-h.lines:
		if !ok {
			t.Fatalf("helper ended while waiting for %q", prefix)
		}
		if !strings.HasPrefix(l, prefix) {
			t.Fatalf("helper said %q, want %q...", l, prefix)
		}
		return l
	case <-time.After(20 * time.Second):
		t.Fatalf("helper silent while waiting for %q", prefix)
	}
	return ""
}
