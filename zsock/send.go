package zsock

import (
	"context"
	"fmt"
	"syscall"
	"unsafe"

	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zmsg"
)

func (s *Socket) send(ctx context.Context, data []byte, flags Flag) error {
	if s.closed {
		return ErrClosed
	}
	zf := flagDontWait
	if flags&More != 0 {
		zf |= flagSndMore
	}
	if flags&More == 0 {
		// Once per message: the last frame's send follows the others'.
		defer s.afterSend()
	}
	for {
		err := rawSend(s.handle, data, zf)
		if err == nil {
			return nil
		}
		if err != syscall.EAGAIN {
			return wrapErrno("send", "", errnoOf(err))
		}
		if flags&DontWait != 0 {
			return wrapErrno("send", "", syscall.EAGAIN)
		}
		if err := s.wait(ctx, evPollOut, s.sndTmo, "send"); err != nil {
			return err
		}
	}
}

// Send sends one frame. With More, further frames of the same message must
// follow; with DontWait it returns ErrWouldBlock instead of waiting at the
// high-water mark. Otherwise it waits up to the send timeout.
func (s *Socket) Send(data []byte, flags Flag) error {
	return s.send(context.Background(), data, flags)
}

// SendContext is Send bounded by ctx.
func (s *Socket) SendContext(ctx context.Context, data []byte, flags Flag) error {
	return s.send(ctx, data, flags)
}

// SendString sends one frame holding str (zstr_send, with flags).
func (s *Socket) SendString(str string, flags Flag) error {
	return s.send(context.Background(), unsafe.Slice(unsafe.StringData(str), len(str)), flags)
}

// SendFrame sends one frame (zframe_send). The frame's own More flag is
// ignored: pass More in flags, as with CZMQ's ZFRAME_MORE.
func (s *Socket) SendFrame(f zframe.Frame, flags Flag) error {
	return s.send(context.Background(), f.Data(), flags)
}

// SendMsg sends every frame of m as one message (zmsg_send). Delivery is
// atomic: a peer gets all frames or none. An empty message is an error.
func (s *Socket) SendMsg(m *zmsg.Msg) error {
	return s.SendMsgContext(context.Background(), m)
}

// SendMsgContext is SendMsg bounded by ctx. Once the first frame is
// accepted the rest follow without waiting, so a message is never cut.
func (s *Socket) SendMsgContext(ctx context.Context, m *zmsg.Msg) error {
	if m == nil || m.Len() == 0 {
		return fmt.Errorf("zsock: send: %w", zmsg.ErrEmpty)
	}
	frames := m.Frames()
	last := len(frames) - 1
	for i, f := range frames {
		var fl Flag
		if i < last {
			fl = More
		}
		if err := s.send(ctx, f.Data(), fl); err != nil {
			return err
		}
		if i == 0 {
			ctx = context.Background()
		}
	}
	return nil
}

// SendStrings sends the strings as one multipart message (zstr_sendx).
func (s *Socket) SendStrings(parts ...string) error {
	if len(parts) == 0 {
		return fmt.Errorf("zsock: send: %w", zmsg.ErrEmpty)
	}
	for i, p := range parts {
		var fl Flag
		if i < len(parts)-1 {
			fl = More
		}
		ctx := context.Background()
		if err := s.send(ctx, unsafe.Slice(unsafe.StringData(p), len(p)), fl); err != nil {
			return err
		}
	}
	return nil
}

// SendPicture builds a message from a picture and sends it (zsock_send);
// see zmsg.Pack for the letters and argument types.
func (s *Socket) SendPicture(picture string, args ...any) error {
	m, err := zmsg.Pack(picture, args...)
	if err != nil {
		return fmt.Errorf("zsock: send picture %q: %w", picture, err)
	}
	return s.SendMsg(m)
}

// BSend sends a binary picture message (zsock_bsend); see zmsg.BPack.
func (s *Socket) BSend(picture string, args ...any) error {
	m, err := zmsg.BPack(picture, args...)
	if err != nil {
		return fmt.Errorf("zsock: bsend picture %q: %w", picture, err)
	}
	return s.SendMsg(m)
}

// Signal sends a signal message carrying status (zsock_signal).
func (s *Socket) Signal(status uint8) error {
	return s.SendMsg(zmsg.NewSignal(status))
}
