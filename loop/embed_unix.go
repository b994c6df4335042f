//go:build unix

package loop

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
)

// wakeFD is a non-blocking pipe whose read end is readable while the loop
// has work: the descriptor a host event loop (GTK's g_unix_fd_add, Qt's
// QSocketNotifier, another reactor) can wait on.
type wakeFD struct {
	r, w   int
	raised atomic.Bool // a byte sits in the pipe

	mu     sync.RWMutex // close excludes writers, so no write hits a reused descriptor
	closed bool
}

func newWakeFD() (*wakeFD, error) {
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil {
		return nil, fmt.Errorf("loop: pipe: %w", err)
	}
	for _, fd := range p {
		syscall.CloseOnExec(fd)
		if err := syscall.SetNonblock(fd, true); err != nil {
			syscall.Close(p[0])
			syscall.Close(p[1])
			return nil, fmt.Errorf("loop: pipe: %w", err)
		}
	}
	return &wakeFD{r: p[0], w: p[1]}, nil
}

// raise makes the read end readable, once until lowered.
func (w *wakeFD) raise() {
	if w.raised.CompareAndSwap(false, true) {
		w.mu.RLock()
		if !w.closed {
			syscall.Write(w.w, []byte{1})
		}
		w.mu.RUnlock()
	}
}

// lower drains the pipe. It drains before clearing the flag: a raise
// suppressed in between belongs to work queued before the Step that
// follows, so nothing is lost.
func (w *wakeFD) lower() {
	if !w.raised.Load() {
		return
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return
	}
	var b [16]byte
	for {
		n, err := syscall.Read(w.r, b[:])
		if n <= 0 || err != nil {
			break
		}
	}
	w.raised.Store(false)
}

func (w *wakeFD) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	return errors.Join(syscall.Close(w.r), syscall.Close(w.w))
}

// ReadyFD returns a file descriptor that is readable while Step has work,
// for host event loops that wait on descriptors rather than channels. The
// loop owns it (do not read or close it); Step drains it and Close closes
// it. Like Ready, it is not raised by values on channel readers.
func (l *Loop) ReadyFD() (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return -1, ErrClosed
	}
	w := l.embedFD.Load()
	if w == nil {
		var err error
		if w, err = newWakeFD(); err != nil {
			return -1, err
		}
		l.embedFD.Store(w)
		if len(l.posted) > 0 || len(l.readyQ) > 0 || len(l.wake) > 0 {
			w.raise()
		}
	}
	return w.r, nil
}
