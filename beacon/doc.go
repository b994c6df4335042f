// Package beacon finds peers on a local network with UDP beacons, the way
// CZMQ's zbeacon does and on the same wire: a node publishes a short
// payload (at most 255 bytes, typically a service endpoint or a ZRE
// header) to a UDP port every interval, and every node listening on that
// port hears it, together with the sender's address.
//
// # The actor and its pipe
//
// A Beacon is an actor (see package actor). Its pipe accepts CZMQ's
// commands, so code written against zbeacon ports directly:
//
//	VERBOSE                  log every beacon sent and received
//	CONFIGURE port           open the sockets; replies one frame: the
//	                         interface's address, "*" for all, "" if none
//	PUBLISH data interval    publish data now, then every interval
//	                         (milliseconds as decimal text; 0 means 1 s)
//	SILENCE                  stop publishing
//	SUBSCRIBE filter         deliver beacons starting with filter (empty: all)
//	UNSUBSCRIBE              stop delivering
//	$TERM                    end the actor (Close sends it)
//
// Each received beacon arrives on the pipe as two frames: the sender's IP
// address as text (a link-local IPv6 address carries its interface as
// zone, "fe80::1%eth0"), then the payload. Nothing is delivered before a
// SUBSCRIBE.
//
// The methods Configure, Publish, Silence, Subscribe, Unsubscribe and
// Verbose do the same with Go types and report errors (a payload longer
// than 255 bytes is ErrTooLong, not an assertion). Each returns once the
// actor has applied it, or when its context ends.
//
// # Typed delivery
//
// WithChannel delivers beacons as Message values instead of pipe
// messages: sender address and port, arrival interface, payload and time.
// The actor never blocks on the channel; when it is full the beacon is
// dropped and counted.
//
// # Interfaces and address families
//
// By default a beacon uses the first interface that is up, not loopback
// and able to broadcast, and broadcasts to its directed broadcast address.
// WithInterface picks one by name, address or index, or "*" for all of
// them: a multi-homed host then publishes on every interface and hears
// all of them. A host with nothing but loopback (or a beacon told to use
// "lo") publishes to 127.255.255.255, which Linux delivers to every
// socket on the port, so processes on one host still discover each other
// where CZMQ finds no interface. WithGroup publishes to an IPv4 multicast
// group instead; WithIPv6 publishes to ff02::1 (or another group) on a
// multicast-capable interface.
//
// The receiving socket is bound to the beacon port on all addresses with
// SO_REUSEADDR and SO_REUSEPORT, so several processes on one host share
// the port; beacons are sent from a second socket on an ephemeral port.
// When a specific interface was chosen, datagrams that arrive on other
// interfaces are ignored.
//
// # Own beacons
//
// Like CZMQ, a beacon ignores received beacons whose bytes equal what it
// publishes (ByContent), which also hides a peer publishing identical
// bytes. WithSelfFilter(BySource) recognises its own datagrams by their
// source instead (a local address and the sending socket's port), so
// nodes with identical payloads hear each other.
//
// # Hostile input
//
// Datagrams are read whole into a 64 KiB buffer: anything longer than 255
// bytes, or empty, is dropped and counted (Stats), never truncated into a
// beacon. Datagrams wait for the actor in a bounded queue (WithQueue), and
// a slow consumer makes the actor drop rather than queue, so a flood
// costs bounded memory and legitimate beacons keep getting through.
//
// # Interfaces that come and go
//
// A failed send is logged once and counted; while sends fail, each
// publishing tick looks up the interfaces again and rejoins multicast
// groups, so publishing resumes by itself when the interface returns.
package beacon
