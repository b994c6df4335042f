package interop

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/zkit-go/zkit/zmsg"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// go-zeromq v0.17 never stops a PUB socket's queue writer: Close
		// cancels the socket's context but (*pubMWriter).Close, the only
		// thing that wakes run from its sync.Cond, is never called. One
		// such goroutine is left behind for each go-zeromq PUB socket.
		goleak.IgnoreAnyFunction("github.com/go-zeromq/zmq4.(*pubMWriter).run"),
		goleak.Cleanup(func(code int) {
			removeCZMQBuild()
			os.Exit(code)
		}),
	)
}

// testTimeout bounds every test; testCtx shortens it to fit go test's own
// -timeout when that is sooner.
const testTimeout = 30 * time.Second

// testCtx returns a context for one test, cancelled when the test ends.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	if d, ok := t.Deadline(); ok && d.Add(-time.Second).Before(deadline) {
		deadline = d.Add(-time.Second)
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	t.Cleanup(cancel)
	return ctx
}

// requirePeer stops a test whose external peer is unavailable (err != nil):
// it fails when CI=true, so CI cannot pass without running the interop
// tests, and skips otherwise.
func requirePeer(t *testing.T, name string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("interop peer %s is unavailable and CI=true requires it: %v\n"+
			"(scripts/deps.sh test installs the peers; `make test` runs it)", name, err)
	}
	t.Skipf("interop peer %s is unavailable: %v\n"+
		"To run this test install it: on Debian/Ubuntu `make test` does so through "+
		"scripts/deps.sh (libczmq-dev, gcc and pkg-config for CZMQ; python3-zmq for pyzmq).", name, err)
}

// proc is an external peer process started by a test.
type proc struct {
	t              *testing.T
	name           string
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{} // closed once the process has exited
	err            error         // from cmd.Wait, set before done is closed

	// ctx is the start context, also cancelled when the process exits:
	// Go-side calls that wait for the process use it, so a peer that dies
	// early fails the test at once, with its stderr as the cause.
	ctx context.Context
}

// startProc starts a command bounded by ctx. If the test ends before the
// process does, it is killed and reaped.
func startProc(t *testing.T, ctx context.Context, stdin io.Reader, name string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: strings.Join(append([]string{name}, args...), " "), done: make(chan struct{})}
	if len(p.name) > 120 {
		p.name = p.name[:120] + "..."
	}
	p.cmd = exec.CommandContext(ctx, name, args...)
	p.cmd.Stdin = stdin
	p.cmd.Stdout = &p.stdout
	p.cmd.Stderr = &p.stderr
	p.cmd.WaitDelay = 5 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", p.name, err)
	}
	var cancel context.CancelCauseFunc
	p.ctx, cancel = context.WithCancelCause(ctx)
	go func() {
		p.err = p.cmd.Wait()
		cancel(fmt.Errorf("%s exited (%v) with stderr %q", p.name, p.cmd.ProcessState, p.stderr.String()))
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait waits for the process and returns its stdout and exit code. It fails
// the test if the process could not run to an exit (killed, I/O error).
func (p *proc) wait() (string, int) {
	p.t.Helper()
	<-p.done
	if p.err != nil {
		if ee, ok := p.err.(*exec.ExitError); !ok || !ee.Exited() {
			p.t.Fatalf("%s: %v\nstdout: %s\nstderr: %s", p.name, p.err, p.stdout.String(), p.stderr.String())
		}
	}
	return p.stdout.String(), p.cmd.ProcessState.ExitCode()
}

// mustSucceed waits for the process, requires exit status 0 and returns
// its stdout.
func (p *proc) mustSucceed() string {
	p.t.Helper()
	out, code := p.wait()
	if code != 0 {
		p.t.Fatalf("%s: exit status %d\nstdout: %s\nstderr: %s", p.name, code, out, p.stderr.String())
	}
	return out
}

// why explains a failed call made with ctx: when ctx was cancelled by a
// failing or exiting peer, the cause is the real reason.
func why(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); cause != nil && cause != ctx.Err() {
		return fmt.Errorf("%w (cancelled because %w)", err, cause)
	}
	return err
}

// hexFrame writes a frame the way the helpers read it: hex, or "-" when empty.
func hexFrame(b []byte) string {
	if len(b) == 0 {
		return "-"
	}
	return hex.EncodeToString(b)
}

// parseHexFrame reverses hexFrame.
func parseHexFrame(s string) ([]byte, error) {
	if s == "-" {
		return []byte{}, nil
	}
	return hex.DecodeString(s)
}

// frameBytes returns the bytes of every frame of m.
func frameBytes(m *zmsg.Msg) [][]byte {
	var out [][]byte
	for _, f := range m.Frames() {
		out = append(out, f.Data())
	}
	return out
}

// sameFrames reports whether two frame lists hold the same bytes; nil and
// empty frames are equal.
func sameFrames(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// describe renders frames compactly for failure messages.
func describe(frames [][]byte) string {
	var sb strings.Builder
	sb.WriteString("[")
	for i, f := range frames {
		if i > 0 {
			sb.WriteString(" ")
		}
		switch {
		case len(f) > 24:
			fmt.Fprintf(&sb, "<%d bytes %x...>", len(f), f[:12])
		case isPrintable(f):
			fmt.Fprintf(&sb, "%q", f)
		default:
			fmt.Fprintf(&sb, "0x%x", f)
		}
	}
	sb.WriteString("]")
	return sb.String()
}

func isPrintable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// strs turns strings into frames.
func strs(parts ...string) [][]byte {
	out := make([][]byte, len(parts))
	for i, p := range parts {
		out[i] = []byte(p)
	}
	return out
}

// pattern returns n bytes that differ from their neighbours and cover all
// byte values, so misplaced or dropped bytes show.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) + seed
	}
	return b
}
