package main

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/zkit-go/zkit/zmsg"
)

// errEscape marks malformed escape sequences in input lines and flag values.
var errEscape = errors.New("bad escape")

const hexDigits = "0123456789abcdef"

// appendEscaped appends the escaped form of b to dst: printable ASCII
// (0x20-0x7E) as is, except backslash, written \\; tab, newline and carriage
// return as \t, \n and \r; every other byte as \xNN with lowercase hex. When
// quote is true, the byte q is also written as \xNN, so that it never appears
// raw in the output (used for the first byte of the frame separator).
func appendEscaped(dst, b []byte, q byte, quote bool) []byte {
	for _, c := range b {
		switch {
		case c == '\\':
			dst = append(dst, '\\', '\\')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c < 0x20 || c > 0x7e || (quote && c == q):
			dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0x0f])
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// escape returns the escaped form of b (see appendEscaped).
func escape(b []byte) string {
	return string(appendEscaped(nil, b, 0, false))
}

// unescape reverses appendEscaped: it decodes \\, \t, \n, \r and \xNN
// (upper- or lowercase hex) and copies every other byte unchanged. Any other
// use of a backslash is an error wrapping errEscape that names the byte
// offset.
func unescape(s []byte) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			out = append(out, s[i])
			i++
			continue
		}
		c, n, err := decodeEscape(s[i:])
		if err != nil {
			return nil, fmt.Errorf("%w at byte %d: %v", errEscape, i, err)
		}
		out = append(out, c)
		i += n
	}
	return out, nil
}

// decodeEscape decodes the escape sequence at the start of s, which begins
// with a backslash, returning the byte it stands for and its length.
func decodeEscape(s []byte) (byte, int, error) {
	if len(s) < 2 {
		return 0, 0, errors.New(`lone "\" at end of input`)
	}
	switch s[1] {
	case '\\':
		return '\\', 2, nil
	case 't':
		return '\t', 2, nil
	case 'n':
		return '\n', 2, nil
	case 'r':
		return '\r', 2, nil
	case 'x':
		digits := s[2:min(len(s), 4)]
		if len(digits) == 2 {
			hi, ok1 := hexValue(digits[0])
			lo, ok2 := hexValue(digits[1])
			if ok1 && ok2 {
				return hi<<4 | lo, 4, nil
			}
		}
		return 0, 0, fmt.Errorf(`\x needs two hex digits, got "%s"`, escape(digits))
	}
	return 0, 0, fmt.Errorf(`"\" followed by "%s" is not an escape (want \\, \t, \n, \r or \xNN)`, escape(s[1:2]))
}

func hexValue(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// lineCodec converts between messages and text lines: frames escaped and
// joined by a separator. Because the separator's first byte is always
// escaped inside frames, and escapes are decoded before separators are
// looked for, every message survives the round trip.
type lineCodec struct {
	sep []byte // frame separator: not empty, no backslash, CR or LF
}

// newLineCodec makes a codec for a separator given in escaped form, as on
// the command line ("\t" or a literal tab, "|", ", ").
func newLineCodec(escapedSep string) (lineCodec, error) {
	sep, err := unescape([]byte(escapedSep))
	if err != nil {
		return lineCodec{}, err
	}
	switch {
	case len(sep) == 0:
		return lineCodec{}, errors.New("frame separator is empty")
	case bytes.ContainsAny(sep, "\\\r\n"):
		return lineCodec{}, errors.New("frame separator must not contain a backslash, CR or LF")
	}
	return lineCodec{sep: sep}, nil
}

// appendMsg appends m as one line, without the trailing newline.
func (c lineCodec) appendMsg(dst []byte, m *zmsg.Msg) []byte {
	for i, f := range m.Frames() {
		if i > 0 {
			dst = append(dst, c.sep...)
		}
		dst = appendEscaped(dst, f.Data(), c.sep[0], true)
	}
	return dst
}

// parseLine decodes one line (without its newline) into a message. An
// empty line is one empty frame.
func (c lineCodec) parseLine(line []byte) (*zmsg.Msg, error) {
	m := zmsg.New()
	frame := make([]byte, 0, len(line))
	for i := 0; i < len(line); {
		switch {
		case line[i] == '\\':
			b, n, err := decodeEscape(line[i:])
			if err != nil {
				return nil, fmt.Errorf("%w at byte %d: %v", errEscape, i, err)
			}
			frame = append(frame, b)
			i += n
		case bytes.HasPrefix(line[i:], c.sep):
			m.AppendBytes(frame)
			frame = make([]byte, 0, len(line)-i)
			i += len(c.sep)
		default:
			frame = append(frame, line[i])
			i++
		}
	}
	m.AppendBytes(frame)
	return m, nil
}
