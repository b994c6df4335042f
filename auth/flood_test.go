package auth

import (
	"fmt"
	"testing"

	"github.com/zkit-go/zkit/cert"
	"github.com/zkit-go/zkit/zsock"
)

// Handshakes under unknown CURVE keys, pouring in while a good client
// connects again and again, do not keep the good client out, and leave
// nothing pending behind.
func TestFloodOfUnknownKeys(t *testing.T) {
	ctx := testCtx(t)
	zctx := newZctx(t)
	clients := newZctx(t) // the attackers' and the good client's sockets
	ch, opt := events()
	a := startAuth(t, zctx, opt)
	store := cert.NewMemStore()
	serverCert, good := newCert(t), newCert(t)
	check(t, store.Insert(good.Public()))
	check(t, a.CurveStore(ctx, store))
	server := newServer(t, zctx, curveServer(serverCert))
	ep := server.Endpoint()
	bad := newCert(t)

	// The server socket belongs to the good client's goroutine from here.
	const goodRounds = 10
	goodDone := make(chan error, 1)
	start := make(chan struct{})
	go func() {
		goodDone <- func() error {
			<-start
			for i := range goodRounds {
				c, err := zsock.NewPush(ep, zsock.WithContext(clients), curveClient(good, serverCert))
				if err != nil {
					return err
				}
				err = c.SendString("hello", 0)
				if err == nil {
					_, err = server.RecvMsgContext(ctx)
				}
				c.Close()
				if err != nil {
					return fmt.Errorf("good client %d: %w", i, err)
				}
			}
			return nil
		}()
	}()

	// Attackers come in waves: each wave opens a batch of connections and
	// lasts until all of them were refused.
	const batch = 32
	waves, refusals := 0, 0
	var goodErr error
	for finished := false; !finished; {
		if waves == 1 {
			close(start)
		}
		socks := make([]*zsock.Socket, 0, batch)
		for range batch {
			s, err := zsock.NewPush(ep, zsock.WithContext(clients), curveClient(bad, serverCert))
			check(t, err)
			_ = s.SendString("let me in", zsock.DontWait) // queued until refused
			socks = append(socks, s)
		}
		for n := 0; n < batch; {
			select {
			case ev := <-ch:
				if ev.Status == StatusDenied {
					n++
					refusals++
				}
			case goodErr = <-goodDone:
				finished = true
			case <-ctx.Done():
				t.Fatalf("wave %d: %d of %d refusals: %v", waves, n, batch, ctx.Err())
			}
		}
		for _, s := range socks {
			s.Close()
		}
		waves++
	}
	if goodErr != nil {
		t.Fatal(goodErr)
	}
	st := a.Stats()
	if st.Accepted != goodRounds || st.Denied < uint64(refusals) || st.Pending != 0 {
		t.Fatalf("stats %+v", st)
	}
	t.Logf("%d refusals in %d waves while %d good clients were served", refusals, waves, goodRounds)
}
