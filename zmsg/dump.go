package zmsg

import "strings"

// dumpHeader is the first line of the String dump.
const dumpHeader = "--------------------------------------"

// String returns a multi-line dump of the message, in the style of CZMQ's
// zmsg_print.
//
// The first line is a row of 38 dashes. Each frame then follows on its own
// line, formatted by zframe.Frame.String: its size in square brackets and
// its content as text or hexadecimal. Lines are separated by "\n" and there
// is no trailing newline, so an empty message dumps as the dashes alone.
func (m *Msg) String() string {
	var b strings.Builder
	b.WriteString(dumpHeader)
	for _, f := range m.Frames() {
		b.WriteByte('\n')
		b.WriteString(f.String())
	}
	return b.String()
}
