//go:build unix

package cert

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestSecretModeIgnoresUmask(t *testing.T) {
	// With no umask a careless create would make the file 0666 (or the
	// temporary file readable before a chmod); the secret file must be
	// 0600 whatever the umask.
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()
	if err := goldenCert(t).Save(filepath.Join(dir, "c")); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, filepath.Join(dir, "c_secret")); m != 0o600 {
		t.Fatalf("secret file mode %v with umask 0", m)
	}
	if m := mode(t, filepath.Join(dir, "c")); m != 0o644 {
		t.Fatalf("public file mode %v with umask 0", m)
	}
	syscall.Umask(0o077)
	if err := goldenCert(t).SaveSecret(filepath.Join(dir, "d")); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, filepath.Join(dir, "d")); m != 0o600 {
		t.Fatalf("secret file mode %v with umask 077", m)
	}
}

func TestLoadFIFO(t *testing.T) {
	// Opening a FIFO for reading would block; Load refuses it instead.
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if _, err := Load(path); !errors.Is(err, ErrFormat) {
		t.Fatalf("got %v", err)
	}
	_ = os.Remove(path)
}
