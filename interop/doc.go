// Package interop holds zkit's interoperability tests; it has no API.
//
// The tests check that zkit's sockets (zsock), messages (zmsg) and frames
// (zframe) work with ZeroMQ implementations and tools written by others,
// on the wire and byte for byte:
//
//   - gozmq_test.go talks to github.com/go-zeromq/zmq4, a pure-Go ZeroMQ
//     implementation that shares no code with libzmq, over loopback TCP:
//     REQ/REP, PUSH/PULL, PUB/SUB with topic filters and DEALER/ROUTER with
//     routing ids, with zsock on either side of each pattern and both
//     binding and connecting.
//   - czmq_test.go builds testdata/czmqpeer.c, a small command-line program
//     using the real CZMQ library, and compares zmsg's encoding
//     (zmsg_encode/zmsg_decode, byte-exact in both directions, truncated
//     input rejected by both), signals (zsock_signal/zsock_wait), text
//     pictures (zsock_send/zsock_recv) and binary pictures
//     (zsock_bsend/zsock_brecv) with CZMQ's, exchanged over a PAIR socket.
//   - pyzmq_test.go runs testdata/pyzmqpeer.py with pyzmq: a REQ client
//     sending multipart requests to a zsock REP, and a PUB feeding a zsock
//     SUB with a topic filter.
//   - presence_test.go runs Paranoid Pirate workers written with pyzmq
//     (testdata/pyzmqpeer.py worker), which know only the Guide's byte
//     values plus GOODBYE, against a zkit presence server: they join,
//     their READY and replies reach the application, and they leave by
//     GOODBYE, by being killed and by falling silent.
//   - cert_test.go checks CURVE certificate files both ways: files written
//     by CZMQ's zcert_save (testdata/czmqcert.c) and pyzmq's zmq.auth
//     (testdata/pycert.py) load in the cert package with the same keys and
//     metadata; zkit's files load in zcert_load, zcertstore and pyzmq's
//     load_certificate(s), and match CZMQ's and pyzmq's bytes apart from
//     the "Generated on" line.
//   - auth_test.go authenticates across implementations with
//     testdata/pyauth.py: pyzmq CURVE and PLAIN clients checked by zkit's
//     authenticator, and zkit clients checked by pyzmq's
//     ThreadAuthenticator, each with a known and an unknown client.
//   - beacon_test.go runs CZMQ's zbeacon (testdata/czmqbeacon.c) and zkit's
//     `zkit beacon` in two network namespaces joined by a veth pair
//     (zbeacon never uses loopback): each hears the other's beacons, and
//     CZMQ's prefix filter and own-beacon suppression deliver exactly what
//     zkit's do. It needs root and iproute2.
//
// # Finding the peers
//
// go-zeromq is a Go module dependency and is always available. The other
// peers are found on the machine:
//
//   - CZMQ: gcc and pkg-config must be on PATH and `pkg-config --cflags
//     --libs libczmq` must succeed (Debian: libczmq-dev, gcc, pkg-config).
//     The helpers are compiled into temporary directories that are removed
//     when the tests end.
//   - pyzmq: /usr/bin/python3 must be able to `import zmq` (Debian:
//     python3-zmq).
//
// When a peer is missing its tests are skipped with a message naming what
// to install, except when the environment variable CI is "true": then they
// fail, so that a CI run cannot pass without testing anything. `make test`
// installs every peer through scripts/deps.sh before running the tests.
//
// All traffic stays on 127.0.0.1, every test is bounded by a context
// deadline, and waits for slow joiners are retries against that deadline,
// never fixed sleeps.
package interop
