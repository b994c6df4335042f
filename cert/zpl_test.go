package cert

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// dump renders a tree one node per line, as "level name" or
// "level name=[value]".
func dump(n *zplNode) string {
	var sb strings.Builder
	var walk func(n *zplNode, level int)
	walk = func(n *zplNode, level int) {
		for _, c := range n.children {
			fmt.Fprintf(&sb, "%d %s", level, c.name)
			if c.hasValue {
				fmt.Fprintf(&sb, "=[%s]", c.value)
			}
			sb.WriteString("\n")
			walk(c, level+1)
		}
	}
	walk(n, 0)
	return sb.String()
}

func TestZPLParse(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"comments and blanks", "# a comment\n\n   \n    # indented comment\n#\n", ""},
		{"sections", "a\n    b\n        c\n    d\ne\n", "0 a\n1 b\n2 c\n1 d\n0 e\n"},
		{"double quoted", "k = \"v  # not a comment \"\n", "0 k=[v  # not a comment ]\n"},
		{"single quoted", "k = 'say \"hi\"'\n", "0 k=[say \"hi\"]\n"},
		{"bare", "k = some value   # comment\n", "0 k=[some value]\n"},
		{"bare with quotes inside", "k = it's \"fine\"\n", "0 k=[it's \"fine\"]\n"},
		{"no spaces", "k=v\n", "0 k=[v]\n"},
		{"tabs around equals", "k\t=\tv\n", "0 k=[v]\n"},
		{"empty value", "k =\n", "0 k=[]\n"},
		{"empty quoted", "k = \"\"\n", "0 k=[]\n"},
		{"name then comment", "k # comment\n", "0 k\n"},
		{"quoted then comment", "k = \"v\"   # c\n", "0 k=[v]\n"},
		{"crlf", "a\r\n    k = \"v\"\r\n", "0 a\n1 k=[v]\n"},
		{"no final newline", "a\n    k = v", "0 a\n1 k=[v]\n"},
		{"byte order mark", "\xEF\xBB\xBFa\n", "0 a\n"},
		{"name characters", "$a-b_c@d.e&f+g/h9 = 1\n", "0 $a-b_c@d.e&f+g/h9=[1]\n"},
		{"back out several levels", "a\n    b\n        c\nd\n", "0 a\n1 b\n2 c\n0 d\n"},
		{"utf-8 value", "k = \"héllo ✓\"\n", "0 k=[héllo ✓]\n"},
		{"trailing spaces in quotes kept", "k = \"  v  \"\n", "0 k=[  v  ]\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root, err := parseZPL([]byte(c.in))
			if err != nil {
				t.Fatalf("parse %q: %v", c.in, err)
			}
			if got := dump(root); got != c.want {
				t.Errorf("parse %q:\n%s\nwant:\n%s", c.in, got, c.want)
			}
		})
	}
}

func TestZPLErrors(t *testing.T) {
	cases := []struct {
		in     string
		line   int
		reason string
	}{
		{"a\n  b\n", 2, "indented by 2 spaces"},
		{"a\n\tb\n", 2, "tab in indentation"},
		{"a\n        b\n", 2, "indented 2 levels, more than one level deeper"},
		{"    a\n", 1, "indented 1 levels, more than one level deeper"},
		{"# ok\n= v\n", 2, "expected a name"},
		{"a b\n", 1, "expected '=' after name \"a\""},
		{"k = \"open\n", 1, "no closing \""},
		{"k = 'open\n", 1, "no closing '"},
		{"k = \"v\" junk\n", 1, "after the quoted value"},
		{"/k = v\n", 1, "starts or ends with '/'"},
		{"k/ = v\n", 1, "starts or ends with '/'"},
		{"ok\n\n\n\nk:v\n", 5, "expected '='"},
		{"é = 1\n", 1, "expected a name"},
	}
	for _, c := range cases {
		_, err := parseZPL([]byte(c.in))
		var fe *FormatError
		if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) {
			t.Errorf("parse %q: %v; want a *FormatError", c.in, err)
			continue
		}
		if fe.Line != c.line || !strings.Contains(fe.Reason, c.reason) {
			t.Errorf("parse %q: line %d %q; want line %d with %q", c.in, fe.Line, fe.Reason, c.line, c.reason)
		}
		if !strings.HasPrefix(err.Error(), fmt.Sprintf("cert: line %d: ", c.line)) {
			t.Errorf("parse %q: error text %q", c.in, err)
		}
	}
}

func TestZPLTooLarge(t *testing.T) {
	_, err := parseZPL(bytes.Repeat([]byte("# filler line\n"), maxFileSize/14+1))
	if !errors.Is(err, ErrFormat) {
		t.Fatalf("got %v; want ErrFormat", err)
	}
}

func TestZPLWriteRoundTrip(t *testing.T) {
	root := &zplNode{}
	a := root.add("section", "", false)
	a.add("plain", "value", true)
	a.add("empty", "", true)
	a.add("dq", `say "hi"`, true)
	a.add("both", `it's "x"`, true)
	a.add("hash", "a # b", true)
	b := a.add("nested", "", false)
	b.add("deep", " spaced ", true)
	root.add("last", "", false)

	var buf bytes.Buffer
	if err := writeZPL(&buf, []string{"   a comment", ""}, root); err != nil {
		t.Fatal(err)
	}
	want := "#   a comment\n#\n\nsection\n    plain = \"value\"\n    empty = \"\"\n" +
		"    dq = 'say \"hi\"'\n    both = it's \"x\"\n    hash = \"a # b\"\n" +
		"    nested\n        deep = \" spaced \"\nlast\n"
	if buf.String() != want {
		t.Fatalf("wrote:\n%s\nwant:\n%s", buf.String(), want)
	}
	back, err := parseZPL(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if dump(back) != dump(root) {
		t.Fatalf("round trip:\n%s\nwant:\n%s", dump(back), dump(root))
	}
}

func TestZPLWriteRejects(t *testing.T) {
	for _, n := range []*zplNode{
		{name: "bad name"}, {name: ""}, {name: "/x"}, {name: "é"},
		{name: "k", value: "two\nlines", hasValue: true},
		{name: "k", value: `'both' "kinds" #`, hasValue: true},
	} {
		root := &zplNode{children: []*zplNode{n}}
		if err := writeZPL(&bytes.Buffer{}, nil, root); !errors.Is(err, ErrInvalid) {
			t.Errorf("writing %+v: %v; want ErrInvalid", n, err)
		}
	}
	if err := writeZPL(&bytes.Buffer{}, []string{"a\nb"}, &zplNode{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("two-line comment: %v", err)
	}
}

func TestQuoteValue(t *testing.T) {
	cases := []struct {
		in         string
		preferBare bool
		want       string
		ok         bool
	}{
		{"v", false, `"v"`, true},
		{"v", true, `v`, true},
		{"", true, ``, true},
		{"", false, `""`, true},
		{" v", true, `" v"`, true},
		{"a#b", true, `"a#b"`, true},
		{`"q"`, true, `'"q"'`, true},
		{`it's "x"`, false, `it's "x"`, true},
		{`'it' "x"`, false, "", false},
		{"nul\x00", false, "", false},
		{"cr\r", false, "", false},
	}
	for _, c := range cases {
		got, ok := quoteValue(c.in, c.preferBare)
		if got != c.want || ok != c.ok {
			t.Errorf("quoteValue(%q, %v) = %q, %v; want %q, %v", c.in, c.preferBare, got, ok, c.want, c.ok)
		}
	}
}
