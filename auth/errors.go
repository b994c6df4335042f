package auth

import (
	"errors"
	"fmt"
	"net"
)

// Sentinel errors.
var (
	// ErrAlreadyBound is returned by New when another ZAP handler (from
	// zkit, CZMQ, pyzmq or any other library) is bound at Endpoint in the
	// same context: libzmq allows one handler per context.
	ErrAlreadyBound = errors.New("auth: a ZAP handler is already bound in this context")
	// ErrClosed is returned by the methods of a closed authenticator. It
	// matches net.ErrClosed.
	ErrClosed = fmt.Errorf("auth: closed: %w", net.ErrClosed)
	// ErrCommand reports an invalid command or command argument.
	ErrCommand = errors.New("auth: invalid command")
	// ErrOption reports an invalid option value or argument.
	ErrOption = errors.New("auth: invalid option")
)
