// Package zsock is zkit's binding to the libzmq engine: ZeroMQ sockets with
// CZMQ's conveniences and Go's conventions. It is the only zkit package that
// calls libzmq (through github.com/pebbe/zmq4 and a small cgo fast path);
// everything above it works with zframe and zmsg values.
//
// # Sockets
//
// Every socket type of stable libzmq 4.3 is available: PAIR, PUB, SUB,
// REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB and STREAM (raw TCP, for
// talking to ordinary TCP peers). The per-type constructors take a CZMQ
// endpoint list, so zsock_new_router("@tcp://*:5555") becomes
//
//	router, err := zsock.NewRouter("@tcp://*:5555")
//
// Endpoints are comma-separated; '@' binds and '>' connects. Without a
// prefix PUB, REP, ROUTER, PULL and XPUB bind and the other types connect.
// A tcp bind whose port is "*" takes the first free port from 49152 up, "!"
// a random free one; either may be followed by "[first-last]" to choose the
// range. Bind returns the port.
//
// # One goroutine per socket
//
// A Socket is NOT safe for concurrent use. libzmq sockets must be used by
// one goroutine at a time; zsock adds no lock (that would cost every message)
// and cannot detect misuse, which corrupts libzmq's state. Create, use and
// Close a socket in one goroutine, or pass it to another over a channel and
// stop touching it. Other goroutines talk to the owner through channels (see
// the actor and loop packages).
//
// # Waiting without threads
//
// Blocking calls never block an OS thread inside libzmq: a receive first
// tries without waiting and, when nothing is queued, parks the goroutine on
// the socket's ZMQ_FD through Go's network poller, re-reading ZMQ_EVENTS on
// every wake as libzmq requires. Each blocking method has a Context variant
// bounded by a context.Context; a cancelled context returns an error
// matching context.Canceled, an expired deadline context.DeadlineExceeded,
// and the socket's own send/receive timeout ErrTimeout (which also matches
// os.ErrDeadlineExceeded).
//
// # Messages
//
// RecvMsg and SendMsg move whole multipart messages (zmsg.Msg) atomically;
// RecvFrame and Send move single frames with the More flag; RecvString,
// SendString and SendStrings are zstr's helpers. SendPicture/RecvPicture and
// BSend/BRecv are CZMQ's zsock_send/zsock_recv and zsock_bsend/zsock_brecv
// with the same letters and byte formats (see zmsg.Pack and zmsg.BPack).
// Signal and WaitSignal are zsock_signal and zsock_wait.
//
// Frames carry the message properties named with WithProperties (User-Id
// from ZAP, Peer-Address, Socket-Type, Routing-Id); none are fetched by
// default because each costs a call into libzmq per message.
//
// # Defaults
//
// Like CZMQ, zsock sets linger to 0 on every socket, so Close and context
// termination never wait for messages that cannot be delivered; use
// WithLinger to keep them. High-water marks stay at libzmq's 1000 messages.
// Send and receive timeouts are infinite unless set.
//
// # Errors
//
// Failures from libzmq are *Error values carrying the operation, the
// endpoint and the errno; they match sentinels with errors.Is: ErrClosed
// (also net.ErrClosed), ErrTerminated, ErrTimeout, ErrWouldBlock,
// ErrHostUnreachable (ROUTER_MANDATORY), ErrState (EFSM), ErrAddrInUse,
// ErrEndpoint, ErrProtocol, ErrNotSupported and others. zsock never panics
// on bad input.
//
// # Contexts
//
// Sockets live in the Default context unless WithContext names another.
// The default context raises libzmq's socket limit from 1023 to the
// process's open-file limit. A Context's Close shuts it down (blocked calls
// return ErrTerminated), then terminates it once its sockets are closed,
// honouring each socket's linger; it never waits for a socket's owner.
// Shutdown(ctx) waits for owners up to a deadline.
package zsock
