package zsock

import (
	"fmt"
	"testing"
	"time"

	zmq "github.com/pebbe/zmq4"
)

// The benchmarks below pair zsock with the raw pebbe/zmq4 binding doing the
// same work in the same process; `make bench` prints the ratios. Names end
// in /raw or /zsock so internal/benchtab can pair them.

var benchSizes = []int{16, 256, 1024}

// throughput times b.N one-way messages. sendAll runs on its own goroutine
// (which owns the sending socket until it returns) and recvOne on the
// benchmark goroutine; both ends are connected and warmed up beforehand.
func throughput(b *testing.B, size int, sendAll func(n int), recvOne func() error) {
	n := b.N
	done := make(chan struct{})
	b.SetBytes(int64(size))
	b.ResetTimer()
	start := time.Now()
	go func() {
		defer close(done)
		sendAll(n)
	}()
	for i := 0; i < n; i++ {
		if err := recvOne(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msg/s")
	<-done
}

// rawPair makes a connected raw PUSH/PULL pair; close with the returned func.
func rawPair(b *testing.B, transport string) (push, pull *zmq.Socket, closeAll func()) {
	ctx, err := zmq.NewContext()
	if err != nil {
		b.Fatal(err)
	}
	pull, _ = ctx.NewSocket(zmq.PULL)
	push, _ = ctx.NewSocket(zmq.PUSH)
	pull.SetLinger(0)
	push.SetLinger(0)
	ep := "tcp://127.0.0.1:0"
	if transport == "inproc" {
		ep = "inproc://bench-raw"
	}
	if err := pull.Bind(ep); err != nil {
		b.Fatal(err)
	}
	ep, _ = pull.GetLastEndpoint()
	if err := push.Connect(ep); err != nil {
		b.Fatal(err)
	}
	return push, pull, func() { push.Close(); pull.Close(); ctx.Term() }
}

// zsockPair makes a connected zsock PUSH/PULL pair in a private context.
func zsockPair(b *testing.B, transport string) (push, pull *Socket, closeAll func()) {
	c, err := NewContext()
	if err != nil {
		b.Fatal(err)
	}
	ep := "tcp://127.0.0.1:*"
	if transport == "inproc" {
		ep = "inproc://bench-zsock"
	}
	pull, err = NewPull(ep, WithContext(c))
	if err != nil {
		b.Fatal(err)
	}
	push, err = NewPush(pull.Endpoint(), WithContext(c))
	if err != nil {
		b.Fatal(err)
	}
	return push, pull, func() { push.Close(); pull.Close(); c.Close() }
}

// BenchmarkPushPull measures one-way single-frame throughput.
func BenchmarkPushPull(b *testing.B) {
	for _, tr := range []string{"tcp", "inproc"} {
		for _, size := range benchSizes {
			data := make([]byte, size)
			b.Run(fmt.Sprintf("%s/%dB/raw", tr, size), func(b *testing.B) {
				push, pull, closeAll := rawPair(b, tr)
				defer closeAll()
				push.SendBytes(data, 0)
				pull.RecvBytes(0)
				throughput(b, size, func(n int) {
					for i := 0; i < n; i++ {
						push.SendBytes(data, 0)
					}
				}, func() error { _, err := pull.RecvBytes(0); return err })
			})
			b.Run(fmt.Sprintf("%s/%dB/zsock", tr, size), func(b *testing.B) {
				push, pull, closeAll := zsockPair(b, tr)
				defer closeAll()
				push.Send(data, 0)
				pull.RecvFrame(0)
				throughput(b, size, func(n int) {
					for i := 0; i < n; i++ {
						push.Send(data, 0)
					}
				}, func() error { _, err := pull.RecvFrame(0); return err })
			})
		}
	}
}

// BenchmarkPushPullMsg measures whole-message receive: zsock RecvMsg versus
// pebbe RecvMessageBytes, three 16-byte frames per message.
func BenchmarkPushPullMsg(b *testing.B) {
	part := make([]byte, 16)
	b.Run("tcp/3x16B/raw", func(b *testing.B) {
		push, pull, closeAll := rawPair(b, "tcp")
		defer closeAll()
		throughput(b, 48, func(n int) {
			for i := 0; i < n; i++ {
				push.SendMessage(part, part, part)
			}
		}, func() error { _, err := pull.RecvMessageBytes(0); return err })
	})
	b.Run("tcp/3x16B/zsock", func(b *testing.B) {
		push, pull, closeAll := zsockPair(b, "tcp")
		defer closeAll()
		throughput(b, 48, func(n int) {
			for i := 0; i < n; i++ {
				push.Send(part, More)
				push.Send(part, More)
				push.Send(part, 0)
			}
		}, func() error { _, err := pull.RecvMsg(); return err })
	})
}
