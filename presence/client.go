package presence

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"

	"github.com/zkit-go/zkit/heartbeat"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/monitor"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// Client is the peer side of presence, on a DEALER (or another socket
// that may send at any time). It says HEARTBEAT as soon as each
// connection is up and then every interval, says GOODBYE on Close, and
// reports Connected and Disconnected for each endpoint from the socket's
// monitor.
//
// A Client belongs to the goroutine that runs its loop and owns its
// socket: NewClient, Observe, Goodbye, Close and the Event callback run
// there. Endpoints and Connected are safe from any goroutine.
type Client struct {
	loop    *loop.Loop
	sock    *zsock.Socket
	cfg     config
	mon     *monitor.Monitor
	events  chan monitor.Event
	reader  *loop.Reader
	timer   loop.TimerID
	closed  bool
	pending []error

	mu    sync.Mutex
	links map[string]bool // endpoint -> connected
}

// NewClient starts presence on sock, whose events it watches through a
// monitor bound to ctx. Call it on the goroutine that owns sock and runs
// l, before Run or from a handler, and before connecting sock so that no
// connection is missed.
func NewClient(ctx context.Context, l *loop.Loop, sock *zsock.Socket, opts ...Option) (*Client, error) {
	if l == nil || sock == nil {
		return nil, fmt.Errorf("%w: nil loop or socket", ErrInvalid)
	}
	cfg, err := apply(opts)
	if err != nil {
		return nil, err
	}
	c := &Client{
		loop:   l,
		sock:   sock,
		cfg:    cfg,
		events: make(chan monitor.Event, cfg.queue),
		links:  make(map[string]bool),
	}
	c.mon, err = monitor.New(ctx, sock, monitor.WithKinds(monitor.HandshakeSucceeded|monitor.Disconnected),
		monitor.WithEvents(c.events), monitor.WithLogger(cfg.log))
	if err != nil {
		return nil, err
	}
	if c.reader, err = loop.Chan(l, c.events, c.onSocketEvent); err == nil {
		c.timer, err = l.Timer(cfg.interval, 0, func(loop.TimerID) error {
			c.send(heartbeat.Heartbeat)
			return nil
		})
	}
	if err != nil {
		if c.reader != nil {
			c.reader.Remove()
		}
		return nil, errors.Join(err, c.mon.Close())
	}
	return c, nil
}

// send sends a signal without waiting; a full or unconnected socket drops
// it, as a heartbeat is worth nothing late.
func (c *Client) send(sig heartbeat.Signal) error {
	err := c.sock.Send(sig.Bytes(), zsock.DontWait)
	if err != nil && !errors.Is(err, zsock.ErrWouldBlock) {
		c.cfg.log.Warn("presence: send", "signal", sig.String(), "err", err)
		return err
	}
	return nil
}

func (c *Client) onSocketEvent(ev monitor.Event, ok bool) error {
	if !ok || c.closed {
		return nil
	}
	c.mu.Lock()
	was := c.links[ev.Endpoint]
	up := ev.Kind == monitor.HandshakeSucceeded
	c.links[ev.Endpoint] = up
	c.mu.Unlock()
	if up {
		// Tell the server at once rather than at the next tick.
		c.send(heartbeat.Heartbeat)
	}
	if up == was {
		return nil
	}
	kind := Disconnected
	if up {
		kind = Connected
	}
	if c.cfg.onEvent != nil {
		return c.cfg.onEvent(Event{Kind: kind, Endpoint: ev.Endpoint, Time: ev.Time})
	}
	return nil
}

// Observe reports whether m is presence traffic from the server (a lone
// HEARTBEAT frame, such as a server's disconnect probe), which the
// application should ignore.
func (c *Client) Observe(m *zmsg.Msg) bool {
	return m.Len() == 1 && heartbeat.IsHeartbeatFrame(m.Frames()[0])
}

// Handler wraps fn for loop.OnMessage, keeping presence traffic from it.
func (c *Client) Handler(fn func(*zmsg.Msg) error) func(*zmsg.Msg) error {
	return func(m *zmsg.Msg) error {
		if c.Observe(m) {
			return nil
		}
		return fn(m)
	}
}

// Connected reports whether the connection to endpoint is up. It is safe
// from any goroutine.
func (c *Client) Connected(endpoint string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.links[endpoint]
}

// Endpoints returns every endpoint seen and whether it is connected now.
// It is safe from any goroutine.
func (c *Client) Endpoints() map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.links)
}

// Goodbye sends GOODBYE now, so that the server sees a clean leave.
func (c *Client) Goodbye() error {
	if c.closed {
		return ErrClosed
	}
	return c.send(heartbeat.Goodbye)
}

// Close sends GOODBYE, stops the heartbeat timer and the monitor. Close
// the socket afterwards, with a linger long enough for GOODBYE to leave
// (zsock's default linger is 0: set one with zsock.WithLinger). When the
// socket is already closed, Close sends nothing and the server sees the
// connection drop instead. Call Close on the goroutine that owns the
// socket; it is idempotent.
func (c *Client) Close() error {
	if c.closed {
		return nil
	}
	var err error
	if !c.sock.Closed() {
		err = c.Goodbye()
	}
	c.closed = true
	c.loop.TimerEnd(c.timer)
	c.reader.Remove()
	return errors.Join(err, c.mon.Close())
}
