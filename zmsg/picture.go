package zmsg

import (
	"fmt"
	"strings"
)

const (
	// textLetters are the letters understood by Pack and Unpack.
	textLetters = "i1248sbcfUhmz"
	// binaryLetters are the letters understood by BPack and BUnpack.
	binaryLetters = "1248sSucfm"
)

// fault describes why one picture position failed. It carries the
// sentinel to wrap; the caller adds the picture and position with at.
type fault struct {
	kind   error
	detail string
}

// badArg returns a fault wrapping ErrArgument.
func badArg(format string, args ...any) *fault {
	return &fault{kind: ErrArgument, detail: fmt.Sprintf(format, args...)}
}

// mismatch returns a fault wrapping ErrMismatch.
func mismatch(format string, args ...any) *fault {
	return &fault{kind: ErrMismatch, detail: fmt.Sprintf(format, args...)}
}

// wantType returns the fault for an argument or pointer of the wrong type.
func wantType(want string, got any) *fault {
	if got == nil {
		return badArg("want %s, got nil", want)
	}
	return badArg("want %s, got %T", want, got)
}

// at turns f into an error naming the operation, picture, and the
// zero-based byte position of the failing letter in the picture.
func at(op, picture string, pos int, f *fault) error {
	return fmt.Errorf("%w: %s %q: position %d (%q): %s", f.kind, op, picture, pos, picture[pos], f.detail)
}

// checkPicture verifies that every letter of picture is in allowed and,
// when mLast is set, that 'm' appears only as the last letter.
func checkPicture(op, picture, allowed string, mLast bool) error {
	for pos := 0; pos < len(picture); pos++ {
		c := picture[pos]
		if strings.IndexByte(allowed, c) < 0 {
			return fmt.Errorf("%w: %s %q: position %d: unknown letter %q", ErrPicture, op, picture, pos, c)
		}
		if mLast && c == 'm' && pos != len(picture)-1 {
			return fmt.Errorf("%w: %s %q: position %d: 'm' must be the last letter", ErrPicture, op, picture, pos)
		}
	}
	return nil
}

// checkCount verifies that got arguments were passed for a picture that
// needs want of them.
func checkCount(op, picture string, want, got int) error {
	if want != got {
		noun := "arguments"
		if want == 1 {
			noun = "argument"
		}
		return fmt.Errorf("%w: %s %q: picture takes %d %s, got %d", ErrArgument, op, picture, want, noun, got)
	}
	return nil
}

// quoteShort quotes data for an error message, eliding all but the
// first few bytes of long input.
func quoteShort(data []byte) string {
	const max = 24
	if len(data) > max {
		return fmt.Sprintf("%q... (%d bytes)", data[:max], len(data))
	}
	return fmt.Sprintf("%q", data)
}

// fmtMismatch returns an error wrapping ErrMismatch that concerns the
// message as a whole rather than one picture position.
func fmtMismatch(op, picture, detail string) error {
	return fmt.Errorf("%w: %s %q: %s", ErrMismatch, op, picture, detail)
}
