package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/zkit-go/zkit/zmsg"
)

// inputLine is one stdin line decoded into a message, or the error that
// ended reading.
type inputLine struct {
	msg *zmsg.Msg
	err error
}

// startReader reads r line by line in a new goroutine and delivers the
// decoded messages on the returned channel, which is closed at EOF or after
// an error item. After each delivery it calls wake, so that a socket owner
// blocked in a receive can look at the channel.
//
// The goroutine stops when done is closed while it waits to deliver. A read
// of r cannot be interrupted, though: if r blocks (a terminal or an idle
// pipe), the goroutine ends only at the next line or EOF, after its owner
// has moved on. It never touches the socket and never blocks on the channel
// once done is closed, so it is harmless; main exits without waiting for it.
func startReader(r io.Reader, codec lineCodec, wake func(), done <-chan struct{}) <-chan inputLine {
	out := make(chan inputLine, 16)
	go readLines(r, codec, out, wake, done)
	return out
}

func readLines(r io.Reader, codec lineCodec, out chan<- inputLine, wake func(), done <-chan struct{}) {
	defer wake()
	defer close(out)
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, rerr := br.ReadBytes('\n')
		if len(line) > 0 {
			line = bytes.TrimSuffix(line, []byte{'\n'})
			line = bytes.TrimSuffix(line, []byte{'\r'})
			m, err := codec.parseLine(line)
			item := inputLine{msg: m}
			if err != nil {
				item = inputLine{err: fmt.Errorf("stdin line %d: %w", n, err)}
			}
			select {
			case out <- item:
				wake()
			case <-done:
				return
			}
			if err != nil {
				return
			}
		}
		if rerr == io.EOF {
			return
		}
		if rerr != nil {
			select {
			case out <- inputLine{err: fmt.Errorf("reading stdin: %w", rerr)}:
			case <-done:
			}
			return
		}
	}
}

// nextLine waits for the next stdin message; it returns nil, nil at EOF.
func nextLine(ctx context.Context, lines <-chan inputLine) (*zmsg.Msg, error) {
	select {
	case in, ok := <-lines:
		if !ok {
			return nil, nil
		}
		return in.msg, in.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// wakeup lets a producer goroutine cut short the socket owner's blocking
// receive: the owner arms it around each receive, and wake cancels the
// receive in progress, or the next one if none is in progress, so that no
// wake-up is lost between the owner's last look at its channels and the
// receive.
type wakeup struct {
	mu      sync.Mutex
	cancel  context.CancelFunc // cancels the receive in progress; nil when none
	pending bool               // a wake came while no receive was in progress
}

// arm returns the context for one receive and the function to call after
// it. The context is already cancelled if a wake is pending.
func (w *wakeup) arm(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pending {
		w.pending = false
		cancel()
		return ctx, cancel
	}
	w.cancel = cancel
	return ctx, func() {
		w.mu.Lock()
		w.cancel = nil
		w.mu.Unlock()
		cancel()
	}
}

// wake interrupts the owner's current or next receive. It may be called
// from any goroutine.
func (w *wakeup) wake() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cancel != nil {
		w.cancel()
		w.cancel = nil
		return
	}
	w.pending = true
}
