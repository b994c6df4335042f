// Package presence tells a ZeroMQ server who is connected, who came and
// who left, which no socket does by itself.
//
// # Server
//
// A Server keeps a live table of the peers of a server socket. On a
// ROUTER the table is keyed by routing id, and each Peer carries its IP
// address (Peer-Address) and, when a ZAP handler authenticated it, its
// User-Id. The application passes each received message to Observe, or
// wraps its handler with Handler:
//
//	srv, err := presence.NewServer(ctx, l, router,
//		presence.WithHeartbeat(time.Second, 3),
//		presence.WithOnEvent(func(e presence.Event) error {
//			log.Println(e) // JOIN "w1" 10.0.0.7, LEAVE "w1" 10.0.0.7 (heartbeat expired)
//			return nil
//		}))
//	l.OnMessage(router, srv.Handler(serve))
//
// A peer joins with its first message. It leaves for one of three
// reasons:
//
//   - SaidGoodbye: it sent the GOODBYE frame ("\x05"; Client.Close sends
//     it).
//   - HeartbeatExpired: nothing came from it for interval times liveness.
//     Any message counts; a Client sends HEARTBEAT ("\x02") every
//     interval. This catches peers whose connection stays open while they
//     are gone: a frozen process, a cable cut, a host that lost power.
//   - ConnectionLost: its connection closed. The socket's monitor reports
//     the closed descriptor; every message carries the descriptor it came
//     on (libzmq's ZMQ_SRCFD), so the Server knows which peers used it and
//     sends each a HEARTBEAT with ZMQ_ROUTER_MANDATORY. A peer that cannot
//     be reached leaves at once; libzmq takes a few commands between
//     threads to drop the pipe, so a peer that still looks reachable is
//     probed again over the next second before heartbeat expiry decides.
//     This needs no draft API (ZMQ_ROUTER_NOTIFY).
//
// Each leave is reported once, and a peer that comes back joins again.
// NewServer turns on ZMQ_ROUTER_HANDOVER (see WithHandover), so that a
// client restarted under the same routing id takes it over instead of
// being ignored by libzmq until its old connection is gone.
// Peers, Peer, Len and Stats may be called from any goroutine.
//
// On other socket types (PUB, XPUB, PUSH...) the Server tracks
// connections rather than routing ids: each accepted connection joins
// under its remote address ("10.0.0.7:51234") and leaves with
// ConnectionLost when it closes. Configure ZMTP heartbeats on such sockets
// (heartbeat.Wire) so that silent deaths close the connection.
//
// # Client
//
// A Client runs on the peer's DEALER: it sends HEARTBEAT when each
// connection comes up and every interval after, GOODBYE on Close, and
// reports Connected and Disconnected for each endpoint. Servers probe
// with lone HEARTBEAT frames, which Client.Observe (or Client.Handler)
// keeps from the application. A Guide-style worker that sends its own
// READY and HEARTBEAT frames needs no Client: any traffic keeps it present.
//
// # Threads
//
// Server and Client belong to the goroutine that runs their loop and owns
// their socket: create them there (before Run, or in a handler), and call
// Observe, Close and friends there. Their event callbacks run there too;
// an error returned from one stops the loop.
package presence
