package heartbeat_test

import (
	"errors"
	"testing"
	"time"

	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/zsock"
)

func TestWireDefaults(t *testing.T) {
	w := heartbeat.WireDefaults()
	if w.Interval != time.Second || w.Timeout != 3*time.Second || w.TTL != 6*time.Second {
		t.Fatalf("WireDefaults = %+v", w)
	}
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	opts, err := w.Options()
	if err != nil || len(opts) != 1 {
		t.Fatalf("Options = %v, %v", opts, err)
	}
	s, err := zsock.NewDealer("", opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := w.Apply(s); err != nil {
		t.Fatal(err)
	}
}

func TestWireValidate(t *testing.T) {
	s, ms := time.Second, time.Millisecond
	for _, c := range []struct {
		name              string
		ivl, timeout, ttl time.Duration
	}{
		{"zero interval", 0, 3 * s, 6 * s},
		{"sub-millisecond interval", 500 * time.Microsecond, 3 * s, 6 * s},
		{"timeout below interval", s, 500 * ms, 6 * s},
		{"zero timeout", s, 0, 6 * s},
		{"ttl below interval", s, 3 * s, 500 * ms},
		{"ttl below a decisecond", ms, 3 * ms, 50 * ms},
		{"ttl too large", s, 3 * s, 7000 * s},
	} {
		if _, err := heartbeat.WireOptions(c.ivl, c.timeout, c.ttl); !errors.Is(err, heartbeat.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", c.name, err)
		}
	}
	if _, err := heartbeat.WireOptions(100*ms, 100*ms, 100*ms); err != nil {
		t.Errorf("tight but valid settings: %v", err)
	}
	if err := heartbeat.WireDefaults().Apply(nil); !errors.Is(err, heartbeat.ErrInvalid) {
		t.Errorf("Apply(nil) = %v", err)
	}
}
