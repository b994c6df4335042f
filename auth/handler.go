package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// counters hold Stats, field for field; they are written by the
// handler's goroutine and read from anywhere.
type counters struct {
	requests, accepted, temporary, denied, internal atomic.Uint64
	malformed, unanswered, overloaded, timedOut     atomic.Uint64
	eventsDropped                                   atomic.Uint64
	pending                                         atomic.Int64
}

// handler is the state of the authenticator's actor. The fields below
// loop are owned by the actor's goroutine, which runs the loop; worker
// goroutines touch only their job's copy of a request and talk back
// through loop.Post.
type handler struct {
	zctx       *zsock.Context // where the ZAP socket lives; nil for the default
	loop       *loop.Loop     // the actor's reactor
	log        *slog.Logger   // never nil
	events     chan<- Event   // decisions, sent without blocking; may be nil
	workers    int            // Checker calls running at once, at most
	maxPending int            // requests waiting for a Checker, at most
	timeout    time.Duration  // decision deadline for Checker requests
	stats      *counters

	sock    *zsock.Socket      // the ZAP socket (ROUTER at Endpoint)
	pipe    *actor.Pipe        // the actor's end of the pipe
	verbose bool               // log every request and decision at Info
	dflt    *rules             // policy of domains without their own
	domains map[string]*rules  // per-domain policies
	queue   []*job             // Checker requests waiting for a worker, oldest first
	jobs    map[*job]struct{}  // Checker requests not yet answered
	running int                // worker goroutines running
	wctx    context.Context    // bounds Checker calls; cancelled at shutdown
	wcancel context.CancelFunc // cancels wctx
	wg      sync.WaitGroup     // worker goroutines
}

// job is one request handed to a Checker.
type job struct {
	env      [][]byte     // routing envelope to reply through
	req      *Request     // the request; the worker gets a copy
	proposed Decision     // what the built-in rules decided
	checker  Checker      // the policy's checker when the request arrived
	arrived  time.Time    // when the request arrived
	ticket   *loop.Ticket // fires at the decision deadline
	started  bool         // handed to a worker
	replied  bool         // answered (by the checker, a timeout or shutdown)
}

// run is the actor's body: it binds the ZAP socket, serves requests and
// commands until $TERM or cancellation, then answers what is pending,
// waits for the workers and closes the socket.
func (h *handler) run(ctx context.Context, pipe *actor.Pipe) error {
	sock, err := bindZAP(h.zctx, h.log)
	if err != nil {
		_ = h.loop.Close()
		return err
	}
	h.sock, h.pipe = sock, pipe
	h.wctx, h.wcancel = context.WithCancel(ctx)
	defer h.shutdown()

	if err := h.loop.SetTicketDelay(h.timeout); err != nil {
		return err
	}
	if _, err := h.loop.OnMessage(sock, h.onRequest, loop.OnError(func(err error) error {
		return fmt.Errorf("auth: ZAP socket: %w", err)
	})); err != nil {
		return err
	}
	if _, err := h.loop.OnMessage(pipe, h.onCommand, loop.OnError(func(error) error {
		return loop.ErrStop // the parent's end closed
	})); err != nil {
		return err
	}
	if err := pipe.Signal(0); err != nil {
		return err
	}
	return h.loop.Run(ctx)
}

// bindZAP creates the ZAP socket and binds it at Endpoint.
func bindZAP(zctx *zsock.Context, log *slog.Logger) (*zsock.Socket, error) {
	opts := []zsock.Option{zsock.WithLogger(log)}
	if zctx != nil {
		opts = append(opts, zsock.WithContext(zctx))
	}
	sock, err := zsock.New(zsock.Router, opts...)
	if err != nil {
		return nil, fmt.Errorf("auth: ZAP socket: %w", err)
	}
	if _, err := sock.Bind(Endpoint); err != nil {
		_ = sock.Close()
		if errors.Is(err, zsock.ErrAddrInUse) {
			return nil, fmt.Errorf("%w (%s): %w", ErrAlreadyBound, Endpoint, err)
		}
		return nil, fmt.Errorf("auth: bind %s: %w", Endpoint, err)
	}
	return sock, nil
}

// shutdown answers the requests still waiting for a Checker with
// StatusTemporary (the clients may retry with another handler), stops the
// workers, waits for them and releases the loop and the socket.
func (h *handler) shutdown() {
	pending := make([]*job, 0, len(h.jobs))
	for j := range h.jobs {
		pending = append(pending, j)
	}
	slices.SortFunc(pending, func(a, b *job) int { return a.arrived.Compare(b.arrived) })
	for _, j := range pending {
		h.answer(j, Decision{Status: StatusTemporary, Text: "authenticator closing"}, false)
	}
	h.wcancel()
	h.wg.Wait()
	_ = h.loop.Close()
	// Unbinding frees the endpoint at once; Close alone frees it only
	// when libzmq's reaper gets to the socket, and a new handler could
	// find it still taken.
	if err := h.sock.Unbind(Endpoint); err != nil {
		h.log.Warn("auth: unbinding the ZAP socket", "err", err)
	}
	if err := h.sock.Close(); err != nil {
		h.log.Warn("auth: closing the ZAP socket", "err", err)
	}
}

// onCommand handles a message on the pipe: a command, answered with a
// signal (0: done, 1: failed), or $TERM.
func (h *handler) onCommand(m *zmsg.Msg) error {
	if zmsg.IsSignal(m) {
		return nil
	}
	parts := make([]string, 0, m.Len())
	for _, f := range m.Frames() {
		parts = append(parts, f.Text())
	}
	if len(parts) > 0 && parts[0] == actor.Term {
		return loop.ErrStop
	}
	var status uint8
	if err := h.command(parts); err != nil {
		status = 1
		h.log.Warn("auth: command failed", "command", parts[0], "err", err)
	}
	// Never wait here: a parent that does not read its acknowledgements
	// must not stall authentication.
	if err := h.pipe.TrySendMsg(zmsg.NewSignal(status)); err != nil {
		h.log.Warn("auth: command acknowledgement dropped", "command", parts[0], "err", err)
	}
	return nil
}

// onRequest handles one message on the ZAP socket.
func (h *handler) onRequest(m *zmsg.Msg) error {
	arrived := time.Now()
	h.stats.requests.Add(1)
	frames := m.Frames()
	// ROUTER puts the peer's routing id first; a REQ peer (libzmq's ZAP
	// client is one) adds an empty delimiter, which the reply repeats. An
	// empty frame can never be the version, so it is always a delimiter.
	n := 1
	if len(frames) > 1 && frames[1].Size() == 0 {
		n = 2
	}
	n = min(n, len(frames))
	env := make([][]byte, n)
	for i := range n {
		env[i] = frames[i].Data()
	}
	body := make([][]byte, len(frames)-n)
	for i := range body {
		body[i] = frames[n+i].Data()
	}
	req, err := parseRequest(body)
	if err != nil {
		h.malformed(env, body, err.(*requestError), arrived)
		return nil
	}
	r := h.rulesOf(req.Domain)
	v := r.decide(req, h.log)
	if r.checker == nil || v.addressRefused {
		h.reply(env, req, v.Decision, arrived, false, false)
		return nil
	}
	h.enqueue(&job{env: env, req: req, proposed: v.Decision, checker: r.checker, arrived: arrived})
	return nil
}

// malformed answers (or drops) a request that does not follow RFC 27.
func (h *handler) malformed(env, body [][]byte, e *requestError, arrived time.Time) {
	h.stats.malformed.Add(1)
	if !e.replyable() {
		h.stats.unanswered.Add(1)
		h.log.Warn("auth: malformed ZAP request dropped: nothing to answer", "reason", e.reason)
		return
	}
	h.log.Warn("auth: malformed ZAP request", "reason", e.reason, "status", int(e.status))
	req := &Request{ID: e.id}
	// Fill in what can be read, for the event.
	if len(body) > 5 {
		req.Domain, req.Address, req.Identity = string(body[2]), string(body[3]), body[4]
		req.Mechanism = clip(body[5])
	}
	h.reply(env, req, Decision{Status: e.status, Text: "malformed request: " + e.reason}, arrived, false, true)
}

// enqueue queues a request for a Checker, or answers StatusTemporary when
// too many are already waiting.
func (h *handler) enqueue(j *job) {
	if len(h.jobs) >= h.maxPending {
		h.stats.overloaded.Add(1)
		h.reply(j.env, j.req, Decision{Status: StatusTemporary, Text: "too many requests waiting for the checker"}, j.arrived, false, false)
		return
	}
	tk, err := h.loop.Ticket(func() error { h.expire(j); return nil })
	if err != nil {
		h.reply(j.env, j.req, Decision{Status: StatusInternal, Text: "cannot schedule the check"}, j.arrived, false, false)
		return
	}
	j.ticket = tk
	h.jobs[j] = struct{}{}
	h.stats.pending.Store(int64(len(h.jobs)))
	h.queue = append(h.queue, j)
	h.startWorkers()
}

// startWorkers hands queued requests to new worker goroutines while fewer
// than h.workers run.
func (h *handler) startWorkers() {
	for h.running < h.workers && len(h.queue) > 0 {
		j := h.queue[0]
		h.queue[0] = nil
		h.queue = h.queue[1:]
		if len(h.queue) == 0 {
			h.queue = h.queue[:0:0]
		}
		j.started = true
		h.running++
		h.wg.Add(1)
		go h.work(j, cloneRequest(j.req))
	}
}

// work runs on a worker goroutine: it calls the Checker and posts the
// decision back to the handler's goroutine.
func (h *handler) work(j *job, req *Request) {
	defer h.wg.Done()
	ctx, cancel := context.WithDeadline(h.wctx, j.arrived.Add(h.timeout))
	d, panicked := callChecker(ctx, j.checker, req, j.proposed)
	cancel()
	// After shutdown began the post is never run, or refused: nothing
	// remains to answer then.
	_ = h.loop.Post(func() { h.finish(j, d, panicked) })
}

// callChecker calls c, turning a panic into an error.
func callChecker(ctx context.Context, c Checker, req *Request, proposed Decision) (d Decision, panicked error) {
	defer func() {
		if v := recover(); v != nil {
			panicked = fmt.Errorf("panic: %v\n%s", v, debug.Stack())
		}
	}()
	return c.Check(ctx, req, proposed), nil
}

// finish answers a request with its Checker's decision, unless it was
// answered already, and starts the next queued request.
func (h *handler) finish(j *job, d Decision, panicked error) {
	h.running--
	if !j.replied && !time.Now().Before(j.arrived.Add(h.timeout)) {
		// Too late, even if the ticket has not fired yet.
		h.expire(j)
	}
	switch {
	case j.replied:
	case panicked != nil:
		h.log.Error("auth: checker panicked", "err", panicked)
		h.answer(j, Decision{Status: StatusInternal, Text: "checker failed"}, true)
	case !d.Status.Valid():
		h.log.Error("auth: checker returned an invalid status", "status", int(d.Status))
		h.answer(j, Decision{Status: StatusInternal, Text: fmt.Sprintf("checker returned invalid status %d", int(d.Status))}, true)
	default:
		h.answer(j, d, true)
	}
	h.startWorkers()
}

// expire answers a request whose Checker missed the deadline. A running
// Checker keeps its worker until it returns; its decision is then dropped.
func (h *handler) expire(j *job) {
	if j.replied {
		return
	}
	h.stats.timedOut.Add(1)
	h.log.Warn("auth: checker missed the decision deadline", "timeout", h.timeout, "domain", j.req.Domain, "address", j.req.Address)
	h.answer(j, Decision{Status: StatusTemporary, Text: "checker timed out"}, true)
}

// answer replies to a pending request and forgets it.
func (h *handler) answer(j *job, d Decision, checked bool) {
	j.replied = true
	if j.ticket != nil {
		j.ticket.Delete()
	}
	delete(h.jobs, j)
	if !j.started {
		if i := slices.Index(h.queue, j); i >= 0 {
			h.queue = slices.Delete(h.queue, i, i+1)
		}
	}
	h.stats.pending.Store(int64(len(h.jobs)))
	h.reply(j.env, j.req, d, j.arrived, checked, false)
}

// reply sends the ZAP reply for req and reports the decision.
func (h *handler) reply(env [][]byte, req *Request, d Decision, arrived time.Time, checked, malformed bool) {
	var meta []byte
	userID := ""
	if d.Status == StatusOK {
		userID = d.UserID
		var err error
		if meta, err = encodeMetadata(d.Metadata); err != nil {
			h.log.Error("auth: metadata cannot be sent", "err", err)
			d = Decision{Status: StatusInternal, Text: "invalid metadata"}
			userID, meta = "", nil
		}
	}
	text := d.text()
	frames := append(slices.Clip(env), replyFrames(req.ID, d.Status, text, userID, meta)...)
	// Count before sending, so that whoever sees the reply sees the count.
	switch d.Status {
	case StatusOK:
		h.stats.accepted.Add(1)
	case StatusTemporary:
		h.stats.temporary.Add(1)
	case StatusDenied:
		h.stats.denied.Add(1)
	default:
		h.stats.internal.Add(1)
	}
	if err := h.sock.SendMsg(zmsg.FromBytes(frames...)); err != nil {
		h.log.Warn("auth: sending a ZAP reply", "err", err)
	}
	now := time.Now()
	ev := Event{
		Time:      now,
		Elapsed:   now.Sub(arrived),
		Domain:    req.Domain,
		Address:   req.Address,
		Identity:  req.Identity,
		Mechanism: req.Mechanism,
		Client:    req.client(),
		UserID:    userID,
		Status:    d.Status,
		Text:      text,
		Checked:   checked,
		Malformed: malformed,
	}
	if h.verbose {
		h.log.Info("auth: decision", "domain", ev.Domain, "address", ev.Address, "mechanism", ev.Mechanism,
			"client", ev.Client, "status", int(ev.Status), "text", ev.Text, "user_id", ev.UserID, "checked", checked)
	}
	if h.events != nil {
		select {
		case h.events <- ev:
		default:
			h.stats.eventsDropped.Add(1)
		}
	}
}

// cloneRequest returns a deep copy of r for a Checker.
func cloneRequest(r *Request) *Request {
	c := *r
	c.ID = slices.Clone(r.ID)
	c.Identity = slices.Clone(r.Identity)
	c.ClientKey = slices.Clone(r.ClientKey)
	return &c
}
