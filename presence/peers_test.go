package presence_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/internal/netnstest"
	"github.com/zkit-go/zkit/presence"
	"github.com/zkit-go/zkit/zsock"
)

// A peer process killed with SIGKILL leaves as disconnected: the kernel
// closes its connection, and the server's probe finds it gone. The
// server's heartbeat is an hour, so nothing else could have removed it.
func TestKilledPeerProcess(t *testing.T) {
	srv := startServer(t, must(zsock.NewRouter("tcp://127.0.0.1:*"))(t), presence.WithHeartbeat(time.Hour, 1))
	for i := range 3 {
		h := startHelper(t, helperCmd(peerEnv+"="+srv.sock.Endpoint()+"|100ms"))
		h.expectLine(t, "up")
		join := next(t, srv.events, "JOIN of the helper")
		if join.Kind != presence.Join {
			t.Fatalf("round %d: %v", i, join)
		}
		if err := h.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		expectEvent(t, srv.events, presence.Leave, join.Peer.ID, presence.ConnectionLost)
	}
	if st := srv.p.Stats(); st.Joins != 3 || st.Disconnected != 3 || srv.p.Len() != 0 {
		t.Fatalf("stats %+v, %d present", st, srv.p.Len())
	}
}

// When the network path goes away without a word (the link goes down in
// a namespace, so no FIN or RST ever arrives), the peer leaves once its
// heartbeat expires, within the configured timeout plus one interval;
// when the path comes back, the same connection carries its heartbeats
// again and it rejoins.
func TestNetworkLoss(t *testing.T) {
	netnstest.RequireRoot(t)
	n := netnstest.NewPair(t, "pres", 8)
	const ivl, liveness = 250 * time.Millisecond, 3
	ep := fmt.Sprintf("tcp://%s:5%03d", n.AddrA, rand.IntN(1000))
	srv := startHelper(t, netnstest.Command(n.NSA, fmt.Sprintf("%s=%s|%v|%d", serverEnv, ep, ivl, liveness)))
	srv.expectLine(t, "bound")
	peer := startHelper(t, netnstest.Command(n.NSB, peerEnv+"="+ep+"|"+ivl.String()))
	peer.expectLine(t, "up")
	id := strings.TrimPrefix(srv.expectLine(t, "JOIN "), "JOIN ")

	netnstest.Run(t, "ip", "-n", n.NSB, "link", "set", n.IfB, "down")
	f := strings.Fields(srv.expectLine(t, "LEAVE "+id+" "))
	if len(f) != 4 || f[2] != "heartbeat-expired" {
		t.Fatalf("leave %q, want reason heartbeat-expired", f)
	}
	silence, _ := strconv.Atoi(f[3])
	ttl := ivl * liveness
	if d := time.Duration(silence) * time.Millisecond; d < ttl || d > ttl+ivl {
		t.Fatalf("left after %v of silence, want between %v and %v", d, ttl, ttl+ivl)
	}
	netnstest.Run(t, "ip", "-n", n.NSB, "link", "set", n.IfB, "up")
	if got := srv.expectLine(t, "JOIN "); got != "JOIN "+id {
		t.Fatalf("after the link came back: %q, want JOIN %s", got, id)
	}
}

// Peers that come and go quickly, with the same identities, cleanly or
// not, never join twice without leaving in between, and every join gets
// its leave.
func TestFlappingPeers(t *testing.T) {
	srv := startServer(t, must(zsock.NewRouter("tcp://127.0.0.1:*"))(t), presence.WithHeartbeat(50*time.Millisecond, 3))
	rng := rand.New(rand.NewPCG(1, 2))
	const ids, rounds = 8, 6
	for r := range rounds {
		var live []*client
		for i := range ids {
			opts := []presence.Option{presence.WithHeartbeat(20*time.Millisecond, 3)}
			c := startClient(t, srv.sock.Endpoint(), opts, zsock.WithIdentity(fmt.Sprintf("id%d", i)), zsock.WithReconnectIvl(5*time.Millisecond))
			live = append(live, c)
		}
		if r%2 == 0 {
			// Let some traffic through before the flap.
			for _, c := range live {
				c.send(t, "ping")
			}
		}
		for _, c := range live {
			c.close(rng.IntN(2) == 0)
		}
	}
	// Replay the events until every join has its leave.
	present := map[string]bool{}
	var joins, leaves int
	// Stats count a join before its event is emitted, so once the events
	// read match the count and nobody is present, all were read.
	for joins == 0 || len(present) > 0 || uint64(joins) < srv.p.Stats().Joins {
		e := next(t, srv.events, fmt.Sprintf("leaves of %v", present))
		switch e.Kind {
		case presence.Join:
			if present[e.Peer.ID] {
				t.Fatalf("%q joined twice", e.Peer.ID)
			}
			present[e.Peer.ID] = true
			joins++
		case presence.Leave:
			if !present[e.Peer.ID] {
				t.Fatalf("%q left without being present", e.Peer.ID)
			}
			delete(present, e.Peer.ID)
			leaves++
		}
	}
	st := srv.p.Stats()
	if uint64(joins) != st.Joins || uint64(leaves) != st.Goodbyes+st.Expired+st.Disconnected {
		t.Fatalf("events: %d joins, %d leaves; stats %+v", joins, leaves, st)
	}
	if srv.p.Len() != 0 {
		t.Fatalf("%d peers present after all left: %+v", srv.p.Len(), srv.p.Peers())
	}
	t.Logf("%d joins; leaves: %d goodbye, %d disconnected, %d expired", joins, st.Goodbyes, st.Disconnected, st.Expired)
}

// A thousand peers on one ROUTER: the table holds each once, and empties
// as half say goodbye and half drop their connections.
func TestThousandPeers(t *testing.T) {
	const n = 1000
	zctx := must(zsock.NewContext(zsock.WithMaxSockets(n + 100)))(t)
	defer zctx.Close()
	srv := startServer(t, must(zsock.NewRouter("tcp://127.0.0.1:*", zsock.WithContext(zctx)))(t), presence.WithHeartbeat(time.Hour, 1))
	defer srv.close()
	dealers := make([]*zsock.Socket, n)
	for i := range dealers {
		dealers[i] = must(zsock.NewDealer(srv.sock.Endpoint(), zsock.WithContext(zctx), zsock.WithIdentity(fmt.Sprintf("p%04d", i)), zsock.WithLinger(time.Second)))(t)
		if err := dealers[i].Send(heartbeat.Heartbeat.Bytes(), 0); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for len(seen) < n {
		e := next(t, srv.events, fmt.Sprintf("join %d", len(seen)))
		if e.Kind != presence.Join || seen[e.Peer.ID] {
			t.Fatalf("event %v after %d joins", e, len(seen))
		}
		seen[e.Peer.ID] = true
	}
	peers := srv.p.Peers()
	if len(peers) != n || srv.p.Len() != n {
		t.Fatalf("%d peers listed, Len %d", len(peers), srv.p.Len())
	}
	for i, p := range peers {
		if !seen[p.ID] || (i > 0 && p.Joined.Before(peers[i-1].Joined)) {
			t.Fatalf("Peers()[%d] = %+v out of order or unknown", i, p)
		}
	}
	for i, d := range dealers {
		if i%2 == 0 {
			if err := d.Send(heartbeat.Goodbye.Bytes(), 0); err != nil {
				t.Fatal(err)
			}
		} else if err := d.SetLinger(0); err != nil {
			t.Fatal(err)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for left := 0; left < n; left++ {
		e := next(t, srv.events, fmt.Sprintf("leave %d", left))
		if e.Kind != presence.Leave || !seen[e.Peer.ID] {
			t.Fatalf("event %v after %d leaves", e, left)
		}
		delete(seen, e.Peer.ID)
	}
	st := srv.p.Stats()
	if st.Joins != n || st.Goodbyes+st.Disconnected != n || st.Expired != 0 || srv.p.Len() != 0 {
		t.Fatalf("stats %+v, %d present", st, srv.p.Len())
	}
	if st.Goodbyes < n/2 {
		t.Fatalf("%d goodbyes, want at least %d", st.Goodbyes, n/2)
	}
}
