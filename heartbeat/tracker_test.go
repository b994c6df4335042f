package heartbeat_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/loop"
)

// running is a loop run by a goroutine of the test's synctest bubble.
type running struct {
	t      *testing.T
	l      *loop.Loop
	cancel context.CancelFunc
	done   chan error
}

// startLoop creates a loop and runs it; setup runs first, before Run, on
// the test goroutine (which is allowed: the loop is not running yet).
func startLoop(t *testing.T, setup func(l *loop.Loop)) *running {
	t.Helper()
	l, err := loop.New()
	if err != nil {
		t.Fatal(err)
	}
	setup(l)
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{t: t, l: l, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- l.Run(ctx) }()
	t.Cleanup(func() { r.stop() })
	return r
}

// do runs fn on the loop goroutine and waits for it.
func (r *running) do(fn func()) {
	r.t.Helper()
	ran := make(chan struct{})
	if err := r.l.Post(func() { fn(); close(ran) }); err != nil {
		r.t.Fatal(err)
	}
	<-ran
}

// stop ends Run and closes the loop; it returns Run's result.
func (r *running) stop() error {
	r.cancel()
	err := <-r.done
	r.done <- err // keep it for a second stop
	r.l.Close()
	return err
}

// expiryLog records expiries and their times since start; it is only
// touched on the loop goroutine.
type expiryLog struct {
	start time.Time
	peers []string
	at    []time.Duration
}

func (e *expiryLog) fn(peer string) error {
	e.peers = append(e.peers, peer)
	e.at = append(e.at, time.Since(e.start))
	return nil
}

func newTracker(t *testing.T, l *loop.Loop, onExpire func(string) error, opts ...heartbeat.TrackerOption) *heartbeat.Tracker {
	t.Helper()
	tr, err := heartbeat.NewTracker(l, time.Second, 3, onExpire, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestTrackerExpiresAfterLivenessIntervals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &expiryLog{start: time.Now()}
		var tr *heartbeat.Tracker
		r := startLoop(t, func(l *loop.Loop) {
			tr = newTracker(t, l, log.fn)
			tr.Beat("a")
		})
		if tr.Timeout() != 3*time.Second {
			t.Fatalf("Timeout = %v", tr.Timeout())
		}
		time.Sleep(3*time.Second - time.Nanosecond)
		synctest.Wait()
		r.do(func() {
			if len(log.peers) != 0 || tr.Len() != 1 || !tr.Has("a") {
				t.Fatalf("expired early: %v, len %d", log.peers, tr.Len())
			}
		})
		time.Sleep(time.Nanosecond)
		synctest.Wait()
		r.do(func() {
			if !slices.Equal(log.peers, []string{"a"}) || log.at[0] != 3*time.Second {
				t.Fatalf("expiries %v at %v, want [a] at 3s", log.peers, log.at)
			}
			if tr.Len() != 0 || tr.Has("a") || len(tr.Peers()) != 0 {
				t.Fatal("expired peer still tracked")
			}
		})
		// Nothing more happens, however long we wait.
		time.Sleep(time.Minute)
		synctest.Wait()
		r.do(func() {
			if len(log.peers) != 1 {
				t.Fatalf("expiries %v", log.peers)
			}
		})
	})
}

func TestTrackerBeatsPostponeExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &expiryLog{start: time.Now()}
		var tr *heartbeat.Tracker
		r := startLoop(t, func(l *loop.Loop) {
			tr = newTracker(t, l, log.fn)
			tr.Beat("a")
			tr.Beat("b")
		})
		for range 2 {
			time.Sleep(2 * time.Second)
			r.do(func() { tr.Beat("a") })
		}
		// b expired at 3 s; a last beat at 4 s, so it expires at 7 s.
		time.Sleep(time.Hour)
		synctest.Wait()
		r.do(func() {
			if !slices.Equal(log.peers, []string{"b", "a"}) ||
				!slices.Equal(log.at, []time.Duration{3 * time.Second, 7 * time.Second}) {
				t.Fatalf("expiries %v at %v", log.peers, log.at)
			}
		})
	})
}

func TestTrackerForget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &expiryLog{start: time.Now()}
		var tr *heartbeat.Tracker
		r := startLoop(t, func(l *loop.Loop) {
			tr = newTracker(t, l, log.fn)
			tr.Beat("a")
			tr.Beat("b")
		})
		time.Sleep(time.Second)
		r.do(func() {
			if !tr.Forget("a") || tr.Forget("a") || tr.Forget("nobody") {
				t.Fatal("Forget results")
			}
			if !slices.Equal(tr.Peers(), []string{"b"}) {
				t.Fatalf("Peers = %v", tr.Peers())
			}
		})
		time.Sleep(time.Hour)
		synctest.Wait()
		r.do(func() {
			if !slices.Equal(log.peers, []string{"b"}) {
				t.Fatalf("expiries %v", log.peers)
			}
			// Forgetting the last peer ends the timer; a new beat re-arms.
			tr.Beat("c")
			tr.Forget("c")
			tr.Beat("d")
		})
		time.Sleep(3 * time.Second)
		synctest.Wait()
		r.do(func() {
			if !slices.Equal(log.peers, []string{"b", "d"}) {
				t.Fatalf("expiries %v", log.peers)
			}
		})
	})
}

func TestTrackerPeersOrderAndLastSeen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var tr *heartbeat.Tracker
		var news []string
		r := startLoop(t, func(l *loop.Loop) {
			tr = newTracker(t, l, func(string) error { return nil },
				heartbeat.WithOnNew(func(p string) { news = append(news, p) }))
			tr.Beat("a")
		})
		time.Sleep(100 * time.Millisecond)
		r.do(func() { tr.Beat("b"); tr.Beat("c") })
		time.Sleep(100 * time.Millisecond)
		r.do(func() {
			tr.Beat("a")
			if got := tr.Peers(); !slices.Equal(got, []string{"b", "c", "a"}) {
				t.Fatalf("Peers = %v", got)
			}
			if seen, ok := tr.LastSeen("b"); !ok || seen.Sub(start) != 100*time.Millisecond {
				t.Fatalf("LastSeen(b) = %v, %v", seen, ok)
			}
			if _, ok := tr.LastSeen("z"); ok {
				t.Fatal("LastSeen of unknown peer")
			}
			if !slices.Equal(news, []string{"a", "b", "c"}) {
				t.Fatalf("OnNew calls %v", news)
			}
		})
	})
}

func TestTrackerManyPeers(t *testing.T) {
	const n = 100_000
	synctest.Test(t, func(t *testing.T) {
		log := &expiryLog{start: time.Now()}
		var tr *heartbeat.Tracker
		r := startLoop(t, func(l *loop.Loop) {
			tr = newTracker(t, l, log.fn)
			for i := range n {
				tr.Beat(fmt.Sprint("peer-", i))
			}
		})
		time.Sleep(2 * time.Second)
		r.do(func() {
			for i := 0; i < n; i += 2 {
				tr.Beat(fmt.Sprint("peer-", i))
			}
		})
		time.Sleep(time.Second)
		synctest.Wait()
		r.do(func() {
			if len(log.peers) != n/2 || tr.Len() != n/2 {
				t.Fatalf("at 3s: %d expired, %d tracked; want %d each", len(log.peers), tr.Len(), n/2)
			}
			for _, at := range log.at {
				if at != 3*time.Second {
					t.Fatalf("expiry at %v", at)
				}
			}
		})
		time.Sleep(2 * time.Second)
		synctest.Wait()
		r.do(func() {
			if len(log.peers) != n || tr.Len() != 0 {
				t.Fatalf("at 5s: %d expired, %d tracked", len(log.peers), tr.Len())
			}
		})
	})
}

// A beat from a known peer allocates nothing, whatever the number of peers:
// it only moves one list entry and never touches the loop's timers.
func TestTrackerBeatDoesNotAllocate(t *testing.T) {
	l, err := loop.New()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	tr := newTracker(t, l, func(string) error { return nil })
	names := make([]string, 100_000)
	for i := range names {
		names[i] = fmt.Sprint("peer-", i)
		tr.Beat(names[i])
	}
	i := 0
	allocs := testing.AllocsPerRun(10_000, func() {
		tr.Beat(names[i%len(names)])
		i += 7919
	})
	if allocs != 0 {
		t.Fatalf("Beat allocates %v times", allocs)
	}
}

func TestTrackerExpiryErrorStopsLoop(t *testing.T) {
	errBoom := errors.New("boom")
	for _, c := range []struct {
		name string
		ret  error
		want error
	}{
		{"error", errBoom, errBoom},
		{"ErrStop", loop.ErrStop, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				r := startLoop(t, func(l *loop.Loop) {
					tr := newTracker(t, l, func(string) error { return c.ret })
					tr.Beat("a")
				})
				err := <-r.done
				r.done <- err
				if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
					t.Fatalf("Run = %v, want %v", err, c.want)
				}
				if d := time.Since(start); d != 3*time.Second {
					t.Fatalf("stopped after %v", d)
				}
			})
		})
	}
}

func TestTrackerExpiryCallbackMayBeat(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &expiryLog{start: time.Now()}
		var tr *heartbeat.Tracker
		r := startLoop(t, func(l *loop.Loop) {
			tr = newTracker(t, l, func(p string) error {
				_ = log.fn(p)
				if len(log.peers) < 3 {
					tr.Beat(p) // give it another chance
				}
				return nil
			})
			tr.Beat("a")
		})
		time.Sleep(time.Hour)
		synctest.Wait()
		r.do(func() {
			want := []time.Duration{3 * time.Second, 6 * time.Second, 9 * time.Second}
			if !slices.Equal(log.at, want) || tr.Len() != 0 {
				t.Fatalf("expiries at %v, len %d", log.at, tr.Len())
			}
		})
	})
}

func TestTrackerClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &expiryLog{start: time.Now()}
		var tr *heartbeat.Tracker
		r := startLoop(t, func(l *loop.Loop) {
			tr = newTracker(t, l, log.fn)
			tr.Beat("a")
		})
		time.Sleep(time.Second)
		r.do(func() {
			tr.Close()
			tr.Close()
			tr.Beat("b")
			if tr.Len() != 0 {
				t.Fatalf("Len after Close = %d", tr.Len())
			}
		})
		time.Sleep(time.Hour)
		synctest.Wait()
		r.do(func() {
			if len(log.peers) != 0 {
				t.Fatalf("expiries after Close: %v", log.peers)
			}
		})
	})
}

func TestNewTrackerValidates(t *testing.T) {
	l, err := loop.New()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ok := func(string) error { return nil }
	for _, c := range []struct {
		name     string
		l        *loop.Loop
		interval time.Duration
		liveness int
		fn       func(string) error
		opts     []heartbeat.TrackerOption
	}{
		{"nil loop", nil, time.Second, 3, ok, nil},
		{"zero interval", l, 0, 3, ok, nil},
		{"negative interval", l, -time.Second, 3, ok, nil},
		{"zero liveness", l, time.Second, 0, ok, nil},
		{"nil callback", l, time.Second, 3, nil, nil},
		{"overflow", l, time.Duration(1 << 62), 4, ok, nil},
		{"nil OnNew", l, time.Second, 3, ok, []heartbeat.TrackerOption{heartbeat.WithOnNew(nil)}},
	} {
		if _, err := heartbeat.NewTracker(c.l, c.interval, c.liveness, c.fn, c.opts...); !errors.Is(err, heartbeat.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", c.name, err)
		}
	}
}

func BenchmarkTrackerBeat(b *testing.B) {
	l, err := loop.New()
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	tr, _ := heartbeat.NewTracker(l, time.Second, 3, func(string) error { return nil })
	names := make([]string, 100_000)
	for i := range names {
		names[i] = fmt.Sprint("peer-", i)
		tr.Beat(names[i])
	}
	i := 0
	for b.Loop() {
		tr.Beat(names[i%len(names)])
		i++
	}
}

// BeatAt takes the caller's time; one earlier than the latest recorded
// counts as the latest, so the oldest peer stays first.
func TestTrackerBeatAt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &expiryLog{start: time.Now()}
		var tr *heartbeat.Tracker
		t0 := time.Now()
		r := startLoop(t, func(l *loop.Loop) {
			tr = newTracker(t, l, log.fn)
			tr.BeatAt("a", t0.Add(time.Second))
			tr.BeatAt("b", t0)
		})
		r.do(func() {
			if got := tr.Peers(); !slices.Equal(got, []string{"a", "b"}) {
				t.Errorf("Peers() = %v, want [a b]", got)
			}
			if seen, _ := tr.LastSeen("b"); !seen.Equal(t0.Add(time.Second)) {
				t.Errorf("LastSeen(b) = %v after t0, want 1s", seen.Sub(t0))
			}
		})
		time.Sleep(5 * time.Second)
		synctest.Wait()
		r.do(func() {
			if !slices.Equal(log.peers, []string{"a", "b"}) {
				t.Errorf("expired %v, want [a b]", log.peers)
			}
		})
	})
}
