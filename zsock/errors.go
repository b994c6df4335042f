package zsock

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
)

// Sentinel errors. Every error returned by this package that comes from
// libzmq is an *Error, which matches one of these with errors.Is and also
// unwraps to the syscall.Errno that libzmq reported.
var (
	// ErrClosed is returned by operations on a closed socket or context.
	// It satisfies errors.Is(err, net.ErrClosed).
	ErrClosed = fmt.Errorf("zsock: closed: %w", net.ErrClosed)
	// ErrTerminated means the socket's context was shut down (ETERM).
	// Close the socket; nothing more can be sent or received on it.
	ErrTerminated = errors.New("zsock: context terminated")
	// ErrTimeout means the socket's send or receive timeout expired.
	// It satisfies errors.Is(err, os.ErrDeadlineExceeded).
	ErrTimeout = &timeoutError{}
	// ErrWouldBlock is returned by a DontWait operation that could not
	// proceed at once (EAGAIN).
	ErrWouldBlock = errors.New("zsock: operation would block")
	// ErrHostUnreachable is returned by a ROUTER with RouterMandatory set
	// when the first frame names no connected peer (EHOSTUNREACH).
	ErrHostUnreachable = errors.New("zsock: host unreachable")
	// ErrState means the operation is not allowed in the socket's current
	// state, such as two sends in a row on REQ (EFSM).
	ErrState = errors.New("zsock: operation not valid in this socket state")
	// ErrAddrInUse means the endpoint is already bound (EADDRINUSE).
	ErrAddrInUse = errors.New("zsock: address in use")
	// ErrAddrNotAvailable means the endpoint names an address that is not
	// local (EADDRNOTAVAIL).
	ErrAddrNotAvailable = errors.New("zsock: address not available")
	// ErrEndpoint means the endpoint string is malformed (EINVAL, ENODEV)
	// or, for Unbind and Disconnect, not bound or connected (ENOENT).
	ErrEndpoint = errors.New("zsock: invalid endpoint")
	// ErrProtocol means the transport is not supported (EPROTONOSUPPORT)
	// or not compatible with the socket type (ENOCOMPATPROTO).
	ErrProtocol = errors.New("zsock: transport not supported")
	// ErrNotSupported means the option or operation is not supported by
	// this socket type or libzmq build (ENOTSUP, EINVAL on options).
	ErrNotSupported = errors.New("zsock: not supported")
	// ErrTooManySockets means the context's socket limit was reached
	// (EMFILE).
	ErrTooManySockets = errors.New("zsock: too many sockets")
	// ErrMessageSize means a message exceeded a size limit (EMSGSIZE).
	ErrMessageSize = errors.New("zsock: message too large")
	// ErrNoIOThread means the context has no I/O thread (EMTHREAD).
	ErrNoIOThread = errors.New("zsock: no I/O thread available")
	// ErrSocketsOpen is returned by Context.Close and Context.Shutdown while
	// sockets of the context are still open.
	ErrSocketsOpen = errors.New("zsock: context has open sockets")
	// ErrSignal is returned by RecvPicture when the message received was a
	// signal (as a dying actor sends), like CZMQ's zsock_recv.
	ErrSignal = errors.New("zsock: received a signal, not a picture message")
	// ErrOption means an option value is out of range.
	ErrOption = errors.New("zsock: invalid option value")
)

type timeoutError struct{}

func (*timeoutError) Error() string   { return "zsock: timed out" }
func (*timeoutError) Timeout() bool   { return true }
func (*timeoutError) Temporary() bool { return true }
func (*timeoutError) Is(target error) bool {
	return target == os.ErrDeadlineExceeded
}

// Error describes a failed libzmq operation.
type Error struct {
	Op       string        // operation: "bind", "connect", "send", "recv", "setsockopt ZMQ_LINGER", ...
	Endpoint string        // the endpoint, for bind, connect, unbind and disconnect
	Errno    syscall.Errno // what libzmq reported
	kind     error         // the sentinel this errno maps to, or nil
}

func (e *Error) Error() string {
	msg := "zsock: " + e.Op
	if e.Endpoint != "" {
		msg += " " + e.Endpoint
	}
	return msg + ": " + errnoText(e.Errno)
}

// Unwrap returns the matching sentinel (if any) and the errno.
func (e *Error) Unwrap() []error {
	if e.kind != nil {
		return []error{e.kind, e.Errno}
	}
	return []error{e.Errno}
}

// Timeout reports whether the error is a send or receive timeout.
func (e *Error) Timeout() bool { return e.kind == ErrTimeout }

func errnoText(e syscall.Errno) string {
	switch e {
	case errnoETERM:
		return "context was terminated"
	case errnoEFSM:
		return "operation cannot be accomplished in current state"
	case errnoENOCOMPATPROT:
		return "the protocol is not compatible with the socket type"
	case errnoEMTHREAD:
		return "no thread available"
	}
	return e.Error()
}

// wrapErrno turns an errno from libzmq into an *Error for operation op.
func wrapErrno(op, endpoint string, e syscall.Errno) error {
	var kind error
	switch e {
	case syscall.EAGAIN:
		kind = ErrWouldBlock
	case errnoETERM:
		kind = ErrTerminated
	case syscall.ENOTSOCK:
		kind = ErrClosed
	case syscall.EHOSTUNREACH:
		kind = ErrHostUnreachable
	case errnoEFSM:
		kind = ErrState
	case syscall.EADDRINUSE:
		kind = ErrAddrInUse
	case syscall.EADDRNOTAVAIL:
		kind = ErrAddrNotAvailable
	case syscall.EINVAL, syscall.ENODEV, syscall.ENOENT:
		if endpoint != "" {
			kind = ErrEndpoint
		} else {
			kind = ErrNotSupported
		}
	case syscall.EPROTONOSUPPORT, errnoENOCOMPATPROT:
		kind = ErrProtocol
	case syscall.ENOTSUP:
		kind = ErrNotSupported
	case syscall.EMFILE:
		kind = ErrTooManySockets
	case syscall.EMSGSIZE:
		kind = ErrMessageSize
	case errnoEMTHREAD:
		kind = ErrNoIOThread
	}
	return &Error{Op: op, Endpoint: endpoint, Errno: e, kind: kind}
}

// wrapErr converts an error returned by pebbe/zmq4 into an *Error.
func wrapErr(op, endpoint string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := asErrno(err); ok {
		return wrapErrno(op, endpoint, e)
	}
	return fmt.Errorf("zsock: %s %s: %w", op, endpoint, err)
}

// timeoutErr is the error for an expired socket timeout.
func timeoutErr(op string) error {
	return &Error{Op: op, Errno: syscall.EAGAIN, kind: ErrTimeout}
}
