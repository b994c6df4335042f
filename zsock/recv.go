package zsock

import (
	"context"
	"fmt"
	"math/bits"
	"syscall"

	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zmsg"
)

// recvOnce makes one non-blocking receive attempt. On EAGAIN it returns
// syscall.EAGAIN unwrapped. withProps fetches the configured properties;
// fd is the descriptor the frame came from, or -1.
func (s *Socket) recvOnce(withProps bool) (data []byte, more bool, props map[string]string, fd int, err error) {
	var names *cnames
	if withProps {
		names = s.cprops
	}
	n, more, open, gets, err := rawRecv(s.handle, s.msg, s.scratch, flagDontWait, names, s.wantSrc)
	if err != nil {
		return nil, false, nil, -1, err
	}
	fd = srcFD(s.msg)
	if names != nil {
		if gets {
			props = make(map[string]string, len(s.props))
			for i := range names.n {
				if v, ok := rawGets(s.msg, names.get(i)); ok {
					props[s.props[i]] = v
				}
			}
		} else {
			props = s.inlineProps(names.n)
		}
	}
	data = make([]byte, n)
	if open {
		rawTake(s.msg, data)
		if !gets && n <= maxScratchSize && n > len(s.scratch) {
			// This socket carries larger frames: grow the buffer so the
			// next ones take one cgo call instead of two.
			s.scratch = make([]byte, 1<<bits.Len(uint(n-1)))
		}
	} else {
		copy(data, s.scratch[:n])
	}
	return data, more, props, fd, nil
}

// inlineProps returns the n properties zk_recv copied out, or nil when
// none is present. Every frame of a connection carries the same values, so
// the map of the previous frame is handed out again when they are equal:
// maps given to frames are never modified.
func (s *Socket) inlineProps(n int) map[string]string {
	buf, lens := inlineView(s.msg, n)
	last := s.lastProps
	same, present, off := last != nil, 0, 0
	for i, l := range lens {
		if l < 0 {
			continue
		}
		present++
		v := buf[off : off+int(l)]
		off += int(l)
		if same {
			if old, had := last[s.props[i]]; !had || old != string(v) {
				same = false
			}
		}
	}
	switch {
	case present == 0:
		return nil
	case same && present == len(last):
		return last
	}
	props := make(map[string]string, present)
	off = 0
	for i, l := range lens {
		if l < 0 {
			continue
		}
		props[s.props[i]] = string(buf[off : off+int(l)])
		off += int(l)
	}
	s.lastProps = props
	return props
}

// recvFrame receives one frame, waiting as allowed by ctx, flags and the
// receive timeout.
func (s *Socket) recvFrame(ctx context.Context, flags Flag, withProps bool) (zframe.Frame, error) {
	if s.closed {
		return zframe.Frame{}, ErrClosed
	}
	if s.peeked != nil {
		f := s.peeked.Frames()[s.peekPos]
		s.peekPos++
		if s.peekPos == s.peeked.Len() {
			s.peeked, s.peekPos = nil, 0
		}
		return f, nil
	}
	for {
		data, more, props, fd, err := s.recvOnce(withProps)
		if err == nil {
			f := zframe.New(data).WithMore(more).WithSource(fd)
			if props != nil {
				f = f.WithProps(props)
			}
			return f, nil
		}
		if err != syscall.EAGAIN {
			return zframe.Frame{}, wrapErrno("recv", "", errnoOf(err))
		}
		if flags&DontWait != 0 {
			return zframe.Frame{}, wrapErrno("recv", "", syscall.EAGAIN)
		}
		if err := s.wait(ctx, evPollIn, s.rcvTmo, "recv"); err != nil {
			return zframe.Frame{}, err
		}
	}
}

// RecvFrame receives one frame (zframe_recv). More() tells whether further
// frames of the same message follow. With DontWait it returns ErrWouldBlock
// instead of waiting; otherwise it waits up to the receive timeout.
func (s *Socket) RecvFrame(flags Flag) (zframe.Frame, error) {
	return s.recvFrame(context.Background(), flags, true)
}

// RecvFrameContext is RecvFrame bounded by ctx.
func (s *Socket) RecvFrameContext(ctx context.Context) (zframe.Frame, error) {
	return s.recvFrame(ctx, 0, true)
}

// RecvMsg receives a whole multipart message (zmsg_recv), waiting up to the
// receive timeout.
func (s *Socket) RecvMsg() (*zmsg.Msg, error) {
	return s.RecvMsgContext(context.Background())
}

// TryRecvMsg receives a whole message if one is waiting, and returns
// ErrWouldBlock otherwise.
func (s *Socket) TryRecvMsg() (*zmsg.Msg, error) {
	return s.recvMsg(context.Background(), DontWait)
}

// RecvMsgContext is RecvMsg bounded by ctx.
func (s *Socket) RecvMsgContext(ctx context.Context) (*zmsg.Msg, error) {
	return s.recvMsg(ctx, 0)
}

func (s *Socket) recvMsg(ctx context.Context, flags Flag) (*zmsg.Msg, error) {
	if s.peeked != nil && s.peekPos == 0 && !s.closed {
		m := s.peeked
		s.peeked = nil
		return m, nil
	}
	f, err := s.recvFrame(ctx, flags, true)
	if err != nil {
		return nil, err
	}
	frames := []zframe.Frame{f}
	withProps := f // the first frame that has properties
	for f.More() {
		// libzmq delivers messages whole: the remaining frames are already
		// here, so this does not wait. Properties are fetched until one
		// frame has them: a ROUTER's routing-id frame may carry none.
		f, err = s.recvFrame(ctx, 0, !withProps.HasProps())
		if err != nil {
			return nil, err
		}
		if !withProps.HasProps() {
			withProps = f
		}
		frames = append(frames, f)
	}
	// Every frame of a message shares the connection's properties and
	// source; a ROUTER's routing-id frame does not always carry the latter.
	src := -1
	for _, f := range frames {
		if fd, ok := f.Source(); ok {
			src = fd
			break
		}
	}
	if withProps.HasProps() || src >= 0 {
		for i := range frames {
			if withProps.HasProps() && !frames[i].HasProps() {
				frames[i] = frames[i].WithPropsOf(withProps)
			}
			if _, ok := frames[i].Source(); !ok && src >= 0 {
				frames[i] = frames[i].WithSource(src)
			}
		}
	}
	return zmsg.New(frames...), nil
}

// RecvString receives one frame as a string (zstr_recv).
func (s *Socket) RecvString() (string, error) {
	f, err := s.recvFrame(context.Background(), 0, false)
	return string(f.Data()), err
}

// RecvStringContext is RecvString bounded by ctx.
func (s *Socket) RecvStringContext(ctx context.Context) (string, error) {
	f, err := s.recvFrame(ctx, 0, false)
	return string(f.Data()), err
}

// RecvStrings receives a whole message as strings, one per frame
// (zstr_recvx).
func (s *Socket) RecvStrings() ([]string, error) {
	m, err := s.RecvMsg()
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, m.Len())
	for _, f := range m.Frames() {
		out = append(out, string(f.Data()))
	}
	return out, nil
}

// RecvPicture receives a message and unpacks it by picture (zsock_recv);
// see zmsg.Msg.Unpack for the letters and pointer types. A signal message
// gives ErrSignal, as in CZMQ; a message that does not fit the picture
// gives an error matching zmsg.ErrMismatch.
func (s *Socket) RecvPicture(picture string, ptrs ...any) error {
	return s.RecvPictureContext(context.Background(), picture, ptrs...)
}

// RecvPictureContext is RecvPicture bounded by ctx.
func (s *Socket) RecvPictureContext(ctx context.Context, picture string, ptrs ...any) error {
	m, err := s.RecvMsgContext(ctx)
	if err != nil {
		return err
	}
	if zmsg.IsSignal(m) {
		return ErrSignal
	}
	if err := m.Unpack(picture, ptrs...); err != nil {
		return fmt.Errorf("zsock: recv picture %q: %w", picture, err)
	}
	return nil
}

// BRecv receives a message and unpacks its binary picture (zsock_brecv);
// see zmsg.Msg.BUnpack.
func (s *Socket) BRecv(picture string, ptrs ...any) error {
	m, err := s.RecvMsg()
	if err != nil {
		return err
	}
	if err := m.BUnpack(picture, ptrs...); err != nil {
		return fmt.Errorf("zsock: brecv picture %q: %w", picture, err)
	}
	return nil
}

// WaitSignal waits for a signal message (zsock_wait), discarding any other
// message, and returns its status.
func (s *Socket) WaitSignal(ctx context.Context) (uint8, error) {
	for {
		m, err := s.RecvMsgContext(ctx)
		if err != nil {
			return 0, err
		}
		if st, ok := m.Signal(); ok {
			return st, nil
		}
	}
}
