package zsock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"syscall"
	"unsafe"

	zmq "github.com/pebbe/zmq4"
)

// Context owns a libzmq context: its I/O threads and every socket created in
// it. Most programs use Default; a separate Context isolates a component (its
// own inproc namespace, its own ZAP handler, its own shutdown).
//
// A Context is safe for use by many goroutines; its sockets are not.
type Context struct {
	zctx    *zmq.Context         // the pebbe context
	handle  unsafe.Pointer       // the libzmq context, for calls pebbe lacks
	log     *slog.Logger         // never nil
	isDflt  bool                 // the process-wide default, which cannot be closed
	mu      sync.Mutex           // guards the fields below
	sockets map[*Socket]struct{} // open sockets
	closing bool                 // shutdown started: no new sockets
	termed  bool                 // zmq_ctx_term has returned
	termErr error                // its result
	termRun chan struct{}        // closed when a running term finishes; nil if none started
	changed chan struct{}        // closed (and replaced) whenever a socket closes
}

// ContextOption configures NewContext.
type ContextOption func(*contextConfig) error

type contextConfig struct {
	ioThreads  int
	maxSockets int
	log        *slog.Logger
}

// WithIOThreads sets the number of libzmq I/O threads (default 1).
func WithIOThreads(n int) ContextOption {
	return func(c *contextConfig) error {
		if n < 0 {
			return fmt.Errorf("%w: I/O threads %d", ErrOption, n)
		}
		c.ioThreads = n
		return nil
	}
}

// WithMaxSockets sets the largest number of sockets the context may hold.
// The default is the process's open-file limit (at least libzmq's 1023),
// capped at libzmq's own limit.
func WithMaxSockets(n int) ContextOption {
	return func(c *contextConfig) error {
		if n < 1 {
			return fmt.Errorf("%w: max sockets %d", ErrOption, n)
		}
		c.maxSockets = n
		return nil
	}
}

// WithContextLogger sends the context's diagnostics to l. The default
// logger discards everything.
func WithContextLogger(l *slog.Logger) ContextOption {
	return func(c *contextConfig) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrOption)
		}
		c.log = l
		return nil
	}
}

// NewContext creates a libzmq context.
func NewContext(opts ...ContextOption) (*Context, error) {
	cfg := contextConfig{ioThreads: 1, log: discardLogger}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	zctx, err := zmq.NewContext()
	if err != nil {
		return nil, wrapErr("zmq_ctx_new", "", err)
	}
	h, err := handleOf(zctx)
	if err != nil {
		_ = zctx.Term()
		return nil, err
	}
	c := &Context{zctx: zctx, handle: h, log: cfg.log, sockets: make(map[*Socket]struct{})}
	if cfg.ioThreads != 1 {
		if err := zctx.SetIoThreads(cfg.ioThreads); err != nil {
			_ = zctx.Term()
			return nil, wrapErr("zmq_ctx_set ZMQ_IO_THREADS", "", err)
		}
	}
	max := cfg.maxSockets
	if max == 0 {
		max = fileLimit()
	}
	if lim := ctxSocketLimit(h); lim > 0 && max > lim {
		max = lim
	}
	if max < zmq.MaxSocketsDflt && cfg.maxSockets == 0 {
		max = zmq.MaxSocketsDflt
	}
	if err := zctx.SetMaxSockets(max); err != nil {
		_ = zctx.Term()
		return nil, wrapErr("zmq_ctx_set ZMQ_MAX_SOCKETS", "", err)
	}
	return c, nil
}

var (
	defaultOnce sync.Once
	defaultCtx  *Context
	defaultErr  error
)

// Default returns the process-wide context that New uses when no
// WithContext option is given. It is created on first use, with its socket
// limit raised to the open-file limit, and lives as long as the process.
func Default() (*Context, error) {
	defaultOnce.Do(func() {
		defaultCtx, defaultErr = NewContext()
		if defaultCtx != nil {
			defaultCtx.isDflt = true
		}
	})
	return defaultCtx, defaultErr
}

// MaxSockets reports the context's socket limit.
func (c *Context) MaxSockets() int {
	n, err := c.zctx.GetMaxSockets()
	if err != nil {
		return 0
	}
	return n
}

// OpenSockets reports how many sockets of the context are open.
func (c *Context) OpenSockets() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sockets)
}

// register records a new socket, refusing once shutdown started.
func (c *Context) register(s *Socket) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return ErrClosed
	}
	c.sockets[s] = struct{}{}
	return nil
}

func (c *Context) unregister(s *Socket) {
	c.mu.Lock()
	delete(c.sockets, s)
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
	c.mu.Unlock()
}

// socketClosed returns a channel closed when the next socket closes.
func (c *Context) socketClosed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.changed == nil {
		c.changed = make(chan struct{})
	}
	return c.changed
}

// Close shuts the context down: blocking operations on its sockets return
// ErrTerminated, and no new socket can be created. If every socket has been
// closed it then terminates the context, which waits for each socket's
// linger to deliver pending messages (zsock's default linger is 0, so
// normally nothing waits). If sockets are still open it returns an error
// matching ErrSocketsOpen at once, without waiting: close them (their owners
// see ErrTerminated) and call Close again. Close never waits for a socket
// owner. Closing the Default context is an error.
func (c *Context) Close() error {
	return c.shutdown(nil)
}

// Shutdown is Close that waits, until ctx is done, for the owners of open
// sockets to close them and for termination to finish.
func (c *Context) Shutdown(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	return c.shutdown(ctx)
}

func (c *Context) shutdown(ctx context.Context) error {
	if c.isDflt {
		return errors.New("zsock: the default context cannot be closed")
	}
	c.mu.Lock()
	first := !c.closing
	c.closing = true
	c.mu.Unlock()
	if first {
		if err := ctxShutdown(c.handle); err != nil && err != syscall.EFAULT {
			c.log.Warn("zsock: context shutdown", "err", err)
		}
	}
	for {
		c.mu.Lock()
		if c.termed {
			err := c.termErr
			c.mu.Unlock()
			return err
		}
		open := len(c.sockets)
		if open == 0 && c.termRun == nil {
			done := make(chan struct{})
			c.termRun = done
			go func() {
				err := c.zctx.Term()
				c.mu.Lock()
				c.termed = true
				if err != nil {
					c.termErr = wrapErr("zmq_ctx_term", "", err)
				}
				c.mu.Unlock()
				close(done)
			}()
		}
		run := c.termRun
		c.mu.Unlock()
		if run != nil {
			if ctx == nil {
				<-run
				continue
			}
			select {
			case <-run:
				continue
			case <-ctx.Done():
				return fmt.Errorf("zsock: context termination still waiting for linger: %w", ctx.Err())
			}
		}
		if ctx == nil {
			return fmt.Errorf("%w: %d still open", ErrSocketsOpen, open)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: %d still open: %w", ErrSocketsOpen, open, ctx.Err())
		case <-c.socketClosed():
		}
	}
}
