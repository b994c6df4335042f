package loop

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	zmq "github.com/pebbe/zmq4"

	"github.com/zkit-go/zkit/internal/echobench"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// Benchmarks pair the loop with the same work done on the raw pebbe/zmq4
// binding in the same process; names end in /raw or /zkit so that
// internal/benchtab prints the ratios.

// rawSender returns a raw PUSH connected to ep that sends n messages of
// data from its own goroutine; the same sender feeds both sides of a pair.
func rawSender(b *testing.B, ep string, data []byte) (start func(n int), wait func(), closeAll func()) {
	ctx, err := zmq.NewContext()
	if err != nil {
		b.Fatal(err)
	}
	push, err := ctx.NewSocket(zmq.PUSH)
	if err != nil {
		b.Fatal(err)
	}
	push.SetLinger(0)
	push.SetSndhwm(10000)
	if err := push.Connect(ep); err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	start = func(n int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				if _, err := push.SendBytes(data, 0); err != nil {
					return
				}
			}
		}()
	}
	return start, wg.Wait, func() { wg.Wait(); push.Close(); ctx.Term() }
}

// BenchmarkLoopRecv measures one-way throughput into a PULL socket: a raw
// blocking receive loop versus the loop dispatching to a handler, both with
// OnMessage (the loop receives) and Reader (the handler receives).
func BenchmarkLoopRecv(b *testing.B) {
	for _, mode := range []string{"OnMessage", "Reader"} {
		for _, size := range []int{16, 1024} {
			data := make([]byte, size)
			prefix := fmt.Sprintf("%s/tcp/%dB", mode, size)
			b.Run(prefix+"/raw", func(b *testing.B) {
				ctx, _ := zmq.NewContext()
				pull, _ := ctx.NewSocket(zmq.PULL)
				pull.SetLinger(0)
				pull.SetRcvhwm(10000)
				if err := pull.Bind("tcp://127.0.0.1:0"); err != nil {
					b.Fatal(err)
				}
				ep, _ := pull.GetLastEndpoint()
				start, wait, closeSender := rawSender(b, ep, data)
				defer func() { closeSender(); pull.Close(); ctx.Term() }()
				start(1)
				pull.RecvBytes(0)
				wait()
				b.SetBytes(int64(size))
				b.ResetTimer()
				t0 := time.Now()
				start(b.N)
				for range b.N {
					if _, err := pull.RecvBytes(0); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "msg/s")
			})
			b.Run(prefix+"/zkit", func(b *testing.B) {
				c, _ := zsock.NewContext()
				pull, err := zsock.NewPull("tcp://127.0.0.1:*", zsock.WithContext(c), zsock.WithRcvHWM(10000))
				if err != nil {
					b.Fatal(err)
				}
				start, wait, closeSender := rawSender(b, pull.Endpoint(), data)
				l, _ := New()
				defer func() { closeSender(); l.Close(); pull.Close(); c.Close() }()
				start(1)
				must(pull.RecvMsg())(b)
				wait()
				want, got := 0, 0
				count := func() error {
					got++
					if got == want {
						return ErrStop
					}
					return nil
				}
				if mode == "OnMessage" {
					must(l.OnMessage(pull, func(*zmsg.Msg) error { return count() }))(b)
				} else {
					must(l.Reader(pull, func() error {
						if _, err := pull.TryRecvMsg(); err != nil {
							return err
						}
						return count()
					}))(b)
				}
				want = b.N
				b.SetBytes(int64(size))
				b.ResetTimer()
				t0 := time.Now()
				start(b.N)
				if err := l.Run(context.Background()); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "msg/s")
			})
		}
	}
}

// BenchmarkRouterEcho compares a ROUTER echo server with 100 DEALER
// clients: a raw pebbe/zmq4 zmq_poll loop (draining with DONTWAIT after
// each poll) versus the same server on a Loop.
func BenchmarkRouterEcho(b *testing.B) {
	const clients = 100
	b.Run("100clients/raw", func(b *testing.B) {
		ctx, _ := zmq.NewContext()
		router, _ := ctx.NewSocket(zmq.ROUTER)
		router.SetLinger(0)
		if err := router.Bind("tcp://127.0.0.1:0"); err != nil {
			b.Fatal(err)
		}
		ep, _ := router.GetLastEndpoint()
		var stop atomic.Bool
		done := make(chan struct{})
		go func() {
			defer close(done)
			poller := zmq.NewPoller()
			poller.Add(router, zmq.POLLIN)
			for !stop.Load() {
				ready, err := poller.Poll(50 * time.Millisecond)
				if err != nil || len(ready) == 0 {
					continue
				}
				for {
					msg, err := router.RecvMessageBytes(zmq.DONTWAIT)
					if err != nil {
						break
					}
					router.SendMessage(msg)
				}
			}
		}()
		echobench.Clients(b, ep, clients)
		stop.Store(true)
		<-done
		router.Close()
		ctx.Term()
	})
	b.Run("100clients/zkit", func(b *testing.B) {
		c, _ := zsock.NewContext()
		router, err := zsock.NewRouter("tcp://127.0.0.1:*", zsock.WithContext(c))
		if err != nil {
			b.Fatal(err)
		}
		l, _ := New()
		must(l.OnMessage(router, router.SendMsg))(b)
		done := make(chan error, 1)
		go func() { done <- l.Run(context.Background()) }()
		echobench.Clients(b, router.Endpoint(), clients)
		l.Stop()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		l.Close()
		router.Close()
		c.Close()
	})
}

// BenchmarkPost measures the time from Post on another goroutine to the
// function running on the loop goroutine.
func BenchmarkPost(b *testing.B) {
	l, _ := New()
	defer l.Close()
	done := make(chan error, 1)
	go func() { done <- l.Run(context.Background()) }()
	lat := make([]time.Duration, 0, b.N)
	ran := make(chan time.Duration)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		l.Post(func() { ran <- time.Since(t0) })
		lat = append(lat, <-ran)
	}
	b.StopTimer()
	l.Stop()
	<-done
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-us")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-us")
}

// BenchmarkTimerLateness measures how late 1 ms timers fire on an
// otherwise idle loop.
func BenchmarkTimerLateness(b *testing.B) {
	l, _ := New()
	defer l.Close()
	late := make([]time.Duration, 0, b.N)
	const delay = time.Millisecond
	due := time.Now().Add(delay)
	b.ResetTimer()
	must(l.Timer(delay, 0, func(TimerID) error {
		late = append(late, time.Since(due))
		due = due.Add(delay)
		if len(late) == b.N {
			return ErrStop
		}
		return nil
	}))(b)
	if err := l.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	slices.Sort(late)
	b.ReportMetric(float64(late[len(late)/2].Nanoseconds())/1e3, "late-p50-us")
	b.ReportMetric(float64(late[len(late)*99/100].Nanoseconds())/1e3, "late-p99-us")
}
