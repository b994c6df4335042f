package loop

import (
	"container/heap"
	"fmt"
	"time"
)

// TimerID identifies a timer of one loop.
type TimerID uint64

// timer is one registered timer.
type timer struct {
	id    TimerID
	when  time.Time     // next due instant
	delay time.Duration // interval
	times int           // remaining runs; 0 means forever
	fn    func(TimerID) error
	index int // position in the heap; -1 once removed
}

// timerHeap orders timers by due time, then by id (creation order).
type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].when.Equal(h[j].when) {
		return h[i].id < h[j].id
	}
	return h[i].when.Before(h[j].when)
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	t.index = -1
	return t
}

func (h timerHeap) peek() (time.Time, bool) {
	if len(h) == 0 {
		return time.Time{}, false
	}
	return h[0].when, true
}

// Timer registers fn to run after delay, then every delay, times times in
// all (0: until ended), as zloop_timer does. A late loop catches up: each
// run is scheduled delay after the previous due time, not after the run,
// so the timer does not drift; a timer that fell behind runs once per
// iteration until it is back on schedule. fn runs on the loop goroutine
// and receives the timer's id; returning an error stops the loop.
func (l *Loop) Timer(delay time.Duration, times int, fn func(TimerID) error) (TimerID, error) {
	if delay <= 0 {
		return 0, fmt.Errorf("%w: timer delay %v is not positive", ErrInvalid, delay)
	}
	if times < 0 {
		return 0, fmt.Errorf("%w: timer times %d is negative", ErrInvalid, times)
	}
	if fn == nil {
		return 0, fmt.Errorf("%w: nil handler", ErrInvalid)
	}
	l.nextTimer++
	t := &timer{id: l.nextTimer, when: time.Now().Add(delay), delay: delay, times: times, fn: fn}
	heap.Push(&l.timers, t)
	l.timerByID[t.id] = t
	return t.id, nil
}

// TimerEnd cancels a timer (zloop_timer_end). It is safe from any handler,
// including the timer's own, and reports whether the timer existed.
func (l *Loop) TimerEnd(id TimerID) bool {
	t := l.timerByID[id]
	if t == nil {
		return false
	}
	delete(l.timerByID, id)
	if t.index >= 0 {
		heap.Remove(&l.timers, t.index)
	}
	return true
}

// runTimers runs each timer due at now once.
func (l *Loop) runTimers(now time.Time) error {
	if len(l.timers) == 0 || l.timers[0].when.After(now) {
		return nil
	}
	// Collect first: timers added or rescheduled by handlers wait for the
	// next iteration.
	var due []*timer
	for len(l.timers) > 0 && !l.timers[0].when.After(now) {
		due = append(due, heap.Pop(&l.timers).(*timer))
	}
	for i, t := range due {
		if l.timerByID[t.id] != t {
			continue // ended by an earlier handler in this pass
		}
		last := t.times == 1
		if last {
			delete(l.timerByID, t.id)
		} else {
			if t.times > 0 {
				t.times--
			}
			t.when = t.when.Add(t.delay)
			heap.Push(&l.timers, t)
		}
		if err := t.fn(t.id); err != nil {
			// Put back the timers this pass did not reach.
			for _, rest := range due[i+1:] {
				if l.timerByID[rest.id] == rest {
					heap.Push(&l.timers, rest)
				}
			}
			return err
		}
	}
	return nil
}
