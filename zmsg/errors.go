package zmsg

import "errors"

// Sentinel errors. Errors returned by this package wrap one of these, so
// callers can test for them with errors.Is.
var (
	// ErrTruncated reports an encoded message (see Decode) that ends in the
	// middle of a frame header or frame body.
	ErrTruncated = errors.New("zmsg: truncated encoding")
	// ErrEmpty reports an operation that needs a frame on an empty message.
	ErrEmpty = errors.New("zmsg: message has no frames")
	// ErrPicture reports a picture containing a letter that is not valid
	// for the operation, or a letter in a position where it is not allowed.
	ErrPicture = errors.New("zmsg: invalid picture")
	// ErrMismatch reports message content that does not match a picture,
	// for example a non-numeric frame read with the 'i' letter.
	ErrMismatch = errors.New("zmsg: message does not match picture")
	// ErrArgument reports arguments that do not fit a picture: the wrong
	// number of them, the wrong Go type, or a value out of range.
	ErrArgument = errors.New("zmsg: invalid argument")
)
