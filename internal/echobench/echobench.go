// Package echobench drives request-reply echo servers for benchmarks:
// the same clients measure every variant of a server, so their numbers
// can be compared within one run.
package echobench

import (
	"encoding/binary"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zkit-go/zkit/zsock"
)

// Clients runs clients DEALERs against ep, each doing b.N/clients
// request-reply round trips one at a time, and reports msg/s and the
// round-trip percentiles (p50-us, p99-us). The clients are zsock sockets,
// so a waiting client holds no OS thread.
func Clients(b *testing.B, ep string, clients int, opts ...zsock.Option) {
	per := max(b.N/clients, 1)
	rtts := make([][]time.Duration, clients)
	socks := make([]*zsock.Socket, clients)
	for i := range socks {
		s, err := zsock.NewDealer(ep, opts...)
		if err != nil {
			b.Fatal(err)
		}
		socks[i] = s
		// Warm up the connection before timing.
		if err := s.SendString("warm", 0); err != nil {
			b.Fatal(err)
		}
		if _, err := s.RecvString(); err != nil {
			b.Fatal(err)
		}
	}
	defer func() {
		for _, s := range socks {
			s.Close()
		}
	}()
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	t0 := time.Now()
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := socks[i]
			buf := make([]byte, 8)
			rt := make([]time.Duration, 0, per)
			for range per {
				sent := time.Now()
				binary.LittleEndian.PutUint64(buf, uint64(sent.UnixNano()))
				if err := s.Send(buf, 0); err != nil {
					failed.Store(err)
					return
				}
				if _, err := s.RecvFrame(0); err != nil {
					failed.Store(err)
					return
				}
				rt = append(rt, time.Since(sent))
			}
			rtts[i] = rt
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	b.StopTimer()
	if err, ok := failed.Load().(error); ok {
		b.Fatal(err)
	}
	all := slices.Concat(rtts...)
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "msg/s")
	b.ReportMetric(float64(all[len(all)/2].Nanoseconds())/1e3, "p50-us")
	b.ReportMetric(float64(all[len(all)*99/100].Nanoseconds())/1e3, "p99-us")
}
