package heartbeat

import (
	"fmt"
	"time"

	"github.com/zkit-go/zkit/loop"
)

// Guide defaults for the Paranoid Pirate pattern.
const (
	// DefaultInterval is the Guide's heartbeat interval.
	DefaultInterval = time.Second
	// DefaultLiveness is the Guide's number of silent intervals after
	// which a peer is considered dead.
	DefaultLiveness = 3
)

// TrackerOption configures a Tracker; it is validated when applied.
type TrackerOption func(*trackerConfig) error

// trackerConfig holds the optional settings of a Tracker.
type trackerConfig struct {
	onNew func(peer string) // called when Beat starts tracking a peer; may be nil
}

// WithOnNew calls fn, on the loop goroutine, each time Beat starts
// tracking a peer it did not know (a first contact or a return after
// expiry or Forget). fn must not block.
func WithOnNew(fn func(peer string)) TrackerOption {
	return func(c *trackerConfig) error {
		if fn == nil {
			return fmt.Errorf("%w: nil OnNew function", ErrInvalid)
		}
		c.onNew = fn
		return nil
	}
}

// peerEntry is one tracked peer, linked into the tracker's list.
type peerEntry struct {
	name       string
	seen       time.Time // last traffic; the peer expires at seen + ttl
	prev, next *peerEntry
}

// Tracker tells which peers are alive from the traffic they send: a peer
// that has sent nothing for liveness intervals is expired, removed, and
// reported to the expiry callback.
//
// Every method, and both callbacks, run on the goroutine that runs the
// loop: call them before Run, from loop handlers, or through Loop.Post.
// A Tracker is not safe for concurrent use.
type Tracker struct {
	loop     *loop.Loop
	ttl      time.Duration           // interval * liveness
	onExpire func(peer string) error // called after a peer is removed
	onNew    func(peer string)       // optional, see WithOnNew
	peers    map[string]*peerEntry   // every tracked peer by name
	head     peerEntry               // list sentinel; head.next is the oldest
	timer    loop.TimerID            // the armed loop timer, 0 when none
	armedFor time.Time               // when the armed timer fires
	closed   bool                    // Close was called
}

// NewTracker returns a tracker that expires a peer after liveness
// intervals without traffic from it (the Guide uses interval 1 s and
// liveness 3). onExpire runs on the loop goroutine after the peer has been
// removed; it may call any Tracker method, must not block, and an error it
// returns stops the loop (loop.ErrStop stops it cleanly).
//
// The tracker uses one loop timer, never the loop's tickets, so the loop's
// ticket delay stays free for the application.
func NewTracker(l *loop.Loop, interval time.Duration, liveness int, onExpire func(peer string) error, opts ...TrackerOption) (*Tracker, error) {
	if l == nil {
		return nil, fmt.Errorf("%w: nil loop", ErrInvalid)
	}
	if interval <= 0 {
		return nil, fmt.Errorf("%w: interval %v is not positive", ErrInvalid, interval)
	}
	if liveness <= 0 {
		return nil, fmt.Errorf("%w: liveness %d is not positive", ErrInvalid, liveness)
	}
	if onExpire == nil {
		return nil, fmt.Errorf("%w: nil expiry function", ErrInvalid)
	}
	ttl := interval * time.Duration(liveness)
	if ttl/time.Duration(liveness) != interval {
		return nil, fmt.Errorf("%w: interval %v times liveness %d overflows", ErrInvalid, interval, liveness)
	}
	var c trackerConfig
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	t := &Tracker{
		loop:     l,
		ttl:      ttl,
		onExpire: onExpire,
		onNew:    c.onNew,
		peers:    make(map[string]*peerEntry),
	}
	t.head.next, t.head.prev = &t.head, &t.head
	return t, nil
}

// Timeout returns the silence after which a peer expires: interval
// times liveness.
func (t *Tracker) Timeout() time.Duration { return t.ttl }

// Beat records traffic from peer, now: any message counts, not only
// HEARTBEAT. An unknown peer starts being tracked. Beat is O(1) however
// many peers are tracked. After Close it does nothing.
func (t *Tracker) Beat(peer string) { t.BeatAt(peer, time.Now()) }

// BeatAt is Beat for traffic that arrived at now, for a caller that has
// already read the clock. A now earlier than the latest traffic recorded
// counts as that time, so peers stay in order.
func (t *Tracker) BeatAt(peer string, now time.Time) {
	if t.closed {
		return
	}
	if last := t.head.prev; last != &t.head && now.Before(last.seen) {
		now = last.seen
	}
	e := t.peers[peer]
	if e == nil {
		e = &peerEntry{name: peer}
		t.peers[peer] = e
		if t.onNew != nil {
			defer t.onNew(peer)
		}
	} else {
		t.unlink(e)
	}
	e.seen = now
	t.pushBack(e)
	if t.timer == 0 {
		t.arm(now)
	}
}

// Forget stops tracking peer without calling the expiry function, for a
// peer that said goodbye. It reports whether the peer was tracked.
func (t *Tracker) Forget(peer string) bool {
	e := t.peers[peer]
	if e == nil {
		return false
	}
	delete(t.peers, peer)
	t.unlink(e)
	if len(t.peers) == 0 {
		t.disarm()
	}
	return true
}

// Has reports whether peer is tracked.
func (t *Tracker) Has(peer string) bool { return t.peers[peer] != nil }

// LastSeen returns when traffic from peer was last recorded.
func (t *Tracker) LastSeen(peer string) (time.Time, bool) {
	e := t.peers[peer]
	if e == nil {
		return time.Time{}, false
	}
	return e.seen, true
}

// Len returns how many peers are tracked.
func (t *Tracker) Len() int { return len(t.peers) }

// Peers returns the tracked peers, the longest silent first (so the next
// to expire comes first).
func (t *Tracker) Peers() []string {
	out := make([]string, 0, len(t.peers))
	for e := t.head.next; e != &t.head; e = e.next {
		out = append(out, e.name)
	}
	return out
}

// Close forgets every peer without calling the expiry function and ends
// the tracker's loop timer; later Beats do nothing. Close is idempotent.
func (t *Tracker) Close() {
	t.closed = true
	t.disarm()
	clear(t.peers)
	t.head.next, t.head.prev = &t.head, &t.head
}

func (t *Tracker) pushBack(e *peerEntry) {
	e.prev, e.next = t.head.prev, &t.head
	t.head.prev.next = e
	t.head.prev = e
}

func (t *Tracker) unlink(e *peerEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

// arm starts a one-shot loop timer for the oldest peer's expiry. Beats do
// not re-arm it: they only move peers later, so a timer that fires early
// just re-arms for the new oldest peer.
func (t *Tracker) arm(now time.Time) {
	oldest := t.head.next
	if oldest == &t.head {
		return
	}
	due := oldest.seen.Add(t.ttl)
	d := due.Sub(now)
	if d <= 0 {
		d = time.Nanosecond
	}
	// Timer fails only on a non-positive delay or nil handler, neither of
	// which can happen here.
	id, err := t.loop.Timer(d, 1, t.fire)
	if err != nil {
		return
	}
	t.timer = id
}

func (t *Tracker) disarm() {
	if t.timer != 0 {
		t.loop.TimerEnd(t.timer)
		t.timer = 0
	}
}

// fire expires every peer silent for the timeout, oldest first, then
// re-arms for the next one.
func (t *Tracker) fire(loop.TimerID) error {
	t.timer = 0
	now := time.Now()
	for {
		e := t.head.next
		if e == &t.head || e.seen.Add(t.ttl).After(now) {
			break
		}
		delete(t.peers, e.name)
		t.unlink(e)
		if err := t.onExpire(e.name); err != nil {
			if t.timer == 0 && !t.closed {
				t.arm(now)
			}
			return err
		}
	}
	if t.timer == 0 && !t.closed {
		t.arm(now)
	}
	return nil
}
