package loop

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// DeadlineReader is a reader whose blocked Read can be interrupted by a
// deadline: net.Conn and *os.File (pipes, terminals, sockets) qualify.
type DeadlineReader interface {
	io.Reader
	SetReadDeadline(t time.Time) error
}

// IOOption configures an io reader.
type IOOption func(*ioConfig) error

type ioConfig struct {
	size  int
	ropts []ReaderOption
}

// BufferSize sets the read buffer of an io reader (default 32 KiB).
func BufferSize(n int) IOOption {
	return func(c *ioConfig) error {
		if n <= 0 {
			return fmt.Errorf("%w: buffer size %d", ErrInvalid, n)
		}
		c.size = n
		return nil
	}
}

// IO registers an ordinary reader, such as a net.Conn or a pipe, next to
// the loop's ZeroMQ sources: ZeroMQ's FAQ "poll ZeroMQ and normal sockets
// together", done the Go way. A goroutine reads from r (parked in Go's
// network poller, holding no OS thread) and the loop calls fn on its own
// goroutine with the bytes read, which are valid only during the call. The
// goroutine reads again only after fn returned, so a slow handler slows
// the reader instead of queueing data.
//
// When Read fails (io.EOF included) fn is called with the error and the
// reader is removed. fn returning an error stops the loop. Removing the
// reader or closing the loop interrupts a blocked Read with a past
// deadline, then clears the deadline; r itself is never closed.
func (l *Loop) IO(r DeadlineReader, fn func(p []byte, err error) error, opts ...IOOption) (*Reader, error) {
	if r == nil || fn == nil {
		return nil, fmt.Errorf("%w: nil reader or handler", ErrInvalid)
	}
	cfg := ioConfig{size: 32 << 10}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	rd := &Reader{loop: l}
	g := &ioGoroutine{l: l, r: r, fn: fn, rd: rd, buf: make([]byte, cfg.size),
		quit: make(chan struct{}), done: make(chan struct{}), ack: make(chan struct{}, 1)}
	c, err := l.addCloser(g.stop)
	if err != nil {
		return nil, err
	}
	rd.remove = func() { l.runCloser(c) }
	go g.run()
	return rd, nil
}

// ioGoroutine reads one io source and hands each read to the loop.
type ioGoroutine struct {
	l    *Loop
	r    DeadlineReader
	fn   func([]byte, error) error
	rd   *Reader
	buf  []byte
	quit chan struct{} // closed by stop
	done chan struct{} // closed when run returns
	ack  chan struct{} // the loop finished with buf
	once sync.Once
}

func (g *ioGoroutine) run() {
	defer close(g.done)
	for {
		n, err := g.r.Read(g.buf)
		select {
		case <-g.quit:
			return
		default:
		}
		if n == 0 && err == nil {
			continue
		}
		if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
			// Someone else's deadline: report it like any other error.
			err = fmt.Errorf("loop: io reader: %w", err)
		}
		p := g.buf[:n]
		if perr := g.l.post(func() error { return g.deliver(p, err) }); perr != nil {
			return
		}
		select {
		case <-g.ack:
		case <-g.quit:
			return
		}
		if err != nil {
			return
		}
	}
}

// deliver runs on the loop goroutine.
func (g *ioGoroutine) deliver(p []byte, err error) error {
	if g.rd.removed {
		return nil
	}
	herr := g.fn(p, err)
	if err != nil {
		g.rd.Remove()
	} else {
		g.ack <- struct{}{}
	}
	return herr
}

// stop interrupts the read and waits for the goroutine.
func (g *ioGoroutine) stop() {
	g.once.Do(func() {
		close(g.quit)
		g.r.SetReadDeadline(time.Unix(1, 0))
		<-g.done
		g.r.SetReadDeadline(time.Time{})
	})
}
