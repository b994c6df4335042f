package actor

import (
	"context"
	"fmt"

	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// Pipe is one end of the in-process channel between an actor and its
// parent. The parent's end is embedded in Actor; the actor's end is passed
// to its Func. Messages are moved, not copied: once a send succeeds, the
// message belongs to the receiver and the sender must not touch it again.
//
// Each direction holds up to the high-water mark of messages (see
// WithHWM); a blocking send waits while the peer's queue is full. Blocking
// calls without a context are bounded, on the actor's end, by the actor's
// context and, on the parent's end, by nothing (the parent can always end
// the actor with Close). Operations on a closed end, or a send toward a
// closed end, fail with an error matching zsock.ErrClosed; a receive from
// an end whose peer closed first returns what is still queued.
//
// An end is meant to be used by one goroutine at a time, like a socket,
// but concurrent use is safe. The zero Pipe is closed.
type Pipe struct {
	in   *queue          // messages arriving at this end
	out  *queue          // messages leaving this end
	ctx  context.Context // bounds blocking calls made without a context
	name string          // the actor's name, for errors
}

// newPipe returns the two ends of a pipe whose directions each hold hwm
// messages. Blocking calls on the child's end are bounded by childCtx.
func newPipe(name string, hwm int, childCtx context.Context) (parent, child *Pipe) {
	down, up := newQueue(hwm), newQueue(hwm)
	parent = &Pipe{in: up, out: down, ctx: context.Background(), name: name}
	child = &Pipe{in: down, out: up, ctx: childCtx, name: name}
	return parent, child
}

// close closes this end: messages still queued for it are dropped, sends
// toward it fail at once, and the peer receives what is queued for it
// (then last, when not nil, even at the high-water mark) before its
// receives fail. It is idempotent.
func (p *Pipe) close(last *zmsg.Msg) {
	p.out.closeSend(last)
	p.in.closeRecv()
}

// usable reports whether p is a real pipe end rather than nil or a zero
// Pipe.
func (p *Pipe) usable() bool {
	return p != nil && p.in != nil && p.out != nil
}

// label is the actor name used in errors.
func (p *Pipe) label() string {
	if p == nil || p.name == "" {
		return "pipe"
	}
	return p.name
}

// fail turns a queue status into an error for operation op.
func (p *Pipe) fail(op string, st status, ctx context.Context) error {
	switch st {
	case success:
		return nil
	case ownClosed:
		return closedErr(p.label(), op, "pipe end closed")
	case peerClosed:
		return closedErr(p.label(), op, "other end closed")
	case wouldBlock:
		return pipeErr(p.label(), op, zsock.ErrWouldBlock)
	default:
		return ctxErr(p.label(), op, ctx)
	}
}

// orDefault returns ctx, or the end's own context when ctx is nil.
func (p *Pipe) orDefault(ctx context.Context) context.Context {
	if ctx == nil {
		return p.ctxOf()
	}
	return ctx
}

func (p *Pipe) send(ctx context.Context, op string, m *zmsg.Msg, mode sendMode) error {
	if !p.usable() {
		return closedErr(p.label(), op, "pipe end closed")
	}
	if m.Len() == 0 {
		return pipeErr(p.label(), op, zmsg.ErrEmpty)
	}
	return p.fail(op, p.out.push(ctx, m, mode), ctx)
}

func (p *Pipe) recv(ctx context.Context, op string, wait bool) (*zmsg.Msg, error) {
	if !p.usable() {
		return nil, closedErr(p.label(), op, "pipe end closed")
	}
	m, st := p.in.pop(ctx, wait)
	return m, p.fail(op, st, ctx)
}

// SendMsg sends m to the other end, waiting while the other end's queue
// is at the high-water mark. On success m belongs to the receiver. A nil
// or empty message is an error matching zmsg.ErrEmpty.
func (p *Pipe) SendMsg(m *zmsg.Msg) error {
	return p.send(p.ctxOf(), "send", m, sendWait)
}

// SendMsgContext is SendMsg bounded by ctx: when ctx ends first it returns
// an error wrapping ctx.Err() and m is not sent.
func (p *Pipe) SendMsgContext(ctx context.Context, m *zmsg.Msg) error {
	return p.send(p.orDefault(ctx), "send", m, sendWait)
}

// TrySendMsg sends m if the other end's queue has room and returns an
// error matching zsock.ErrWouldBlock otherwise.
func (p *Pipe) TrySendMsg(m *zmsg.Msg) error {
	return p.send(context.Background(), "send", m, sendTry)
}

// RecvMsg receives the next message, waiting until one arrives. After the
// other end closed it returns the messages still queued, then an error
// matching zsock.ErrClosed.
func (p *Pipe) RecvMsg() (*zmsg.Msg, error) {
	return p.recv(p.ctxOf(), "recv", true)
}

// RecvMsgContext is RecvMsg bounded by ctx: when ctx ends first it returns
// an error wrapping ctx.Err().
func (p *Pipe) RecvMsgContext(ctx context.Context) (*zmsg.Msg, error) {
	return p.recv(p.orDefault(ctx), "recv", true)
}

// TryRecvMsg receives a message if one is queued and returns an error
// matching zsock.ErrWouldBlock otherwise (or zsock.ErrClosed once the
// other end closed and nothing is left).
func (p *Pipe) TryRecvMsg() (*zmsg.Msg, error) {
	return p.recv(context.Background(), "recv", false)
}

// ctxOf returns the context bounding calls made without one.
func (p *Pipe) ctxOf() context.Context {
	if p == nil || p.ctx == nil {
		return context.Background()
	}
	return p.ctx
}

// SendString sends a one-frame message holding s (zstr_send).
func (p *Pipe) SendString(s string) error {
	return p.SendMsg(zmsg.FromStrings(s))
}

// SendStrings sends the strings as one message, one frame each
// (zstr_sendx). At least one string is needed.
func (p *Pipe) SendStrings(parts ...string) error {
	return p.SendMsg(zmsg.FromStrings(parts...))
}

// RecvString receives a message and returns its first frame as a string
// (zstr_recv). The pipe moves whole messages, so any further frames are
// discarded rather than left for the next call; use RecvStrings or RecvMsg
// for multi-frame messages.
func (p *Pipe) RecvString() (string, error) {
	return p.RecvStringContext(p.ctxOf())
}

// RecvStringContext is RecvString bounded by ctx.
func (p *Pipe) RecvStringContext(ctx context.Context) (string, error) {
	m, err := p.RecvMsgContext(ctx)
	if err != nil {
		return "", err
	}
	f, _ := m.First()
	return f.Text(), nil
}

// RecvStrings receives a message and returns its frames as strings
// (zstr_recvx).
func (p *Pipe) RecvStrings() ([]string, error) {
	m, err := p.RecvMsg()
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, m.Len())
	for _, f := range m.Frames() {
		out = append(out, f.Text())
	}
	return out, nil
}

// SendPicture builds a message from a text picture and sends it
// (zsock_send); see zmsg.Pack for the letters and argument types. Actor
// commands are usually sent this way: p.SendPicture("si", "CONFIGURE", 5).
func (p *Pipe) SendPicture(picture string, args ...any) error {
	m, err := zmsg.Pack(picture, args...)
	if err != nil {
		return pipeErr(p.label(), fmt.Sprintf("send picture %q", picture), err)
	}
	return p.SendMsg(m)
}

// RecvPicture receives a message and unpacks it by text picture
// (zsock_recv); see zmsg.Msg.Unpack for the letters and pointer types. A
// signal gives an error matching zsock.ErrSignal, and a message that does
// not fit the picture one matching zmsg.ErrMismatch. Either way the
// message is consumed.
func (p *Pipe) RecvPicture(picture string, ptrs ...any) error {
	return p.RecvPictureContext(p.ctxOf(), picture, ptrs...)
}

// RecvPictureContext is RecvPicture bounded by ctx.
func (p *Pipe) RecvPictureContext(ctx context.Context, picture string, ptrs ...any) error {
	m, err := p.RecvMsgContext(ctx)
	if err != nil {
		return err
	}
	op := fmt.Sprintf("recv picture %q", picture)
	if zmsg.IsSignal(m) {
		return pipeErr(p.label(), op, zsock.ErrSignal)
	}
	if err := m.Unpack(picture, ptrs...); err != nil {
		return pipeErr(p.label(), op, err)
	}
	return nil
}

// BSend sends a binary picture message (zsock_bsend); see zmsg.BPack.
func (p *Pipe) BSend(picture string, args ...any) error {
	m, err := zmsg.BPack(picture, args...)
	if err != nil {
		return pipeErr(p.label(), fmt.Sprintf("bsend picture %q", picture), err)
	}
	return p.SendMsg(m)
}

// BRecv receives a message and unpacks its binary picture (zsock_brecv);
// see zmsg.Msg.BUnpack.
func (p *Pipe) BRecv(picture string, ptrs ...any) error {
	m, err := p.RecvMsg()
	if err != nil {
		return err
	}
	if err := m.BUnpack(picture, ptrs...); err != nil {
		return pipeErr(p.label(), fmt.Sprintf("brecv picture %q", picture), err)
	}
	return nil
}

// Signal sends a signal message carrying status (zsock_signal). An actor
// calls Signal(0) once it is ready, which lets New return.
func (p *Pipe) Signal(status uint8) error {
	return p.SendMsg(zmsg.NewSignal(status))
}

// WaitSignal receives until a signal arrives, discarding other messages,
// and returns the signal's status (zsock_wait). A nil ctx means the end's
// default, as for RecvMsg.
func (p *Pipe) WaitSignal(ctx context.Context) (uint8, error) {
	for {
		m, err := p.RecvMsgContext(ctx)
		if err != nil {
			return 0, err
		}
		if st, ok := m.Signal(); ok {
			return st, nil
		}
	}
}

// Watch arranges for notify to be called whenever this end may have
// become readable: when a message arrives while its queue was empty, when
// the other end closes, and when this end closes. When the end is already
// readable, notify is also called once before Watch returns. Several
// watches may be active at once. It fails with an error matching
// zsock.ErrClosed when this end is closed.
//
// notify may be called from any goroutine, possibly while the pipe's
// internal lock is held, and possibly concurrently with the caller's own
// code; it must return quickly, must not block, and must not call any
// method of the pipe or the returned stop function (typically it does a
// non-blocking send on a channel). It is called for transitions, not for
// every message: after a notification, receive until TryRecvMsg reports
// zsock.ErrWouldBlock or Readable reports false.
//
// stop removes the watch. It is idempotent and safe to call from any
// goroutine except from within notify; once it returns, notify is not
// called again by that watch.
func (p *Pipe) Watch(notify func()) (stop func(), err error) {
	const op = "watch"
	if !p.usable() {
		return nil, closedErr(p.label(), op, "pipe end closed")
	}
	if notify == nil {
		return nil, pipeErr(p.label(), op, fmt.Errorf("%w: nil notify function", ErrOption))
	}
	stop, st := p.in.watch(notify)
	if st != success {
		return nil, p.fail(op, st, nil)
	}
	return stop, nil
}

// Readable reports whether RecvMsg would return a message at once: true
// when one is queued. When nothing is queued and the other end has
// closed, or this end is closed, it returns false and an error matching
// zsock.ErrClosed.
func (p *Pipe) Readable() (bool, error) {
	const op = "readable"
	if !p.usable() {
		return false, closedErr(p.label(), op, "pipe end closed")
	}
	ok, st := p.in.ready()
	return ok, p.fail(op, st, nil)
}
