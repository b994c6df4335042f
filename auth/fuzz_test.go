package auth

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// joinFrames packs frames for the fuzzer: each frame is a length byte and
// its bytes (frames are cut to 255 bytes).
func joinFrames(frames [][]byte) []byte {
	var b []byte
	for _, f := range frames {
		f = f[:min(len(f), 255)]
		b = append(b, byte(len(f)))
		b = append(b, f...)
	}
	return b
}

// splitFrames reverses joinFrames; a short last frame takes what is left.
func splitFrames(b []byte) [][]byte {
	var frames [][]byte
	for len(b) > 0 {
		n := min(int(b[0]), len(b)-1)
		frames = append(frames, b[1:1+n])
		b = b[1+n:]
	}
	return frames
}

func FuzzParseRequest(f *testing.F) {
	key := bytes.Repeat([]byte{0xA5}, 32)
	for _, frames := range [][][]byte{
		zapRequest("1", "global", "127.0.0.1", "NULL"),
		zapRequest("1", "", "::1", "PLAIN", []byte("admin"), []byte("secret")),
		zapRequest("1", "d", "10.0.0.1", "CURVE", key),
		zapRequest("1", "", "", "GSSAPI", []byte("alice@EXAMPLE.COM")),
		zapRequest("1", "", "", "CURVE", key[:31]),
		zapRequest("1", "", "", "PLAIN", []byte("admin")),
		zapRequest("1", "", "", "SHOUT"),
		{[]byte("1.0")},
		{[]byte("0.1"), []byte("7")},
		{},
	} {
		f.Add(joinFrames(frames))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		frames := splitFrames(data)
		req, err := parseRequest(frames)
		if err != nil {
			var re *requestError
			if !errors.As(err, &re) || req != nil {
				t.Fatalf("error %v (%T) with request %v", err, err, req)
			}
			if re.replyable() {
				if len(frames) < 2 || !bytes.Equal(re.id, frames[1]) {
					t.Fatalf("reply id %q from %q", re.id, frames)
				}
				if re.status != StatusDenied && re.status != StatusInternal {
					t.Fatalf("malformed request answered %v", re.status)
				}
				if reply := replyFrames(re.id, re.status, re.reason, "", nil); len(reply) != 6 {
					t.Fatalf("reply of %d frames", len(reply))
				}
			} else if len(frames) >= 2 {
				t.Fatalf("request with id %q not answered", frames[1])
			}
			return
		}
		switch req.Mechanism {
		case MechanismNull:
		case MechanismPlain:
		case MechanismCurve:
			if len(req.ClientKey) != curveKeySize || len(req.ClientKeyText()) != 40 {
				t.Fatalf("CURVE key of %d bytes", len(req.ClientKey))
			}
		case MechanismGSSAPI:
		default:
			t.Fatalf("mechanism %q accepted", req.Mechanism)
		}
		again, err := parseRequest(encodeRequest(req))
		if err != nil || !reflect.DeepEqual(again, req) {
			t.Fatalf("round trip: %+v, %v; want %+v", again, err, req)
		}
	})
}
