// Package auth authenticates ZeroMQ clients: it is a ZAP handler (RFC 27,
// the ZeroMQ Authentication Protocol) running as an actor, like CZMQ's
// zauth, with per-domain policies, custom checks in Go, all four status
// codes and a report of every decision.
//
// # How ZAP works
//
// When a peer performs a security handshake with a socket (a CURVE or
// PLAIN server socket, or any socket with a ZAP domain for NULL), libzmq
// asks the ZAP handler of the socket's context, bound at
// inproc://zeromq.zap.01 ([Endpoint]). The request names the domain (the
// server socket's ZMQ_ZAP_DOMAIN), the peer's address, the mechanism and
// the credentials; the reply accepts or refuses, and on acceptance gives a
// user id and metadata that libzmq attaches to every message from that
// peer as message properties (User-Id and the metadata names; read them
// with zsock.WithProperties and zframe.Frame.Meta). A context has at most
// one handler; without one, CURVE encrypts but authenticates nobody.
//
// # Starting
//
// [New] starts an authenticator for a zsock.Context and binds its ZAP
// socket (a ROUTER), failing with [ErrAlreadyBound] when the context
// already has a handler:
//
//	a, err := auth.New(ctx, zctx)
//	...
//	defer a.Close()
//	err = a.Allow(ctx, "127.0.0.1")
//	err = a.Curve(ctx, "/etc/myapp/clients") // certificates, as cert.Store reads them
//
// Close the authenticator before the context: its socket is one of the
// context's. Close waits for every goroutine the authenticator started.
//
// # Policies
//
// A policy decides requests in two steps, exactly as zauth does. First the
// address: when the allow list is not empty, only addresses on it pass and
// the deny list is ignored; otherwise addresses on the deny list are
// refused. Addresses are compared as strings ("127.0.0.1", "::1"). Then
// the mechanism, even for an allowed address:
//
//   - NULL: accepted (libzmq asks only for sockets with a ZAP domain).
//   - PLAIN: user name and password checked against a password file
//     ([Policy.Plain]) or a table in memory ([Policy.PlainUsers]); User-Id
//     is the user name. The file holds "user=password" lines, split at
//     the first '='; lines starting with '#' are comments. It is read
//     again whenever it changes, checked with one stat call before each
//     PLAIN request (and read again before each request for two seconds
//     after a change, so that a quick rewrite of the same size is not
//     missed). When it disappears or cannot be read, the users read last
//     stay in force.
//   - CURVE: the client's public key looked up in a certificate store
//     ([Policy.Curve] with a directory, [Policy.CurveStore] with any
//     [CertLookup] such as cert.NewMemStore), or any key accepted
//     ([Policy.CurveAny], "CURVE *"). User-Id is the key in Z85; the
//     certificate's metadata is returned too, so a certificate with
//     "name = alice" gives every message from that client the property
//     name=alice.
//   - GSSAPI: accepted, with the principal as User-Id, once enabled with
//     [Policy.GSSAPI].
//
// Refusals carry a reason ("address not in allow list", "unknown key",
// "wrong password", ...) that appears in events and logs; libzmq sends
// the client only the status code.
//
// # Domains
//
// libzmq puts the server socket's ZAP domain in each request. The
// authenticator has a default policy, changed by its own methods, and a
// policy per domain, changed through [Authenticator.Domain]:
//
//	a.CurveAny(ctx)                            // every domain without its own policy
//	a.Domain("admin").Curve(ctx, "/etc/admins") // sockets with ZMQ_ZAP_DOMAIN "admin"
//	a.Domain("admin").Allow(ctx, "10.0.0.5")
//
// A domain's policy is separate from the default one: it starts empty
// (NULL accepted, PLAIN, CURVE and GSSAPI refused) and inherits nothing.
// Until a domain's policy is first changed, its requests follow the
// default policy.
//
// # Pipe commands
//
// The embedded actor's pipe takes zauth's commands, each a multi-frame
// message of strings, acknowledged with a signal: 0 when it worked, 1
// when it failed (the reason goes to the logger):
//
//	ALLOW address...      add to the allow list
//	DENY address...       add to the deny list
//	PLAIN file            PLAIN users from a password file
//	CURVE directory       CURVE clients from certificate files
//	CURVE *               CURVE accepts any key
//	GSSAPI                GSSAPI accepts any principal
//	VERBOSE [on|off]      log every command and decision at Info
//	DOMAIN name COMMAND…  apply ALLOW, DENY, PLAIN, CURVE or GSSAPI to a
//	                      domain's policy
//	$TERM                 stop (what Close sends); not acknowledged
//
// Without DOMAIN a command changes the default policy, so CZMQ programs
// port unchanged:
//
//	a.SendStrings("ALLOW", "127.0.0.1")
//	a.WaitSignal(ctx)
//
// The typed methods ([Authenticator.Allow], [Policy.Curve], ...) run the
// same commands, return an error instead of a status, are safe for
// concurrent use and take a context. Acknowledgements that the parent does
// not read are dropped once the pipe holds its high-water mark of them,
// so a parent that never reads cannot stall authentication.
//
// # Checkers
//
// A [Checker] makes the decision for every request of its policy that the
// address rules let through: a database lookup, a rate limit, a per-user
// quota. It receives the request and the decision the policy's own rules
// propose, and returns the final [Decision]: any of the four status codes
// (StatusOK, StatusTemporary, StatusDenied, StatusInternal), a reason, and
// for StatusOK a user id and metadata. Set one with [WithChecker] or
// [Policy.SetChecker]; [CheckerFunc] adapts a function.
//
// Checkers run on worker goroutines, at most [WithWorkers] at once, never
// on the goroutine that owns the ZAP socket: a slow lookup delays only the
// handshakes waiting for it. At most [WithMaxPending] requests wait for a
// checker, queued or running; more are answered StatusTemporary at once,
// which bounds the memory a flood of handshakes can take. Each request
// has a decision deadline ([WithCheckTimeout]) after which it is answered
// StatusTemporary and the checker's context ends; a checker that panics
// gives StatusInternal. When the authenticator closes, the requests still
// waiting are answered StatusTemporary and Close waits for the running
// checkers, whose context it cancels.
//
// # Events and statistics
//
// [WithEvents] delivers an [Event] for every reply: when, how long it
// took, domain, address, mechanism, who the client claimed to be, the
// user id, the status and the reason. The authenticator never waits for
// the channel: when it is full the event is dropped and counted, so a
// slow consumer cannot slow down handshakes. [Authenticator.Stats] counts
// requests, replies by status, malformed requests, overloads, timeouts and
// dropped events, and is safe to call from anywhere.
//
// # Malformed requests
//
// Only libzmq should talk to the ZAP endpoint, but anything in the process
// can. Requests that break RFC 27 are answered, never crash the handler,
// and are logged at Warn with the reason:
//
//	wrong version                               500
//	fewer than 6 frames, unknown mechanism,     400
//	wrong number of credentials, CURVE key
//	not 32 bytes
//	no request id (fewer than 2 frames)         dropped, no reply possible
//
// # Logging
//
// [WithLogger] takes a *slog.Logger; nothing is logged by default, and
// nothing is ever printed. PLAIN passwords are never logged or reported.
//
// # Differences from CZMQ
//
//   - The domain is not ignored: each domain may have its own policy.
//   - A custom [Checker], the statuses 300 and 500, events and statistics
//     have no counterpart in zauth, which answers only 200 or 400.
//   - GSSAPI clients are refused until GSSAPI is enabled; zauth accepts
//     them whether or not its GSSAPI command was sent.
//   - PLAIN and CURVE commands that cannot read their file or directory
//     fail (signal 1) and leave the policy as it was; zauth installs an
//     empty table.
//   - Unknown commands and malformed requests are reported, where zauth
//     asserts and aborts the process.
//   - The CURVE certificate's metadata is returned to libzmq, so it shows
//     up as message properties.
package auth
