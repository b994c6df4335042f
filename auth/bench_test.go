package auth

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zkit-go/zkit/cert"
	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// echoServer serves a REP socket from its own goroutine until the
// benchmark ends.
func echoServer(b *testing.B, zctx *zsock.Context, opts ...zsock.Option) string {
	b.Helper()
	rep, err := zsock.NewRep("tcp://127.0.0.1:*", append([]zsock.Option{zsock.WithContext(zctx)}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer rep.Close()
		for {
			m, err := rep.RecvMsgContext(ctx)
			if err != nil {
				return
			}
			if err := rep.SendMsg(m); err != nil {
				return
			}
		}
	}()
	b.Cleanup(func() { cancel(); <-done })
	return rep.Endpoint()
}

// BenchmarkCurveConnect measures CURVE connections per second: a new REQ
// client socket connects, makes one request/reply round trip and closes.
// raw has no ZAP handler (libzmq then encrypts without authenticating);
// zkit authenticates every client through the authenticator, which looks
// its key up in a certificate store.
func BenchmarkCurveConnect(b *testing.B) {
	serverCert, clientCert := newCert(b), newCert(b, "name", "bench")
	// "minimal" is a reference point, not a pair: a bare ZAP handler that
	// accepts everyone from one goroutine blocked in receive, which shows
	// the cost of ZAP itself in libzmq.
	for _, side := range []string{"raw", "zkit", "minimal"} {
		b.Run(side, func(b *testing.B) {
			zctx := newZctx(b)
			clients := newZctx(b)
			if side == "minimal" {
				minimalZAP(b, zctx)
			}
			if side == "zkit" {
				a := startAuth(b, zctx)
				store := cert.NewMemStore()
				if err := store.Insert(clientCert.Public()); err != nil {
					b.Fatal(err)
				}
				if err := a.CurveStore(context.Background(), store); err != nil {
					b.Fatal(err)
				}
			}
			ep := echoServer(b, zctx, curveServer(serverCert))
			ctx := testCtx(b)
			connect := func() {
				req, err := zsock.NewReq(ep, zsock.WithContext(clients), curveClient(clientCert, serverCert))
				if err != nil {
					b.Fatal(err)
				}
				if err := req.SendString("ping", 0); err != nil {
					b.Fatal(err)
				}
				if _, err := req.RecvMsgContext(ctx); err != nil {
					b.Fatal(err)
				}
				req.Close()
			}
			connect() // warm up both contexts
			b.ResetTimer()
			t0 := time.Now()
			for range b.N {
				connect()
			}
			b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "conn/s")
		})
	}
}

// benchCerts is a store of 10,000 certificates, made once.
var benchCerts struct {
	once  sync.Once
	store *cert.Store
	keys  [][]byte
	err   error
}

func tenThousandCerts(b *testing.B) (*cert.Store, [][]byte) {
	b.Helper()
	benchCerts.once.Do(func() {
		benchCerts.store = cert.NewMemStore()
		for range 10000 {
			c, err := cert.New()
			if err == nil {
				c.SetMeta("name", "client")
				err = benchCerts.store.Insert(c.Public())
			}
			if err != nil {
				benchCerts.err = err
				return
			}
			benchCerts.keys = append(benchCerts.keys, c.PublicKey())
		}
	})
	if benchCerts.err != nil {
		b.Fatal(benchCerts.err)
	}
	return benchCerts.store, benchCerts.keys
}

// BenchmarkZAPDecisions measures CURVE decisions per second against a
// store of 10,000 certificates: ZAP requests are sent straight to the
// handler, 64 in flight, each for a key of the store (found, with its
// metadata) or, every fourth, an unknown key.
func BenchmarkZAPDecisions(b *testing.B) {
	store, keys := tenThousandCerts(b)
	zctx := newZctx(b)
	a := startAuth(b, zctx)
	if err := a.CurveStore(context.Background(), store); err != nil {
		b.Fatal(err)
	}
	peer, err := zsock.NewDealer(Endpoint, zsock.WithContext(zctx), zsock.WithSndHWM(0), zsock.WithRcvHWM(0))
	if err != nil {
		b.Fatal(err)
	}
	defer peer.Close()
	unknown := make([]byte, 32)
	request := func(i int) *zmsg.Msg {
		key := keys[i%len(keys)]
		if i%4 == 3 {
			unknown[0] = byte(i)
			key = unknown
		}
		return zmsg.FromBytes(append([][]byte{{}}, zapRequest(fmt.Sprint(i), "", "10.0.0.1", "CURVE", key)...)...)
	}
	ctx := testCtx(b)
	const window = 64
	b.ResetTimer()
	t0 := time.Now()
	sent, got := 0, 0
	for got < b.N {
		for sent < b.N && sent-got < window {
			if err := peer.SendMsg(request(sent)); err != nil {
				b.Fatal(err)
			}
			sent++
		}
		if _, err := peer.RecvMsgContext(ctx); err != nil {
			b.Fatal(err)
		}
		got++
	}
	b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "decisions/s")
	b.StopTimer()
	if st := a.Stats(); st.Accepted+st.Denied != uint64(b.N) || st.Internal != 0 {
		b.Fatalf("stats %+v", st)
	}
}

// minimalZAP answers every ZAP request of zctx with 200 from a goroutine
// that owns a ROUTER at Endpoint, until the benchmark ends.
func minimalZAP(b *testing.B, zctx *zsock.Context) {
	router, err := zsock.NewRouter("@"+Endpoint, zsock.WithContext(zctx))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer router.Close()
		for {
			m, err := router.RecvMsgContext(ctx)
			if err != nil {
				return
			}
			f := m.Frames()
			// routing id, delimiter, version, request id, ...
			if len(f) < 4 {
				continue
			}
			reply := zmsg.New(f[0], f[1])
			reply.AppendString("1.0")
			reply.Append(zframe.New(f[3].Data()))
			reply.AppendString("200")
			reply.AppendString("OK")
			reply.AppendString("")
			reply.AppendString("")
			if router.SendMsg(reply) != nil {
				return
			}
		}
	}()
	b.Cleanup(func() {
		cancel()
		<-done
	})
}
