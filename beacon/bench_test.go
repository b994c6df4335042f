package beacon

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/zkit-go/zkit/internal/procstat"
)

// BenchmarkFirstBeacon measures, on loopback, the time from a publisher
// starting (New, Configure, Publish) to a subscribed listener delivering
// its first beacon. p50-us and p99-us are percentiles over iterations.
func BenchmarkFirstBeacon(b *testing.B) {
	ctx := context.Background()
	port := freePortB(b)
	listener, err := New(ctx, WithInterface("lo"))
	if err != nil {
		b.Fatal(err)
	}
	defer listener.Close()
	if _, err := listener.Configure(ctx, port); err != nil {
		b.Fatal(err)
	}
	if err := listener.Subscribe(ctx, nil); err != nil {
		b.Fatal(err)
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		pub, err := New(ctx, WithInterface("lo"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := pub.Configure(ctx, port); err != nil {
			b.Fatal(err)
		}
		if err := pub.Publish(ctx, []byte("bench"), time.Hour); err != nil {
			b.Fatal(err)
		}
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err = listener.RecvMsgContext(rctx)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		b.StopTimer()
		pub.Close()
		b.StartTimer()
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1e3, "p50-us")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds())/1e3, "p99-us")
}

// BenchmarkIdlePublisher measures the CPU an idle beacon costs while it
// publishes every second, as a percentage of one core over 30 seconds
// (the whole test process, so the Go runtime's own housekeeping counts).
func BenchmarkIdlePublisher(b *testing.B) {
	ctx := context.Background()
	pub, err := New(ctx, WithInterface("lo"))
	if err != nil {
		b.Fatal(err)
	}
	defer pub.Close()
	if _, err := pub.Configure(ctx, freePortB(b)); err != nil {
		b.Fatal(err)
	}
	if err := pub.Publish(ctx, []byte("idle"), time.Second); err != nil {
		b.Fatal(err)
	}
	// One 30-second window, whatever b.N is.
	const window = 30 * time.Second
	cpu0, err := procstat.CPUTime()
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	time.Sleep(window) // the measurement window, not synchronisation
	cpu1, _ := procstat.CPUTime()
	elapsed := time.Since(t0)
	b.ReportMetric(100*(cpu1-cpu0).Seconds()/elapsed.Seconds(), "cpu-%")
	b.ReportMetric(float64((cpu1-cpu0).Microseconds())/elapsed.Seconds(), "cpu-us/s")
}

func freePortB(b *testing.B) int {
	b.Helper()
	return freePortRaw(b)
}
