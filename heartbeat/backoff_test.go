package heartbeat_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/zkit-go/zkit/heartbeat"
)

func next(b *heartbeat.Backoff, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = b.Next()
	}
	return out
}

func TestBackoffGuideDefaults(t *testing.T) {
	var b heartbeat.Backoff // the zero value is the Guide's policy
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	s := time.Second
	want := []time.Duration{1 * s, 2 * s, 4 * s, 8 * s, 16 * s, 32 * s, 32 * s, 32 * s}
	if got := next(&b, len(want)); !slices.Equal(got, want) {
		t.Fatalf("sequence %v, want %v", got, want)
	}
	if b.Attempts() != len(want) {
		t.Fatalf("Attempts = %d", b.Attempts())
	}
	b.Reset()
	if b.Attempts() != 0 {
		t.Fatal("Reset kept attempts")
	}
	if got := next(&b, 3); !slices.Equal(got, want[:3]) {
		t.Fatalf("after Reset %v", got)
	}
}

func TestBackoffCustomAndCap(t *testing.T) {
	b, err := heartbeat.NewBackoff(100*time.Millisecond, time.Second, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	want := []time.Duration{100 * ms, 300 * ms, 900 * ms, 1000 * ms, 1000 * ms}
	if got := next(b, len(want)); !slices.Equal(got, want) {
		t.Fatalf("sequence %v, want %v", got, want)
	}
	// A huge multiplier neither overflows nor exceeds the cap.
	b, err = heartbeat.NewBackoff(time.Second, time.Hour, 1e300, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := next(b, 3); !slices.Equal(got, []time.Duration{time.Second, time.Hour, time.Hour}) {
		t.Fatalf("sequence %v", got)
	}
	// Multiplier 1: a constant delay.
	b, _ = heartbeat.NewBackoff(time.Second, time.Hour, 1, 0)
	if got := next(b, 3); !slices.Equal(got, []time.Duration{time.Second, time.Second, time.Second}) {
		t.Fatalf("sequence %v", got)
	}
}

func TestBackoffJitterBounds(t *testing.T) {
	b := &heartbeat.Backoff{Jitter: 0.25, Source: rand.NewPCG(1, 2)}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	base := time.Second
	varied := false
	for i := range 1000 {
		if i%7 == 0 {
			b.Reset()
			base = time.Second
		}
		d := b.Next()
		lo := time.Duration(float64(base) * 0.75)
		if d < lo || d > base {
			t.Fatalf("attempt %d: %v outside [%v, %v]", i, d, lo, base)
		}
		if d != base {
			varied = true
		}
		base = min(2*base, 32*time.Second)
	}
	if !varied {
		t.Fatal("jitter never changed a delay")
	}
	// The same seed gives the same sequence.
	a1 := next(&heartbeat.Backoff{Jitter: 1, Source: rand.NewPCG(7, 7)}, 10)
	a2 := next(&heartbeat.Backoff{Jitter: 1, Source: rand.NewPCG(7, 7)}, 10)
	if !slices.Equal(a1, a2) {
		t.Fatal("seeded sequences differ")
	}
	// The global generator is used without a Source.
	d := (&heartbeat.Backoff{Jitter: 0.5}).Next()
	if d < 500*time.Millisecond || d > time.Second {
		t.Fatalf("global jitter %v", d)
	}
}

func TestBackoffValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		b    heartbeat.Backoff
	}{
		{"negative initial", heartbeat.Backoff{Initial: -1}},
		{"negative max", heartbeat.Backoff{Max: -1}},
		{"max below initial", heartbeat.Backoff{Initial: 2 * time.Second, Max: time.Second}},
		{"multiplier below 1", heartbeat.Backoff{Multiplier: 0.5}},
		{"negative multiplier", heartbeat.Backoff{Multiplier: -2}},
		{"NaN multiplier", heartbeat.Backoff{Multiplier: math.NaN()}},
		{"Inf multiplier", heartbeat.Backoff{Multiplier: math.Inf(1)}},
		{"negative jitter", heartbeat.Backoff{Jitter: -0.1}},
		{"jitter above 1", heartbeat.Backoff{Jitter: 1.5}},
		{"NaN jitter", heartbeat.Backoff{Jitter: math.NaN()}},
	} {
		b := c.b
		if err := b.Validate(); !errors.Is(err, heartbeat.ErrInvalid) {
			t.Errorf("%s: Validate = %v", c.name, err)
		}
		if _, err := heartbeat.NewBackoff(b.Initial, b.Max, b.Multiplier, b.Jitter); !errors.Is(err, heartbeat.ErrInvalid) {
			t.Errorf("%s: NewBackoff = %v", c.name, err)
		}
		// Next still works, with defaults in place of the bad fields.
		for range 10 {
			if d := b.Next(); d <= 0 || d > 32*time.Second && d > b.Initial {
				t.Errorf("%s: Next = %v", c.name, d)
			}
		}
	}
	// An Initial above the default Max with Max unset is valid and constant.
	b := heartbeat.Backoff{Initial: time.Minute}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := next(&b, 2); !slices.Equal(got, []time.Duration{time.Minute, time.Minute}) {
		t.Fatalf("sequence %v", got)
	}
}
