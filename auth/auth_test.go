package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/zkit-go/zkit/cert"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testTimeout bounds every test.
const testTimeout = 30 * time.Second

// testCtx returns a context for one test, cancelled when the test ends.
func testCtx(t testing.TB) context.Context {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	if tt, ok := t.(*testing.T); ok {
		if d, ok := tt.Deadline(); ok && d.Add(-time.Second).Before(deadline) {
			deadline = d.Add(-time.Second)
		}
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	t.Cleanup(cancel)
	return ctx
}

// newZctx returns a private zsock context, shut down when the test ends
// (after the sockets and authenticators registered later).
func newZctx(t testing.TB) *zsock.Context {
	t.Helper()
	c, err := zsock.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Shutdown(ctx); err != nil {
			t.Errorf("context shutdown: %v", err)
		}
	})
	return c
}

// startAuth starts an authenticator in zctx, closed when the test ends.
func startAuth(t testing.TB, zctx *zsock.Context, opts ...Option) *Authenticator {
	t.Helper()
	a, err := New(testCtx(t), zctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Errorf("authenticator close: %v", err)
		}
	})
	return a
}

// check fails the test on err.
func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// newServer binds a PULL socket to a free loopback port. (Message
// properties are read from a message's first frame, which for a ROUTER is
// the routing id libzmq adds, without properties; PULL has no envelope.)
func newServer(t testing.TB, zctx *zsock.Context, opts ...zsock.Option) *zsock.Socket {
	t.Helper()
	s, err := zsock.NewPull("tcp://127.0.0.1:*", append([]zsock.Option{zsock.WithContext(zctx)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newClient connects a PUSH socket to the server's endpoint.
func newClient(t testing.TB, zctx *zsock.Context, server *zsock.Socket, opts ...zsock.Option) *zsock.Socket {
	t.Helper()
	s, err := zsock.NewPush(server.Endpoint(), append([]zsock.Option{zsock.WithContext(zctx)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// exchange sends a message from client and returns the server's copy,
// failing the test when it does not arrive in time.
func exchange(t testing.TB, ctx context.Context, server, client *zsock.Socket) *zmsg.Msg {
	t.Helper()
	check(t, client.SendString("hello", 0))
	m, err := server.RecvMsgContext(ctx)
	if err != nil {
		t.Fatalf("server did not receive the client's message: %v", err)
	}
	if m.Len() != 1 || !m.Frames()[0].EqualString("hello") {
		t.Fatalf("server received %d frames", m.Len())
	}
	return m
}

// waitEvent returns the first event from ch that matches, failing the
// test at ctx's deadline.
func waitEvent(t testing.TB, ctx context.Context, ch <-chan Event, match func(Event) bool) Event {
	t.Helper()
	for {
		select {
		case ev := <-ch:
			if match(ev) {
				return ev
			}
		case <-ctx.Done():
			t.Fatalf("no matching event: %v", ctx.Err())
		}
	}
}

// refused waits for a refusal of the client's handshake, then checks that
// the server received nothing.
func refused(t testing.TB, ctx context.Context, ch <-chan Event, server, client *zsock.Socket, status Status, text string) Event {
	t.Helper()
	check(t, client.SendString("hello", 0))
	ev := waitEvent(t, ctx, ch, func(ev Event) bool { return ev.Status != StatusOK })
	if ev.Status != status || !strings.Contains(ev.Text, text) {
		t.Fatalf("refusal %v %q, want %v containing %q", ev.Status, ev.Text, status, text)
	}
	if m, err := server.TryRecvMsg(); !errors.Is(err, zsock.ErrWouldBlock) {
		t.Fatalf("server received %v (%v) from a refused client", m, err)
	}
	return ev
}

// newCert returns a fresh certificate, with metadata if given in pairs.
func newCert(t testing.TB, meta ...string) *cert.Cert {
	t.Helper()
	c, err := cert.New()
	check(t, err)
	for i := 0; i+1 < len(meta); i += 2 {
		check(t, c.SetMeta(meta[i], meta[i+1]))
	}
	return c
}

// curveServer returns the options of a CURVE server socket with sc.
func curveServer(sc *cert.Cert) zsock.Option { return zsock.WithCurveServer(sc.SecretText()) }

// curveClient returns the options of a CURVE client socket with cc talking
// to the server with certificate sc.
func curveClient(cc, sc *cert.Cert) zsock.Option {
	return zsock.WithCurveClient(cc.PublicText(), cc.SecretText(), sc.PublicText())
}

// events returns a buffered events channel and its option.
func events() (chan Event, Option) {
	ch := make(chan Event, 256)
	return ch, WithEvents(ch)
}

// describeEvent renders an event for failure messages.
func describeEvent(ev Event) string {
	return fmt.Sprintf("%s %s %s %q %v %q user=%q", ev.Domain, ev.Address, ev.Mechanism, ev.Client, ev.Status, ev.Text, ev.UserID)
}

// errorsIs is errors.Is, short for table checks.
func errorsIs(err, target error) bool { return errors.Is(err, target) }
