package zsock

/*
#cgo pkg-config: libzmq
#include <zmq.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ZK_MAXPROPS 16
#define ZK_PROPBUF 1024

// zk_rx is one socket's receive state in C memory: the message being
// received, the descriptor it came from, and the values of the properties
// asked for (plen[i] is -1 for an absent property).
typedef struct {
	zmq_msg_t msg;
	int srcfd;
	int plen[ZK_MAXPROPS];
	char pbuf[ZK_PROPBUF];
} zk_rx;

// zk_recv receives one frame into rx->msg and, if wantfd, records its
// source descriptor. It copies the values of the nnames properties (at most
// ZK_MAXPROPS) into rx->pbuf, one after the other. When the frame fits in
// buf (cap bytes), it is copied out and the message closed, so the common
// case costs one call across the cgo boundary. The message stays open
// (OPEN) for zk_take when the frame is larger or the properties do not fit
// in pbuf; in that last case (GETS) they must be read with zk_gets before.
// Returns size*8 + GETS*4 + OPEN*2 + MORE, or -1 with errno set.
static long long zk_recv(void *sock, zk_rx *rx, void *buf, size_t cap,
                   int flags, char **names, int nnames, int wantfd) {
	zmq_msg_t *msg = &rx->msg;
	zmq_msg_init(msg);
	int rc = zmq_msg_recv(msg, sock, flags);
	if (rc < 0) {
		int e = errno;
		zmq_msg_close(msg);
		errno = e;
		return -1;
	}
	size_t n = zmq_msg_size(msg);
	int more = zmq_msg_more(msg);
	rx->srcfd = wantfd ? zmq_msg_get(msg, ZMQ_SRCFD) : -1;
	int gets = 0;
	size_t used = 0;
	for (int i = 0; i < nnames && !gets; i++) {
		if (i >= ZK_MAXPROPS) {
			gets = 1;
			break;
		}
		const char *v = zmq_msg_gets(msg, names[i]);
		if (v == NULL) {
			rx->plen[i] = -1;
			continue;
		}
		size_t l = strlen(v);
		if (used + l > ZK_PROPBUF) {
			gets = 1;
			break;
		}
		memcpy(rx->pbuf + used, v, l);
		rx->plen[i] = (int) l;
		used += l;
	}
	int open = gets || n > cap;
	if (!open) {
		if (n > 0)
			memcpy(buf, zmq_msg_data(msg), n);
		zmq_msg_close(msg);
	}
	return (long long) n * 8 + (gets ? 4 : 0) + (open ? 2 : 0) + (more ? 1 : 0);
}

// zk_take copies an open message into buf (large enough) and closes it.
static void zk_take(zk_rx *rx, void *buf) {
	size_t n = zmq_msg_size(&rx->msg);
	if (n > 0)
		memcpy(buf, zmq_msg_data(&rx->msg), n);
	zmq_msg_close(&rx->msg);
}

// zk_close closes an open message without reading it.
static void zk_close(zk_rx *rx) {
	zmq_msg_close(&rx->msg);
}

// zk_gets returns a property of the open message, or NULL.
static const char *zk_gets(zk_rx *rx, const char *name) {
	return zmq_msg_gets(&rx->msg, name);
}

// zk_send sends one frame from Go memory (copied by libzmq before return).
static int zk_send(void *sock, void *buf, size_t len, int flags) {
	return zmq_send(sock, buf, len, flags);
}

// zk_events reads ZMQ_EVENTS; returns -1 with errno set on failure.
static int zk_events(void *sock) {
	int ev = 0;
	size_t sz = sizeof ev;
	if (zmq_getsockopt(sock, ZMQ_EVENTS, &ev, &sz) != 0)
		return -1;
	return ev;
}

// zk_fd reads ZMQ_FD; returns -1 with errno set on failure.
static int zk_fd(void *sock) {
	int fd = -1;
	size_t sz = sizeof fd;
	if (zmq_getsockopt(sock, ZMQ_FD, &fd, &sz) != 0)
		return -1;
	return fd;
}

static int zk_poll(void *sock, short ev, long tmo) {
	zmq_pollitem_t it = { sock, 0, ev, 0 };
	return zmq_poll(&it, 1, tmo);
}

static int zk_type(void *sock) {
	int t = -1;
	size_t sz = sizeof t;
	if (zmq_getsockopt(sock, ZMQ_TYPE, &t, &sz) != 0)
		return -1;
	return t;
}
*/
import "C"

import (
	"errors"
	"reflect"
	"syscall"
	"unsafe"

	zmq "github.com/pebbe/zmq4"
)

// scratchSize is the initial per-socket receive buffer. Frames up to the
// buffer's size are received with a single cgo call and copied twice (into
// the buffer, then into their own slice); larger ones take a second call
// that copies once, straight into their slice. A socket that receives a
// larger frame grows its buffer to fit, up to maxScratchSize, past which
// the second copy costs more than the second call.
const (
	scratchSize    = 512
	maxScratchSize = 4096
)

// errLayout reports a pebbe/zmq4 whose Socket or Context no longer starts
// with the libzmq handle, which the receive fast path relies on.
var errLayout = errors.New("zsock: unsupported github.com/pebbe/zmq4 version (handle layout changed)")

// handleOf returns the libzmq handle that a pebbe value wraps. pebbe keeps it
// unexported as the first field; the field's name and type are checked by
// reflection before it is read, so a future pebbe with another layout gives
// errLayout instead of a bad pointer.
func handleOf(v any) (unsafe.Pointer, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, errLayout
	}
	t := rv.Elem().Type()
	if t.NumField() == 0 {
		return nil, errLayout
	}
	f := t.Field(0)
	if f.Offset != 0 || f.Type != reflect.TypeFor[unsafe.Pointer]() {
		return nil, errLayout
	}
	switch {
	case t == reflect.TypeFor[zmq.Socket]() && f.Name == "soc":
	case t == reflect.TypeFor[zmq.Context]() && f.Name == "ctx":
	default:
		return nil, errLayout
	}
	p := *(*unsafe.Pointer)(rv.UnsafePointer())
	if p == nil {
		return nil, errLayout
	}
	return p, nil
}

// cmsg is a socket's receive state in C memory (zk_rx), owned by one
// socket.
type cmsg = C.zk_rx

// maxInlineProps is how many properties zk_recv copies out in the same call.
const maxInlineProps = C.ZK_MAXPROPS

func newCmsg() *cmsg { return (*cmsg)(C.malloc(C.size_t(unsafe.Sizeof(C.zk_rx{})))) }

func freeCmsg(m *cmsg) { C.free(unsafe.Pointer(m)) }

// rawRecv receives one frame on handle h into m. It returns the size, the
// MORE flag, and errno on failure. The first len(names) properties' values
// are then in m (see inlineProps) unless gets is true: they did not fit,
// and must be read with rawGets while the message is open. When open is
// true the caller must finish with rawTake.
func rawRecv(h unsafe.Pointer, m *cmsg, scratch []byte, flags int, names *cnames, wantFD bool) (n int, more, open, gets bool, err error) {
	var np **C.char
	nn, wf := 0, C.int(0)
	if wantFD {
		wf = 1
	}
	if names != nil {
		np, nn = names.arr, names.n
	}
	for {
		rc, e := C.zk_recv(h, m, unsafe.Pointer(&scratch[0]), C.size_t(len(scratch)), C.int(flags), np, C.int(nn), wf)
		if rc >= 0 {
			return int(rc >> 3), rc&1 != 0, rc&2 != 0, rc&4 != 0, nil
		}
		if e == syscall.EINTR {
			continue
		}
		return 0, false, false, false, errnoOf(e)
	}
}

// srcFD returns the source descriptor of the frame last received into m,
// or -1.
func srcFD(m *cmsg) int { return int(m.srcfd) }

// inlineView returns the property values zk_recv copied into m, back to
// back, and the length of each of the first n (-1 when absent). Both alias
// C memory owned by the socket and are valid until its next receive.
func inlineView(m *cmsg, n int) (buf []byte, lens []int32) {
	buf = unsafe.Slice((*byte)(unsafe.Pointer(&m.pbuf[0])), len(m.pbuf))
	lens = unsafe.Slice((*int32)(unsafe.Pointer(&m.plen[0])), min(n, maxInlineProps))
	return buf, lens
}

// rawTake copies the open message m into dst and closes it.
func rawTake(m *cmsg, dst []byte) {
	if len(dst) == 0 {
		C.zk_close(m)
		return
	}
	C.zk_take(m, unsafe.Pointer(&dst[0]))
}

// rawGets reads property name from the open message m.
func rawGets(m *cmsg, name *C.char) (string, bool) {
	v := C.zk_gets(m, name)
	if v == nil {
		return "", false
	}
	return C.GoString(v), true
}

// cnames is a list of C strings in C memory, so that passing it to C
// costs no pointer checks.
type cnames struct {
	arr **C.char
	n   int
}

func newCNames(names []string) *cnames {
	if len(names) == 0 {
		return nil
	}
	c := &cnames{n: len(names)}
	c.arr = (**C.char)(C.malloc(C.size_t(len(names)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	for i, n := range names {
		*c.at(i) = C.CString(n)
	}
	return c
}

func (c *cnames) at(i int) **C.char {
	return (**C.char)(unsafe.Add(unsafe.Pointer(c.arr), uintptr(i)*unsafe.Sizeof((*C.char)(nil))))
}

// get returns name i.
func (c *cnames) get(i int) *C.char { return *c.at(i) }

// free releases the list; nil is allowed.
func (c *cnames) free() {
	if c == nil {
		return
	}
	for i := range c.n {
		C.free(unsafe.Pointer(*c.at(i)))
	}
	C.free(unsafe.Pointer(c.arr))
	c.arr, c.n = nil, 0
}

// rawSend sends one frame; data is copied by libzmq before it returns.
func rawSend(h unsafe.Pointer, data []byte, flags int) error {
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	for {
		rc, e := C.zk_send(h, p, C.size_t(len(data)), C.int(flags))
		if rc >= 0 {
			return nil
		}
		if e == syscall.EINTR {
			continue
		}
		return errnoOf(e)
	}
}

// rawEvents reads ZMQ_EVENTS, which also processes pending commands.
func rawEvents(h unsafe.Pointer) (int, error) {
	for {
		rc, e := C.zk_events(h)
		if rc >= 0 {
			return int(rc), nil
		}
		if e == syscall.EINTR {
			continue
		}
		return 0, errnoOf(e)
	}
}

func rawFd(h unsafe.Pointer) (int, error) {
	rc, e := C.zk_fd(h)
	if rc < 0 {
		return -1, errnoOf(e)
	}
	return int(rc), nil
}

func rawPoll(h unsafe.Pointer, ev int, ms int) int { return int(C.zk_poll(h, C.short(ev), C.long(ms))) }

func rawType(h unsafe.Pointer) int { return int(C.zk_type(h)) }

func ctxShutdown(h unsafe.Pointer) error {
	if C.zmq_ctx_shutdown(h) != 0 {
		return errnoOf(syscall.Errno(C.zmq_errno()))
	}
	return nil
}

func ctxSocketLimit(h unsafe.Pointer) int { return int(C.zmq_ctx_get(h, C.ZMQ_SOCKET_LIMIT)) }

func errnoOf(e error) syscall.Errno {
	var errno syscall.Errno
	if errors.As(e, &errno) {
		return errno
	}
	return syscall.EIO
}

const (
	flagDontWait = int(C.ZMQ_DONTWAIT)
	flagSndMore  = int(C.ZMQ_SNDMORE)
	evPollIn     = int(C.ZMQ_POLLIN)
	evPollOut    = int(C.ZMQ_POLLOUT)

	errnoETERM         = syscall.Errno(C.ETERM)
	errnoEFSM          = syscall.Errno(C.EFSM)
	errnoENOCOMPATPROT = syscall.Errno(C.ENOCOMPATPROTO)
	errnoEMTHREAD      = syscall.Errno(C.EMTHREAD)
)
