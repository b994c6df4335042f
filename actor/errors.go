package actor

import (
	"context"
	"errors"
	"fmt"

	"github.com/zkit-go/zkit/zsock"
)

// Sentinel errors of this package. Pipe operations also return errors
// matching the zsock sentinels zsock.ErrClosed (which matches
// net.ErrClosed), zsock.ErrWouldBlock and zsock.ErrSignal, so code written
// against sockets handles pipes the same way.
var (
	// ErrKilled is joined to an actor's error when Close or Shutdown had
	// to cancel the actor's context because it did not return within the
	// grace period after $TERM.
	ErrKilled = errors.New("actor: did not end within grace; context cancelled")
	// ErrOption reports an invalid option value or a missing argument to
	// New.
	ErrOption = errors.New("actor: invalid option")
	// ErrGoexit is the actor's error when its function ended by calling
	// runtime.Goexit (for example through testing.T.FailNow) instead of
	// returning.
	ErrGoexit = errors.New("actor: function called runtime.Goexit")
)

// PanicError is the error of an actor whose function panicked. The panic
// is recovered in the actor's goroutine, so it never takes the process
// down.
type PanicError struct {
	// Value is the value passed to panic.
	Value any
	// Stack is the actor goroutine's stack trace at the panic, as
	// formatted by runtime/debug.Stack.
	Stack []byte
}

// Error describes the panic value; it does not include the stack.
func (e *PanicError) Error() string {
	return fmt.Sprintf("actor: panic: %v", e.Value)
}

// Unwrap returns the panic value when it is an error, so errors.Is and
// errors.As see through the panic.
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// pipeErr builds the error of pipe operation op on the actor called name.
func pipeErr(name, op string, cause error) error {
	return fmt.Errorf("actor %s: %s: %w", name, op, cause)
}

// closedErr is the error for an operation on a pipe end that is closed,
// or whose other end is closed; why says which.
func closedErr(name, op, why string) error {
	return fmt.Errorf("actor %s: %s: %s: %w", name, op, why, zsock.ErrClosed)
}

// ctxErr is the error for an operation cut short by ctx.
func ctxErr(name, op string, ctx context.Context) error {
	return pipeErr(name, op, ctx.Err())
}
