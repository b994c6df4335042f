package beacon

import (
	"errors"
	"fmt"
	"net"
)

// Sentinel errors. Errors returned by this package wrap one of these, or a
// cause from the operating system or the context.
var (
	// ErrOption reports an invalid option or argument.
	ErrOption = errors.New("beacon: invalid option")
	// ErrTooLong reports a payload longer than MaxPayload.
	ErrTooLong = fmt.Errorf("beacon: payload longer than %d bytes", MaxPayload)
	// ErrNotConfigured reports a Publish before a successful Configure.
	ErrNotConfigured = errors.New("beacon: not configured")
	// ErrNoInterface reports that no interface matches the request.
	ErrNoInterface = errors.New("beacon: no usable interface")
	// ErrClosed is returned once the beacon has ended. It matches
	// net.ErrClosed.
	ErrClosed = fmt.Errorf("beacon: closed: %w", net.ErrClosed)
)

// Wire limits.
const (
	// MaxPayload is the largest beacon, as in CZMQ: 255 bytes.
	MaxPayload = 255
	// readBuffer is large enough for any UDP datagram, so that a long
	// datagram is seen whole and rejected rather than truncated.
	readBuffer = 64 << 10
)
