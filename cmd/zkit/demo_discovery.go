package main

import (
	"context"
	"fmt"
	"maps"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zkit-go/zkit/beacon"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/zsock"
)

// discoveryNode is one node of the discovery section.
type discoveryNode struct {
	name   string
	pull   *zsock.Socket            // where the node receives hellos
	beacon *beacon.Beacon           // announces the PULL's port
	heard  chan beacon.Message      // beacons of the other nodes
	peers  map[string]int           // peer name -> its PULL's port
	conns  map[string]*zsock.Socket // PUSH sockets to peers
}

// demoDiscovery: three nodes on this host, each with a PULL socket on a
// port of its own choosing, announce "zkit-demo NAME PORT" by UDP beacon
// on the loopback interface, find the others, connect to them and say
// hello.
func demoDiscovery(ctx context.Context, zctx *zsock.Context, n *narrator) error {
	port, err := freeUDPPort()
	if err != nil {
		return err
	}
	names := []string{"alice", "bob", "carol"}
	nodes := make([]*discoveryNode, 0, len(names))
	defer func() {
		for _, nd := range nodes {
			nd.close()
		}
	}()
	for _, name := range names {
		nd, err := startNode(ctx, zctx, name, port)
		if err != nil {
			return err
		}
		nodes = append(nodes, nd)
	}
	n.say("Three nodes bind PULL sockets on ports they do not know in advance and")
	n.say("announce \"zkit-demo NAME PORT\" every 100ms by UDP beacon (port %d, on", port)
	n.say("loopback). Each listens for the others' beacons.")
	if err := hearAll(ctx, nodes); err != nil {
		return err
	}
	for _, nd := range nodes {
		n.say("  %-7s found %s", nd.name, strings.Join(slices.Sorted(maps.Keys(nd.peers)), " and "))
	}
	n.say("Each node connects a PUSH socket to every peer it found and says hello:")
	for _, nd := range nodes {
		for _, peer := range slices.Sorted(maps.Keys(nd.peers)) {
			push, err := zsock.NewPush(">tcp://127.0.0.1:"+strconv.Itoa(nd.peers[peer]), zsock.WithContext(zctx))
			if err != nil {
				return err
			}
			nd.conns[peer] = push
			if err := push.SendString("hello "+peer+", this is "+nd.name, 0); err != nil {
				return err
			}
		}
	}
	for _, nd := range nodes {
		var got []string
		for range len(nd.peers) {
			s, err := nd.pull.RecvStringContext(ctx)
			if err != nil {
				return err
			}
			got = append(got, s)
		}
		slices.Sort(got)
		for _, s := range got {
			n.say("  %-7s receives %q", nd.name, s)
		}
	}
	return nil
}

func startNode(ctx context.Context, zctx *zsock.Context, name string, port int) (*discoveryNode, error) {
	nd := &discoveryNode{name: name, heard: make(chan beacon.Message, 64),
		peers: map[string]int{}, conns: map[string]*zsock.Socket{}}
	var err error
	if nd.pull, err = zsock.NewPull("@tcp://127.0.0.1:*", zsock.WithContext(zctx)); err != nil {
		return nil, err
	}
	if nd.beacon, err = beacon.New(ctx, beacon.WithInterface("lo"), beacon.WithChannel(nd.heard)); err != nil {
		nd.close()
		return nil, err
	}
	_, err = nd.beacon.Configure(ctx, port)
	if err == nil {
		err = nd.beacon.Subscribe(ctx, []byte("zkit-demo "))
	}
	if err == nil {
		ep := nd.pull.Endpoint()
		own := fmt.Sprintf("zkit-demo %s %s", name, ep[strings.LastIndexByte(ep, ':')+1:])
		err = nd.beacon.Publish(ctx, []byte(own), 100*time.Millisecond)
	}
	if err != nil {
		nd.close()
		return nil, err
	}
	return nd, nil
}

// hearAll records the peers each node hears until every node has found
// every other. A Poller waits on the nodes' beacon channels together.
func hearAll(ctx context.Context, nodes []*discoveryNode) error {
	sources := make([]*loop.ChanSource[beacon.Message], len(nodes))
	srcs := make([]loop.Source, len(nodes))
	for i, nd := range nodes {
		sources[i] = loop.NewChanSource((<-chan beacon.Message)(nd.heard))
		srcs[i] = sources[i]
	}
	p, err := loop.NewPoller(srcs...)
	if err != nil {
		return err
	}
	defer p.Close()
	for !allFound(nodes) {
		if _, err := p.Wait(ctx); err != nil {
			return fmt.Errorf("discovery incomplete: %w", err)
		}
		for i, nd := range nodes {
			m, ok, _ := sources[i].Recv()
			if !ok {
				continue
			}
			fields := strings.Fields(string(m.Payload))
			if len(fields) != 3 || fields[1] == nd.name {
				continue
			}
			if port, err := strconv.Atoi(fields[2]); err == nil {
				nd.peers[fields[1]] = port
			}
		}
	}
	return nil
}

func allFound(nodes []*discoveryNode) bool {
	for _, nd := range nodes {
		if len(nd.peers) < len(nodes)-1 {
			return false
		}
	}
	return true
}

func (nd *discoveryNode) close() {
	for _, c := range nd.conns {
		c.Close()
	}
	if nd.beacon != nil {
		nd.beacon.Close()
	}
	if nd.pull != nil {
		nd.pull.Close()
	}
}

// freeUDPPort finds a UDP port free on loopback.
func freeUDPPort() (int, error) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}
