// Package heartbeat provides the pieces for knowing whether ZeroMQ peers
// are still there: the application-level building blocks of the Guide's
// Paranoid Pirate pattern, and ZMTP 3.1 wire-level heartbeat settings.
//
// # Framing
//
// Paranoid Pirate peers exchange two one-byte control frames: a worker
// announces itself with READY ("\x01") and both sides send HEARTBEAT
// ("\x02") when they have nothing else to say. Ready and Heartbeat are
// those signals, with the Guide's byte values so zkit interoperates with
// Guide code in other languages; Parse, IsReady and IsHeartbeat recognise
// them in received bytes and never panic on any input.
//
// # Liveness tracking
//
// A Tracker remembers, for each peer, when it last sent anything, and
// expires a peer that has been silent for liveness intervals (the Guide
// uses 1 s and 3). Beat costs O(1) and allocates nothing for a known peer,
// however many are tracked: peers sit in a list ordered by their last
// traffic, and a single one-shot loop timer is armed for the oldest. Beats
// never touch that timer; when it fires it expires every peer that is due
// and re-arms for the next one. The tracker does not use the loop's tickets, whose one
// shared delay therefore remains the application's to choose.
//
// A Tracker belongs to the goroutine running its loop.Loop: call its
// methods before Run, from loop handlers, or through Loop.Post. The
// expiry callback runs on that goroutine too, after the peer has been
// removed; an error it returns stops the loop, as any loop handler's does.
//
//	tr, _ := heartbeat.NewTracker(l, time.Second, 3, func(peer string) error {
//		log.Printf("worker %q died", peer)
//		return nil
//	})
//	l.OnMessage(router, func(m *zmsg.Msg) error {
//		id, _ := m.First()
//		tr.Beat(id.Text()) // any traffic counts, not only HEARTBEAT
//		last, _ := m.Last()
//		if heartbeat.IsHeartbeatFrame(last) {
//			return nil
//		}
//		...
//	})
//
// # Reconnecting
//
// Backoff yields the delays between reconnect attempts: by default 1 s,
// doubling to 32 s as in the Guide's worker, optionally with jitter so
// that many clients do not come back at the same instant. Reset it once a
// connection has proven healthy.
//
// # Wire-level heartbeats
//
// Wire configures libzmq's own ZMTP 3.1 PING/PONG (interval, timeout,
// TTL). These detect a dead connection without application frames but
// only at the connection level: a peer process that is alive but stuck
// still answers PINGs, which is why the application-level tracker exists.
// WireDefaults returns 1 s, 3 s and 6 s; Options turns settings into
// zsock options after validating them.
package heartbeat
