package interop

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zkit-go/zkit/auth"
	"github.com/zkit-go/zkit/cert"
	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zsock"
)

// Authentication with pyzmq, both ways: pyzmq clients checked by zkit's
// authenticator, and zkit clients checked by pyzmq's ThreadAuthenticator,
// over CURVE and PLAIN, with a known and an unknown client each time.

// pyauthScript returns the path of testdata/pyauth.py once pyzmq is known
// to be available.
func pyauthScript(t *testing.T) string {
	t.Helper()
	pyzmqScript(t) // skips or fails when pyzmq is missing
	script, err := filepath.Abs(filepath.Join("testdata", "pyauth.py"))
	if err != nil {
		t.Fatal(err)
	}
	return script
}

// zkitGuardedRep returns a REP socket in a private context whose
// handshakes zkit's authenticator checks, the authenticator and its
// events.
func zkitGuardedRep(t *testing.T, ctx context.Context, opts ...zsock.Option) (*zsock.Socket, *auth.Authenticator, chan auth.Event) {
	t.Helper()
	zctx, err := zsock.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := zctx.Shutdown(sctx); err != nil {
			t.Errorf("context shutdown: %v", err)
		}
	})
	events := make(chan auth.Event, 64)
	a, err := auth.New(ctx, zctx, auth.WithEvents(events))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Errorf("authenticator: %v", err)
		}
	})
	rep, err := zsock.NewRep("tcp://127.0.0.1:*", append([]zsock.Option{zsock.WithContext(zctx),
		zsock.WithProperties(zframe.PropUserID, "name")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rep.Close() })
	return rep, a, events
}

// nextEvent waits for the authenticator's next decision.
func nextEvent(t *testing.T, ctx context.Context, events <-chan auth.Event) auth.Event {
	t.Helper()
	select {
	case ev := <-events:
		return ev
	case <-ctx.Done():
		t.Fatalf("no decision from the authenticator: %v", why(ctx, ctx.Err()))
	}
	return auth.Event{}
}

// serveOne answers one request on rep with "welcome" and returns the
// request's first frame.
func serveOne(t *testing.T, ctx context.Context, rep *zsock.Socket) zframe.Frame {
	t.Helper()
	m := mustRecvMsg(t, ctx, rep)
	f, _ := m.First()
	if f.Text() != "hello" {
		t.Fatalf("request %s", describe(frameBytes(m)))
	}
	mustSendMsg(t, ctx, rep, strs("welcome"))
	return f
}

// checkRefused checks that a pyzmq client reported a refused handshake
// and that the server received nothing from it.
func checkRefused(t *testing.T, out string, rep *zsock.Socket) {
	t.Helper()
	if !strings.HasPrefix(strings.TrimSpace(out), "refused") {
		t.Fatalf("pyzmq client printed %q, want a refusal", out)
	}
	if m, err := rep.TryRecvMsg(); !errors.Is(err, zsock.ErrWouldBlock) {
		t.Fatalf("server received %v (%v) from a refused client", m, err)
	}
}

func TestPyzmqCurveClientToZkitAuth(t *testing.T) {
	ctx := testCtx(t)
	script := pyauthScript(t)
	serverCert, known, unknown := newCert(t), newCert(t), newCert(t)
	if err := known.SetMeta("name", "py-client"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := known.Save(filepath.Join(dir, "known")); err != nil {
		t.Fatal(err)
	}
	rep, a, events := zkitGuardedRep(t, ctx, zsock.WithCurveServer(serverCert.SecretText()))
	if err := a.Curve(ctx, dir); err != nil {
		t.Fatal(err)
	}

	p := startProc(t, ctx, nil, python, script, "curve-client", rep.Endpoint(),
		serverCert.PublicText(), known.PublicText(), known.SecretText())
	f := serveOne(t, p.ctx, rep)
	if uid, _ := f.Meta(zframe.PropUserID); uid != known.PublicText() {
		t.Errorf("User-Id %q, want the client key %s", uid, known.PublicText())
	}
	if name, _ := f.Meta("name"); name != "py-client" {
		t.Errorf("name property %q, want the certificate's metadata", name)
	}
	checkLines(t, "pyzmq CURVE client", p.mustSucceed(), "reply welcome")
	if ev := nextEvent(t, ctx, events); ev.Status != auth.StatusOK || ev.Mechanism != auth.MechanismCurve {
		t.Fatalf("decision %v %s", ev.Status, ev.Text)
	}

	p = startProc(t, ctx, nil, python, script, "curve-client", rep.Endpoint(),
		serverCert.PublicText(), unknown.PublicText(), unknown.SecretText())
	ev := nextEvent(t, p.ctx, events)
	if ev.Status != auth.StatusDenied || ev.Client != unknown.PublicText() || ev.Text != "unknown key" {
		t.Fatalf("decision %v %q for %s", ev.Status, ev.Text, ev.Client)
	}
	checkRefused(t, p.mustSucceed(), rep)
}

func TestPyzmqPlainClientToZkitAuth(t *testing.T) {
	ctx := testCtx(t)
	script := pyauthScript(t)
	rep, a, events := zkitGuardedRep(t, ctx, zsock.WithPlainServer())
	file := filepath.Join(t.TempDir(), "passwords")
	if err := os.WriteFile(file, []byte("# zkit interop\nadmin=secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := a.Plain(ctx, file); err != nil {
		t.Fatal(err)
	}

	p := startProc(t, ctx, nil, python, script, "plain-client", rep.Endpoint(), "admin", "secret")
	f := serveOne(t, p.ctx, rep)
	if uid, _ := f.Meta(zframe.PropUserID); uid != "admin" {
		t.Errorf("User-Id %q, want admin", uid)
	}
	checkLines(t, "pyzmq PLAIN client", p.mustSucceed(), "reply welcome")
	nextEvent(t, ctx, events)

	p = startProc(t, ctx, nil, python, script, "plain-client", rep.Endpoint(), "admin", "guess")
	if ev := nextEvent(t, p.ctx, events); ev.Status != auth.StatusDenied || ev.Text != "wrong password" {
		t.Fatalf("decision %v %q", ev.Status, ev.Text)
	}
	checkRefused(t, p.mustSucceed(), rep)
}

// pyServer is pyauth.py's server mode, read line by line.
type pyServer struct {
	endpoint string
	lines    chan string   // stdout lines after the endpoint
	stdin    func() error  // closing stdin stops the server
	done     chan struct{} // closed when the process has exited
	err      error         // from Wait, set before done closes
	stderr   strings.Builder
}

// startPyServer runs pyauth.py server with args and waits for its
// endpoint. The server is stopped and reaped when the test ends.
func startPyServer(t *testing.T, ctx context.Context, script string, args ...string) *pyServer {
	t.Helper()
	cmd := exec.CommandContext(ctx, python, append([]string{script, "server"}, args...)...)
	s := &pyServer{lines: make(chan string, 64), done: make(chan struct{})}
	cmd.Stderr = &s.stderr
	cmd.WaitDelay = 5 * time.Second
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.stdin = in.Close
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		s.err = cmd.Wait()
		close(s.lines)
		close(s.done)
	}()
	t.Cleanup(func() {
		_ = s.stdin()
		<-s.done
	})
	line := s.next(t, ctx)
	ep, ok := strings.CutPrefix(line, "endpoint ")
	if !ok {
		t.Fatalf("pyzmq server printed %q, want its endpoint", line)
	}
	s.endpoint = ep
	return s
}

// next returns the server's next line.
func (s *pyServer) next(t *testing.T, ctx context.Context) string {
	t.Helper()
	select {
	case line, ok := <-s.lines:
		if !ok {
			<-s.done
			t.Fatalf("pyzmq server exited (%v): %s", s.err, s.stderr.String())
		}
		return line
	case <-ctx.Done():
		t.Fatalf("pyzmq server silent: %v", ctx.Err())
	}
	return ""
}

// stop closes the server's stdin and checks that it exits cleanly.
func (s *pyServer) stop(t *testing.T) {
	t.Helper()
	_ = s.stdin()
	for range s.lines {
	}
	<-s.done
	if s.err != nil {
		t.Fatalf("pyzmq server: %v: %s", s.err, s.stderr.String())
	}
}

// zkitRoundTrip sends "hello" from a new REQ with opts and returns the
// reply's frames as strings.
func zkitRoundTrip(t *testing.T, ctx context.Context, ep string, opts ...zsock.Option) []string {
	t.Helper()
	req, err := zsock.NewReq(ep, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer req.Close()
	mustSendMsg(t, ctx, req, strs("hello"))
	var out []string
	for _, f := range frameBytes(mustRecvMsg(t, ctx, req)) {
		out = append(out, string(f))
	}
	return out
}

// zkitRefused sends "hello" from a new REQ with opts and waits until the
// pyzmq server reports a refused handshake; the REQ gets no reply.
func zkitRefused(t *testing.T, ctx context.Context, srv *pyServer, opts ...zsock.Option) {
	t.Helper()
	req, err := zsock.NewReq(srv.endpoint, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer req.Close()
	mustSendMsg(t, ctx, req, strs("hello"))
	if line := srv.next(t, ctx); line != "refused" {
		t.Fatalf("pyzmq server printed %q, want a refusal", line)
	}
	if m, err := req.TryRecvMsg(); !errors.Is(err, zsock.ErrWouldBlock) {
		t.Fatalf("refused client received %v (%v)", m, err)
	}
}

func TestZkitCurveClientToPyzmqAuth(t *testing.T) {
	ctx := testCtx(t)
	script := pyauthScript(t)
	serverCert, known, unknown := newCert(t), newCert(t), newCert(t)
	dir := t.TempDir()
	// pyzmq reads only *.key files: zkit writes them in pyzmq's layout.
	if err := known.Save(filepath.Join(dir, "known"), cert.WithPyzmqLayout()); err != nil {
		t.Fatal(err)
	}
	srv := startPyServer(t, ctx, script, "curve", serverCert.SecretText(), dir)
	got := zkitRoundTrip(t, ctx, srv.endpoint,
		zsock.WithCurveClient(known.PublicText(), known.SecretText(), serverCert.PublicText()))
	if len(got) != 2 || got[0] != "echo" || got[1] != known.PublicText() {
		t.Fatalf("reply %q, want echo and the client key as User-Id", got)
	}
	zkitRefused(t, ctx, srv, zsock.WithCurveClient(unknown.PublicText(), unknown.SecretText(), serverCert.PublicText()))
	srv.stop(t)
}

func TestZkitPlainClientToPyzmqAuth(t *testing.T) {
	ctx := testCtx(t)
	script := pyauthScript(t)
	srv := startPyServer(t, ctx, script, "plain", "admin=secret", "guest=guest")
	got := zkitRoundTrip(t, ctx, srv.endpoint, zsock.WithPlainClient("admin", "secret"))
	if len(got) != 2 || got[0] != "echo" || got[1] != "admin" {
		t.Fatalf("reply %q, want echo admin", got)
	}
	zkitRefused(t, ctx, srv, zsock.WithPlainClient("admin", "guess"))
	srv.stop(t)
}

// newCert returns a fresh certificate.
func newCert(t *testing.T) *cert.Cert {
	t.Helper()
	c, err := cert.New()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
