package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// session drives one cat socket. Its methods run in a single goroutine,
// the socket's owner; only the stdin reader runs beside it, and it talks to
// the owner through a channel.
type session struct {
	cfg     catConfig
	sock    *zsock.Socket
	out     io.Writer    // received messages, one line each
	stderr  io.Writer    // warnings
	log     *slog.Logger // -v diagnostics; never nil
	buf     []byte       // output line, reused
	sentAny bool         // something was sent (--wait is behind us)
}

// run moves messages until -n is reached, stdin ends (for the types that
// stop there) or ctx is done, whose error it then returns.
func (s *session) run(ctx context.Context, stdin io.Reader) error {
	if s.cfg.mode == modeRecv || (s.cfg.mode == modeRep && s.cfg.echo) {
		return s.serve(ctx, nil)
	}
	done := make(chan struct{})
	defer close(done)
	w := &wakeup{}
	wake := func() {}
	if s.cfg.mode == modeDuplex {
		wake = w.wake
	}
	lines := startReader(stdin, s.cfg.codec, wake, done)
	switch s.cfg.mode {
	case modeSend:
		return s.sendAll(ctx, lines)
	case modeReq:
		return s.request(ctx, lines)
	case modeRep:
		return s.serve(ctx, lines)
	}
	return s.duplex(ctx, lines, w)
}

// more reports whether -n allows another message after n.
func (s *session) more(n int) bool { return s.cfg.count == 0 || n < s.cfg.count }

// sendAll sends stdin lines until EOF or -n.
func (s *session) sendAll(ctx context.Context, lines <-chan inputLine) error {
	for n := 0; s.more(n); n++ {
		m, err := nextLine(ctx, lines)
		if err != nil || m == nil {
			return err
		}
		if err := s.send(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// request sends each stdin line and prints its reply (REQ).
func (s *session) request(ctx context.Context, lines <-chan inputLine) error {
	for n := 0; s.more(n); n++ {
		m, err := nextLine(ctx, lines)
		if err != nil || m == nil {
			return err
		}
		if err := s.send(ctx, m); err != nil {
			return err
		}
		if err := s.receive(ctx); err != nil {
			return err
		}
	}
	return nil
}

// serve receives messages: printing them (PULL, SUB, XPUB), printing and
// answering each with the next stdin line (REP), or echoing them (REP
// --echo). lines is nil when stdin is not used.
func (s *session) serve(ctx context.Context, lines <-chan inputLine) error {
	for n := 0; s.more(n); n++ {
		m, err := s.sock.RecvMsgContext(ctx)
		if err != nil {
			return err
		}
		switch {
		case s.cfg.mode != modeRep:
			err = s.print(m)
		case s.cfg.echo:
			if s.log.Enabled(ctx, slog.LevelDebug) {
				s.log.Debug("echo", "msg", string(s.cfg.codec.appendMsg(nil, m)))
			}
			err = s.send(ctx, m)
		default:
			if err := s.print(m); err != nil {
				return err
			}
			answer, err := nextLine(ctx, lines)
			if err != nil || answer == nil {
				return err
			}
			err = s.send(ctx, answer)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// duplex sends stdin lines and prints received messages as they come
// (DEALER, PAIR, ROUTER, STREAM); -n counts messages received. Reaching EOF
// on stdin does not end it: replies may still come.
func (s *session) duplex(ctx context.Context, lines <-chan inputLine, w *wakeup) error {
	for n := 0; s.more(n); {
		// Send whatever stdin has ready, then wait for a message or a wake.
		for ready := true; ready && lines != nil; {
			select {
			case in, ok := <-lines:
				switch {
				case !ok:
					lines = nil
				case in.err != nil:
					return in.err
				default:
					if err := s.sendRouted(ctx, in.msg); err != nil {
						return err
					}
				}
			default:
				ready = false
			}
		}
		rctx, release := w.arm(ctx)
		m, err := s.sock.RecvMsgContext(rctx)
		release()
		if err != nil {
			if ctx.Err() == nil && errors.Is(err, context.Canceled) {
				continue // woken: stdin has a line
			}
			return err
		}
		if err := s.print(m); err != nil {
			return err
		}
		n++
	}
	return nil
}

// sendRouted sends m, treating an unknown ROUTER or STREAM peer as a
// warning rather than an error.
func (s *session) sendRouted(ctx context.Context, m *zmsg.Msg) error {
	routed := s.cfg.typ == zsock.Router || s.cfg.typ == zsock.Stream
	if routed && m.Len() < 2 {
		fmt.Fprintf(s.stderr, "zkit: warning: %s lines are ID%sDATA; line dropped\n", s.cfg.typ, escape(s.cfg.codec.sep))
		return nil
	}
	err := s.send(ctx, m)
	if routed && errors.Is(err, zsock.ErrHostUnreachable) {
		id, _ := m.First()
		fmt.Fprintf(s.stderr, "zkit: warning: no peer with routing id %s; message dropped\n", escape(id.Data()))
		return nil
	}
	return err
}

// send sends m, pausing first for --wait before the first message.
func (s *session) send(ctx context.Context, m *zmsg.Msg) error {
	if !s.sentAny && s.cfg.wait > 0 {
		s.log.Debug("waiting before the first send", "wait", s.cfg.wait)
		t := time.NewTimer(s.cfg.wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	s.sentAny = true
	if err := s.sock.SendMsgContext(ctx, m); err != nil {
		return err
	}
	s.log.Debug("sent", "frames", m.Len(), "bytes", m.ContentSize())
	return nil
}

// receive receives one message and prints it.
func (s *session) receive(ctx context.Context) error {
	m, err := s.sock.RecvMsgContext(ctx)
	if err != nil {
		return err
	}
	return s.print(m)
}

// print writes m to stdout as one line.
func (s *session) print(m *zmsg.Msg) error {
	s.log.Debug("received", "frames", m.Len(), "bytes", m.ContentSize())
	s.buf = s.buf[:0]
	if s.cfg.sec.showUser {
		user := ""
		if f, ok := m.First(); ok {
			user, _ = f.Meta("User-Id")
		}
		s.buf = append(appendEscaped(s.buf, []byte(user), s.cfg.codec.sep[0], true), s.cfg.codec.sep...)
	}
	s.buf = append(s.cfg.codec.appendMsg(s.buf, m), '\n')
	_, err := s.out.Write(s.buf)
	return err
}
