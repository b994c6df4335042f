package cert

import (
	"fmt"
	"log/slog"
	"time"
)

// DefaultCheckInterval is the default time after which a directory
// store's next Lookup walks the whole tree again, comparing every file's
// size and times with what it saw before (see Store).
const DefaultCheckInterval = time.Second

// LoadOption configures Load.
type LoadOption interface {
	applyLoad(*loadConfig) error
}

// SaveOption configures Save, SavePublic and SaveSecret.
type SaveOption interface {
	applySave(*saveConfig) error
}

// StoreOption configures NewStore.
type StoreOption interface {
	applyStore(*storeConfig) error
}

// LoadStoreOption is an option that both Load and NewStore accept.
type LoadStoreOption interface {
	LoadOption
	StoreOption
}

// loadConfig holds the settings of one Load.
type loadConfig struct {
	log *slog.Logger // never nil
}

// saveConfig holds the settings of one save.
type saveConfig struct {
	overwrite bool      // replace existing files
	when      time.Time // the banner's timestamp
	pyzmq     bool      // pyzmq's layout instead of CZMQ's
}

// storeConfig holds the settings of a Store.
type storeConfig struct {
	log      *slog.Logger  // never nil
	interval time.Duration // longest time between full stat walks
}

func newLoadConfig(opts []LoadOption) (loadConfig, error) {
	c := loadConfig{log: discard}
	for _, o := range opts {
		if o == nil {
			return c, fmt.Errorf("%w: nil option", ErrInvalid)
		}
		if err := o.applyLoad(&c); err != nil {
			return c, err
		}
	}
	return c, nil
}

func newSaveConfig(opts []SaveOption) (saveConfig, error) {
	c := saveConfig{}
	for _, o := range opts {
		if o == nil {
			return c, fmt.Errorf("%w: nil option", ErrInvalid)
		}
		if err := o.applySave(&c); err != nil {
			return c, err
		}
	}
	if c.when.IsZero() {
		c.when = time.Now()
	}
	return c, nil
}

func newStoreConfig(opts []StoreOption) (storeConfig, error) {
	c := storeConfig{log: discard, interval: DefaultCheckInterval}
	for _, o := range opts {
		if o == nil {
			return c, fmt.Errorf("%w: nil option", ErrInvalid)
		}
		if err := o.applyStore(&c); err != nil {
			return c, err
		}
	}
	return c, nil
}

// discard is the default logger: silent.
var discard = slog.New(slog.DiscardHandler)

// loggerOption implements WithLogger for every operation that logs.
type loggerOption struct{ log *slog.Logger }

func (o loggerOption) check() error {
	if o.log == nil {
		return fmt.Errorf("%w: nil logger", ErrInvalid)
	}
	return nil
}

func (o loggerOption) applyLoad(c *loadConfig) error {
	c.log = o.log
	return o.check()
}

func (o loggerOption) applyStore(c *storeConfig) error {
	c.log = o.log
	return o.check()
}

// WithLogger sends diagnostics to l: warnings about secret files that
// other users can read and about files a store skips (each logged once),
// and a debug message whenever a store's contents change. Without it
// nothing is logged. A nil logger is an error matching ErrInvalid.
func WithLogger(l *slog.Logger) LoadStoreOption { return loggerOption{l} }

// saveFunc adapts a function to SaveOption.
type saveFunc func(*saveConfig) error

func (f saveFunc) applySave(c *saveConfig) error { return f(c) }

// storeFunc adapts a function to StoreOption.
type storeFunc func(*storeConfig) error

func (f storeFunc) applyStore(c *storeConfig) error { return f(c) }

// WithOverwrite lets a save replace existing files. Without it a save
// that would replace a file fails with an error matching ErrExists and
// writes nothing. Each file is still replaced atomically.
func WithOverwrite() SaveOption {
	return saveFunc(func(c *saveConfig) error {
		c.overwrite = true
		return nil
	})
}

// WithTime sets the time written in the file's "Generated on" banner
// (default: the time of the save). CZMQ's layout prints it as
// "2006-01-02 15:04:05" in t's location; pyzmq's like Python's
// datetime. The zero time is invalid.
func WithTime(t time.Time) SaveOption {
	return saveFunc(func(c *saveConfig) error {
		if t.IsZero() {
			return fmt.Errorf("%w: zero time", ErrInvalid)
		}
		c.when = t
		return nil
	})
}

// WithPyzmqLayout writes files the way pyzmq's
// zmq.auth.create_certificates does instead of CZMQ's way: Save(base)
// writes base.key and base.key_secret, metadata goes only into the secret
// file, unquoted where that is safe, and the banner says pyzmq. CZMQ and
// pyzmq read either layout.
func WithPyzmqLayout() SaveOption {
	return saveFunc(func(c *saveConfig) error {
		c.pyzmq = true
		return nil
	})
}

// WithCheckInterval sets the longest time a directory store goes without
// comparing every file's size and times with what it saw before (default
// DefaultCheckInterval). Changes that alter a directory's modification
// time are noticed sooner, at the next Lookup (see Store). Zero compares
// before every Lookup; negative values are invalid.
func WithCheckInterval(d time.Duration) StoreOption {
	return storeFunc(func(c *storeConfig) error {
		if d < 0 {
			return fmt.Errorf("%w: negative check interval %v", ErrInvalid, d)
		}
		c.interval = d
		return nil
	})
}
