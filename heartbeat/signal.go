package heartbeat

import (
	"errors"
	"fmt"

	"github.com/zkit-go/zkit/zframe"
)

// ErrInvalid reports a bad argument or setting: a non-positive interval, a
// backoff whose maximum is below its initial delay, and the like.
var ErrInvalid = errors.New("heartbeat: invalid argument")

// Signal is a one-byte control frame of the Paranoid Pirate protocol. The
// byte values are the Guide's, so zkit peers talk to Guide workers and
// queues written in any language.
type Signal byte

const (
	// Ready is sent once by a worker when it (re)connects: the frame "\x01".
	Ready Signal = 0x01
	// Heartbeat is sent by both sides every interval when otherwise
	// silent: the frame "\x02".
	Heartbeat Signal = 0x02
	// Goodbye is sent by a peer that is leaving on purpose: the frame
	// "\x05", the byte of the Majordomo protocol's DISCONNECT. The Guide's
	// Paranoid Pirate has no such signal; zkit's presence uses it so that
	// a clean exit is told apart from a crash.
	Goodbye Signal = 0x05
)

// String returns "READY", "HEARTBEAT", "GOODBYE" or the byte in hex for other values.
func (s Signal) String() string {
	switch s {
	case Ready:
		return "READY"
	case Heartbeat:
		return "HEARTBEAT"
	case Goodbye:
		return "GOODBYE"
	}
	return fmt.Sprintf("Signal(0x%02x)", byte(s))
}

// Bytes returns a new one-byte slice holding the signal, ready to send as
// a frame. Each call returns a fresh slice, so callers may keep or modify it.
func (s Signal) Bytes() []byte { return []byte{byte(s)} }

// Frame returns the signal as a single frame.
func (s Signal) Frame() zframe.Frame { return zframe.New(s.Bytes()) }

// Is reports whether b is exactly this signal: one byte of that value.
// Longer payloads that merely start with the byte are application data.
func (s Signal) Is(b []byte) bool { return len(b) == 1 && b[0] == byte(s) }

// Parse returns the signal held by b. It reports false unless b is a single
// byte with a known signal value; it never panics on any input.
func Parse(b []byte) (Signal, bool) {
	if len(b) != 1 {
		return 0, false
	}
	switch s := Signal(b[0]); s {
	case Ready, Heartbeat, Goodbye:
		return s, true
	}
	return 0, false
}

// IsReady reports whether b is the READY frame "\x01".
func IsReady(b []byte) bool { return Ready.Is(b) }

// IsHeartbeat reports whether b is the HEARTBEAT frame "\x02".
func IsHeartbeat(b []byte) bool { return Heartbeat.Is(b) }

// IsGoodbye reports whether b is the GOODBYE frame "\x05".
func IsGoodbye(b []byte) bool { return Goodbye.Is(b) }

// IsReadyFrame reports whether f is the READY frame.
func IsReadyFrame(f zframe.Frame) bool { return Ready.Is(f.Data()) }

// IsHeartbeatFrame reports whether f is the HEARTBEAT frame.
func IsHeartbeatFrame(f zframe.Frame) bool { return Heartbeat.Is(f.Data()) }
