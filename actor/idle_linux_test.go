package actor_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/internal/procstat"
)

// BenchmarkIdleActors starts 10,000 actors waiting on their pipes and
// reports what they cost: the time to start them all, resident memory per
// actor, the process's OS threads, and the CPU used over 10 idle seconds.
// It measures once, whatever b.N is.
func BenchmarkIdleActors(b *testing.B) {
	c, err := procstat.MeasureIdle(10000, 10*time.Second, func() (io.Closer, error) {
		return actor.New(context.Background(), waiter)
	})
	if err != nil {
		b.Fatal(err)
	}
	c.Report(b)
}

// waiter is an idle actor: it waits for $TERM.
func waiter(ctx context.Context, pipe *actor.Pipe) error {
	if err := pipe.Signal(0); err != nil {
		return err
	}
	for {
		s, err := pipe.RecvString()
		if err != nil || s == actor.Term {
			return err
		}
	}
}
