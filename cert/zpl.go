package cert

import (
	"bytes"
	"fmt"
	"strings"
)

// This file reads and writes ZPL (ZeroMQ RFC 4), the text format of
// certificate files, following the rules of CZMQ's zconfig:
//
//   - Lines end in LF; trailing white space (including CR) is ignored.
//   - A line whose first non-space character is '#' is a comment; blank
//     lines are ignored.
//   - Each level of nesting is indented by exactly 4 spaces; a line may
//     be indented at most one level deeper than the line before it.
//   - A line holds a name, optionally followed by "= value" and by a
//     "# comment". Names are ASCII letters and digits and "$-_@.&+/", not
//     starting or ending with '/'.
//   - A value is either quoted, with '"' or '\'' up to the next matching
//     quote (there are no escapes), or bare, running up to a '#' with
//     surrounding white space dropped.
//
// Parsing never panics and uses memory proportional to the input, which
// callers bound (maxFileSize).

// maxFileSize bounds the certificate files (and ZPL text) this package
// reads. Real certificates are well under a kilobyte.
const maxFileSize = 1 << 20

// zplNode is one line of a ZPL tree: a name, an optional value and the
// lines indented under it.
type zplNode struct {
	name     string
	value    string
	hasValue bool // "name = value" (even if value is ""), not just "name"
	line     int  // 1-based line number in the parsed text; 0 if built
	children []*zplNode
}

// child returns the first child called name, or nil, as zconfig_locate.
func (n *zplNode) child(name string) *zplNode {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// add appends a child and returns it.
func (n *zplNode) add(name, value string, hasValue bool) *zplNode {
	c := &zplNode{name: name, value: value, hasValue: hasValue}
	n.children = append(n.children, c)
	return c
}

// isSpace matches C's isspace in the C locale.
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\v' || b == '\f' || b == '\r'
}

func trimSpaceRight(s []byte) []byte {
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func trimSpaceLeft(s []byte) []byte {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	return s
}

// snippet renders up to 24 bytes of s for an error message.
func snippet(s []byte) string {
	if len(s) > 24 {
		return fmt.Sprintf("%q...", s[:24])
	}
	return fmt.Sprintf("%q", s)
}

// parseZPL parses ZPL text into a tree under an unnamed root. Errors are
// *FormatError values with the line and reason (and no path).
func parseZPL(data []byte) (*zplNode, error) {
	if len(data) > maxFileSize {
		return nil, &FormatError{Reason: fmt.Sprintf("%d bytes is more than the %d a certificate file may hold", len(data), maxFileSize)}
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")) // a UTF-8 byte order mark
	root := &zplNode{}
	stack := []*zplNode{root} // stack[i] is the latest node at depth i
	for lineno := 1; len(data) > 0; lineno++ {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		line = trimSpaceRight(line)
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		rest := line[indent:]
		if len(rest) == 0 || rest[0] == '#' {
			continue
		}
		fail := func(format string, args ...any) error {
			return &FormatError{Line: lineno, Reason: fmt.Sprintf(format, args...)}
		}
		if rest[0] == '\t' {
			return nil, fail("tab in indentation; indent with 4 spaces per level")
		}
		if indent%4 != 0 {
			return nil, fail("indented by %d spaces; indent with 4 spaces per level", indent)
		}
		level := indent / 4
		if level >= len(stack) {
			return nil, fail("indented %d levels, more than one level deeper than the line before", level)
		}
		n := 0
		for n < len(rest) && isNameChar(rest[n]) {
			n++
		}
		if n == 0 {
			return nil, fail("expected a name, found %s", snippet(rest))
		}
		name := rest[:n]
		if name[0] == '/' || name[n-1] == '/' {
			return nil, fail("name %q starts or ends with '/'", name)
		}
		node := &zplNode{name: string(name), line: lineno}
		rest = trimSpaceLeft(rest[n:])
		switch {
		case len(rest) == 0 || rest[0] == '#':
			// a name on its own
		case rest[0] == '=':
			node.hasValue = true
			rest = trimSpaceLeft(rest[1:])
			if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
				quote := rest[0]
				end := bytes.IndexByte(rest[1:], quote)
				if end < 0 {
					return nil, fail("value of %q has no closing %c", name, quote)
				}
				node.value = string(rest[1 : 1+end])
				if after := trimSpaceLeft(rest[2+end:]); len(after) > 0 && after[0] != '#' {
					return nil, fail("unexpected %s after the quoted value of %q", snippet(after), name)
				}
			} else {
				if i := bytes.IndexByte(rest, '#'); i >= 0 {
					rest = trimSpaceRight(rest[:i])
				}
				node.value = string(rest)
			}
		default:
			return nil, fail("expected '=' after name %q, found %s", name, snippet(rest))
		}
		stack = stack[:level+1]
		parent := stack[level]
		parent.children = append(parent.children, node)
		stack = append(stack, node)
	}
	return root, nil
}

// quoteValue returns value as it should appear after "name = ": in double
// quotes as CZMQ writes it, in single quotes when the value holds a double
// quote, or bare when no quote mark fits or when preferBare is set
// (pyzmq's style) and the value reads back the same bare, as an empty
// value does. ok is false for values no ZPL line can hold.
func quoteValue(value string, preferBare bool) (text string, ok bool) {
	if strings.ContainsAny(value, "\x00\r\n") {
		return "", false
	}
	bare := value != "" && !isSpace(value[0]) && !isSpace(value[len(value)-1]) &&
		value[0] != '"' && value[0] != '\'' && !strings.Contains(value, "#")
	switch {
	case preferBare && (bare || value == ""):
		return value, true
	case !strings.Contains(value, `"`):
		return `"` + value + `"`, true
	case !strings.Contains(value, `'`):
		return `'` + value + `'`, true
	case bare:
		return value, true
	}
	return "", false
}

// writeZPL writes comment lines (each prefixed with '#'), followed by a
// blank line if there are any, then the tree under root, byte for byte as
// CZMQ's zconfig_save does. It fails with ErrInvalid for names or values
// that could not be read back.
func writeZPL(b *bytes.Buffer, comments []string, root *zplNode) error {
	for _, c := range comments {
		if strings.ContainsAny(c, "\r\n") {
			return fmt.Errorf("%w: comment %q spans lines", ErrInvalid, c)
		}
		b.WriteString("#" + c + "\n")
	}
	if len(comments) > 0 {
		b.WriteString("\n")
	}
	// An explicit stack keeps deep trees from growing the goroutine stack.
	type item struct {
		n     *zplNode
		level int
	}
	var pending []item
	for i := len(root.children) - 1; i >= 0; i-- {
		pending = append(pending, item{root.children[i], 0})
	}
	for len(pending) > 0 {
		it := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		n := it.n
		if n.name == "" || n.name[0] == '/' || n.name[len(n.name)-1] == '/' || strings.IndexFunc(n.name, func(r rune) bool {
			return r >= 0x80 || !isNameChar(byte(r))
		}) >= 0 {
			return fmt.Errorf("%w: %q is not a ZPL name", ErrInvalid, n.name)
		}
		b.WriteString(strings.Repeat("    ", it.level))
		b.WriteString(n.name)
		if n.hasValue {
			v, ok := quoteValue(n.value, false)
			if !ok {
				return fmt.Errorf("%w: value %q of %s cannot be written in ZPL", ErrInvalid, n.value, n.name)
			}
			b.WriteString(" = " + v)
		}
		b.WriteString("\n")
		for i := len(n.children) - 1; i >= 0; i-- {
			pending = append(pending, item{n.children[i], it.level + 1})
		}
	}
	return nil
}
