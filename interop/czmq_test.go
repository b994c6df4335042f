package interop

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// The CZMQ helper (testdata/czmqpeer.c) is compiled once per test binary.
var czmqBuild struct {
	once    sync.Once
	dir     string
	path    string
	missing error // gcc, pkg-config or libczmq not installed: skip or fail per CI
	failed  error // installed but the build failed: always a test failure
}

func removeCZMQBuild() {
	if czmqBuild.dir != "" {
		_ = os.RemoveAll(czmqBuild.dir)
	}
}

// czmqPeer returns the path of the compiled helper.
func czmqPeer(t *testing.T) string {
	t.Helper()
	czmqBuild.once.Do(buildCZMQPeer)
	requirePeer(t, "CZMQ (gcc, pkg-config and libczmq)", czmqBuild.missing)
	if czmqBuild.failed != nil {
		t.Fatal(czmqBuild.failed)
	}
	return czmqBuild.path
}

func buildCZMQPeer() {
	b := &czmqBuild
	for _, tool := range []string{"gcc", "pkg-config"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.missing = err
			return
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	flags, err := exec.CommandContext(ctx, "pkg-config", "--cflags", "--libs", "libczmq").Output()
	if err != nil {
		b.missing = fmt.Errorf("pkg-config --cflags --libs libczmq: %w", err)
		return
	}
	src, err := filepath.Abs(filepath.Join("testdata", "czmqpeer.c"))
	if err != nil {
		b.failed = err
		return
	}
	b.dir, err = os.MkdirTemp("", "zkit-interop-")
	if err != nil {
		b.failed = err
		return
	}
	b.path = filepath.Join(b.dir, "czmqpeer")
	args := append([]string{"-O1", "-o", b.path, src}, strings.Fields(string(flags))...)
	if out, err := exec.CommandContext(ctx, "gcc", args...).CombinedOutput(); err != nil {
		b.failed = fmt.Errorf("building the CZMQ helper: gcc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// ---- zmsg_encode / zmsg_decode

// czmqEncode has CZMQ encode frames and returns the encoding. Frames go on
// the command line unless they are too big for it.
func czmqEncode(t *testing.T, ctx context.Context, frames [][]byte) []byte {
	t.Helper()
	hexes := make([]string, len(frames))
	total := 0
	for i, f := range frames {
		hexes[i] = hexFrame(f)
		total += len(hexes[i]) + 1
	}
	var p *proc
	if total < 64<<10 {
		p = startProc(t, ctx, nil, czmqPeer(t), append([]string{"encode"}, hexes...)...)
	} else {
		stdin := strings.NewReader(strings.Join(hexes, "\n") + "\n")
		p = startProc(t, ctx, stdin, czmqPeer(t), "encode", "--stdin")
	}
	out := p.mustSucceed()
	enc, err := parseHexFrame(strings.TrimSpace(out))
	if err != nil {
		t.Fatalf("czmqpeer encode printed %q: %v", out, err)
	}
	return enc
}

// czmqDecode has CZMQ decode an encoding. ok is false when CZMQ rejects it.
func czmqDecode(t *testing.T, ctx context.Context, enc []byte) (frames [][]byte, ok bool) {
	t.Helper()
	p := startProc(t, ctx, strings.NewReader(hexFrame(enc)+"\n"), czmqPeer(t), "decode")
	out, code := p.wait()
	switch {
	case code == 1 && out == "error\n":
		return nil, false
	case code != 0:
		t.Fatalf("czmqpeer decode: exit status %d\nstdout: %s\nstderr: %s", code, out, p.stderr.String())
	}
	frames = [][]byte{}
	for line := range strings.Lines(out) {
		f, err := parseHexFrame(strings.TrimSuffix(line, "\n"))
		if err != nil {
			t.Fatalf("czmqpeer decode printed %q: %v", line, err)
		}
		frames = append(frames, f)
	}
	return frames, true
}

func encodingCases() []struct {
	name   string
	frames [][]byte
} {
	allBytes := make([]byte, 256)
	for i := range allBytes {
		allBytes[i] = byte(i)
	}
	var many [][]byte
	for i := range 1000 {
		many = append(many, pattern(i%7, byte(i)))
	}
	return []struct {
		name   string
		frames [][]byte
	}{
		{"no frames", [][]byte{}},
		{"one empty frame", [][]byte{{}}},
		{"empty frames", [][]byte{{}, {}, {}}},
		{"text", strs("hello", "world")},
		{"binary", [][]byte{{0x00}, {0xff}, {0x0a, 0x0d, 0x00, 0xff}, allBytes}},
		{"254 bytes", [][]byte{pattern(254, 1)}},
		{"255 bytes", [][]byte{pattern(255, 2)}},
		{"256 bytes", [][]byte{pattern(256, 3)}},
		{"70000 bytes", [][]byte{pattern(70000, 4)}},
		{"mixed sizes", [][]byte{pattern(254, 5), {}, pattern(255, 6), {0xff}, pattern(256, 7), pattern(70000, 8), {}}},
		{"1000 frames", many},
	}
}

func TestCZMQEncoding(t *testing.T) {
	for _, tc := range encodingCases() {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			goEnc := zmsg.FromBytes(tc.frames...).Encode()

			// Go's encoding, decoded by CZMQ.
			got, ok := czmqDecode(t, ctx, goEnc)
			if !ok {
				t.Fatalf("CZMQ rejected zmsg's encoding %x", goEnc)
			}
			checkFrames(t, "CZMQ zmsg_decode of zmsg.Encode", got, tc.frames)

			// CZMQ's encoding: byte-exact with Go's, and decoded by Go.
			cEnc := czmqEncode(t, ctx, tc.frames)
			if !bytes.Equal(cEnc, goEnc) {
				t.Fatalf("zmsg.Encode differs from CZMQ zmsg_encode:\n  Go %s\nCZMQ %s", abbrevHex(goEnc), abbrevHex(cEnc))
			}
			m, err := zmsg.Decode(cEnc)
			if err != nil {
				t.Fatalf("zmsg.Decode of CZMQ's encoding: %v", err)
			}
			checkFrames(t, "zmsg.Decode of CZMQ zmsg_encode", frameBytes(m), tc.frames)
		})
	}
}

func abbrevHex(b []byte) string {
	if len(b) > 64 {
		return fmt.Sprintf("%x... (%d bytes)", b[:64], len(b))
	}
	return fmt.Sprintf("%x (%d bytes)", b, len(b))
}

func TestCZMQEncodingTruncated(t *testing.T) {
	ctx := testCtx(t)
	full := zmsg.FromBytes([]byte("hello"), pattern(300, 9)).Encode()
	// full is 05 "hello" FF 00 00 01 2C <300 bytes>.
	cases := map[string][]byte{
		"short header without body": {0x05},
		"short body cut":            {0x05, 'h', 'e'},
		"long marker alone":         full[:7],
		"long size cut":             full[:9],
		"long body missing":         full[:11],
		"long body cut":             full[:len(full)-1],
		"second frame header only":  append(zmsg.FromStrings("ok").Encode(), 0x01),
	}
	for name, enc := range cases {
		t.Run(name, func(t *testing.T) {
			if m, err := zmsg.Decode(enc); !errors.Is(err, zmsg.ErrTruncated) {
				t.Errorf("zmsg.Decode(%x) = %s, %v; want ErrTruncated", enc, describe(frameBytes(m)), err)
			}
			if frames, ok := czmqDecode(t, ctx, enc); ok {
				t.Errorf("CZMQ zmsg_decode(%x) accepted it as %s", enc, describe(frames))
			}
		})
	}

	// A short frame written with the long header is not what either
	// encoder produces, but both decoders accept it the same way.
	t.Run("long header for a short frame", func(t *testing.T) {
		enc := []byte{0xff, 0, 0, 0, 3, 'a', 'b', 'c'}
		m, err := zmsg.Decode(enc)
		if err != nil {
			t.Fatalf("zmsg.Decode: %v", err)
		}
		frames, ok := czmqDecode(t, ctx, enc)
		if !ok {
			t.Fatalf("CZMQ rejected %x", enc)
		}
		checkFrames(t, "zmsg.Decode vs CZMQ", frameBytes(m), frames)
		checkFrames(t, "decoded", frames, strs("abc"))
	})
}

// ---- sockets shared with the helper

// czmqPair binds a zsock PAIR on loopback for the helper to connect to.
// Its send and receive timeouts end with ctx, which bounds the methods that
// take no context (Signal, SendPicture, BSend, BRecv).
func czmqPair(t *testing.T, ctx context.Context) *zsock.Socket {
	t.Helper()
	deadline, _ := ctx.Deadline()
	left := time.Until(deadline)
	s, err := zsock.NewPair("@tcp://127.0.0.1:*", zsock.WithSendTimeout(left), zsock.WithRecvTimeout(left))
	if err != nil {
		t.Fatalf("zsock PAIR: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// waitWritable waits until the helper has connected to s, for the send
// methods that take no context; polling ZMQ_EVENTS is bounded by ctx.
func waitWritable(t *testing.T, ctx context.Context, s *zsock.Socket) {
	t.Helper()
	for {
		ev, err := s.Events()
		if err != nil {
			t.Fatalf("zsock Events: %v", err)
		}
		if ev&zsock.PollOut != 0 {
			return
		}
		if err := pause(ctx); err != nil {
			t.Fatalf("the CZMQ helper never connected: %v", why(ctx, err))
		}
	}
}

// ack tells a helper that is waiting before it exits that everything it
// sent has arrived.
func ack(t *testing.T, ctx context.Context, s *zsock.Socket) {
	t.Helper()
	if err := s.SendContext(ctx, []byte("ack"), 0); err != nil {
		t.Fatalf("send ack: %v", err)
	}
}

// lines splits a helper's output into lines.
func lines(out string) []string {
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

func checkLines(t *testing.T, what, out string, want ...string) {
	t.Helper()
	got := lines(out)
	if len(got) != len(want) {
		t.Fatalf("%s printed %q, want %q", what, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s line %d: got %q, want %q (all: %q)", what, i, got[i], want[i], got)
		}
	}
}

// ---- signals

var signalStatuses = []uint8{0, 1, 255}

func TestCZMQSignalToGo(t *testing.T) {
	for _, status := range signalStatuses {
		t.Run(strconv.Itoa(int(status)), func(t *testing.T) {
			ctx := testCtx(t)
			s := czmqPair(t, ctx)
			p := startProc(t, ctx, nil, czmqPeer(t), "signal-send", s.Endpoint(), strconv.Itoa(int(status)))
			ctx = p.ctx // ends if the helper exits early

			// The helper sends: signal, "not a signal", signal.
			m := mustRecvMsg(t, ctx, s)
			raw := []byte{status, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77} // 0x7766554433221100+status, little-endian
			checkFrames(t, "CZMQ signal bytes", frameBytes(m), [][]byte{raw})
			checkFrames(t, "zmsg.NewSignal vs CZMQ", frameBytes(zmsg.NewSignal(status)), [][]byte{raw})
			if got, ok := m.Signal(); !ok || got != status {
				t.Fatalf("Msg.Signal() of CZMQ's signal = %d, %v; want %d, true", got, ok, status)
			}
			// WaitSignal must skip the text message and find the second signal.
			got, err := s.WaitSignal(ctx)
			if err != nil {
				t.Fatalf("WaitSignal: %v", err)
			}
			if got != status {
				t.Fatalf("WaitSignal = %d, want %d", got, status)
			}
			ack(t, ctx, s)
			p.mustSucceed()
		})
	}
}

func TestCZMQSignalFromGo(t *testing.T) {
	for _, status := range signalStatuses {
		t.Run(strconv.Itoa(int(status)), func(t *testing.T) {
			ctx := testCtx(t)
			s := czmqPair(t, ctx)
			p := startProc(t, ctx, nil, czmqPeer(t), "signal-wait", s.Endpoint())
			ctx = p.ctx // ends if the helper exits early
			// zsock_wait must discard messages that are not signals:
			// text, and eight bytes that are one off the signal pattern.
			mustSendMsg(t, ctx, s, strs("not a signal"))
			mustSendMsg(t, ctx, s, [][]byte{{status, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x78}})
			if err := s.Signal(status); err != nil {
				t.Fatalf("Signal(%d): %v", status, err)
			}
			checkLines(t, "CZMQ zsock_wait", p.mustSucceed(), strconv.Itoa(int(status)))
		})
	}
}

// ---- text pictures (zsock_send / zsock_recv)

func TestCZMQPictureToGo(t *testing.T) {
	ctx := testCtx(t)
	s := czmqPair(t, ctx)
	p := startProc(t, ctx, nil, czmqPeer(t), "picture-send", s.Endpoint())
	ctx = p.ctx // ends if the helper exits early

	// The helper sends zsock_send("is1248bz", -7, "hello", 200, 60000,
	// 4000000000, 1<<40, {1,2,3}) twice. The first copy is compared byte
	// for byte with CZMQ's documented text forms and with zmsg.Pack.
	want := [][]byte{
		[]byte("-7"), []byte("hello"), []byte("200"), []byte("60000"),
		[]byte("4000000000"), []byte("1099511627776"), {1, 2, 3}, {},
	}
	checkFrames(t, "CZMQ zsock_send frames", frameBytes(mustRecvMsg(t, ctx, s)), want)
	packed, err := zmsg.Pack("is1248bz", -7, "hello", uint8(200), uint16(60000), uint32(4000000000), uint64(1)<<40, []byte{1, 2, 3})
	if err != nil {
		t.Fatalf("zmsg.Pack: %v", err)
	}
	checkFrames(t, "zmsg.Pack vs CZMQ zsock_send", frameBytes(packed), want)

	// The second copy goes through RecvPicture with the same picture.
	var (
		i    int
		str  string
		u1   uint8
		u2   uint16
		u4   uint32
		u8   uint64
		blob []byte
	)
	if err := s.RecvPictureContext(ctx, "is1248bz", &i, &str, &u1, &u2, &u4, &u8, &blob); err != nil {
		t.Fatalf("RecvPicture: %v", err)
	}
	if i != -7 || str != "hello" || u1 != 200 || u2 != 60000 || u4 != 4000000000 || u8 != 1<<40 || !bytes.Equal(blob, []byte{1, 2, 3}) {
		t.Fatalf("RecvPicture gave %d %q %d %d %d %d %x", i, str, u1, u2, u4, u8, blob)
	}
	ack(t, ctx, s)
	p.mustSucceed()
}

func TestCZMQPictureFromGo(t *testing.T) {
	ctx := testCtx(t)
	s := czmqPair(t, ctx)
	p := startProc(t, ctx, nil, czmqPeer(t), "picture-recv", s.Endpoint())
	ctx = p.ctx // ends if the helper exits early
	// The helper calls zsock_recv("is84") and prints the four values.
	waitWritable(t, ctx, s)
	if err := s.SendPicture("is84", -123456789, "sent by zkit", uint64(math.MaxUint64), uint32(math.MaxUint32)); err != nil {
		t.Fatalf("SendPicture: %v", err)
	}
	checkLines(t, "CZMQ zsock_recv", p.mustSucceed(),
		"-123456789", "sent by zkit", "18446744073709551615", "4294967295")
}

// ---- binary pictures (zsock_bsend / zsock_brecv)

func TestCZMQBinaryPictureToGo(t *testing.T) {
	ctx := testCtx(t)
	s := czmqPair(t, ctx)
	p := startProc(t, ctx, nil, czmqPeer(t), "bsend", s.Endpoint())
	ctx = p.ctx // ends if the helper exits early

	const (
		short = "short string"
		long  = "a longer string, sent with a four-byte length"
	)
	// zsock_bsend("1248sS", ...) packs big-endian integers, a string with
	// a 1-byte length and one with a 4-byte length into a single frame.
	var want []byte
	want = append(want, 0xAB)
	want = binary.BigEndian.AppendUint16(want, 0xBEEF)
	want = binary.BigEndian.AppendUint32(want, 0xDEADBEEF)
	want = binary.BigEndian.AppendUint64(want, 0x0123456789ABCDEF)
	want = append(want, byte(len(short)))
	want = append(want, short...)
	want = binary.BigEndian.AppendUint32(want, uint32(len(long)))
	want = append(want, long...)

	checkFrames(t, "CZMQ zsock_bsend frame", frameBytes(mustRecvMsg(t, ctx, s)), [][]byte{want})
	packed, err := zmsg.BPack("1248sS", 0xAB, 0xBEEF, uint32(0xDEADBEEF), uint64(0x0123456789ABCDEF), short, long)
	if err != nil {
		t.Fatalf("zmsg.BPack: %v", err)
	}
	checkFrames(t, "zmsg.BPack vs CZMQ zsock_bsend", frameBytes(packed), [][]byte{want})

	var (
		n1     uint8
		n2     uint16
		n4     uint32
		n8     uint64
		s1, s4 string
	)
	if err := s.BRecv("1248sS", &n1, &n2, &n4, &n8, &s1, &s4); err != nil {
		t.Fatalf("BRecv: %v", err)
	}
	if n1 != 0xAB || n2 != 0xBEEF || n4 != 0xDEADBEEF || n8 != 0x0123456789ABCDEF || s1 != short || s4 != long {
		t.Fatalf("BRecv gave %#x %#x %#x %#x %q %q", n1, n2, n4, n8, s1, s4)
	}
	ack(t, ctx, s)
	p.mustSucceed()
}

func TestCZMQBinaryPictureFromGo(t *testing.T) {
	ctx := testCtx(t)
	s := czmqPair(t, ctx)
	p := startProc(t, ctx, nil, czmqPeer(t), "brecv", s.Endpoint())
	ctx = p.ctx // ends if the helper exits early
	// The helper calls zsock_brecv("1248sS") and prints the six values.
	// The long string is over 255 bytes, which only 'S' can carry.
	long := strings.Repeat("0123456789", 30)
	waitWritable(t, ctx, s)
	if err := s.BSend("1248sS", 7, 65535, uint32(1)<<31, uint64(1)<<63|5, "zkit", long); err != nil {
		t.Fatalf("BSend: %v", err)
	}
	checkLines(t, "CZMQ zsock_brecv", p.mustSucceed(),
		"7", "65535", "2147483648", "9223372036854775813", "zkit", long)
}
