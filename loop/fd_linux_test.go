package loop

import (
	"syscall"
	"testing"
)

// fdReadable reports whether fd is readable now, without reading it.
func fdReadable(t testing.TB, fd int) bool {
	t.Helper()
	var set syscall.FdSet
	set.Bits[fd/64] |= 1 << (uint(fd) % 64)
	tv := syscall.Timeval{}
	n, err := syscall.Select(fd+1, &set, nil, nil, &tv)
	if err != nil {
		t.Fatal(err)
	}
	return n == 1
}
