package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// Errors.
var (
	// ErrUnknownEvent is returned for an event name libzmq does not have.
	ErrUnknownEvent = errors.New("monitor: unknown event")
	// ErrOption reports an invalid option.
	ErrOption = errors.New("monitor: invalid option")
)

// Monitor watches one socket's events (CZMQ's zmonitor). It is an actor:
// the embedded Actor is the parent's end of its pipe, which takes
// zmonitor's commands (VERBOSE, LISTEN event..., START, $TERM) and, unless
// WithEvents is given, delivers each event as three string frames: the
// event's name, its value in decimal and the endpoint.
type Monitor struct {
	*actor.Actor
	sock     *zsock.Socket
	endpoint string
	stats    *stats
}

type options struct {
	kinds   Kind
	events  chan<- Event
	log     *slog.Logger
	verbose bool
}

// Option configures a Monitor.
type Option func(*options) error

// WithKinds delivers only the given kinds (a mask; default All).
func WithKinds(k Kind) Option {
	return func(o *options) error {
		if k == 0 || k&^All != 0 {
			return fmt.Errorf("%w: kinds 0x%x", ErrOption, uint32(k))
		}
		o.kinds = k
		return nil
	}
}

// WithEvents delivers events to ch as Event values instead of the pipe.
// The monitor never waits for ch: when it is full the event is dropped and
// counted (Dropped).
func WithEvents(ch chan<- Event) Option {
	return func(o *options) error {
		if ch == nil {
			return fmt.Errorf("%w: nil channel", ErrOption)
		}
		o.events = ch
		return nil
	}
}

// WithLogger sends the monitor's diagnostics to l (default: silent).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrOption)
		}
		o.log = l
		return nil
	}
}

// WithVerbose logs every event at Info level, as VERBOSE does.
func WithVerbose() Option {
	return func(o *options) error {
		o.verbose = true
		return nil
	}
}

// stats are counters shared with the actor.
type stats struct {
	delivered, dropped, malformed atomic.Uint64
}

// Delivered returns how many events were delivered.
func (m *Monitor) Delivered() uint64 { return m.stats.delivered.Load() }

// Dropped returns how many events a full channel or pipe made the monitor
// drop.
func (m *Monitor) Dropped() uint64 { return m.stats.dropped.Load() }

// New starts monitoring sock. Like every call on sock, New must be made by
// the goroutine that owns sock: it starts libzmq's monitor on it. The
// monitor then runs until Close, whatever becomes of ctx: libzmq blocks
// the socket's I/O if nobody reads its events, so call Close before
// closing the socket, or at the latest right after. Events
// are delivered from then on, filtered by WithKinds; CZMQ-style code that
// sends LISTEN and START first works as with zmonitor.
func New(ctx context.Context, sock *zsock.Socket, opts ...Option) (*Monitor, error) {
	o := options{kinds: All, log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if sock == nil {
		return nil, fmt.Errorf("%w: nil socket", ErrOption)
	}
	m := &Monitor{sock: sock, stats: &stats{}}
	// Unique per monitor without global state: the Monitor's address and
	// the time.
	m.endpoint = fmt.Sprintf("inproc://zkit-monitor-%p-%d", m, time.Now().UnixNano())
	if err := sock.Monitor(m.endpoint, uint32(All)); err != nil {
		return nil, err
	}
	// libzmq sends each event, MONITOR_STOPPED included, with a blocking
	// send on its side of the monitor pair, from the socket's I/O thread
	// or from the reaper when the socket is closed: if the actor stopped
	// reading first, those would block for ever. So the actor lives until
	// Close, which stops libzmq's side first, and not until ctx ends.
	a, err := actor.New(context.WithoutCancel(ctx), func(ctx context.Context, pipe *actor.Pipe) error {
		return run(ctx, pipe, sock.Context(), m.endpoint, o, m.stats)
	}, actor.WithName("monitor "+sock.String()))
	if err != nil {
		sock.Monitor("", 0)
		return nil, err
	}
	m.Actor = a
	return m, nil
}

// Close stops libzmq's monitor on the socket (which closes libzmq's
// monitor socket) and ends the actor. Like New it must be called by the
// socket's owner, unless the socket is already closed. It is idempotent.
func (m *Monitor) Close() error {
	var err error
	if !m.sock.Closed() {
		if serr := m.sock.Monitor("", 0); serr != nil && !errors.Is(serr, zsock.ErrClosed) {
			err = serr
		}
	}
	return errors.Join(err, m.Actor.Close())
}

// run is the actor: a loop over the pipe and a PAIR connected to
// libzmq's monitor socket.
func run(ctx context.Context, pipe *actor.Pipe, zctx *zsock.Context, endpoint string, o options, st *stats) error {
	pair, err := zsock.NewPair(">"+endpoint, zsock.WithContext(zctx))
	if err != nil {
		return err
	}
	defer pair.Close()
	l, err := loop.New(loop.WithLogger(o.log))
	if err != nil {
		return err
	}
	defer l.Close()
	kinds, listened := o.kinds, false
	terminating, stopped := false, false
	verbose := o.verbose
	if _, err := l.OnMessage(pair, func(msg *zmsg.Msg) error {
		ev, err := ParseEvent(msg)
		if err != nil {
			st.malformed.Add(1)
			o.log.Warn("monitor: event dropped", "err", err)
			return nil
		}
		if ev.Kind == MonitorStopped {
			// libzmq's last word: its side of the pair is closed.
			stopped = true
		}
		if ev.Kind&kinds == 0 {
			return stopIf(terminating && stopped)
		}
		if verbose {
			o.log.Info("monitor: event", "event", ev.String())
		}
		if o.events != nil {
			select {
			case o.events <- ev:
				st.delivered.Add(1)
			default:
				st.dropped.Add(1)
			}
			return stopIf(terminating && stopped)
		}
		out := zmsg.FromStrings(ev.Kind.String(), strconv.FormatUint(uint64(ev.Value), 10), ev.Endpoint)
		if err := pipe.TrySendMsg(out); err != nil {
			st.dropped.Add(1)
		} else {
			st.delivered.Add(1)
		}
		return stopIf(terminating && stopped)
	}); err != nil {
		return err
	}
	if _, err := l.OnMessage(pipe, func(msg *zmsg.Msg) error {
		cmd, _ := msg.PopString()
		switch cmd {
		case actor.Term:
			// libzmq sends every event with a blocking send, the last
			// (MONITOR_STOPPED) when monitoring stops or, if the socket
			// was closed first, from the reaper thread as it destroys the
			// socket. Reading must go on until then, or that thread
			// blocks for ever. If it never comes, the actor's grace
			// period ends the wait.
			terminating = true
			return stopIf(stopped)
		case "VERBOSE":
			verbose = true
		case "LISTEN":
			// The first LISTEN replaces the default of every event.
			if !listened {
				kinds, listened = 0, true
			}
			for msg.Len() > 0 {
				name, _ := msg.PopString()
				k, err := ParseKind(name)
				if err != nil {
					o.log.Warn("monitor: LISTEN", "err", err)
					continue
				}
				kinds |= k
			}
		case "START":
			return pipe.Signal(0)
		default:
			o.log.Warn("monitor: unknown command", "command", cmd)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := pipe.Signal(0); err != nil {
		return err
	}
	return l.Run(ctx)
}

// stopIf returns loop.ErrStop when cond holds.
func stopIf(cond bool) error {
	if cond {
		return loop.ErrStop
	}
	return nil
}
