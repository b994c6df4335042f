package main

import (
	"errors"
	"testing"

	"github.com/zkit-go/zkit/zmsg"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"hello world", "hello world"},
		{"a\\b", `a\\b`},
		{"\t\n\r", `\t\n\r`},
		{"\x00\x01\x1f\x7f\x80\xff", `\x00\x01\x1f\x7f\x80\xff`},
		{" ~", " ~"},
		{"é", `\xc3\xa9`},
		{`\x41`, `\\x41`},
	}
	for _, tt := range tests {
		if got := escape([]byte(tt.in)); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{`plain`, "plain"},
		{`\\\t\n\r`, "\\\t\n\r"},
		{`\x00\xFF\xaB`, "\x00\xff\xab"},
		{"raw\ttab and \xff byte", "raw\ttab and \xff byte"},
	}
	for _, tt := range tests {
		got, err := unescape([]byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("unescape(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{`\`, `a\`, `\q`, `\x`, `\x4`, `\xg0`, `\x0g`, `\0`, `\"`, "\\\x00"} {
		if got, err := unescape([]byte(bad)); !errors.Is(err, errEscape) {
			t.Errorf("unescape(%q) = %q, %v; want an escape error", bad, got, err)
		}
	}
}

func TestLineCodec(t *testing.T) {
	tests := []struct {
		sep    string // as given on the command line
		frames []string
		line   string
	}{
		{"\t", []string{""}, ""},
		{"\t", []string{"a"}, "a"},
		{"\t", []string{"a", "b", ""}, "a\tb\t"},
		{`\t`, []string{"a\tb", "c"}, `a\tb` + "\tc"},
		{"|", []string{"a|b", "c"}, `a\x7cb|c`},
		{", ", []string{"x,y", "", "z"}, `x\x2cy, , z`},
		{"::", []string{"a:b", "c"}, `a\x3ab::c`},
		{`\x00`, []string{"a", "\x00"}, "a\x00" + `\x00`},
	}
	for _, tt := range tests {
		c, err := newLineCodec(tt.sep)
		if err != nil {
			t.Fatalf("newLineCodec(%q): %v", tt.sep, err)
		}
		m := zmsg.FromStrings(tt.frames...)
		if got := string(c.appendMsg(nil, m)); got != tt.line {
			t.Errorf("sep %q: appendMsg(%q) = %q, want %q", tt.sep, tt.frames, got, tt.line)
		}
		back, err := c.parseLine([]byte(tt.line))
		if err != nil || !back.Equal(m) {
			t.Errorf("sep %q: parseLine(%q) = %v, %v; want %q", tt.sep, tt.line, back, err, tt.frames)
		}
	}
	for _, sep := range []string{"", `\\`, `\n`, "\r", `\q`, "a\\"} {
		if _, err := newLineCodec(sep); err == nil {
			t.Errorf("newLineCodec(%q) accepted", sep)
		}
	}
	c, _ := newLineCodec("\t")
	if _, err := c.parseLine([]byte("ok\tbad \\z")); !errors.Is(err, errEscape) {
		t.Errorf("parseLine accepted a bad escape: %v", err)
	}
}

func TestWakeup(t *testing.T) {
	var w wakeup
	// A wake with no receive in progress cancels the next one.
	w.wake()
	ctx, release := w.arm(t.Context())
	if ctx.Err() == nil {
		t.Error("pending wake lost")
	}
	release()
	// A wake during a receive cancels it, once.
	ctx, release = w.arm(t.Context())
	w.wake()
	if ctx.Err() == nil {
		t.Error("wake did not cancel the receive in progress")
	}
	release()
	ctx, release = w.arm(t.Context())
	if ctx.Err() != nil {
		t.Error("a consumed wake cancelled a later receive")
	}
	release()
}
