package zsock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// A long-past instant: setting it as the poll deadline wakes a waiter.
var aLongTimeAgo = time.Unix(1, 0)

// ensurePoll registers a duplicate of ZMQ_FD with Go's network poller.
func (s *Socket) ensurePoll() error {
	if s.poll != nil {
		return nil
	}
	fd, err := rawFd(s.handle)
	if err != nil {
		return wrapErrno("getsockopt ZMQ_FD", "", errnoOf(err))
	}
	dup, err := syscall.Dup(fd)
	if err != nil {
		return &Error{Op: "dup ZMQ_FD", Errno: errnoOf(err)}
	}
	syscall.CloseOnExec(dup)
	if err := syscall.SetNonblock(dup, true); err != nil {
		syscall.Close(dup)
		return &Error{Op: "set ZMQ_FD non-blocking", Errno: errnoOf(err)}
	}
	f := os.NewFile(uintptr(dup), "zmq-fd")
	if f == nil {
		syscall.Close(dup)
		return &Error{Op: "register ZMQ_FD", Errno: syscall.EBADF}
	}
	s.poll = f
	return nil
}

// wait parks the calling goroutine until ZMQ_EVENTS has a bit of want set,
// ctx is done, or the socket timeout tmo (negative: none) expires. It
// follows libzmq's ZMQ_FD rules: the descriptor is only a hint to re-read
// ZMQ_EVENTS, which is checked before every park.
func (s *Socket) wait(ctx context.Context, want int, tmo time.Duration, op string) error {
	if err := s.ensurePoll(); err != nil {
		return err
	}
	rc, err := s.poll.SyscallConn()
	if err != nil {
		return &Error{Op: op, Errno: syscall.EBADF}
	}
	var deadline time.Time
	timeoutIsOurs := false
	if tmo >= 0 {
		deadline = time.Now().Add(tmo)
		timeoutIsOurs = true
	}
	if d, ok := ctx.Deadline(); ok && (deadline.IsZero() || d.Before(deadline)) {
		deadline = d
		timeoutIsOurs = false
	}
	reset := false
	defer func() {
		if reset {
			s.poll.SetReadDeadline(time.Time{})
		}
	}()
	if !deadline.IsZero() {
		reset = true
		if err := s.poll.SetReadDeadline(deadline); err != nil {
			return &Error{Op: op, Errno: syscall.EBADF}
		}
	}
	if ctx.Done() != nil {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("zsock: %s: %w", op, err)
		}
		reset = true
		woke := make(chan struct{})
		stop := context.AfterFunc(ctx, func() {
			s.poll.SetReadDeadline(aLongTimeAgo)
			close(woke)
		})
		// Runs before the deadline reset above (defers run last-in first-out).
		defer func() {
			if !stop() {
				<-woke
			}
		}()
	}
	var evErr error
	err = rc.Read(func(uintptr) bool {
		ev, err := rawEvents(s.handle)
		if err != nil {
			evErr = err
			return true
		}
		return ev&want != 0
	})
	if evErr != nil {
		return wrapErrno(op, "", errnoOf(evErr))
	}
	if err == nil {
		return nil
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		if cerr := ctx.Err(); cerr != nil {
			return fmt.Errorf("zsock: %s: %w", op, cerr)
		}
		if timeoutIsOurs {
			return timeoutErr(op)
		}
		// The context's deadline passed a moment before its timer fired.
		return fmt.Errorf("zsock: %s: %w", op, context.DeadlineExceeded)
	}
	return &Error{Op: op, Errno: syscall.EBADF}
}
