package presence

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/monitor"
	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// peer is one entry of a Server's table.
type peer struct {
	Peer
	fd   int          // source descriptor of its latest message, -1 unknown
	seen atomic.Int64 // LastSeen in Unix nanoseconds, read by Peers from any goroutine
}

// Stats counts what a Server has seen.
type Stats struct {
	Joins        uint64 // peers that joined
	Goodbyes     uint64 // leaves with SaidGoodbye
	Expired      uint64 // leaves with HeartbeatExpired
	Disconnected uint64 // leaves with ConnectionLost
	Probes       uint64 // probe messages sent after disconnections
	Heartbeats   uint64 // HEARTBEAT frames received
	MonitorDrops uint64 // socket events lost because the queue was full
}

// Server keeps the table of peers connected to a server socket.
//
// On a ROUTER it keys peers by routing id. A peer joins with its first
// message, whatever it is, and leaves when it sends GOODBYE, when nothing
// has come from it for interval times liveness, or when its connection
// closes (see WithProbe). The application passes every message it receives
// on the socket to Observe, which also tells it which ones were presence
// traffic (HEARTBEAT, GOODBYE) rather than requests.
//
// On other socket types (PUB, XPUB and the rest) it keys peers by the
// remote address of each accepted connection, from the socket's monitor:
// a connection joins when it is accepted and leaves, with ConnectionLost,
// when it closes. Configure ZMTP heartbeats (heartbeat.Wire) on such a
// socket so that dead peers are noticed.
//
// A Server belongs to the goroutine that runs its loop and owns its
// socket: NewServer, Observe, Close and the Event callback run there.
// Peers, Peer, Len and Stats are safe from any goroutine.
type Server struct {
	loop    *loop.Loop
	sock    *zsock.Socket
	cfg     config
	routing bool
	tracker *heartbeat.Tracker
	mon     *monitor.Monitor
	events  chan monitor.Event
	reader  *loop.Reader
	probe   *zmsg.Msg // reused [id, HEARTBEAT] message
	closed  bool

	byFD      map[int][]*peer // ROUTER: peers by the descriptor of their latest message
	conns     map[int]*peer   // other types: peers by descriptor of their connection
	seenDrops uint64          // monitor drops already answered with a full probe
	pending   []error         // errors of event callbacks, returned by the next handler

	mu    sync.Mutex       // guards peers writes (the owner reads without it) and stats
	peers map[string]*peer // every present peer by ID
	stats Stats
}

// NewServer starts tracking the peers of sock, whose events it watches
// through a monitor bound to ctx. Call it on the goroutine that owns sock
// and runs l, before Run or from a handler. On a ROUTER it makes the
// socket fetch the Peer-Address and User-Id properties (see
// zsock.Socket.SetProperties), in addition to those already asked for,
// and the descriptor each message came on (zsock.Socket.SetSourceFD), and
// turns on ZMQ_ROUTER_HANDOVER unless told otherwise (see WithHandover).
func NewServer(ctx context.Context, l *loop.Loop, sock *zsock.Socket, opts ...Option) (*Server, error) {
	if l == nil || sock == nil {
		return nil, fmt.Errorf("%w: nil loop or socket", ErrInvalid)
	}
	cfg, err := apply(opts)
	if err != nil {
		return nil, err
	}
	s := &Server{
		loop:    l,
		sock:    sock,
		cfg:     cfg,
		routing: sock.Type() == zsock.Router,
		events:  make(chan monitor.Event, cfg.queue),
		peers:   make(map[string]*peer),
		byFD:    make(map[int][]*peer),
		conns:   make(map[int]*peer),
		probe:   zmsg.New(zframe.Frame{}, heartbeat.Heartbeat.Frame()),
	}
	if s.routing {
		// The address and security identity of a joining peer come from
		// its message's properties.
		names := sock.Properties()
		for _, n := range []string{zframe.PropPeerAddress, zframe.PropUserID} {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		if err := sock.SetProperties(names...); err != nil {
			return nil, err
		}
		if err := sock.SetSourceFD(true); err != nil {
			return nil, err
		}
		if cfg.handover {
			if err := sock.SetRouterHandover(true); err != nil {
				return nil, err
			}
		}
	}
	kinds := monitor.Disconnected
	if !s.routing {
		kinds |= monitor.Accepted
	} else {
		s.tracker, err = heartbeat.NewTracker(l, cfg.interval, cfg.liveness, s.expired)
		if err != nil {
			return nil, err
		}
	}
	s.mon, err = monitor.New(ctx, sock, monitor.WithKinds(kinds), monitor.WithEvents(s.events), monitor.WithLogger(cfg.log))
	if err != nil {
		return nil, err
	}
	s.reader, err = loop.Chan(l, s.events, s.onSocketEvent)
	if err != nil {
		return nil, errors.Join(err, s.mon.Close())
	}
	return s, nil
}

// Observe records a message received on the server's socket: call it
// for every message, before anything else looks at it. It reports whether
// the message was presence traffic (HEARTBEAT or GOODBYE from a peer),
// which the application should not treat as a request. READY and every
// other message count as traffic and are the application's. Observe does
// nothing, and reports false, on sockets other than ROUTER.
//
// For a known peer Observe costs two map lookups and allocates nothing.
func (s *Server) Observe(m *zmsg.Msg) bool {
	if !s.routing || s.closed || m.Len() < 2 {
		return false
	}
	frames := m.Frames()
	idf, body := frames[0], frames[len(frames)-1]
	control := len(frames) == 2 && body.Size() == 1
	p := s.peers[string(idf.Data())]
	if p == nil {
		if control && heartbeat.IsGoodbye(body.Data()) {
			return true // a goodbye from a peer never seen: nothing to do
		}
		p = s.join(idf, body)
	} else if fd, ok := idf.Source(); ok && fd != p.fd {
		s.unindex(p)
		p.fd = fd
		s.index(p)
	}
	now := time.Now()
	p.seen.Store(now.UnixNano())
	s.tracker.BeatAt(p.ID, now)
	if !control {
		return false
	}
	switch {
	case heartbeat.IsHeartbeat(body.Data()):
		s.mu.Lock()
		s.stats.Heartbeats++
		s.mu.Unlock()
		return true
	case heartbeat.IsGoodbye(body.Data()):
		s.tracker.Forget(p.ID)
		s.leave(p, SaidGoodbye)
		return true
	}
	return false
}

// Handler wraps fn for loop.OnMessage: every message goes through
// Observe, and only those that are not presence traffic reach fn.
func (s *Server) Handler(fn func(*zmsg.Msg) error) func(*zmsg.Msg) error {
	return func(m *zmsg.Msg) error {
		control := s.Observe(m)
		if err := s.takeErr(); err != nil || control {
			return err
		}
		return fn(m)
	}
}

// join adds a peer seen for the first time and reports it.
func (s *Server) join(idf, body zframe.Frame) *peer {
	now := time.Now()
	p := &peer{Peer: Peer{ID: string(idf.Data()), Joined: now}, fd: -1}
	p.Address, _ = body.Meta(zframe.PropPeerAddress)
	p.UserID, _ = body.Meta(zframe.PropUserID)
	if fd, ok := idf.Source(); ok {
		p.fd = fd
	}
	s.add(p)
	return p
}

// add puts p in the table and reports its Join.
func (s *Server) add(p *peer) {
	p.seen.Store(p.Joined.UnixNano())
	s.mu.Lock()
	s.peers[p.ID] = p
	s.stats.Joins++
	s.mu.Unlock()
	s.index(p)
	s.emit(Event{Kind: Join, Peer: p.snapshot(), Time: p.Joined})
}

// leave removes p from the table and reports its Leave.
func (s *Server) leave(p *peer, why Reason) {
	s.mu.Lock()
	if s.peers[p.ID] != p {
		s.mu.Unlock()
		return
	}
	delete(s.peers, p.ID)
	switch why {
	case SaidGoodbye:
		s.stats.Goodbyes++
	case HeartbeatExpired:
		s.stats.Expired++
	case ConnectionLost:
		s.stats.Disconnected++
	}
	s.mu.Unlock()
	s.unindex(p)
	s.emit(Event{Kind: Leave, Peer: p.snapshot(), Reason: why, Time: time.Now()})
}

func (s *Server) index(p *peer) {
	if p.fd >= 0 && s.routing {
		s.byFD[p.fd] = append(s.byFD[p.fd], p)
	}
}

func (s *Server) unindex(p *peer) {
	if p.fd < 0 || !s.routing {
		return
	}
	list := slices.DeleteFunc(s.byFD[p.fd], func(q *peer) bool { return q == p })
	if len(list) == 0 {
		delete(s.byFD, p.fd)
	} else {
		s.byFD[p.fd] = list
	}
}

// emit hands ev to the application's callback. Its error is kept and
// returned by the handler that caused the event, which stops the loop.
func (s *Server) emit(ev Event) {
	if s.cfg.onEvent == nil {
		return
	}
	if err := s.cfg.onEvent(ev); err != nil {
		s.pending = append(s.pending, err)
	}
}

// expired is the tracker's callback: the peer was silent too long.
func (s *Server) expired(id string) error {
	if p := s.peers[id]; p != nil {
		s.leave(p, HeartbeatExpired)
	}
	return s.takeErr()
}

// onSocketEvent handles an event of the socket's monitor.
func (s *Server) onSocketEvent(ev monitor.Event, ok bool) error {
	if !ok || s.closed {
		return nil
	}
	fd := int(ev.Value)
	switch {
	case !s.routing && ev.Kind == monitor.Accepted:
		if old := s.conns[fd]; old != nil {
			// The close of the previous connection on this descriptor
			// was lost with a dropped event.
			delete(s.conns, fd)
			s.leave(old, ConnectionLost)
		}
		p := &peer{Peer: Peer{ID: remoteAddr(fd, ev.Endpoint), Joined: ev.Time}, fd: fd}
		if host, _, err := net.SplitHostPort(p.ID); err == nil {
			p.Address = host
		}
		s.conns[fd] = p
		s.add(p)
	case !s.routing && ev.Kind == monitor.Disconnected:
		if p := s.conns[fd]; p != nil {
			delete(s.conns, fd)
			s.leave(p, ConnectionLost)
		}
	case s.routing && ev.Kind == monitor.Disconnected && s.cfg.probe:
		s.probeAfterDisconnect(fd)
	}
	return s.takeErr()
}

// reprobe is the schedule of probes after a disconnection. libzmq closes
// the connection's pipe through several commands between the I/O thread
// and the socket, so right after the event the peer may still look
// reachable; it is probed again after each of these delays until it is
// not, or a message from it on another connection clears it. After the
// last, heartbeat expiry has the final word.
var reprobe = [...]time.Duration{
	0, time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond,
	20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond,
	500 * time.Millisecond,
}

// probeAfterDisconnect starts probing the peers whose latest message came
// on the closed descriptor fd (every peer when socket events were lost).
func (s *Server) probeAfterDisconnect(fd int) {
	var targets []*peer
	if drops := s.mon.Dropped(); drops != s.seenDrops {
		s.seenDrops = drops
		s.mu.Lock()
		s.stats.MonitorDrops = drops
		s.mu.Unlock()
		for _, p := range s.peers {
			targets = append(targets, p)
		}
		fd = -1
	} else {
		targets = slices.Clone(s.byFD[fd])
	}
	s.probeRound(targets, fd, 0)
}

// probeRound sends HEARTBEAT, with ZMQ_ROUTER_MANDATORY, to each target
// still present and still last heard on fd (any descriptor when fd is
// -1). An unreachable peer leaves with ConnectionLost; the others are
// probed again at the next step of the schedule.
func (s *Server) probeRound(targets []*peer, fd, step int) {
	targets = slices.DeleteFunc(targets, func(p *peer) bool {
		return s.peers[p.ID] != p || (fd >= 0 && p.fd != fd)
	})
	if len(targets) == 0 || s.closed {
		return
	}
	// Let the socket take in pending commands from its I/O thread, among
	// them the end of the closed connection's pipe.
	ev, err := s.sock.Events()
	if err != nil {
		s.cfg.log.Warn("presence: probe", "err", err)
		return
	}
	// Messages still waiting on the socket may hold a GOODBYE sent before
	// the connection closed: in the first rounds, an unreachable peer is
	// only removed once the loop has read them.
	unread := step < 2 && ev&zsock.PollIn != 0
	if !s.sock.RouterMandatory() {
		if err := s.sock.SetRouterMandatory(true); err != nil {
			s.cfg.log.Warn("presence: probe", "err", err)
			return
		}
		defer s.sock.SetRouterMandatory(false)
	}
	frames := s.probe.Frames()
	alive := targets[:0]
	for _, p := range targets {
		frames[0] = zframe.FromString(p.ID).WithMore(true)
		err := s.sock.SendMsg(zmsg.New(frames...))
		s.mu.Lock()
		s.stats.Probes++
		s.mu.Unlock()
		if errors.Is(err, zsock.ErrHostUnreachable) && !unread {
			s.tracker.Forget(p.ID)
			s.leave(p, ConnectionLost)
			continue
		}
		alive = append(alive, p)
	}
	if len(alive) == 0 || step+1 >= len(reprobe) {
		return
	}
	if _, err := s.loop.Timer(reprobe[step+1], 1, func(loop.TimerID) error {
		s.probeRound(alive, fd, step+1)
		return s.takeErr()
	}); err != nil {
		s.cfg.log.Warn("presence: probe", "err", err)
	}
}

// remoteAddr returns the remote address of descriptor fd, which libzmq
// has just accepted, or a name made of the endpoint and descriptor when
// the connection is already gone.
func remoteAddr(fd int, endpoint string) string {
	if sa, err := syscall.Getpeername(fd); err == nil {
		switch a := sa.(type) {
		case *syscall.SockaddrInet4:
			return net.JoinHostPort(net.IP(a.Addr[:]).String(), fmt.Sprint(a.Port))
		case *syscall.SockaddrInet6:
			return net.JoinHostPort(net.IP(a.Addr[:]).String(), fmt.Sprint(a.Port))
		}
	}
	return fmt.Sprintf("%s#%d", endpoint, fd)
}

// takeErr returns, and forgets, the errors of event callbacks.
func (s *Server) takeErr() error {
	if len(s.pending) == 0 {
		return nil
	}
	err := errors.Join(s.pending...)
	s.pending = nil
	return err
}

// Err returns, and forgets, the error the event callback returned during
// the last Observe. A handler that uses Observe directly returns it so
// that the loop stops; Handler does so itself.
func (s *Server) Err() error { return s.takeErr() }

func (p *peer) snapshot() Peer {
	out := p.Peer
	out.LastSeen = time.Unix(0, p.seen.Load())
	return out
}

// Peers returns the peers present now, ordered by join time and ID. It is
// safe from any goroutine.
func (s *Server) Peers() []Peer {
	s.mu.Lock()
	out := make([]Peer, 0, len(s.peers))
	for _, p := range s.peers {
		out = append(out, p.snapshot())
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Peer) int {
		return cmp.Or(a.Joined.Compare(b.Joined), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Peer returns the peer with the given ID, if present. It is safe from
// any goroutine.
func (s *Server) Peer(id string) (Peer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.peers[id]
	if p == nil {
		return Peer{}, false
	}
	return p.snapshot(), true
}

// Len returns how many peers are present. It is safe from any goroutine.
func (s *Server) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.peers)
}

// Stats returns the counters. It is safe from any goroutine.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Close stops tracking: it stops the socket's monitor and the heartbeat
// timer, and reports no Leave for the peers still present. Call it on the
// goroutine that owns the socket, before closing the socket. It is
// idempotent.
func (s *Server) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	s.reader.Remove()
	if s.tracker != nil {
		s.tracker.Close()
	}
	return s.mon.Close()
}
