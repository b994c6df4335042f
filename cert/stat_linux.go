package cert

import (
	"io/fs"
	"syscall"
)

// sysStamp returns the parts of a file's status that os.FileInfo does not
// expose portably: change time, device and inode.
func sysStamp(info fs.FileInfo) (ctime int64, dev, ino uint64, ok bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 0, false
	}
	return st.Ctim.Nano(), uint64(st.Dev), st.Ino, true
}
