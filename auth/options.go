package auth

import (
	"fmt"
	"log/slog"
	"time"
)

// Defaults applied by New.
const (
	// DefaultWorkers is how many Checker calls may run at once.
	DefaultWorkers = 8
	// DefaultMaxPending is how many requests may wait for a Checker
	// (queued or running) before new ones are answered StatusTemporary.
	DefaultMaxPending = 1024
	// DefaultCheckTimeout is the decision deadline of a request handed to
	// a Checker, counted from its arrival.
	DefaultCheckTimeout = 10 * time.Second
)

// options holds the settings of one authenticator.
type options struct {
	log        *slog.Logger  // never nil
	events     chan<- Event  // may be nil
	workers    int           // > 0
	maxPending int           // > 0
	timeout    time.Duration // > 0
	checker    Checker       // default policy's checker; may be nil
	verbose    bool          // start verbose
}

// Option configures New. An invalid value makes New fail with an error
// matching ErrOption.
type Option func(*options) error

func defaultOptions() options {
	return options{
		log:        slog.New(slog.DiscardHandler),
		workers:    DefaultWorkers,
		maxPending: DefaultMaxPending,
		timeout:    DefaultCheckTimeout,
	}
}

// WithLogger sends the authenticator's diagnostics to l: malformed
// requests and failed commands at Warn, failing certificate stores and
// checkers at Error, and, once verbose (Verbose, the VERBOSE command or
// WithVerbose), every command and decision at Info. PLAIN passwords are
// never logged. By default nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrOption)
		}
		o.log = l
		return nil
	}
}

// WithVerbose starts the authenticator verbose, as if sent VERBOSE.
func WithVerbose() Option {
	return func(o *options) error {
		o.verbose = true
		return nil
	}
}

// WithEvents sends an Event for every decision to ch. The authenticator
// never waits for ch: when ch is full the event is dropped and counted in
// Stats.EventsDropped, so a slow consumer cannot delay a handshake. Give
// ch a buffer sized for bursts. The authenticator never closes ch.
func WithEvents(ch chan<- Event) Option {
	return func(o *options) error {
		if ch == nil {
			return fmt.Errorf("%w: nil events channel", ErrOption)
		}
		o.events = ch
		return nil
	}
}

// WithWorkers sets how many Checker calls may run at once (default
// DefaultWorkers). Each runs on its own goroutine, started when needed.
func WithWorkers(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("%w: %d workers", ErrOption, n)
		}
		o.workers = n
		return nil
	}
}

// WithMaxPending sets how many requests may wait for a Checker, queued or
// running (default DefaultMaxPending). Requests beyond it are answered
// StatusTemporary at once, which bounds the memory a flood of handshakes
// can take.
func WithMaxPending(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("%w: max pending %d", ErrOption, n)
		}
		o.maxPending = n
		return nil
	}
}

// WithCheckTimeout sets the decision deadline for requests handed to a
// Checker, counted from their arrival (default DefaultCheckTimeout). A
// request not decided by then is answered StatusTemporary, and the
// Checker's context ends. Keep it below the server sockets' handshake
// interval (libzmq's default is 30 seconds), after which libzmq drops
// the connection anyway.
func WithCheckTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return fmt.Errorf("%w: check timeout %v", ErrOption, d)
		}
		o.timeout = d
		return nil
	}
}

// WithChecker sets the Checker of the default policy from the start, as
// SetChecker does later.
func WithChecker(c Checker) Option {
	return func(o *options) error {
		if c == nil {
			return fmt.Errorf("%w: nil checker", ErrOption)
		}
		o.checker = c
		return nil
	}
}
