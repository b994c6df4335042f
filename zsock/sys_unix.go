//go:build unix

package zsock

import (
	"log/slog"
	"syscall"
)

// discardLogger is the silent default for every logger in this package.
var discardLogger = slog.New(slog.DiscardHandler)

// fileLimit returns the soft RLIMIT_NOFILE (Go raises it to the hard limit
// at start-up), or 0 when unknown.
func fileLimit() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0
	}
	if rl.Cur > 1<<20 {
		return 1 << 20
	}
	return int(rl.Cur)
}
