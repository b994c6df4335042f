// Package zframe provides Frame, a single part of a ZeroMQ message.
//
// The package is pure data: it performs no I/O, uses no cgo and depends
// only on the standard library. It mirrors the behaviour of the CZMQ
// zframe class in an idiomatic, value-oriented Go form.
//
// # Frames
//
// A Frame holds three things: the bytes of the message part, the MORE flag
// that ZeroMQ uses to chain parts of a multi-part message, and an optional
// set of read-only message properties (metadata) reported by the transport.
//
// Frame is a small value type. Methods such as [Frame.WithMore] and
// [Frame.WithProps] return a modified copy and never change the receiver.
// The zero Frame is a valid empty frame with MORE unset and no properties.
//
// # Ownership
//
// [New] does not copy its argument and [Frame.Data] returns the frame's own
// slice, so copies of a Frame share their bytes. Treat frame data as
// read-only once a frame has been built, and use [Frame.Clone] when an
// independent copy is needed.
//
// # Properties
//
// Properties are the per-message metadata libzmq exposes through
// zmq_msg_gets, such as [PropPeerAddress] or [PropSocketType]. A socket
// layer attaches them with [Frame.WithProps]; users read them with
// [Frame.Meta]. Lookups ignore letter case, and [PropIdentity] and
// [PropRoutingID] are treated as two names for the same property.
//
// # Inspecting frames
//
// [Frame.Hex] renders all bytes as uppercase hexadecimal and
// [Frame.String] produces the one-line dump used by message printers:
// the size in square brackets, then either the text (when every byte is
// printable ASCII) or a hexadecimal rendering, both shortened for long
// frames. For example:
//
//	[005] hello
//	[003] 00FF41
//	[000]
package zframe
