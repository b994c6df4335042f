package auth

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zkit-go/zkit/cert"
	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zsock"
)

// byUser decides PLAIN requests by user name, so that one checker can
// answer every status code.
func byUser(ctx context.Context, req *Request, proposed Decision) Decision {
	switch req.Username {
	case "ok":
		return Decision{Status: StatusOK, UserID: "user-42", Metadata: []cert.Meta{{Name: "plan", Value: "pro"}}}
	case "busy":
		return Decision{Status: StatusTemporary, Text: "database unavailable"}
	case "nope":
		return Decision{Status: StatusDenied, Text: "account locked"}
	case "oops":
		return Decision{Status: StatusInternal}
	case "bogus":
		return Decision{Status: 201}
	case "panic":
		panic("checker bug")
	}
	return proposed
}

func TestCheckerStatusCodes(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch, opt := events()
	a := startAuth(t, zctx, opt, WithChecker(CheckerFunc(byUser)))
	check(t, a.PlainUsers(ctx, map[string]string{"known": "pw"}))
	peer := zapPeer(t, zctx)
	cases := []struct {
		user, password string
		status         Status
		text, userID   string
	}{
		{"ok", "", StatusOK, "OK", "user-42"},
		{"busy", "", StatusTemporary, "database unavailable", ""},
		{"nope", "", StatusDenied, "account locked", ""},
		{"oops", "", StatusInternal, "Internal error", ""},
		{"bogus", "", StatusInternal, "invalid status 201", ""},
		{"panic", "", StatusInternal, "checker failed", ""},
		{"known", "pw", StatusOK, "OK", "known"},             // the proposal, kept
		{"known", "bad", StatusDenied, "wrong password", ""}, // the proposal, kept
		{"stranger", "pw", StatusDenied, "unknown user", ""}, // the proposal, kept
	}
	for i, tc := range cases {
		id := fmt.Sprint(i)
		sendZAP(t, peer, zapRequest(id, "", "10.0.0.1", "PLAIN", []byte(tc.user), []byte(tc.password)))
		reply := recvZAP(t, ctx, peer)
		wantReply(t, reply, id, tc.status, tc.text, tc.userID)
		if tc.user == "ok" {
			if meta, err := decodeMetadata(reply[5]); err != nil || len(meta) != 1 || meta[0] != (cert.Meta{Name: "plan", Value: "pro"}) {
				t.Fatalf("metadata %q: %v", reply[5], err)
			}
		} else if len(reply[5]) != 0 {
			t.Fatalf("metadata %q sent with status %v", reply[5], tc.status)
		}
		ev := waitEvent(t, ctx, ch, func(Event) bool { return true })
		if !ev.Checked || ev.Status != tc.status || ev.Client != tc.user || ev.Address != "10.0.0.1" {
			t.Fatalf("event %s checked=%v", describeEvent(ev), ev.Checked)
		}
	}

	// Address refusals are final: the checker is not asked.
	check(t, a.Deny(ctx, "10.6.6.6"))
	sendZAP(t, peer, zapRequest("d", "", "10.6.6.6", "PLAIN", []byte("ok"), nil))
	wantReply(t, recvZAP(t, ctx, peer), "d", StatusDenied, "address denied", "")
	if ev := waitEvent(t, ctx, ch, func(Event) bool { return true }); ev.Checked {
		t.Fatal("checker consulted for a denied address")
	}

	// Removing the checker restores the built-in decisions.
	check(t, a.SetChecker(ctx, nil))
	sendZAP(t, peer, zapRequest("n", "", "10.0.0.1", "PLAIN", []byte("ok"), nil))
	wantReply(t, recvZAP(t, ctx, peer), "n", StatusDenied, "unknown user", "")
}

// A checker's decision reaches the application as message properties.
func TestCheckerHandshake(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	ch, opt := events()
	a := startAuth(t, zctx, opt)
	check(t, a.SetChecker(ctx, CheckerFunc(byUser)))
	server := newServer(t, zctx, zsock.WithPlainServer(), zsock.WithProperties(zframe.PropUserID, "plan"))
	m := exchange(t, ctx, server, newClient(t, zctx, server, zsock.WithPlainClient("ok", "x")))
	f := m.Frames()[0]
	if uid, _ := f.Meta(zframe.PropUserID); uid != "user-42" {
		t.Fatalf("User-Id %q", uid)
	}
	if plan, _ := f.Meta("plan"); plan != "pro" {
		t.Fatalf("plan %q", plan)
	}
	refused(t, ctx, ch, server, newClient(t, zctx, server, zsock.WithPlainClient("nope", "x")), StatusDenied, "account locked")
}

// A slow checker call does not hold up the others.
func TestSlowCheckerDoesNotBlockOthers(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	release := make(chan struct{})
	entered := make(chan struct{})
	slow := CheckerFunc(func(ctx context.Context, req *Request, proposed Decision) Decision {
		if req.Username == "slow" {
			close(entered)
			select {
			case <-release:
			case <-ctx.Done():
				return Decision{Status: StatusTemporary}
			}
		}
		return Decision{Status: StatusOK, UserID: req.Username}
	})
	a := startAuth(t, zctx, WithChecker(slow), WithWorkers(2))
	peer := zapPeer(t, zctx)
	sendZAP(t, peer, zapRequest("1", "", "10.0.0.1", "PLAIN", []byte("slow"), nil))
	select {
	case <-entered:
	case <-ctx.Done():
		t.Fatal("slow check never started")
	}
	// Also a NULL request on another domain and a built-in decision.
	check(t, a.Domain("plain").PlainUsers(ctx, map[string]string{"x": "y"}))
	sendZAP(t, peer, zapRequest("2", "", "10.0.0.1", "PLAIN", []byte("fast"), nil))
	sendZAP(t, peer, zapRequest("3", "plain", "10.0.0.1", "PLAIN", []byte("x"), []byte("y")))
	got := map[string]bool{}
	for range 2 {
		reply := recvZAP(t, ctx, peer)
		got[string(reply[1])] = true
		if string(reply[2]) != "200" {
			t.Fatalf("reply %q", reply)
		}
	}
	if !got["2"] || !got["3"] {
		t.Fatalf("fast replies %v", got)
	}
	if st := a.Stats(); st.Pending != 1 {
		t.Fatalf("pending %d", st.Pending)
	}
	close(release)
	wantReply(t, recvZAP(t, ctx, peer), "1", StatusOK, "OK", "slow")
}

func TestCheckerTimeout(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	returned := make(chan error, 1)
	stuck := CheckerFunc(func(ctx context.Context, req *Request, proposed Decision) Decision {
		<-ctx.Done()
		returned <- ctx.Err()
		return Decision{Status: StatusOK} // too late: dropped
	})
	ch, opt := events()
	a := startAuth(t, zctx, opt, WithChecker(stuck), WithCheckTimeout(50*time.Millisecond))
	peer := zapPeer(t, zctx)
	sendZAP(t, peer, zapRequest("1", "", "10.0.0.1", "NULL"))
	wantReply(t, recvZAP(t, ctx, peer), "1", StatusTemporary, "checker timed out", "")
	if err := <-returned; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("checker context ended with %v", err)
	}
	ev := waitEvent(t, ctx, ch, func(Event) bool { return true })
	if ev.Status != StatusTemporary || !ev.Checked || ev.Elapsed < 50*time.Millisecond {
		t.Fatalf("event %s elapsed %v", describeEvent(ev), ev.Elapsed)
	}
	// The late decision was dropped: exactly one reply, one event.
	sendZAP(t, peer, zapRequest("2", "", "10.0.0.1", "NULL"))
	wantReply(t, recvZAP(t, ctx, peer), "2", StatusTemporary, "timed out", "")
	<-returned
	if st := a.Stats(); st.TimedOut != 2 || st.Temporary != 2 || st.Accepted != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// Past WithMaxPending, requests are answered StatusTemporary at once.
func TestMaxPending(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	release := make(chan struct{})
	blocked := CheckerFunc(func(ctx context.Context, req *Request, proposed Decision) Decision {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return proposed
	})
	a := startAuth(t, zctx, WithChecker(blocked), WithWorkers(1), WithMaxPending(3))
	peer := zapPeer(t, zctx)
	for i := range 10 {
		sendZAP(t, peer, zapRequest(fmt.Sprint(i), "", "10.0.0.1", "NULL"))
	}
	for i := 3; i < 10; i++ {
		wantReply(t, recvZAP(t, ctx, peer), fmt.Sprint(i), StatusTemporary, "too many", "")
	}
	if st := a.Stats(); st.Pending != 3 || st.Overloaded != 7 {
		t.Fatalf("stats %+v", st)
	}
	close(release)
	for i := range 3 {
		wantReply(t, recvZAP(t, ctx, peer), fmt.Sprint(i), StatusOK, "OK", "")
	}
	if st := a.Stats(); st.Pending != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// Close answers requests still waiting for a checker, cancels the
// running calls and waits for them.
func TestCloseWithPendingChecks(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	started := make(chan struct{}, 4)
	var finished int
	done := make(chan struct{}, 4)
	blocked := CheckerFunc(func(ctx context.Context, req *Request, proposed Decision) Decision {
		started <- struct{}{}
		<-ctx.Done()
		done <- struct{}{}
		return proposed
	})
	ch, opt := events()
	a, err := New(ctx, zctx, opt, WithChecker(blocked), WithWorkers(2))
	check(t, err)
	peer := zapPeer(t, zctx)
	for i := range 3 {
		sendZAP(t, peer, zapRequest(fmt.Sprint(i), "", "10.0.0.1", "NULL"))
	}
	<-started
	<-started
	// Requests from one peer are read in order: once a request of a
	// domain without a checker is answered, the three are pending.
	check(t, a.Domain("other").Allow(ctx))
	sendZAP(t, peer, zapRequest("x", "other", "10.0.0.1", "NULL"))
	wantReply(t, recvZAP(t, ctx, peer), "x", StatusOK, "OK", "")
	waitEvent(t, ctx, ch, func(Event) bool { return true })
	check(t, a.Close())
	// Both running calls have returned by the time Close does.
	for len(done) > 0 {
		<-done
		finished++
	}
	if finished != 2 {
		t.Fatalf("%d checker calls returned before Close did", finished)
	}
	for range 3 {
		ev := waitEvent(t, ctx, ch, func(Event) bool { return true })
		if ev.Status != StatusTemporary || ev.Text != "authenticator closing" {
			t.Fatalf("event %s", describeEvent(ev))
		}
	}
}
