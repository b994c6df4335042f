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

func benchEndpoint(b *testing.B, transport string, i int) string {
	if transport == "inproc" {
		return fmt.Sprintf("inproc://bench-%s-%d", b.Name(), i)
	}
	return "tcp://127.0.0.1:*"
}

// BenchmarkPushPull measures one-way throughput: one goroutine sends b.N
// messages, the benchmark goroutine receives them.
func BenchmarkPushPull(b *testing.B) {
	for _, tr := range []string{"tcp", "inproc"} {
		for _, size := range benchSizes {
			b.Run(fmt.Sprintf("%s/%dB/raw", tr, size), func(b *testing.B) { benchRawPushPull(b, tr, size) })
			b.Run(fmt.Sprintf("%s/%dB/zsock", tr, size), func(b *testing.B) { benchZsockPushPull(b, tr, size) })
		}
	}
}

func benchRawPushPull(b *testing.B, transport string, size int) {
	ctx, err := zmq.NewContext()
	if err != nil {
		b.Fatal(err)
	}
	defer ctx.Term()
	pull, _ := ctx.NewSocket(zmq.PULL)
	push, _ := ctx.NewSocket(zmq.PUSH)
	pull.SetLinger(0)
	push.SetLinger(0)
	defer pull.Close()
	ep := benchEndpoint(b, transport, 0)
	if transport == "tcp" {
		ep = "tcp://127.0.0.1:0"
	}
	if err := pull.Bind(ep); err != nil {
		b.Fatal(err)
	}
	ep, _ = pull.GetLastEndpoint()
	if err := push.Connect(ep); err != nil {
		b.Fatal(err)
	}
	data := make([]byte, size)
	// Warm up the connection before timing.
	push.SendBytes(data, 0)
	pull.RecvBytes(0)
	n := b.N
	done := make(chan struct{})
	b.SetBytes(int64(size))
	b.ResetTimer()
	start := time.Now()
	go func() {
		defer close(done)
		for i := 0; i < n; i++ {
			if _, err := push.SendBytes(data, 0); err != nil {
				return
			}
		}
	}()
	for i := 0; i < n; i++ {
		if _, err := pull.RecvBytes(0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msg/s")
	<-done
	push.Close()
}

func benchZsockPushPull(b *testing.B, transport string, size int) {
	c, err := NewContext()
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	pull, err := New(Pull, WithContext(c))
	if err != nil {
		b.Fatal(err)
	}
	defer pull.Close()
	if _, err := pull.Bind(benchEndpoint(b, transport, 0)); err != nil {
		b.Fatal(err)
	}
	push, err := NewPush(pull.Endpoint(), WithContext(c))
	if err != nil {
		b.Fatal(err)
	}
	data := make([]byte, size)
	push.Send(data, 0)
	pull.RecvFrame(0)
	n := b.N
	done := make(chan struct{})
	b.SetBytes(int64(size))
	b.ResetTimer()
	start := time.Now()
	go func() {
		defer close(done)
		for i := 0; i < n; i++ {
			if err := push.Send(data, 0); err != nil {
				return
			}
		}
	}()
	for i := 0; i < n; i++ {
		if _, err := pull.RecvFrame(0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msg/s")
	<-done
	push.Close()
}

// BenchmarkPushPullMsg measures whole-message receive: zsock RecvMsg versus
// pebbe RecvMessageBytes, three frames per message.
func BenchmarkPushPullMsg(b *testing.B) {
	b.Run("tcp/3x16B/raw", func(b *testing.B) {
		ctx, _ := zmq.NewContext()
		defer ctx.Term()
		pull, _ := ctx.NewSocket(zmq.PULL)
		push, _ := ctx.NewSocket(zmq.PUSH)
		pull.SetLinger(0)
		push.SetLinger(0)
		defer pull.Close()
		pull.Bind("tcp://127.0.0.1:0")
		ep, _ := pull.GetLastEndpoint()
		push.Connect(ep)
		part := make([]byte, 16)
		n := b.N
		done := make(chan struct{})
		b.ResetTimer()
		start := time.Now()
		go func() {
			defer close(done)
			for i := 0; i < n; i++ {
				push.SendMessage(part, part, part)
			}
		}()
		for i := 0; i < n; i++ {
			if _, err := pull.RecvMessageBytes(0); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msg/s")
		<-done
		push.Close()
	})
	b.Run("tcp/3x16B/zsock", func(b *testing.B) {
		c, _ := NewContext()
		defer c.Close()
		pull, _ := NewPull("tcp://127.0.0.1:*", WithContext(c))
		defer pull.Close()
		push, _ := NewPush(pull.Endpoint(), WithContext(c))
		part := make([]byte, 16)
		n := b.N
		done := make(chan struct{})
		b.ResetTimer()
		start := time.Now()
		go func() {
			defer close(done)
			for i := 0; i < n; i++ {
				push.Send(part, More)
				push.Send(part, More)
				push.Send(part, 0)
			}
		}()
		for i := 0; i < n; i++ {
			if _, err := pull.RecvMsg(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msg/s")
		<-done
		push.Close()
	})
}
