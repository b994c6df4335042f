package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/zkit-go/zkit/cert"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// zapPeer returns a DEALER connected to the handler's endpoint in zctx,
// to send ZAP requests by hand as libzmq's sessions do.
func zapPeer(t testing.TB, zctx *zsock.Context) *zsock.Socket {
	t.Helper()
	s, err := zsock.NewDealer(Endpoint, zsock.WithContext(zctx))
	check(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// zapRequest builds request frames.
func zapRequest(id, domain, address, mechanism string, creds ...[]byte) [][]byte {
	return append([][]byte{[]byte("1.0"), []byte(id), []byte(domain), []byte(address), nil, []byte(mechanism)}, creds...)
}

// sendZAP sends frames after an empty delimiter, as a REQ socket does.
func sendZAP(t testing.TB, s *zsock.Socket, frames [][]byte) {
	t.Helper()
	check(t, s.SendMsg(zmsg.FromBytes(append([][]byte{{}}, frames...)...)))
}

// recvZAP receives a reply and returns its frames after the delimiter.
func recvZAP(t testing.TB, ctx context.Context, s *zsock.Socket) [][]byte {
	t.Helper()
	m, err := s.RecvMsgContext(ctx)
	if err != nil {
		t.Fatalf("no ZAP reply: %v", err)
	}
	var frames [][]byte
	for _, f := range m.Frames() {
		frames = append(frames, f.Data())
	}
	if len(frames) != 7 || len(frames[0]) != 0 {
		t.Fatalf("reply %q: want a delimiter and 6 frames", frames)
	}
	return frames[1:]
}

// wantReply checks a reply's request id, status code and user id, and
// that the text contains text.
func wantReply(t testing.TB, reply [][]byte, id string, status Status, text, userID string) {
	t.Helper()
	if string(reply[0]) != "1.0" || string(reply[1]) != id || string(reply[2]) != fmt.Sprint(int(status)) ||
		!strings.Contains(string(reply[3]), text) || string(reply[4]) != userID {
		t.Fatalf("reply %q, want id %q status %d text ~%q user %q", reply, id, status, text, userID)
	}
}

func TestParseRequest(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	ok := []struct {
		frames [][]byte
		want   Request
	}{
		{zapRequest("1", "d", "1.2.3.4", "NULL"), Request{ID: []byte("1"), Domain: "d", Address: "1.2.3.4", Mechanism: "NULL"}},
		{zapRequest("x", "", "", "PLAIN", []byte("u"), []byte("p")), Request{ID: []byte("x"), Mechanism: "PLAIN", Username: "u", Password: "p"}},
		{zapRequest("", "", "", "CURVE", key), Request{ID: []byte{}, Mechanism: "CURVE", ClientKey: key}},
		{zapRequest("1", "", "", "GSSAPI", []byte("p@R")), Request{ID: []byte("1"), Mechanism: "GSSAPI", Principal: "p@R"}},
	}
	for _, tc := range ok {
		got, err := parseRequest(tc.frames)
		if err != nil || !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("parse %q = %+v, %v; want %+v", tc.frames, got, err, tc.want)
		}
		if again, _ := parseRequest(encodeRequest(got)); !reflect.DeepEqual(again, got) {
			t.Errorf("round trip of %+v gave %+v", got, again)
		}
	}
	bad := []struct {
		frames [][]byte
		status Status // 0: no reply possible
		reason string
	}{
		{nil, 0, "no request id"},
		{[][]byte{[]byte("1.0")}, 0, "no request id"},
		{[][]byte{[]byte("2.0"), []byte("7")}, StatusInternal, "version"},
		{zapRequest("7", "", "", "NULL")[:5], StatusDenied, "5 frames"},
		{zapRequest("7", "", "", "FOO"), StatusDenied, "unknown mechanism"},
		{zapRequest("7", "", "", "null"), StatusDenied, "unknown mechanism"},
		{zapRequest("7", "", "", "NULL", []byte("x")), StatusDenied, "credential"},
		{zapRequest("7", "", "", "PLAIN", []byte("u")), StatusDenied, "credential"},
		{zapRequest("7", "", "", "CURVE"), StatusDenied, "credential"},
		{zapRequest("7", "", "", "CURVE", key[:31]), StatusDenied, "31 bytes"},
		{zapRequest("7", "", "", "CURVE", append(key, 0)), StatusDenied, "33 bytes"},
		{zapRequest("7", "", "", "GSSAPI", []byte("a"), []byte("b")), StatusDenied, "credential"},
	}
	for _, tc := range bad {
		_, err := parseRequest(tc.frames)
		var re *requestError
		if !errors.As(err, &re) || !strings.Contains(re.reason, tc.reason) {
			t.Errorf("parse %q: %v, want reason ~%q", tc.frames, err, tc.reason)
			continue
		}
		if tc.status == 0 && re.replyable() || tc.status != 0 && (re.status != tc.status || string(re.id) != "7") {
			t.Errorf("parse %q: status %d id %q replyable %v, want %d", tc.frames, re.status, re.id, re.replyable(), tc.status)
		}
	}
}

func TestMetadataEncoding(t *testing.T) {
	meta := []cert.Meta{{Name: "name", Value: "alice"}, {Name: "x", Value: ""}, {Name: strings.Repeat("n", 255), Value: strings.Repeat("v", 300)}}
	b, err := encodeMetadata(meta)
	check(t, err)
	if !bytes.HasPrefix(b, []byte("\x04name\x00\x00\x00\x05alice\x01x\x00\x00\x00\x00\xff")) {
		t.Fatalf("encoding %q", b[:24])
	}
	back, err := decodeMetadata(b)
	if err != nil || !reflect.DeepEqual(back, meta) {
		t.Fatalf("decoded %v, %v", back, err)
	}
	if b, err := encodeMetadata(nil); b != nil || err != nil {
		t.Fatalf("empty metadata: %q, %v", b, err)
	}
	for _, m := range []cert.Meta{{Name: ""}, {Name: strings.Repeat("n", 256)}} {
		if _, err := encodeMetadata([]cert.Meta{m}); !errors.Is(err, errMetadata) {
			t.Errorf("name of %d bytes: %v", len(m.Name), err)
		}
	}
	for _, b := range [][]byte{{0}, {5, 'a'}, []byte("\x01a\x00\x00\x00\x05abc")} {
		if _, err := decodeMetadata(b); err == nil {
			t.Errorf("decoded %q", b)
		}
	}
}

func TestMalformedRequests(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch, opt := events()
	a := startAuth(t, zctx, opt)
	peer := zapPeer(t, zctx)
	cases := []struct {
		frames [][]byte
		status Status
		text   string
	}{
		{[][]byte{[]byte("0.9"), []byte("a")}, StatusInternal, "unsupported ZAP version"},
		{zapRequest("b", "", "", "NULL")[:4], StatusDenied, "4 frames"},
		{zapRequest("c", "", "", "KERBEROS"), StatusDenied, "unknown mechanism"},
		{zapRequest("d", "", "", "CURVE", []byte("short")), StatusDenied, "CURVE key of 5 bytes"},
		{zapRequest("e", "", "", "PLAIN", []byte("only user")), StatusDenied, "credential frames"},
		{zapRequest("f", "", "", "NULL", []byte("extra")), StatusDenied, "credential frames"},
	}
	for _, tc := range cases {
		sendZAP(t, peer, tc.frames)
		wantReply(t, recvZAP(t, ctx, peer), string(tc.frames[1]), tc.status, tc.text, "")
		ev := waitEvent(t, ctx, ch, func(Event) bool { return true })
		if !ev.Malformed || ev.Status != tc.status {
			t.Fatalf("event %s malformed=%v", describeEvent(ev), ev.Malformed)
		}
	}
	// Too damaged to answer: dropped. A good request after them is
	// answered, so the handler survived.
	sendZAP(t, peer, nil)
	sendZAP(t, peer, [][]byte{[]byte("1.0")})
	check(t, peer.SendMsg(zmsg.FromStrings("1.0"))) // no delimiter either
	sendZAP(t, peer, zapRequest("ok", "", "10.0.0.1", "NULL"))
	wantReply(t, recvZAP(t, ctx, peer), "ok", StatusOK, "OK", "")
	st := a.Stats()
	if st.Malformed != 9 || st.Unanswered != 3 || st.Requests != 10 || st.Accepted != 1 || st.Denied != 5 || st.Internal != 1 {
		t.Fatalf("stats %+v", st)
	}

	// A REQ peer, and a DEALER that sends no delimiter, are answered in
	// the same shape.
	req, err := zsock.NewReq(Endpoint, zsock.WithContext(zctx))
	check(t, err)
	defer req.Close()
	check(t, req.SendMsg(zmsg.FromBytes(zapRequest("r", "", "", "NULL")...)))
	m, err := req.RecvMsgContext(ctx)
	check(t, err)
	if got := m.Frames(); len(got) != 6 || got[1].Text() != "r" || got[2].Text() != "200" {
		t.Fatalf("REQ got %v", m)
	}
	check(t, peer.SendMsg(zmsg.FromBytes(zapRequest("n", "", "", "NULL")...)))
	m, err = peer.RecvMsgContext(ctx)
	check(t, err)
	if got := m.Frames(); len(got) != 6 || got[1].Text() != "n" {
		t.Fatalf("DEALER without delimiter got %d frames", len(got))
	}
}

func TestGSSAPI(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	a := startAuth(t, zctx)
	peer := zapPeer(t, zctx)
	sendZAP(t, peer, zapRequest("1", "", "10.0.0.1", "GSSAPI", []byte("alice@EXAMPLE")))
	wantReply(t, recvZAP(t, ctx, peer), "1", StatusDenied, "GSSAPI not enabled", "")
	check(t, a.GSSAPI(ctx))
	sendZAP(t, peer, zapRequest("2", "", "10.0.0.1", "GSSAPI", []byte("alice@EXAMPLE")))
	wantReply(t, recvZAP(t, ctx, peer), "2", StatusOK, "OK", "alice@EXAMPLE")
}

func TestPipeCommands(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	a := startAuth(t, zctx)
	peer := zapPeer(t, zctx)
	dir := t.TempDir() // holds no certificates, only the password file
	file := dir + "/passwords"
	certs := t.TempDir()
	writeFile(t, file, "admin=secret\n")
	cmds := []struct {
		parts  []string
		status uint8
	}{
		{[]string{"ALLOW", "10.0.0.1", "10.0.0.2"}, 0},
		{[]string{"DENY"}, 0},
		{[]string{"PLAIN", file}, 0},
		{[]string{"PLAIN", dir + "/missing"}, 1},
		{[]string{"PLAIN"}, 1},
		{[]string{"CURVE", certs}, 0},
		{[]string{"CURVE", dir}, 0}, // files that are not certificates are skipped, as CZMQ does
		{[]string{"CURVE", "*"}, 0},
		{[]string{"CURVE", dir + "/missing"}, 1},
		{[]string{"GSSAPI"}, 0},
		{[]string{"VERBOSE"}, 0},
		{[]string{"VERBOSE", "off"}, 0},
		{[]string{"VERBOSE", "maybe"}, 1},
		{[]string{"DOMAIN", "d", "DENY", "10.0.0.1"}, 0},
		{[]string{"DOMAIN", "d", "PLAIN", file}, 0},
		{[]string{"DOMAIN", "d", "VERBOSE"}, 1},
		{[]string{"DOMAIN", "d"}, 1},
		{[]string{"FROBNICATE"}, 1},
	}
	for _, c := range cmds {
		check(t, a.SendStrings(c.parts...))
		st, err := a.WaitSignal(ctx)
		check(t, err)
		if st != c.status {
			t.Errorf("%q: signal %d, want %d", c.parts, st, c.status)
		}
	}
	for _, r := range []struct {
		req    [][]byte
		status Status
		user   string
	}{
		{zapRequest("1", "", "10.0.0.1", "NULL"), StatusOK, ""},
		{zapRequest("2", "", "10.0.0.3", "NULL"), StatusDenied, ""},
		{zapRequest("3", "", "10.0.0.2", "PLAIN", []byte("admin"), []byte("secret")), StatusOK, "admin"},
		{zapRequest("4", "", "10.0.0.2", "CURVE", bytes.Repeat([]byte{1}, 32)), StatusOK, ""},
		{zapRequest("5", "d", "10.0.0.1", "NULL"), StatusDenied, ""},
		{zapRequest("6", "d", "10.0.0.3", "PLAIN", []byte("admin"), []byte("secret")), StatusOK, "admin"},
		{zapRequest("7", "d", "10.0.0.3", "CURVE", bytes.Repeat([]byte{1}, 32)), StatusDenied, ""},
	} {
		sendZAP(t, peer, r.req)
		reply := recvZAP(t, ctx, peer)
		if string(reply[2]) != fmt.Sprint(int(r.status)) || r.user != "" && string(reply[4]) != r.user {
			t.Errorf("request %s: reply %q", r.req[1], reply)
		}
	}
	// A parent that never reads acknowledgements cannot stall the
	// authenticator: they are dropped past the pipe's high-water mark.
	for range 1100 {
		check(t, a.SendStrings("ALLOW", "10.0.0.1"))
	}
	sendZAP(t, peer, zapRequest("8", "", "10.0.0.1", "NULL"))
	wantReply(t, recvZAP(t, ctx, peer), "8", StatusOK, "OK", "")
}

func TestTypedCommandErrors(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	a := startAuth(t, zctx)
	if err := a.Plain(ctx, "/nonexistent/passwords"); err == nil {
		t.Error("Plain with a missing file succeeded")
	}
	if err := a.Curve(ctx, "/nonexistent/certs"); err == nil {
		t.Error("Curve with a missing directory succeeded")
	}
	if err := a.CurveStore(ctx, nil); !errors.Is(err, ErrOption) {
		t.Errorf("CurveStore(nil): %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := a.Allow(cancelled, "1.2.3.4"); !errors.Is(err, context.Canceled) {
		t.Errorf("Allow with a cancelled context: %v", err)
	}
	check(t, a.Verbose(ctx, true))
	check(t, a.Verbose(ctx, false))
}

func TestOptions(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	for _, o := range []Option{WithLogger(nil), WithEvents(nil), WithWorkers(0), WithMaxPending(0), WithCheckTimeout(0), WithChecker(nil)} {
		if _, err := New(ctx, zctx, o); !errors.Is(err, ErrOption) {
			t.Errorf("New with a bad option: %v", err)
		}
	}
	//lint:ignore SA1012 checking the nil-context error
	if _, err := New(nil, zctx); !errors.Is(err, ErrOption) { //nolint:staticcheck
		t.Errorf("New(nil ctx): %v", err)
	}
}

// Concurrent typed calls from several goroutines each get their answer.
func TestTypedCommandsConcurrent(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	a := startAuth(t, zctx)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- a.Domain(fmt.Sprint("d", i%4)).Allow(ctx, fmt.Sprint("10.0.0.", i))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		check(t, err)
	}
	peer := zapPeer(t, zctx)
	sendZAP(t, peer, zapRequest("1", "d1", "10.0.0.5", "NULL"))
	wantReply(t, recvZAP(t, ctx, peer), "1", StatusOK, "", "")
	sendZAP(t, peer, zapRequest("2", "d1", "10.0.0.6", "NULL"))
	wantReply(t, recvZAP(t, ctx, peer), "2", StatusDenied, "allow list", "")
}

// Diagnostics go to the injected logger; passwords never do.
func TestLogging(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	var buf syncBuffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a := startAuth(t, zctx, WithLogger(log), WithVerbose())
	check(t, a.PlainUsers(ctx, map[string]string{"admin": "hunter2"}))
	peer := zapPeer(t, zctx)
	sendZAP(t, peer, zapRequest("1", "", "10.0.0.1", "PLAIN", []byte("admin"), []byte("hunter2")))
	wantReply(t, recvZAP(t, ctx, peer), "1", StatusOK, "OK", "admin")
	sendZAP(t, peer, zapRequest("2", "", "10.0.0.1", "PLAIN", []byte("admin"), []byte("hunter3")))
	wantReply(t, recvZAP(t, ctx, peer), "2", StatusDenied, "wrong password", "")
	sendZAP(t, peer, [][]byte{[]byte("9.9"), []byte("3")})
	wantReply(t, recvZAP(t, ctx, peer), "3", StatusInternal, "version", "")
	out := buf.String()
	for _, want := range []string{"level=INFO msg=\"auth: decision\"", "client=admin", "wrong password", "level=WARN msg=\"auth: malformed ZAP request\""} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hunter") {
		t.Errorf("a password was logged:\n%s", out)
	}
}

// syncBuffer is a bytes.Buffer safe for the logger's goroutine and the
// test's.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
