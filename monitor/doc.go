// Package monitor reports what happens to a socket's connections, as
// libzmq's socket monitor (zmq_socket_monitor) and CZMQ's zmonitor do:
// listening, connecting, retries, accepts, handshakes (with the reason
// when one fails), disconnections and closes, as typed Go events.
//
// # Starting
//
// New starts libzmq's monitor on a socket and an actor that reads it:
//
//	events := make(chan monitor.Event, 64)
//	m, err := monitor.New(ctx, sock, monitor.WithEvents(events))
//	...
//	defer m.Close()
//	for ev := range events { fmt.Println(ev) } // "ACCEPTED tcp://127.0.0.1:5555 fd=12"
//
// New and Close act on the monitored socket, so, like every call on a
// zsock socket, they belong to the goroutine that owns it. Events that
// happen before New returns are not reported: bind and connect after it.
//
// # Events
//
// An Event carries its Kind (libzmq's ZMQ_EVENT_* bit), the endpoint it
// concerns, its value and the time it was read. The value depends on the
// kind: a file descriptor (Connected, Listening, Accepted, Closed,
// Disconnected), an errno (ConnectDelayed, BindFailed, AcceptFailed,
// CloseFailed, HandshakeFailedNoDetail; see Errno), the reconnect interval
// in milliseconds (ConnectRetried; see Interval), a ZMTP protocol error
// code (HandshakeFailedProtocol) or the ZAP status code
// (HandshakeFailedAuth, such as 400 when an authenticator refused the
// peer). WithKinds keeps only some kinds.
//
// # CZMQ's zmonitor
//
// Without WithEvents, events arrive on the actor's pipe as zmonitor sends
// them: three string frames, the event's name ("ACCEPTED"), its value in
// decimal and the endpoint. The pipe takes zmonitor's commands: LISTEN
// with event names (the first LISTEN replaces the default of every
// event), VERBOSE, START (answered with a signal) and $TERM. Unlike
// zmonitor, the actor never touches the monitored socket: libzmq's monitor
// is started by New on the owner's goroutine, and START only confirms.
//
// # Delivery and cost
//
// The monitor never blocks on its consumer: when the channel or the pipe
// is full, the event is dropped and counted (Dropped). libzmq's monitor
// socket and the monitor's own are closed by Close; libzmq frees sockets
// asynchronously, so starting and stopping monitors in a tight loop in a
// context with a low socket limit can briefly exceed it.
package monitor
