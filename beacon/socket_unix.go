//go:build unix

package beacon

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// shareControl sets SO_REUSEADDR and SO_REUSEPORT, so that several
// processes on one host share the beacon port, and SO_BROADCAST.
func shareControl(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		for _, opt := range []int{unix.SO_REUSEADDR, unix.SO_REUSEPORT, unix.SO_BROADCAST} {
			if e := unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, opt, 1); e != nil && serr == nil {
				serr = e
			}
		}
	})
	if err != nil {
		return err
	}
	return serr
}

// errAlreadyJoined is what the system returns when a socket joins a group
// it has already joined.
var errAlreadyJoined error = unix.EADDRINUSE
