package heartbeat

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Guide defaults for reconnecting: 1 s, doubling up to 32 s.
const (
	// DefaultBackoffInitial is the first reconnect delay.
	DefaultBackoffInitial = time.Second
	// DefaultBackoffMax caps the reconnect delay.
	DefaultBackoffMax = 32 * time.Second
	// DefaultBackoffMultiplier grows the delay after each attempt.
	DefaultBackoffMultiplier = 2.0
)

// Backoff computes the delays before successive reconnect attempts: the
// first delay is Initial, each next one Multiplier times the previous, up
// to Max. With Jitter j (a fraction, 0 to 1) each delay d is drawn
// uniformly from [d*(1-j), d], so Max stays a hard cap and many clients
// that lost the same server do not reconnect in lock step. Jitter does not
// feed back into the growth: the undisturbed sequence keeps doubling.
//
// A zero field takes its default: Initial 1 s, Max 32 s, Multiplier 2,
// Jitter 0 (the Guide's Paranoid Pirate worker). Next never panics: a field
// that Validate rejects is replaced by its default. A Backoff is not safe
// for concurrent use.
type Backoff struct {
	Initial    time.Duration // first delay; 0 means DefaultBackoffInitial
	Max        time.Duration // largest delay; 0 means DefaultBackoffMax (or Initial, if larger)
	Multiplier float64       // growth per attempt, >= 1; 0 means 2
	Jitter     float64       // random fraction taken off each delay, 0 to 1
	// Source supplies the randomness for Jitter; nil uses math/rand/v2's
	// global generator. Tests inject a seeded source.
	Source rand.Source

	next     time.Duration // undisturbed delay for the next call; 0 before the first
	attempts int           // calls to Next since creation or Reset
}

// NewBackoff returns a validated Backoff.
func NewBackoff(initial, maximum time.Duration, multiplier, jitter float64) (*Backoff, error) {
	b := &Backoff{Initial: initial, Max: maximum, Multiplier: multiplier, Jitter: jitter}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	return b, nil
}

// Validate reports a setting that cannot work: a negative Initial or Max,
// Max below Initial, a Multiplier below 1 (or not finite), Jitter outside
// [0, 1]. Zero fields stand for their defaults and are valid.
func (b *Backoff) Validate() error {
	if b.Initial < 0 {
		return fmt.Errorf("%w: backoff initial %v is negative", ErrInvalid, b.Initial)
	}
	if b.Max < 0 {
		return fmt.Errorf("%w: backoff max %v is negative", ErrInvalid, b.Max)
	}
	if b.Max > 0 && b.Max < b.initial() {
		return fmt.Errorf("%w: backoff max %v is below initial %v", ErrInvalid, b.Max, b.initial())
	}
	if m := b.Multiplier; m != 0 && (m < 1 || math.IsInf(m, 0) || math.IsNaN(m)) {
		return fmt.Errorf("%w: backoff multiplier %v is not a finite number >= 1", ErrInvalid, m)
	}
	if j := b.Jitter; !(j >= 0 && j <= 1) {
		return fmt.Errorf("%w: backoff jitter %v is not within [0, 1]", ErrInvalid, j)
	}
	return nil
}

func (b *Backoff) initial() time.Duration {
	if b.Initial <= 0 {
		return DefaultBackoffInitial
	}
	return b.Initial
}

func (b *Backoff) max() time.Duration {
	if b.Max <= 0 {
		return max(DefaultBackoffMax, b.initial())
	}
	return max(b.Max, b.initial())
}

func (b *Backoff) multiplier() float64 {
	m := b.Multiplier
	if m < 1 || math.IsInf(m, 0) || math.IsNaN(m) {
		return DefaultBackoffMultiplier
	}
	return m
}

func (b *Backoff) jitter() float64 {
	j := b.Jitter
	if !(j >= 0 && j <= 1) {
		return 0
	}
	return j
}

func (b *Backoff) float() float64 {
	if b.Source != nil {
		return float64(b.Source.Uint64()>>11) / (1 << 53)
	}
	return rand.Float64()
}

// Next returns the delay to wait before the next attempt and advances the
// sequence.
func (b *Backoff) Next() time.Duration {
	ceil := b.max()
	d := b.next
	if d <= 0 {
		d = b.initial()
	}
	d = min(d, ceil)
	// Grow in floating point, capping before converting back so that a
	// large multiplier cannot overflow.
	if grown := float64(d) * b.multiplier(); grown >= float64(ceil) {
		b.next = ceil
	} else {
		b.next = time.Duration(grown)
	}
	b.attempts++
	if j := b.jitter(); j > 0 {
		d -= time.Duration(float64(d) * j * b.float())
	}
	return d
}

// Attempts returns how many delays Next has handed out since creation or
// the last Reset.
func (b *Backoff) Attempts() int { return b.attempts }

// Reset starts the sequence again at Initial; call it once a connection
// has proven healthy (in Paranoid Pirate, when traffic arrives).
func (b *Backoff) Reset() {
	b.next = 0
	b.attempts = 0
}
