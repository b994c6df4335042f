package actor_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/zmsg"
)

// mirror echoes every message back unchanged and ends on $TERM.
func mirror(ctx context.Context, pipe *actor.Pipe) error {
	pipe.Signal(0)
	return mirrorLoop(pipe)
}

// mirrorLoop is mirror's body after the readiness signal.
func mirrorLoop(pipe *actor.Pipe) error {
	for {
		m, err := pipe.RecvMsg()
		if err != nil {
			return err
		}
		if f, _ := m.First(); f.EqualString(actor.Term) {
			return nil
		}
		if err := pipe.SendMsg(m); err != nil {
			return err
		}
	}
}

// BenchmarkPipeRoundTrip sends a one-frame message to an actor that
// echoes it, and waits for the reply. p50-us and p99-us are percentiles
// of the per-iteration round trip.
func BenchmarkPipeRoundTrip(b *testing.B) {
	a, err := actor.New(context.Background(), mirror)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	m := zmsg.FromStrings("ping")
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := a.SendMsg(m); err != nil {
			b.Fatal(err)
		}
		if m, err = a.RecvMsg(); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2])/float64(time.Microsecond), "p50-us")
	b.ReportMetric(float64(times[len(times)*99/100])/float64(time.Microsecond), "p99-us")
}

// BenchmarkStart starts an actor, waits until it is ready, and closes it.
func BenchmarkStart(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	start := time.Now()
	for range b.N {
		a, err := actor.New(ctx, mirror)
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "actors/s")
}
