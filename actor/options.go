package actor

import (
	"fmt"
	"log/slog"
	"time"
)

// Defaults applied by New.
const (
	// DefaultGrace is how long Close waits for an actor to return after
	// $TERM before cancelling its context.
	DefaultGrace = 5 * time.Second
	// DefaultHWM is the number of messages each direction of a pipe holds
	// before senders wait, as CZMQ's pipe high-water mark.
	DefaultHWM = 1000
)

// options holds the settings of one actor.
type options struct {
	grace  time.Duration // wait after $TERM before cancelling the actor
	hwm    int           // messages queued per direction; 0 = unlimited
	name   string        // used in errors, logs and String
	logger *slog.Logger  // never nil
}

// defaultOptions returns the settings used when no option changes them.
func defaultOptions() options {
	return options{
		grace:  DefaultGrace,
		hwm:    DefaultHWM,
		logger: slog.New(slog.DiscardHandler),
	}
}

// Option configures an actor. Options are applied in order by New, and an
// invalid value makes New fail with an error matching ErrOption.
type Option func(*options) error

// WithGrace sets how long Close waits for the actor to return after
// sending it $TERM before it cancels the actor's context (default
// DefaultGrace). Zero cancels at once; negative values are invalid.
func WithGrace(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return fmt.Errorf("%w: negative grace %v", ErrOption, d)
		}
		o.grace = d
		return nil
	}
}

// WithHWM sets the high-water mark of the pipe: the number of messages
// each direction holds before a blocking send waits (default DefaultHWM).
// Zero means no limit; negative values are invalid.
func WithHWM(n int) Option {
	return func(o *options) error {
		if n < 0 {
			return fmt.Errorf("%w: negative HWM %d", ErrOption, n)
		}
		o.hwm = n
		return nil
	}
}

// WithName names the actor in its errors, log records and String. By
// default an actor is named after its function, such as "main.echo".
// The name must not be empty.
func WithName(name string) Option {
	return func(o *options) error {
		if name == "" {
			return fmt.Errorf("%w: empty name", ErrOption)
		}
		o.name = name
		return nil
	}
}

// WithLogger sets the logger for the actor's life-cycle events: start,
// end, panic and forced cancellation. By default nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrOption)
		}
		o.logger = l
		return nil
	}
}

// apply builds the settings from the defaults and opts. Nil options are
// skipped.
func apply(opts []Option) (options, error) {
	o := defaultOptions()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return options{}, err
		}
	}
	return o, nil
}
