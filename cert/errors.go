package cert

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Errors returned by this package match one of these with
// errors.Is; most carry more detail (a path, a line, a position).
var (
	// ErrZ85 reports text that is not valid Z85 or data whose length Z85
	// cannot encode.
	ErrZ85 = errors.New("cert: invalid Z85")
	// ErrFormat reports a certificate file or ZPL text that cannot be
	// used. The error is a *FormatError naming the file, line and reason.
	ErrFormat = errors.New("cert: bad certificate file")
	// ErrNotFound is returned by Store.Lookup for a key the store does
	// not hold.
	ErrNotFound = errors.New("cert: certificate not found")
	// ErrDuplicate reports a public key that a store already holds.
	ErrDuplicate = errors.New("cert: duplicate public key")
	// ErrExists is returned when saving would replace an existing file
	// and WithOverwrite was not given.
	ErrExists = errors.New("cert: file exists")
	// ErrNoSecret is returned when an operation needs the secret key of a
	// certificate that holds only the public key.
	ErrNoSecret = errors.New("cert: certificate has no secret key")
	// ErrInvalid reports an invalid argument: a key of the wrong size, a
	// secret key that does not belong to the public key, a metadata name
	// or value that a certificate file cannot hold, or a bad option.
	ErrInvalid = errors.New("cert: invalid argument")
)

// FormatError describes why a certificate file or ZPL text was rejected.
// It matches ErrFormat with errors.Is, and also the underlying cause (for
// example ErrZ85) when there is one.
type FormatError struct {
	Path   string // file name; empty for text that did not come from a file
	Line   int    // 1-based line number; 0 when the problem is not on one line
	Reason string // what is wrong, in words
	Err    error  // underlying cause, or nil
}

// Error returns "cert: PATH:LINE: REASON", leaving out the parts that are
// not known.
func (e *FormatError) Error() string {
	var sb strings.Builder
	sb.WriteString("cert: ")
	switch {
	case e.Path != "" && e.Line > 0:
		fmt.Fprintf(&sb, "%s:%d: ", e.Path, e.Line)
	case e.Path != "":
		sb.WriteString(e.Path + ": ")
	case e.Line > 0:
		fmt.Fprintf(&sb, "line %d: ", e.Line)
	}
	sb.WriteString(e.Reason)
	if e.Err != nil {
		sb.WriteString(": " + e.Err.Error())
	}
	return sb.String()
}

// Unwrap returns ErrFormat and the cause, if any.
func (e *FormatError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrFormat, e.Err}
	}
	return []error{ErrFormat}
}

// StoreError lists the files in a store's directory that could not be
// indexed in the store's latest scan: unreadable files and directories,
// files that are not certificates, and duplicate public keys. The store
// still answers for every other certificate. errors.Is sees through it to
// each problem (ErrDuplicate, ErrFormat, fs.ErrPermission, ...).
type StoreError struct {
	Dir  string  // the store's directory
	Errs []error // one error per problem, in path order
}

// Error summarises the problems, naming the first few.
func (e *StoreError) Error() string {
	const shown = 3
	var sb strings.Builder
	fmt.Fprintf(&sb, "cert: store %s: %d file problem", e.Dir, len(e.Errs))
	if len(e.Errs) != 1 {
		sb.WriteString("s")
	}
	for i, err := range e.Errs {
		if i == shown {
			fmt.Fprintf(&sb, "; and %d more", len(e.Errs)-shown)
			break
		}
		sb.WriteString("; ")
		sb.WriteString(strings.TrimPrefix(err.Error(), "cert: "))
	}
	return sb.String()
}

// Unwrap returns every problem.
func (e *StoreError) Unwrap() []error { return e.Errs }
