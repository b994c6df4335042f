package loop

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/internal/procstat"
	"github.com/zkit-go/zkit/zmsg"
)

// BenchmarkIdleLoopActors is BenchmarkIdleActors with a reactor in every
// actor: 10,000 actors, each running a Loop with its pipe registered and a
// ticket pending an hour away. It reports start time, resident memory per
// actor, OS threads and CPU over 10 idle seconds, measured once.
func BenchmarkIdleLoopActors(b *testing.B) {
	c, err := procstat.MeasureIdle(10000, 10*time.Second, func() (io.Closer, error) {
		return actor.New(context.Background(), func(ctx context.Context, pipe *actor.Pipe) error {
			l, err := New()
			if err != nil {
				return err
			}
			defer l.Close()
			l.SetTicketDelay(time.Hour)
			if _, err := l.Ticket(func() error { return nil }); err != nil {
				return err
			}
			if _, err := l.OnMessage(pipe, func(*zmsg.Msg) error { return ErrStop }); err != nil {
				return err
			}
			if err := pipe.Signal(0); err != nil {
				return err
			}
			return l.Run(ctx)
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	c.Report(b)
}
