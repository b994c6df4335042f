package actor

import (
	"context"
	"slices"
	"sync"

	"github.com/zkit-go/zkit/zmsg"
)

// status is the outcome of a queue operation; Pipe turns it into an error
// that names the operation and the actor.
type status uint8

const (
	success    status = iota // the operation succeeded
	ownClosed                // the calling end of the pipe is closed
	peerClosed               // the other end of the pipe is closed
	wouldBlock               // a non-blocking call could not proceed
	cancelled                // the context ended while waiting
)

// sendMode tells push how to treat the high-water mark.
type sendMode uint8

const (
	sendWait  sendMode = iota // wait for room at the high-water mark
	sendTry                   // fail with wouldBlock at the high-water mark
	sendForce                 // ignore the high-water mark
)

// minRing is the smallest ring allocated, and shrinkRing the ring size
// above which an emptied queue gives its ring back to the garbage
// collector, so a burst does not pin memory in an idle actor.
const (
	minRing    = 4
	shrinkRing = 64
)

// queue carries messages in one direction of a pipe, from a sending end
// to a receiving end. It is a growable ring guarded by a mutex. Goroutines
// that must wait park on a one-slot channel; whoever changes the state
// under the lock drops a token into that channel when a parked goroutine
// could now make progress, and a woken goroutine passes the token on when
// more could (see wake). No goroutine or timer belongs to a queue, so an
// idle pipe costs only its memory.
type queue struct {
	mu sync.Mutex // guards every field below

	ring []*zmsg.Msg // circular buffer; its length is 0 or a power of two
	head int         // index in ring of the oldest message
	n    int         // number of queued messages
	hwm  int         // messages allowed before senders wait; 0 = no limit

	recvClosed bool // the receiving end is closed: sends fail, queue dropped
	sendClosed bool // the sending end is closed: receivers drain, then fail

	recvWaiting int           // receivers parked on readable
	sendWaiting int           // senders parked on writable
	readable    chan struct{} // wakes parked receivers; made on first use
	writable    chan struct{} // wakes parked senders; made on first use

	watchers []watcher // called when the queue may have become readable
	nextID   uint64    // identity of the next watcher
}

// watcher is one registration made by Pipe.Watch.
type watcher struct {
	id     uint64 // identity used by stop
	notify func() // the caller's function
}

// newQueue returns an empty queue with high-water mark hwm.
func newQueue(hwm int) *queue {
	return &queue{hwm: hwm}
}

// fullLocked reports whether a blocking send must wait.
func (q *queue) fullLocked() bool {
	return q.hwm > 0 && q.n >= q.hwm
}

// pushLocked appends m, growing the ring when needed, and tells the
// watchers when the queue stops being empty.
func (q *queue) pushLocked(m *zmsg.Msg) {
	if q.n == len(q.ring) {
		size := max(minRing, 2*len(q.ring))
		ring := make([]*zmsg.Msg, size)
		for i := range q.n {
			ring[i] = q.ring[(q.head+i)&(len(q.ring)-1)]
		}
		q.ring, q.head = ring, 0
	}
	q.ring[(q.head+q.n)&(len(q.ring)-1)] = m
	q.n++
	if q.n == 1 {
		q.notifyLocked()
	}
}

// popLocked removes and returns the oldest message; the queue must not be
// empty.
func (q *queue) popLocked() *zmsg.Msg {
	m := q.ring[q.head]
	q.ring[q.head] = nil
	q.head = (q.head + 1) & (len(q.ring) - 1)
	q.n--
	if q.n == 0 {
		q.head = 0
		if len(q.ring) > shrinkRing {
			q.ring = nil
		}
	}
	return m
}

// notifyLocked calls every watcher.
func (q *queue) notifyLocked() {
	for _, w := range q.watchers {
		w.notify()
	}
}

// wake drops a token for parked receivers and senders that could make
// progress in the current state. Calling it after every change, and when
// a woken goroutine leaves, guarantees that no parked goroutine sleeps
// while it could proceed, however many goroutines share an end.
func (q *queue) wakeLocked() {
	if q.recvWaiting > 0 && (q.n > 0 || q.sendClosed || q.recvClosed) {
		select {
		case q.readable <- struct{}{}:
		default:
		}
	}
	if q.sendWaiting > 0 && (!q.fullLocked() || q.sendClosed || q.recvClosed) {
		select {
		case q.writable <- struct{}{}:
		default:
		}
	}
}

// park releases the lock, waits for a token on *ch or the end of ctx, and
// takes the lock again. count tracks the parked goroutines.
func (q *queue) park(ctx context.Context, ch *chan struct{}, count *int) {
	if *ch == nil {
		*ch = make(chan struct{}, 1)
	}
	c := *ch
	*count++
	q.mu.Unlock()
	select {
	case <-c:
	case <-ctx.Done():
	}
	q.mu.Lock()
	*count--
}

// push queues m for the receiving end. With sendWait it waits while the
// queue is at its high-water mark, until there is room, either end
// closes, or ctx ends.
func (q *queue) push(ctx context.Context, m *zmsg.Msg, mode sendMode) status {
	q.mu.Lock()
	defer q.mu.Unlock()
	defer q.wakeLocked()
	for {
		switch {
		case q.sendClosed:
			return ownClosed
		case q.recvClosed:
			return peerClosed
		case mode == sendForce || !q.fullLocked():
			q.pushLocked(m)
			return success
		case mode == sendTry:
			return wouldBlock
		case ctx.Err() != nil:
			return cancelled
		}
		q.park(ctx, &q.writable, &q.sendWaiting)
	}
}

// pop takes the oldest message. With wait it waits while the queue is
// empty, until a message arrives, either end closes, or ctx ends. Queued
// messages are still delivered after the sending end closed.
func (q *queue) pop(ctx context.Context, wait bool) (*zmsg.Msg, status) {
	q.mu.Lock()
	defer q.mu.Unlock()
	defer q.wakeLocked()
	for {
		switch {
		case q.recvClosed:
			return nil, ownClosed
		case q.n > 0:
			return q.popLocked(), success
		case q.sendClosed:
			return nil, peerClosed
		case !wait:
			return nil, wouldBlock
		case ctx.Err() != nil:
			return nil, cancelled
		}
		q.park(ctx, &q.readable, &q.recvWaiting)
	}
}

// closeRecv closes the receiving end: queued messages are dropped, later
// sends fail, parked goroutines wake and watchers are told and removed.
func (q *queue) closeRecv() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.recvClosed {
		return
	}
	q.recvClosed = true
	clear(q.ring)
	q.ring, q.head, q.n = nil, 0, 0
	q.notifyLocked()
	q.watchers = nil
	q.wakeLocked()
}

// closeSend closes the sending end, after queueing last (ignoring the
// high-water mark) when it is not nil and the receiving end is open.
// Receivers get the queued messages, then fail; watchers are told.
func (q *queue) closeSend(last *zmsg.Msg) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.sendClosed {
		return
	}
	if last != nil && !q.recvClosed {
		q.pushLocked(last)
	}
	q.sendClosed = true
	q.notifyLocked()
	q.wakeLocked()
}

// watch registers notify and returns the function that removes it. When
// the queue is already readable, notify is called once before watch
// returns.
func (q *queue) watch(notify func()) (stop func(), st status) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.recvClosed {
		return nil, ownClosed
	}
	id := q.nextID
	q.nextID++
	q.watchers = append(q.watchers, watcher{id: id, notify: notify})
	if q.n > 0 || q.sendClosed {
		notify()
	}
	return func() { q.unwatch(id) }, success
}

// unwatch removes the watcher with identity id, if it is still there.
func (q *queue) unwatch(id uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := slices.IndexFunc(q.watchers, func(w watcher) bool { return w.id == id })
	if i < 0 {
		return
	}
	q.watchers = slices.Delete(q.watchers, i, i+1)
	if len(q.watchers) == 0 {
		q.watchers = nil
	}
}

// ready reports whether a message is queued, or why none ever will be.
func (q *queue) ready() (bool, status) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.recvClosed:
		return false, ownClosed
	case q.n > 0:
		return true, success
	case q.sendClosed:
		return false, peerClosed
	}
	return false, success
}
