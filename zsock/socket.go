package zsock

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	zmq "github.com/pebbe/zmq4"

	"github.com/zkit-go/zkit/zmsg"
)

// Socket is a ZeroMQ socket.
//
// A Socket belongs to ONE goroutine at a time. libzmq sockets are not
// thread-safe: two goroutines must never call methods of the same Socket
// concurrently, not even Close while another call is blocked. Hand a socket
// to another goroutine only with a happens-before edge (a channel send), and
// stop using it afterwards. To combine a socket with other event sources,
// use the loop package or the Context variants of the blocking methods.
//
// Blocking methods never hold an OS thread while they wait: they park the
// goroutine on the socket's ZMQ_FD through Go's network poller, so they can
// be bounded by a context.Context and thousands of sockets can wait at once.
type Socket struct {
	zs        *zmq.Socket       // the pebbe socket, for lifecycle and options
	handle    unsafe.Pointer    // libzmq socket handle, for the hot path
	ctx       *Context          // owning context
	typ       Type              // socket type
	log       *slog.Logger      // never nil
	msg       *cmsg             // C-allocated zmq_msg_t reused by every receive
	scratch   []byte            // receive buffer for frames up to scratchSize
	props     []string          // message properties fetched on receive
	cprops    *cnames           // the same names as C strings, nil when none
	lastProps map[string]string // properties given to the last frame that had any, reused while equal
	poll      *os.File          // dup of ZMQ_FD registered with Go's poller; nil until first wait
	sndTmo    time.Duration     // send timeout; negative means none
	rcvTmo    time.Duration     // receive timeout; negative means none
	endpoint  string            // last endpoint bound or connected by this API
	bound     []string          // every endpoint bound and not unbound, resolved
	closed    bool              // Close has run
	mandatory bool              // ZMQ_ROUTER_MANDATORY as last set
	wantSrc   bool              // received frames carry their source descriptor
	peeked    *zmsg.Msg         // message taken by Readable, handed out by the next receive
	peekPos   int               // frames of peeked already handed out by RecvFrame

	watchMu  sync.Mutex            // guards watchers, which stop may touch from any goroutine
	watchers map[*watcher]struct{} // running Watch goroutines, stopped by Close
	nwatch   atomic.Int32          // len(watchers), read without the lock
}

// New creates a socket of type t in the default context (or the one given
// with WithContext) and applies opts in order. It binds or connects nothing.
func New(t Type, opts ...Option) (*Socket, error) {
	return newSocket(t, "", false, opts)
}

func newSocket(t Type, endpoints string, attach bool, opts []Option) (*Socket, error) {
	var cfg config
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.ctx == nil {
		c, err := Default()
		if err != nil {
			return nil, err
		}
		cfg.ctx = c
	}
	if cfg.log == nil {
		cfg.log = cfg.ctx.log
	}
	if _, ok := typeNames[t]; !ok {
		return nil, fmt.Errorf("%w: socket type %d", ErrNotSupported, int(t))
	}
	zs, err := cfg.ctx.zctx.NewSocket(zmq.Type(t))
	if err != nil {
		err = wrapErr("zmq_socket", "", err)
		if errors.Is(err, zmq.ErrorContextClosed) || errors.Is(err, ErrTerminated) {
			return nil, fmt.Errorf("%w: context is shut down", ErrClosed)
		}
		return nil, err
	}
	// zsock closes sockets explicitly; a finalizer closing one from the
	// garbage collector's goroutine would break the single-owner rule.
	runtime.SetFinalizer(zs, nil)
	h, err := handleOf(zs)
	if err == nil && rawType(h) != int(t) {
		err = errLayout
	}
	if err != nil {
		_ = zs.Close()
		return nil, err
	}
	s := &Socket{zs: zs, handle: h, ctx: cfg.ctx, typ: t, log: cfg.log, sndTmo: -1, rcvTmo: -1}
	if err := cfg.ctx.register(s); err != nil {
		_ = zs.Close()
		return nil, err
	}
	s.msg = newCmsg()
	s.scratch = make([]byte, scratchSize)
	// CZMQ defaults: linger 0 so Close and context termination never wait
	// for undeliverable messages. HWMs stay at libzmq's 1000, as in CZMQ.
	if err := s.SetLinger(0); err != nil {
		_ = s.Close()
		return nil, err
	}
	for _, set := range cfg.sets {
		if err := set(s); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	if attach {
		if err := s.Attach(endpoints, t.Serverish()); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	return s, nil
}

// NewPub creates a PUB socket attached to endpoints (default action: bind).
func NewPub(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(Pub, endpoints, true, opts)
}

// NewSub creates a SUB socket attached to endpoints (default: connect).
// Subscribe with WithSubscribe; CZMQ's zsock_new_sub(e, "topic") is
// NewSub(e, WithSubscribe("topic")).
func NewSub(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(Sub, endpoints, true, opts)
}

// NewReq creates a REQ socket attached to endpoints (default: connect).
func NewReq(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(Req, endpoints, true, opts)
}

// NewRep creates a REP socket attached to endpoints (default: bind).
func NewRep(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(Rep, endpoints, true, opts)
}

// NewDealer creates a DEALER socket attached to endpoints (default: connect).
func NewDealer(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(Dealer, endpoints, true, opts)
}

// NewRouter creates a ROUTER socket attached to endpoints (default: bind).
func NewRouter(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(Router, endpoints, true, opts)
}

// NewPush creates a PUSH socket attached to endpoints (default: connect).
func NewPush(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(Push, endpoints, true, opts)
}

// NewPull creates a PULL socket attached to endpoints (default: bind).
func NewPull(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(Pull, endpoints, true, opts)
}

// NewXPub creates an XPUB socket attached to endpoints (default: bind).
func NewXPub(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(XPub, endpoints, true, opts)
}

// NewXSub creates an XSUB socket attached to endpoints (default: connect).
func NewXSub(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(XSub, endpoints, true, opts)
}

// NewPair creates a PAIR socket attached to endpoints (default: connect).
func NewPair(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(Pair, endpoints, true, opts)
}

// NewStream creates a STREAM socket (raw TCP) attached to endpoints
// (default: connect).
func NewStream(endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(Stream, endpoints, true, opts)
}

// NewSocket creates a socket of type t attached to endpoints with t's
// default action.
func NewSocket(t Type, endpoints string, opts ...Option) (*Socket, error) {
	return newSocket(t, endpoints, true, opts)
}

// Type returns the socket type.
func (s *Socket) Type() Type { return s.typ }

// Context returns the context the socket belongs to.
func (s *Socket) Context() *Context { return s.ctx }

// String describes the socket, e.g. "ROUTER tcp://127.0.0.1:5555".
func (s *Socket) String() string {
	if s.endpoint == "" {
		return s.typ.String()
	}
	return s.typ.String() + " " + s.endpoint
}

// Close closes the socket. Pending outgoing messages are kept for the
// socket's linger period (0 by default) by libzmq in the background; Close
// itself never waits. Close is idempotent: later calls return nil.
func (s *Socket) Close() error {
	if s == nil || s.closed {
		return nil
	}
	s.closed = true
	s.peeked = nil
	s.stopWatchers()
	var errs []error
	if s.poll != nil {
		errs = append(errs, s.poll.Close())
		s.poll = nil
	}
	if err := s.zs.Close(); err != nil {
		errs = append(errs, wrapErr("zmq_close", "", err))
	}
	freeCmsg(s.msg)
	s.msg = nil
	s.cprops.free()
	s.cprops = nil
	s.ctx.unregister(s)
	return errors.Join(errs...)
}

// Closed reports whether Close has been called.
func (s *Socket) Closed() bool { return s.closed }

// Bind binds to an endpoint. For tcp endpoints whose port is "*" or "!",
// optionally followed by "[first-last]", it takes the first free port
// (scanning upwards) or a random free port in the range (default
// 49152-65535), as CZMQ's zsock_bind does. It returns the port bound for
// tcp endpoints and 0 for other transports.
func (s *Socket) Bind(endpoint string) (int, error) {
	if s.closed {
		return 0, ErrClosed
	}
	ps, ok, err := parsePortSpec(endpoint)
	if err != nil {
		return 0, err
	}
	if !ok {
		if err := s.zs.Bind(endpoint); err != nil {
			return 0, wrapErr("bind", endpoint, err)
		}
		resolved := endpoint
		if strings.Contains(endpoint, "*") || (strings.HasPrefix(endpoint, "tcp://") && tcpPort(endpoint) == 0) {
			// libzmq chose the port or path: ask it which.
			last, err := s.zs.GetLastEndpoint()
			if err != nil {
				return 0, wrapErr("getsockopt ZMQ_LAST_ENDPOINT", "", err)
			}
			resolved = last
		}
		s.endpoint = resolved
		s.bound = append(s.bound, resolved)
		return tcpPort(resolved), nil
	}
	var lastErr error
	for _, port := range ps.candidates(rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(uintptr(s.handle))))) {
		ep := fmt.Sprintf("%s:%d", ps.prefix, port)
		err := s.zs.Bind(ep)
		if err == nil {
			s.endpoint = ep
			s.bound = append(s.bound, ep)
			return port, nil
		}
		lastErr = wrapErr("bind", ep, err)
		if !errors.Is(lastErr, ErrAddrInUse) && !errors.Is(lastErr, syscall.EACCES) {
			return 0, lastErr
		}
	}
	return 0, fmt.Errorf("zsock: bind %s: no free port in %d-%d: %w", endpoint, ps.first, ps.last, lastErr)
}

// Unbind stops listening on an endpoint bound earlier.
func (s *Socket) Unbind(endpoint string) error {
	if s.closed {
		return ErrClosed
	}
	if err := s.zs.Unbind(endpoint); err != nil {
		return wrapErr("unbind", endpoint, err)
	}
	for i, b := range s.bound {
		if b == endpoint {
			s.bound = append(s.bound[:i], s.bound[i+1:]...)
			break
		}
	}
	return nil
}

// Connect connects to an endpoint. Connection happens in the background;
// libzmq reconnects as needed.
func (s *Socket) Connect(endpoint string) error {
	if s.closed {
		return ErrClosed
	}
	if err := s.zs.Connect(endpoint); err != nil {
		return wrapErr("connect", endpoint, err)
	}
	s.endpoint = endpoint
	return nil
}

// Disconnect disconnects from an endpoint connected earlier.
func (s *Socket) Disconnect(endpoint string) error {
	if s.closed {
		return ErrClosed
	}
	return wrapErr("disconnect", endpoint, s.zs.Disconnect(endpoint))
}

// Attach binds and connects to a CZMQ endpoint list: comma-separated
// endpoints, each prefixed with '@' to bind or '>' to connect; without a
// prefix, serverish decides. It stops at the first failure.
func (s *Socket) Attach(endpoints string, serverish bool) error {
	acts, err := parseEndpoints(endpoints, serverish)
	if err != nil {
		return err
	}
	for _, a := range acts {
		if a.bind {
			if _, err := s.Bind(a.endpoint); err != nil {
				return err
			}
		} else if err := s.Connect(a.endpoint); err != nil {
			return err
		}
	}
	return nil
}

// Endpoint returns the last endpoint bound or connected through this API
// (after a "*" bind, the one with the chosen port), as zsock_endpoint does.
func (s *Socket) Endpoint() string { return s.endpoint }

// Bound returns every endpoint the socket is bound to through this API, in
// bind order, with the ports and paths libzmq or a "*" bind chose filled in.
func (s *Socket) Bound() []string { return append([]string(nil), s.bound...) }

// LastEndpoint returns libzmq's ZMQ_LAST_ENDPOINT: the last endpoint bound,
// with wildcards resolved.
func (s *Socket) LastEndpoint() (string, error) {
	if s.closed {
		return "", ErrClosed
	}
	v, err := s.zs.GetLastEndpoint()
	return v, wrapErr("getsockopt ZMQ_LAST_ENDPOINT", "", err)
}

// Events returns ZMQ_EVENTS: whether a message can be received (PollIn)
// or sent (PollOut) now without waiting.
func (s *Socket) Events() (Events, error) {
	if s.closed {
		return 0, ErrClosed
	}
	ev, err := rawEvents(s.handle)
	if err != nil {
		return 0, wrapErrno("getsockopt ZMQ_EVENTS", "", errnoOf(err))
	}
	if s.peeked != nil {
		ev |= evPollIn
	}
	return Events(ev), nil
}

// asErrno extracts the errno from an error returned by pebbe/zmq4.
func asErrno(err error) (syscall.Errno, bool) {
	var ze zmq.Errno
	if errors.As(err, &ze) {
		return syscall.Errno(ze), true
	}
	var se syscall.Errno
	if errors.As(err, &se) {
		return se, true
	}
	if errors.Is(err, zmq.ErrorSocketClosed) {
		return syscall.ENOTSOCK, true
	}
	return 0, false
}
