// Package loop is zkit's reactor: one goroutine that reacts to ZeroMQ
// sockets, actor pipes, Go channels, ordinary readers, timers, tickets and
// functions posted from other goroutines, as CZMQ's zloop does, and a
// Poller that waits on a set of sources as zpoller does.
//
// # One goroutine owns it all
//
// Every handler runs on the goroutine that calls Run (or Step), so
// handlers share state without locks, and they may send and receive on
// any socket registered in the loop, since that goroutine owns them all.
// Registration and removal (Reader, Timer, Ticket, Remove, TimerEnd, ...)
// belong to that goroutine too: make them before Run, from handlers, or
// through Post. Post, Stop, Close and Ready are safe from any goroutine.
//
//	l, _ := loop.New()
//	defer l.Close()
//	l.OnMessage(router, func(m *zmsg.Msg) error { return router.SendMsg(m) })
//	l.Timer(time.Second, 0, func(loop.TimerID) error { return ping() })
//	err := l.Run(ctx) // until ctx ends, a handler fails, or Stop
//
// # Readers
//
// A Source is anything the loop can watch: *zsock.Socket and the actor
// package's pipes. Reader registers a CZMQ-style handler that receives by
// itself and is called again while the source stays readable; OnMessage
// lets the loop receive and hands each message to the handler. A source
// may have several readers, called in registration order; readers can be
// removed at any time, also from inside a handler. A handler returning an
// error stops Run, which returns that error; returning ErrStop stops it
// cleanly (Run returns nil).
//
// When a source breaks (its socket was closed, its context terminated), the
// reader's OnError function is called (or the error is logged) and the
// reader is removed, unless it was registered Tolerant.
//
// Chan registers a Go channel; IO registers a net.Conn, a pipe or any
// reader with read deadlines, read by a goroutine parked in Go's network
// poller: ZeroMQ and ordinary sockets in one loop, as the ZeroMQ FAQ asks.
//
// # Timers and tickets
//
// Timer runs a handler after a delay, a given number of times or forever,
// and catches up after a late iteration without drifting (CZMQ's
// rescheduling: the next run is due one delay after the previous due
// time). TimerEnd cancels it, from anywhere in the loop. Tickets share one
// delay so they stay sorted: Ticket, Reset and Delete are O(1), which makes
// them the tool for expiring many clients.
//
// # Idle means idle
//
// With nothing to do, the loop goroutine sleeps in a channel receive; its
// wake-up timer is armed only while a timer or ticket is pending. Sockets
// are watched by goroutines parked on their ZMQ_FD in Go's network poller
// (see zsock.Socket.Watch), so no OS thread is held and nothing polls.
//
// # Correctness with libzmq
//
// ZMQ_FD is an edge, not a level: a send or receive on a socket can
// consume the notification of a message that arrived meanwhile. Each
// socket's watcher therefore stays armed the whole time and reports every
// edge, and the loop keeps dispatching a ready source until a receive
// without waiting comes back empty. A handler may send on the socket it is
// reading (a ROUTER echo) without ever stranding a message; the tests
// prove it at full speed under the race detector.
//
// # Embedding in another event loop
//
// A GUI toolkit or another reactor can drive the loop instead of Run: wait
// on Ready (a channel) or ReadyFD (a file descriptor, for toolkits that
// watch descriptors), then call Step on the host's thread. Step runs what
// is ready and returns without waiting. Due timers raise Ready on their
// own. Values on Chan readers do not; post from producers instead.
//
// # Poller
//
// A Poller waits on sources and returns every ready one at once, in the
// order they were added (zpoller returns only the first). A timeout is a
// context deadline: errors.Is(err, context.DeadlineExceeded) tells it
// apart from the caller's cancellation (context.Canceled). Sources can be
// added and removed between waits. Channels join a Poller through
// ChanSource.
//
// # Signals
//
// The package installs no signal handler (CZMQ's zloop stops on SIGINT
// by default). Use signal.NotifyContext and pass the context to Run.
package loop
