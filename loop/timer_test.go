package loop

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// These tests run in a synctest bubble: time is fake and advances only
// when every goroutine of the bubble is blocked, so the assertions on
// instants are exact.

func TestTimerRepeatsAndEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLoop(t)
		start := time.Now()
		var at []time.Duration
		must(l.Timer(10*time.Millisecond, 3, func(TimerID) error {
			at = append(at, time.Since(start))
			return nil
		}))(t)
		var forever []time.Duration
		var id TimerID
		id = must(l.Timer(25*time.Millisecond, 0, func(got TimerID) error {
			if got != id {
				return fmt.Errorf("handler got id %d, want %d", got, id)
			}
			forever = append(forever, time.Since(start))
			if len(forever) == 4 {
				if !l.TimerEnd(id) { // from inside its own handler
					return errors.New("TimerEnd reported no timer")
				}
			}
			return nil
		}))(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := l.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Run = %v", err)
		}
		if fmt.Sprint(at) != "[10ms 20ms 30ms]" {
			t.Fatalf("3-times timer ran at %v", at)
		}
		if fmt.Sprint(forever) != "[25ms 50ms 75ms 100ms]" {
			t.Fatalf("forever timer ran at %v", forever)
		}
		if l.TimerEnd(id) {
			t.Fatal("TimerEnd of an ended timer reported true")
		}
	})
}

func TestTimerCatchesUpWithoutDrift(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLoop(t)
		start := time.Now()
		var runs []time.Duration
		must(l.Timer(10*time.Millisecond, 0, func(TimerID) error {
			runs = append(runs, time.Since(start))
			if len(runs) == 1 {
				// A slow handler: the loop falls 35ms behind.
				time.Sleep(35 * time.Millisecond)
			}
			if len(runs) == 6 {
				return ErrStop
			}
			return nil
		}))(t)
		must(0, l.Run(context.Background()))(t)
		// Runs 2-4 were due at 20, 30, 40ms and run late, back to back at
		// 45ms; run 5 is back on the original schedule (50ms), not 10ms
		// after the last late run.
		want := "[10ms 45ms 45ms 45ms 50ms 60ms]"
		if fmt.Sprint(runs) != want {
			t.Fatalf("runs at %v, want %s", runs, want)
		}
	})
}

func TestTimerEndFromAnotherHandlerAndErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLoop(t)
		// Same due instant: the killer was created first, so it runs
		// first in the pass and ends the victim, which is already picked
		// for that pass and must be skipped.
		var victim TimerID
		must(l.Timer(10*time.Millisecond, 1, func(TimerID) error {
			if !l.TimerEnd(victim) {
				return errors.New("victim not found")
			}
			return nil
		}))(t)
		victim = must(l.Timer(10*time.Millisecond, 0, func(TimerID) error {
			return errors.New("victim must not run")
		}))(t)
		boom := errors.New("boom")
		var after []string
		must(l.Timer(30*time.Millisecond, 1, func(TimerID) error { return boom }))(t)
		// Due at the same time as boom but created later: not reached in
		// that pass, still pending afterwards.
		late := must(l.Timer(30*time.Millisecond, 1, func(TimerID) error {
			after = append(after, "late")
			return ErrStop
		}))(t)
		if err := l.Run(context.Background()); !errors.Is(err, boom) {
			t.Fatalf("Run = %v", err)
		}
		if len(after) != 0 {
			t.Fatal("a timer after the failing one ran in the same pass")
		}
		must(0, l.Run(context.Background()))(t)
		if len(after) != 1 || l.TimerEnd(late) {
			t.Fatalf("pending timer after an error: ran %v", after)
		}
		for _, bad := range []struct {
			d time.Duration
			n int
		}{{0, 1}, {-time.Second, 1}, {time.Second, -1}} {
			if _, err := l.Timer(bad.d, bad.n, func(TimerID) error { return nil }); !errors.Is(err, ErrInvalid) {
				t.Errorf("Timer(%v, %d) = %v", bad.d, bad.n, err)
			}
		}
	})
}

func TestTicketsExpireResetDelete(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLoop(t)
		must(0, l.SetTicketDelay(100*time.Millisecond))(t)
		start := time.Now()
		expired := map[string]time.Duration{}
		tk := func(name string) *Ticket {
			return must(l.Ticket(func() error {
				expired[name] = time.Since(start)
				return nil
			}))(t)
		}
		a, b, c := tk("a"), tk("b"), tk("c")
		_ = a
		c.Delete()
		c.Delete()
		// At 60ms, b is reset: it now expires at 160ms, after a.
		must(l.Timer(60*time.Millisecond, 1, func(TimerID) error { b.Reset(); return nil }))(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := l.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatal(err)
		}
		if fmt.Sprint(expired) != "map[a:100ms b:160ms]" {
			t.Fatalf("expired %v", expired)
		}
	})
}

func TestManyTicketsStayCheap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLoop(t)
		must(0, l.SetTicketDelay(time.Second))(t)
		const n = 100000
		fired := 0
		tickets := make([]*Ticket, n)
		for i := range tickets {
			tickets[i] = must(l.Ticket(func() error { fired++; return nil }))(t)
		}
		// Keep the even ones alive by resetting them halfway through.
		must(l.Timer(500*time.Millisecond, 1, func(TimerID) error {
			for i := 0; i < n; i += 2 {
				tickets[i].Reset()
			}
			return nil
		}))(t)
		must(l.Timer(1200*time.Millisecond, 1, func(TimerID) error {
			if fired != n/2 {
				return fmt.Errorf("at 1.2s %d tickets expired, want %d", fired, n/2)
			}
			return ErrStop
		}))(t)
		must(0, l.Run(context.Background()))(t)
	})
}

func TestTicketDelayChangeKeepsOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLoop(t)
		start := time.Now()
		var got []string
		must(l.Ticket(func() error { got = append(got, fmt.Sprint("a@", time.Since(start))); return nil }))(t)
		time.Sleep(10 * time.Millisecond)
		must(l.Ticket(func() error { got = append(got, fmt.Sprint("b@", time.Since(start))); return ErrStop }))(t)
		must(0, l.SetTicketDelay(50*time.Millisecond))(t)
		if err := l.SetTicketDelay(0); !errors.Is(err, ErrInvalid) {
			t.Fatalf("SetTicketDelay(0) = %v", err)
		}
		must(0, l.Run(context.Background()))(t)
		if fmt.Sprint(got) != "[a@50ms b@60ms]" {
			t.Fatalf("got %v", got)
		}
	})
}

// TestIdleLoopSleeps shows that an idle loop neither polls nor wakes
// periodically: an hour of fake time passes with no iteration, and a
// pending timer wakes it exactly once when due.
func TestIdleLoopSleeps(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLoop(t)
		var count atomic.Int64
		l.onIterate = func() { count.Add(1) }
		iterations := func() int64 { return count.Load() }
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- l.Run(ctx) }()
		synctest.Wait()
		base := iterations()
		time.Sleep(time.Hour)
		synctest.Wait()
		if iterations() != base {
			t.Fatalf("idle loop iterated %d times in an hour", iterations()-base)
		}
		// A timer set through Post wakes it when due, and only then.
		fired := make(chan time.Time, 1)
		l.Post(func() {
			l.Timer(time.Minute, 1, func(TimerID) error { fired <- time.Now(); return nil })
		})
		synctest.Wait()
		base = iterations()
		set := time.Now()
		when := <-fired
		if when.Sub(set) != time.Minute {
			t.Fatalf("timer fired after %v", when.Sub(set))
		}
		synctest.Wait()
		if n := iterations() - base; n != 1 {
			t.Fatalf("%d iterations for one timer", n)
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
	})
}
