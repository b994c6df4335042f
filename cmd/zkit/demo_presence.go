package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/presence"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// demoPeerEnv makes the zkit binary the presence section's client process
// ("endpoint|name") instead of running a command.
const demoPeerEnv = "ZKIT_DEMO_PRESENCE_PEER"

const (
	demoBeat     = 100 * time.Millisecond
	demoLiveness = 3
)

// demoPresenceClient is a DEALER with presence, served by its own loop.
type demoPresenceClient struct {
	sock *zsock.Socket
	c    *presence.Client
	stop context.CancelFunc
	done chan error
}

// startPresenceClient connects a client named name to ep. The client
// owns its socket on its loop's goroutine until close.
func startPresenceClient(ctx context.Context, zctx *zsock.Context, ep, name string) (*demoPresenceClient, error) {
	opts := []zsock.Option{zsock.WithIdentity(name), zsock.WithLinger(time.Second)}
	if zctx != nil {
		opts = append(opts, zsock.WithContext(zctx))
	}
	sock, err := zsock.NewDealer("", opts...)
	if err != nil {
		return nil, err
	}
	l, err := loop.New()
	if err != nil {
		sock.Close()
		return nil, err
	}
	c, err := presence.NewClient(ctx, l, sock, presence.WithHeartbeat(demoBeat, demoLiveness))
	if err == nil {
		_, err = l.OnMessage(sock, c.Handler(func(*zmsg.Msg) error { return nil }))
	}
	if err == nil {
		err = sock.Connect(ep)
	}
	if err != nil {
		if c != nil {
			c.Close()
		}
		sock.Close()
		return nil, err
	}
	lctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	dc := &demoPresenceClient{sock: sock, c: c, stop: stop, done: make(chan error, 1)}
	go func() { dc.done <- l.Run(lctx) }()
	return dc, nil
}

// close says GOODBYE and closes the client.
func (dc *demoPresenceClient) close() error {
	dc.stop()
	err := <-dc.done
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return errors.Join(err, dc.c.Close(), dc.sock.Close())
}

// demoPeerMain is the body of the section's client process: a presence
// client named after the spec, until stdin closes or the process is
// killed.
func demoPeerMain(spec string) int {
	ep, name, ok := strings.Cut(spec, "|")
	if !ok {
		fmt.Fprintf(os.Stderr, "zkit: bad %s %q\n", demoPeerEnv, spec)
		return 2
	}
	ctx := context.Background()
	dc, err := startPresenceClient(ctx, nil, ep, name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "zkit:", err)
		return 1
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := dc.close(); err != nil {
		fmt.Fprintln(os.Stderr, "zkit:", err)
		return 1
	}
	return 0
}

// startPeerProcess runs the zkit binary as a presence client process.
func startPeerProcess(ep, name string) (*exec.Cmd, io.Closer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), demoPeerEnv+"="+ep+"|"+name)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	return cmd, stdin, nil
}

// demoPresence: a server keeps the table of its clients while one of
// them, a separate process, is frozen, thawed, killed and started again.
func demoPresence(ctx context.Context, zctx *zsock.Context, n *narrator) error {
	router, err := zsock.NewRouter("tcp://127.0.0.1:*", zsock.WithContext(zctx))
	if err != nil {
		return err
	}
	defer router.Close()
	l, err := loop.New()
	if err != nil {
		return err
	}
	defer l.Close()
	events := make(chan presence.Event, 64)
	srv, err := presence.NewServer(ctx, l, router, presence.WithHeartbeat(demoBeat, demoLiveness),
		presence.WithOnEvent(func(e presence.Event) error {
			events <- e
			return nil
		}))
	if err != nil {
		return err
	}
	if _, err := l.OnMessage(router, srv.Handler(router.SendMsg)); err != nil {
		srv.Close()
		return err
	}
	lctx, stopLoop := context.WithCancel(ctx)
	loopDone := make(chan error, 1)
	go func() { loopDone <- l.Run(lctx) }()
	defer func() {
		stopLoop()
		<-loopDone
		srv.Close()
	}()
	ep := router.Endpoint()

	// await waits for the server's next event and shows it.
	await := func(kind presence.Kind, id string) (presence.Event, error) {
		select {
		case e := <-events:
			if e.Kind != kind || e.Peer.ID != id {
				return e, fmt.Errorf("server reported %v, expected %v %q", e, kind, id)
			}
			switch kind {
			case presence.Join:
				n.say("  server  JOIN  %-6s from %s", id, e.Peer.Address)
			case presence.Leave:
				if e.Reason == presence.HeartbeatExpired {
					n.say("  server  LEAVE %-6s %s after %v of silence", id, e.Reason,
						e.Time.Sub(e.Peer.LastSeen).Round(10*time.Millisecond))
				} else {
					n.say("  server  LEAVE %-6s %s", id, e.Reason)
				}
			}
			return e, nil
		case <-ctx.Done():
			return presence.Event{}, fmt.Errorf("waiting for %v %q: %w", kind, id, ctx.Err())
		}
	}

	n.say("A ROUTER server keeps a table of its peers. Clients say HEARTBEAT every")
	n.say("%v; the server drops one silent for %v, notices a closed connection at", demoBeat, demoBeat*demoLiveness)
	n.say("once, and hears GOODBYE from one that leaves cleanly. carol is a process.")
	var clients []*demoPresenceClient
	defer func() {
		for _, c := range clients {
			c.close()
		}
	}()
	for _, name := range []string{"alice", "bob"} {
		c, err := startPresenceClient(ctx, zctx, ep, name)
		if err != nil {
			return err
		}
		clients = append(clients, c)
		if _, err := await(presence.Join, name); err != nil {
			return err
		}
	}
	carol, carolIn, err := startPeerProcess(ep, "carol")
	if err != nil {
		return err
	}
	defer func() {
		carol.Process.Signal(syscall.SIGCONT)
		carolIn.Close()
		carol.Wait()
	}()
	if _, err := await(presence.Join, "carol"); err != nil {
		return err
	}

	n.say("carol's process is frozen (SIGSTOP): her connection stays open but she")
	n.say("falls silent, as a hung machine or a cut cable would.")
	if err := carol.Process.Signal(syscall.SIGSTOP); err != nil {
		return err
	}
	if _, err := await(presence.Leave, "carol"); err != nil {
		return err
	}
	n.say("She is thawed (SIGCONT); her heartbeats flow again on the same connection.")
	if err := carol.Process.Signal(syscall.SIGCONT); err != nil {
		return err
	}
	if _, err := await(presence.Join, "carol"); err != nil {
		return err
	}
	n.say("Her process is killed (SIGKILL): the kernel closes the connection.")
	if err := carol.Process.Kill(); err != nil {
		return err
	}
	if _, err := await(presence.Leave, "carol"); err != nil {
		return err
	}
	carol.Wait()
	carolIn.Close()
	n.say("A new carol process connects: the reconnect is a join.")
	carol, carolIn, err = startPeerProcess(ep, "carol")
	if err != nil {
		return err
	}
	if _, err := await(presence.Join, "carol"); err != nil {
		return err
	}
	n.say("bob closes cleanly.")
	if err := clients[1].close(); err != nil {
		return err
	}
	clients = clients[:1]
	if _, err := await(presence.Leave, "bob"); err != nil {
		return err
	}
	var names []string
	for _, p := range srv.Peers() {
		names = append(names, p.ID)
	}
	n.say("  server  present: %s", strings.Join(names, ", "))
	return nil
}
