// Zkit is a command-line ZeroMQ toolkit: a netcat for ZeroMQ sockets,
// libzmq's throughput and latency tests, and a guided demo.
//
// Usage:
//
//	zkit COMMAND [arguments]
//
// The commands are:
//
//	cat      send stdin lines to a socket and print what it receives
//	perf     measure throughput (thr) or latency (lat)
//	beacon   listen for or publish UDP beacons, compatible with CZMQ's zbeacon
//	monitor  print a socket's connection events as they happen
//	makecert generate a CURVE certificate in CZMQ's file format
//	cert     validate a certificate and print its keys and metadata
//	demo     a guided tour: patterns, actors, security, discovery, presence
//	version  print zkit's version
//	help     list the commands, or show the help of one
//
// "zkit" alone and "zkit help" print the command list; "zkit help COMMAND"
// and "zkit COMMAND -h" print a command's flags. Flags may be written with
// one dash or two (-n, --timeout), before or after the positional
// arguments; "--" ends the flags.
//
// # Exit status and errors
//
// zkit exits 0 on success, 1 on a runtime error and 2 on a usage error.
// Errors are one line on stderr beginning "zkit: ". SIGINT and SIGTERM end
// every command cleanly with status 0 (a second signal kills the process
// the default way).
//
// # zkit cat
//
//	zkit cat TYPE ENDPOINTS [flags]
//
// cat connects stdin and stdout to a ZeroMQ socket. TYPE is a socket type,
// in any letter case: pair, pub, sub, req, rep, dealer, router, pull, push,
// xpub, xsub or stream. ENDPOINTS is a CZMQ endpoint list: endpoints
// separated by commas, each prefixed with '@' to bind or '>' to connect
// (quote '>' from the shell). Without a prefix pub, rep, router, pull and
// xpub bind and the other types connect. A tcp bind to port "*" takes the
// first free port from 49152 up, "!" a random one, and "ipc://*" a fresh
// path; zkit then writes the endpoint it got to stderr, for scripts:
//
//	zkit: bound tcp://127.0.0.1:49152
//
// What cat does depends on the type:
//
//	push, pub, xsub          send: each stdin line is a message
//	pull, sub, xpub          receive: each message is printed as a line
//	req                      send a line, print its reply, repeat
//	rep                      print a request, answer it with the next line
//	rep --echo               answer each request with itself, print nothing
//	dealer, pair             send lines and print messages, both at once
//	router, stream           the same, with the peer's routing id as first frame
//
// A router or stream prints the routing id of the peer that sent each
// message as the first frame, and sends each line to the peer whose
// routing id is its first frame; a line naming no connected peer is
// dropped with a warning on stderr. A stream socket talks to plain TCP
// peers: it prints "ID<tab>" (an empty frame) when a connection opens or
// closes, and "ID<tab>BYTES" for data.
//
// Send-only types exit at the end of stdin, after up to --linger for the
// messages already sent to be delivered. req and rep (without --echo)
// also exit at the end of stdin; receive-only types, rep --echo, and
// the two-way types (dealer, pair, router, stream) run until -n, --timeout
// or a signal, since replies may still come after stdin ends.
//
// # Lines and escapes
//
// A line is one message; its frames are separated by a tab (or the
// --frames-sep string). An empty line is a message of one empty frame.
// Printed frames are escaped so that every message fits on one line and
// can be read back exactly: printable ASCII (0x20 to 0x7E) stands for
// itself, except the backslash, written \\; tab, newline and carriage
// return are \t, \n and \r; every other byte is \xNN with lowercase hex
// digits. The first byte of the frame separator is also written as \xNN
// inside frames, so separators are never ambiguous. Input lines use the
// same escapes (hex digits in either case), so any frame, binary or not,
// can be sent; other bytes are taken as they are, a raw carriage return
// before the newline is dropped, and a backslash followed by anything else
// is an error. Output is therefore valid input: a received message can be
// sent on unchanged.
//
// # cat flags
//
//	-n N
//		Stop after N messages: received for pull, sub, xpub, dealer,
//		pair, router and stream; replies for req; requests answered for
//		rep; sent for push, pub and xsub. 0 (the default) means no limit.
//	--timeout D
//		Overall deadline, a Go duration such as 500ms or 2m. If it passes
//		before -n is satisfied, cat fails with "zkit: timeout" (status 1);
//		without -n it simply ends the run (status 0).
//	--subscribe PREFIX
//		sub only: subscribe to messages whose first frame starts with
//		PREFIX (escapes allowed). Repeatable; the default is to subscribe
//		to everything.
//	--frames-sep S
//		Frame separator in lines, input and output (escapes allowed;
//		default a tab). It may not be empty or contain a backslash, CR or
//		LF.
//	--echo
//		rep only: answer every request with itself; stdin is not read.
//	--wait D
//		Pause before sending the first message. A PUB socket drops
//		messages until each subscriber's subscription has reached it (the
//		"slow joiner"), which takes a moment after connecting; --wait
//		gives subscribers that moment. Default 0.
//	--linger D
//		At exit, how long messages already sent may take to be delivered
//		(default 1s; 0 drops them; negative waits forever). A signal, a
//		timeout or an error drops them at once.
//	--identity ID
//		The routing id ROUTER peers see for this socket (escapes allowed).
//	-v
//		Log sockets and messages to stderr (log/slog text format).
//
// Examples:
//
//	# receive on one terminal...
//	zkit cat pull @tcp://127.0.0.1:5555
//	# ...send from another
//	echo hi | zkit cat push tcp://127.0.0.1:5555
//
//	# a two-frame message, the second binary
//	printf 'key\t\\x00\\x01\n' | zkit cat push tcp://127.0.0.1:5555
//
//	# an echo server and a client that waits at most a second for 2 replies
//	zkit cat rep @tcp://127.0.0.1:5556 --echo
//	printf 'one\ntwo\n' | zkit cat req tcp://127.0.0.1:5556 -n 2 --timeout 1s
//
//	# subscribe to weather updates; publish after subscribers had time to join
//	zkit cat sub tcp://127.0.0.1:5557 --subscribe weather.
//	printf 'weather.paris\t18C\n' | zkit cat pub @tcp://127.0.0.1:5557 --wait 500ms
//
//	# a router on a port of zkit's choosing; replies are typed as ID<tab>DATA
//	zkit cat router '@tcp://127.0.0.1:*'
//
// # Security flags of zkit cat
//
// A server side takes --curve-server FILE (a secret certificate) or
// --plain-server; a client side --curve-client FILE with --curve-serverkey
// (the server's public key as Z85 text or a certificate file) or --plain
// USER:PASS. A server can run an authenticator in its context:
// --auth-curve DIR (certificates of the clients to accept, or * for any
// key), --auth-plain FILE (user=password lines), --allow ADDR and --deny
// ADDR (repeatable; CZMQ's rules: a non-empty allow list refuses every
// other address), and --zap-domain NAME. --show-user prints each received
// message's User-Id (the CURVE key in Z85, or the PLAIN user name), then
// the frame separator, before its frames:
//
//	zkit makecert server && zkit makecert alice && mkdir clients && cp alice clients/
//	zkit cat pull '@tcp://127.0.0.1:5555' --curve-server server --auth-curve clients --show-user
//	echo hi | zkit cat push '>tcp://127.0.0.1:5555' --curve-client alice --curve-serverkey server
//
// # zkit beacon
//
//	zkit beacon listen [--filter PREFIX] [-n N] [--timeout D] [--json] [flags]
//	zkit beacon publish DATA [--hex] [--interval D] [--for D] [flags]
//
// Both take --port (default 5670, ZRE's), --iface (an interface name,
// address or index, or * for all; by default the first one that can
// broadcast, else loopback), --ipv6 and --group (a multicast group instead
// of broadcast). listen prints one line per beacon: sender address and
// port, interface, and the payload escaped like cat's frames; --json prints
// {"addr":...,"port":...,"iface":...,"data":"<hex>"} per line. publish
// sends DATA (1 to 255 bytes, escapes allowed, or hex with --hex) at once
// and then every --interval, for --for or until interrupted.
//
// # zkit monitor
//
//	zkit monitor TYPE ENDPOINTS [-n N] [--timeout D] [--events NAMES] [--json]
//
// monitor creates a socket of TYPE, attaches it to ENDPOINTS as cat does,
// and prints its libzmq events as they happen, one per line: time, event
// name, endpoint and the event's value (a file descriptor, an errno, a
// retry interval or, for HANDSHAKE_FAILED_AUTH, the ZAP status). --events
// keeps only the named events (comma-separated, such as
// ACCEPTED,DISCONNECTED); --json prints
// {"time":...,"event":...,"endpoint":...,"value":...} per line.
//
// # zkit makecert and zkit cert
//
//	zkit makecert [--meta NAME=VALUE]... [--force] PATH
//	zkit cert show PATH
//
// makecert generates a CURVE key pair and writes PATH (public key and
// metadata) and PATH_secret (mode 0600, also the secret key) in CZMQ's
// file format, readable by zcert_load and pyzmq. It prints the public key
// and never replaces existing files without --force. cert show loads a
// certificate the way CZMQ does (PATH_secret first, then PATH; pyzmq's
// .key files too), and prints its public key, whether the secret key is
// present, and its metadata.
//
// # zkit perf
//
//	zkit perf thr [--size B] [--count N] [--transport T] [--bind EP | --connect EP]
//	zkit perf lat [--size B] [--count N] [--transport T] [--bind EP | --connect EP]
//
// perf runs libzmq's performance tests. thr sends --count messages of --size
// bytes from PUSH to PULL (local_thr and remote_thr) and reports the
// receiver's throughput, timed from the first message received to the
// last and computed, as local_thr does, as all the messages over that
// time; MB/s counts megabytes of 1,000,000 bytes and Mb/s megabits. lat
// makes --count REQ/REP round trips (local_lat and remote_lat, the REP
// echoing each message) and reports the median, 99th percentile, minimum
// and maximum round-trip times and a one-way estimate, half the median.
//
// By default both ends run in this process, each in its own goroutine,
// over --transport: tcp (127.0.0.1, a free port; the default), inproc or
// ipc (a socket in a temporary directory). --bind runs only the passive
// end (thr: the receiving PULL, which prints the results; lat: the echoing
// REP) bound to an endpoint, and --connect only the active end (thr: the
// sending PUSH; lat: the measuring REQ, which prints the results), so the
// ends can run in two processes or on two hosts. A "*" port in --bind is
// reported on stderr as with cat. The end that does not print the results
// prints the message count and size (and for the thr sender, how long
// queuing took), and waits up to 10s at exit for its last messages to be
// delivered.
//
//	--size B       message size in bytes (default 16)
//	--count N      messages for thr (default 1000000, at least 2), round
//	               trips for lat (default 10000)
//	--transport T  tcp, inproc or ipc, when both ends run here (default tcp)
//	--bind EP      run only the passive end, bound to EP
//	--connect EP   run only the active end, connected to EP
//
// Results are aligned "key: value" lines; durations are Go durations:
//
//	$ zkit perf thr --count 200000
//	messages: 200000
//	size:     16 B
//	elapsed:  50.558ms
//	msg/s:    3955841
//	MB/s:     63.293
//	Mb/s:     506.348
//
// Across two processes:
//
//	zkit perf thr --bind tcp://127.0.0.1:5555
//	zkit perf thr --connect tcp://127.0.0.1:5555
//
// # zkit demo
//
//	zkit demo [--list] [SECTION...]
//
// demo plays a short guided tour, printing every message in zframe's dump
// style ("[005] hello"): reqrep, three requests and replies between REQ
// and REP over inproc; pubsub, PUB and SUB over tcp with a topic filter,
// repeating a hello until the subscriber is connected (the slow joiner)
// and then showing that only matching topics arrive; and router, two
// DEALERs with identities talking to a ROUTER that sees each routing id
// and addresses each reply; actors, two actors each running a reactor
// loop, where one's timer sends heartbeats to the other, which keeps a
// ticket per peer and reports the expiry once the heartbeats stop; and
// curve, a CURVE server whose authenticator knows alice's certificate but
// not mallory's: alice's message arrives with her User-Id and certificate
// metadata, mallory's handshake is refused; discovery, three nodes
// that announce their ports by UDP beacon on loopback, find each other,
// connect and say hello; and presence, a ROUTER server that keeps the
// table of its clients while one of them, a separate zkit process, is
// frozen with SIGSTOP (it leaves once its heartbeat expires), thawed (it
// joins again), killed (it leaves as disconnected at once) and started
// again, and another says goodbye. SECTION plays only the sections named;
// --list lists them.
//
// # zkit version
//
//	zkit version
//
// Prints zkit's version, such as "zkit 0.1.0-dev".
package main
