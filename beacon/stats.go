package beacon

import "sync/atomic"

// Stats counts what a beacon has sent and received since it started.
type Stats struct {
	Sent       uint64 // datagrams sent (one per interface per beacon)
	SendErrors uint64 // sends that failed
	Received   uint64 // datagrams read from the socket, valid or not
	Delivered  uint64 // beacons handed to the application
	Oversized  uint64 // datagrams longer than MaxPayload, dropped
	Malformed  uint64 // empty datagrams, dropped
	Own        uint64 // own beacons recognised and dropped
	Filtered   uint64 // valid beacons not subscribed to (or from another interface)
	Dropped    uint64 // dropped because the queue or the consumer was full
	ReadErrors uint64 // failed socket reads
}

// counters is the live form of Stats, updated from the reader goroutine
// and the actor's goroutine.
type counters struct {
	sent, sendErrors, received, delivered, oversized, malformed,
	own, filtered, dropped, readErrors atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Sent:       c.sent.Load(),
		SendErrors: c.sendErrors.Load(),
		Received:   c.received.Load(),
		Delivered:  c.delivered.Load(),
		Oversized:  c.oversized.Load(),
		Malformed:  c.malformed.Load(),
		Own:        c.own.Load(),
		Filtered:   c.filtered.Load(),
		Dropped:    c.dropped.Load(),
		ReadErrors: c.readErrors.Load(),
	}
}
