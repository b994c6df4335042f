package presence_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/internal/echobench"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/presence"
	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// BenchmarkPresenceEcho measures what presence costs a busy server: a
// ROUTER echo server on a loop with 100 DEALER clients, without presence
// (/base) and with every message going through Server.Observe (/zkit).
func BenchmarkPresenceEcho(b *testing.B) {
	const clients = 100
	for _, side := range []string{"base", "zkit"} {
		b.Run("100clients/"+side, func(b *testing.B) {
			zctx := must(zsock.NewContext())(b)
			defer zctx.Close()
			router := must(zsock.NewRouter("tcp://127.0.0.1:*", zsock.WithContext(zctx)))(b)
			defer router.Close()
			l := must(loop.New())(b)
			defer l.Close()
			handler := router.SendMsg
			var p *presence.Server
			if side == "zkit" {
				p = must(presence.NewServer(context.Background(), l, router))(b)
				handler = p.Handler(router.SendMsg)
			}
			must(l.OnMessage(router, handler))(b)
			done := make(chan error, 1)
			go func() { done <- l.Run(context.Background()) }()
			echobench.Clients(b, router.Endpoint(), clients, zsock.WithContext(zctx))
			l.Stop()
			if err := <-done; err != nil {
				b.Fatal(err)
			}
			if p != nil {
				if n := p.Stats().Joins; n != clients {
					b.Fatalf("%d joins, want %d", n, clients)
				}
				if err := p.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLeaveDetection measures how long after a peer dies the server
// reports its Leave, against the budget of the heartbeat timeout plus one
// interval. Each round, 50 peers heartbeat every 20 ms (liveness 3, so
// the budget is 80 ms) a few times and then die at a random moment
// between two heartbeats: "silent" peers
// stop sending but keep their connection, as a frozen process or a cut
// cable; "closed" peers drop their connection, as a killed process.
func BenchmarkLeaveDetection(b *testing.B) {
	const (
		peers    = 50
		interval = 20 * time.Millisecond
		liveness = 3
	)
	budget := interval*liveness + interval
	for _, how := range []string{"silent", "closed"} {
		b.Run(how, func(b *testing.B) {
			zctx := must(zsock.NewContext(zsock.WithMaxSockets(4 * peers)))(b)
			defer zctx.Close()
			router := must(zsock.NewRouter("tcp://127.0.0.1:*", zsock.WithContext(zctx)))(b)
			defer router.Close()
			l := must(loop.New())(b)
			defer l.Close()
			type leave struct {
				id   string
				at   time.Time
				why  presence.Reason
				join bool
			}
			events := make(chan leave, 4*peers)
			p := must(presence.NewServer(context.Background(), l, router, presence.WithHeartbeat(interval, liveness),
				presence.WithOnEvent(func(e presence.Event) error {
					events <- leave{e.Peer.ID, e.Time, e.Reason, e.Kind == presence.Join}
					return nil
				})))(b)
			must(l.OnMessage(router, p.Handler(router.SendMsg)))(b)
			done := make(chan error, 1)
			go func() { done <- l.Run(context.Background()) }()
			var lat []time.Duration
			b.ResetTimer()
			for round := range b.N {
				deaths := make(map[string]time.Time, peers)
				var mu sync.Mutex
				var wg sync.WaitGroup
				over := make(chan struct{}) // the round's leaves were all seen
				for i := range peers {
					id := fmt.Sprintf("r%d-p%d", round, i)
					d := must(zsock.NewDealer(router.Endpoint(), zsock.WithContext(zctx), zsock.WithIdentity(id)))(b)
					wg.Add(1)
					go func() {
						defer wg.Done()
						defer d.Close()
						t := time.NewTicker(interval)
						defer t.Stop()
						beats := 3 + rand.IntN(3)
						var last time.Time
						for range beats {
							if err := d.Send(heartbeat.Heartbeat.Bytes(), 0); err != nil {
								b.Error(err)
								return
							}
							last = time.Now()
							<-t.C
						}
						// The peer dies at a random point of the interval
						// after its last heartbeat: the next one would
						// have gone at last + interval.
						died := last.Add(rand.N(interval))
						<-time.After(time.Until(died))
						if how == "closed" {
							if err := d.SetLinger(0); err != nil {
								b.Error(err)
							}
							died = time.Now() // recorded before the close can be noticed
						}
						mu.Lock()
						deaths[id] = died
						mu.Unlock()
						if how == "closed" {
							d.Close()
						}
						<-over // a silent peer keeps its connection until then
					}()
				}
				for left := 0; left < peers; {
					e := <-events
					if e.join {
						continue
					}
					left++
					mu.Lock()
					died, ok := deaths[e.id]
					mu.Unlock()
					want := presence.HeartbeatExpired
					if how == "closed" {
						want = presence.ConnectionLost
					}
					if !ok || e.why != want {
						b.Fatalf("%s left (%v) before it died", e.id, e.why)
					}
					lat = append(lat, e.at.Sub(died))
				}
				close(over)
				wg.Wait()
			}
			b.StopTimer()
			l.Stop()
			if err := <-done; err != nil {
				b.Fatal(err)
			}
			if err := p.Close(); err != nil {
				b.Fatal(err)
			}
			slices.Sort(lat)
			p99 := lat[len(lat)*99/100]
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1e3, "p50-ms")
			b.ReportMetric(float64(p99.Microseconds())/1e3, "p99-ms")
			b.ReportMetric(float64(budget.Microseconds())/1e3, "budget-ms")
			b.ReportMetric(float64(p99)/float64(budget), "p99/budget")
		})
	}
}

// BenchmarkObserve measures the bookkeeping for one message from a known
// peer, alone: what Server.Observe adds to the handling of each request.
func BenchmarkObserve(b *testing.B) {
	router := must(zsock.NewRouter(""))(b)
	defer router.Close()
	l := must(loop.New())(b)
	defer l.Close()
	p := must(presence.NewServer(context.Background(), l, router))(b)
	defer p.Close()
	msgs := make([]*zmsg.Msg, 100)
	for i := range msgs {
		id := zframe.FromString(fmt.Sprintf("peer-%03d", i)).WithSource(100 + i).WithMore(true)
		msgs[i] = zmsg.New(id, zframe.FromString("request"))
		p.Observe(msgs[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if p.Observe(msgs[i%len(msgs)]) {
			b.Fatal("a request taken for presence traffic")
		}
	}
}
