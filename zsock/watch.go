package zsock

import (
	"context"
	"errors"
	"os"
	"sync"
	"syscall"

	zmq "github.com/pebbe/zmq4"
)

// watcher is one goroutine parked on a private duplicate of ZMQ_FD.
type watcher struct {
	notify func()        // the caller's function
	file   *os.File      // the duplicate descriptor; closing it ends the goroutine
	done   chan struct{} // closed when the goroutine has returned
	once   sync.Once     // makes stop idempotent
}

// Watch starts watching the socket for readiness changes without touching
// libzmq from another goroutine: a watcher goroutine parks on a duplicate of
// the socket's ZMQ_FD in Go's network poller and calls notify every time
// libzmq signals that the socket's state may have changed, and once right
// after the watch is in place.
//
// notify runs on the watcher goroutine, never concurrently with itself. It
// must not block and must not use the socket. A notification means only
// "look again": the owner goroutine then checks Readable or receives with
// DontWait until ErrWouldBlock, as libzmq's ZMQ_FD rules require. The
// watcher stays armed between notifications. A send by the owner can take
// in the signal of a message that arrived meanwhile, and the descriptor
// then never becomes readable for it; so every message the owner sends on
// a watched socket also calls notify, on the owner's goroutine. A receive
// needs no such call: the owner receives until ErrWouldBlock anyway.
//
// stop ends the watch and waits for the watcher goroutine to return. It is
// idempotent and safe from any goroutine. Close stops every watch still
// running on the socket.
func (s *Socket) Watch(notify func()) (stop func(), err error) {
	if s.closed {
		return nil, ErrClosed
	}
	fd, err := rawFd(s.handle)
	if err != nil {
		return nil, wrapErrno("getsockopt ZMQ_FD", "", errnoOf(err))
	}
	dup, err := syscall.Dup(fd)
	if err != nil {
		return nil, &Error{Op: "dup ZMQ_FD", Errno: errnoOf(err)}
	}
	syscall.CloseOnExec(dup)
	if err := syscall.SetNonblock(dup, true); err != nil {
		syscall.Close(dup)
		return nil, &Error{Op: "set ZMQ_FD non-blocking", Errno: errnoOf(err)}
	}
	f := os.NewFile(uintptr(dup), "zmq-fd-watch")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, &Error{Op: "watch ZMQ_FD", Errno: syscall.EBADF}
	}
	w := &watcher{notify: notify, file: f, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		// Read calls the function once at once and again after every
		// readiness edge; returning false keeps the goroutine parked in
		// the poller. It returns only when the file is closed.
		rc.Read(func(uintptr) bool {
			notify()
			return false
		})
	}()
	s.watchMu.Lock()
	if s.watchers == nil {
		s.watchers = make(map[*watcher]struct{})
	}
	s.watchers[w] = struct{}{}
	s.nwatch.Store(int32(len(s.watchers)))
	s.watchMu.Unlock()
	return func() {
		s.watchMu.Lock()
		delete(s.watchers, w)
		s.nwatch.Store(int32(len(s.watchers)))
		s.watchMu.Unlock()
		w.stop()
	}, nil
}

// afterSend tells the watchers to look again after the owner sent a
// message. A send lets libzmq process the socket's pending commands,
// which may take in the signal of a message that arrived meanwhile; the
// descriptor then never becomes readable for it, and without this a
// reactor would not learn of the message until some later event.
func (s *Socket) afterSend() {
	if s.nwatch.Load() == 0 {
		return
	}
	s.watchMu.Lock()
	for w := range s.watchers {
		w.notify()
	}
	s.watchMu.Unlock()
}

// stop closes the duplicate descriptor and waits for the goroutine.
func (w *watcher) stop() {
	w.once.Do(func() {
		w.file.Close()
		<-w.done
	})
}

// stopWatchers ends every watch of the socket; Close calls it first.
func (s *Socket) stopWatchers() {
	s.watchMu.Lock()
	ws := s.watchers
	s.watchers = nil
	s.nwatch.Store(0)
	s.watchMu.Unlock()
	for w := range ws {
		w.stop()
	}
}

// Readable reports whether a message can be received now without
// waiting. It answers by receiving the next message without waiting and
// keeping it for the next receive call, so the answer costs no more than
// the receive itself (asking libzmq's ZMQ_EVENTS costs a system call per
// question). Like any receive it re-arms the socket's readiness signal.
// Errors are those of a receive: ErrClosed, ErrTerminated, and so on.
func (s *Socket) Readable() (bool, error) {
	if s.closed {
		return false, ErrClosed
	}
	if s.peeked != nil {
		return true, nil
	}
	m, err := s.recvMsg(context.Background(), DontWait)
	if err != nil {
		if errors.Is(err, ErrWouldBlock) {
			return false, nil
		}
		return false, err
	}
	s.peeked, s.peekPos = m, 0
	return true, nil
}

// Monitor starts libzmq's socket monitor (zmq_socket_monitor): libzmq binds
// a PAIR socket at endpoint (an inproc endpoint) and sends it a two-frame
// message for every event in the mask: 6 bytes holding the event number
// (16 bits) and a value (32 bits), both in host byte order, then the
// endpoint the event concerns. Calling it again replaces the monitor; an
// empty endpoint stops monitoring, which closes libzmq's PAIR socket. The
// monitor package reads these events.
func (s *Socket) Monitor(endpoint string, events uint32) error {
	if s.closed {
		return ErrClosed
	}
	return wrapErr("zmq_socket_monitor", endpoint, s.zs.Monitor(endpoint, zmq.Event(events)))
}
