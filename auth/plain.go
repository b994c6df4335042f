package auth

import (
	"bufio"
	"bytes"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"
)

// passwords is the PLAIN user table of one policy: either read from a
// file, which is reloaded when it changes, or given in memory.
type passwords struct {
	path  string            // the password file; empty for an in-memory table
	info  os.FileInfo       // the file as last loaded; nil when none
	fresh bool              // the file had changed just before it was read
	users map[string]string // user name to password
}

// settleTime is how old a file's modification time must be when it is
// read for the read to be trusted. Within it, a rewrite may keep the
// same size and, on file systems with coarse timestamps, the same
// modification time, so the file is read again before each request until
// it has settled.
const settleTime = 2 * time.Second

// loadPasswordFile reads a password file for the PLAIN command. It fails
// when the file cannot be read, so that a wrong path is noticed at once.
func loadPasswordFile(path string, log *slog.Logger) (*passwords, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: PLAIN needs a password file", ErrCommand)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("auth: password file: %w", err)
	}
	users, err := readPasswordFile(path, log)
	if err != nil {
		return nil, err
	}
	return &passwords{path: path, info: info, fresh: isFresh(info), users: users}, nil
}

// refresh reloads the file if it changed since it was loaded (another
// file in its place, another modification time or size). It costs one
// stat call. When the file has gone or cannot be read, the table loaded
// last stays in force and the problem is logged.
func (p *passwords) refresh(log *slog.Logger) {
	if p.path == "" {
		return
	}
	info, err := os.Stat(p.path)
	if err != nil {
		log.Warn("auth: password file unavailable; keeping the users loaded before", "file", p.path, "err", err)
		return
	}
	if !p.fresh && os.SameFile(p.info, info) && info.ModTime().Equal(p.info.ModTime()) && info.Size() == p.info.Size() {
		return
	}
	// The file is stat'ed before it is read: a write that lands during
	// the read changes the modification time again, so the next request
	// reloads once more.
	users, err := readPasswordFile(p.path, log)
	if err != nil {
		log.Warn("auth: password file unreadable; keeping the users loaded before", "file", p.path, "err", err)
		return
	}
	p.info, p.fresh, p.users = info, isFresh(info), users
	log.Debug("auth: password file reloaded", "file", p.path, "users", len(users))
}

// isFresh reports whether a file was modified too recently for its
// modification time and size to prove that it has not changed since.
func isFresh(info os.FileInfo) bool {
	age := time.Since(info.ModTime())
	return age < settleTime // also true for times in the future
}

// check reports whether user exists and whether password is theirs. The
// password comparison takes the same time wherever the first difference is.
func (p *passwords) check(user, password string) (known, ok bool) {
	want, known := p.users[user]
	if !known {
		return false, false
	}
	return true, subtle.ConstantTimeCompare([]byte(want), []byte(password)) == 1
}

// readPasswordFile parses a password file: one "user=password" per line,
// split at the first '='; blank lines and lines whose first non-blank
// character is '#' are ignored; other lines without '=' or with an empty
// user name are skipped with a warning. Neither side is trimmed, so
// spaces around '=' belong to the name and the password. A later line for
// the same user replaces an earlier one.
func readPasswordFile(path string, log *slog.Logger) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("auth: password file: %w", err)
	}
	users := make(map[string]string)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		user, password, found := strings.Cut(line, "=")
		if !found || user == "" {
			log.Warn("auth: password file line skipped: want user=password", "file", path, "line", n)
			continue
		}
		users[user] = password
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("auth: password file %s: %w", path, err)
	}
	return users, nil
}
