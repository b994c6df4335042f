package interop

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zkit-go/zkit/zsock"
)

const python = "/usr/bin/python3"

var pyzmqCheck struct {
	once sync.Once
	err  error
}

// pyzmqScript returns the path of testdata/pyzmqpeer.py once it is known
// that python3 can import zmq.
func pyzmqScript(t *testing.T) string {
	t.Helper()
	pyzmqCheck.once.Do(func() {
		if _, err := os.Stat(python); err != nil {
			pyzmqCheck.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if out, err := exec.CommandContext(ctx, python, "-c", "import zmq").CombinedOutput(); err != nil {
			pyzmqCheck.err = fmt.Errorf("%s -c 'import zmq': %v: %s", python, err, strings.TrimSpace(string(out)))
		}
	})
	requirePeer(t, "pyzmq ("+python+" with python3-zmq)", pyzmqCheck.err)
	script, err := filepath.Abs(filepath.Join("testdata", "pyzmqpeer.py"))
	if err != nil {
		t.Fatal(err)
	}
	return script
}

func TestPyzmqReqToZsockRep(t *testing.T) {
	ctx := testCtx(t)
	script := pyzmqScript(t)
	rep, err := zsock.NewRep("@tcp://127.0.0.1:*")
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()

	const count = 5
	p := startProc(t, ctx, nil, python, script, "req", rep.Endpoint(), strconv.Itoa(count))
	ctx = p.ctx // ends if the script exits early
	var want []string
	for i := range count {
		req := mustRecvMsg(t, ctx, rep)
		checkFrames(t, fmt.Sprintf("pyzmq request %d", i), frameBytes(req),
			[][]byte{[]byte("request"), []byte(strconv.Itoa(i)), {0, 255, byte(i)}, {}})
		reply := [][]byte{[]byte("reply"), {}, []byte(strconv.Itoa(i * i)), pattern(250+i*2, byte(i))}
		mustSendMsg(t, ctx, rep, reply)
		hexes := make([]string, len(reply))
		for j, f := range reply {
			hexes[j] = hexFrame(f)
		}
		want = append(want, strings.Join(hexes, " "))
	}
	checkLines(t, "pyzmq REQ replies", p.mustSucceed(), want...)
}

func TestPyzmqPubToZsockSub(t *testing.T) {
	ctx := testCtx(t)
	script := pyzmqScript(t)
	const topic = "weather."
	sub, err := zsock.NewSub("@tcp://127.0.0.1:*", zsock.WithSubscribe(topic))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	// The script publishes until its stdin is closed.
	stdin, stop, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stop.Close()
	p := startProc(t, ctx, stdin, python, script, "pub", sub.Endpoint())
	_ = stdin.Close() // the child has its own copy
	ctx = p.ctx       // ends if the script exits early

	// The script publishes on "news.", "weather" and "weather."; only the
	// last passes the filter. Sequence numbers must increase.
	last := -1
	for range 30 {
		m := mustRecvMsg(t, ctx, sub)
		frames := frameBytes(m)
		if len(frames) != 2 || string(frames[0]) != topic {
			t.Fatalf("zsock SUB(%q) got %s", topic, describe(frames))
		}
		seq, err := strconv.Atoi(string(frames[1]))
		if err != nil || seq <= last {
			t.Fatalf("sequence %q after %d", frames[1], last)
		}
		last = seq
	}
	_ = stop.Close()
	p.mustSucceed()
}
