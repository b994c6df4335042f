// Package zmsg provides Msg, a multi-part ZeroMQ message, together with the
// serialisation formats CZMQ uses for messages.
//
// The package is pure data: it performs no I/O, uses no cgo and depends
// only on the standard library and the sibling package zframe. Byte
// formats are compatible with CZMQ, so messages can be exchanged with C
// programs using zmsg_encode, zsock_signal, zsock_send and zsock_bsend.
//
// # Messages
//
// A [Msg] is an ordered list of [zframe.Frame] values. Frames can be added
// at either end ([Msg.Push], [Msg.Append] and their Bytes and String
// variants), taken from the front ([Msg.Pop]) or read in place
// ([Msg.Frame], [Msg.First], [Msg.Last], [Msg.Frames]). The zero Msg is an
// empty message, and read-only methods accept a nil *Msg as empty.
//
// Frames are values that share their bytes: adding a byte slice does not
// copy it, and reading a frame does not copy its bytes. Use [Msg.Clone]
// for an independent deep copy. [Msg.String] gives a printable dump with
// one line per frame:
//
//	--------------------------------------
//	[005] hello
//	[003] 00FF41
//
// # Encoding
//
// [Msg.Encode] serialises a whole message into one byte slice and
// [Decode] reverses it. Each frame is a size header followed by its bytes:
// one size byte for frames of up to 254 bytes, otherwise the byte 0xFF and
// a 4-byte big-endian size. There is no header or frame count. The format
// is that of CZMQ's zmsg_encode, and [Msg.AddMsg] and [Msg.PopMsg] use it
// to nest a message inside a single frame.
//
// # Signals
//
// A signal is a one-frame message carrying a status byte, used between
// actors for simple synchronisation. [NewSignal] builds one and
// [Msg.Signal] or [IsSignal] recognise it. The frame holds eight bytes, the
// little-endian form of 0x7766554433221100 plus the status, as in CZMQ's
// zsock_signal and zsock_wait.
//
// # Text pictures
//
// [Pack] and [Msg.Unpack] convert between Go values and frames using a
// picture string with one letter per frame, as CZMQ's zsock_send and
// zsock_recv do. Numbers travel as decimal text, strings and byte slices
// as their bytes, and maps in the serialised form of CZMQ's zhash_pack.
// For example:
//
//	m, err := zmsg.Pack("si", "JOB", 42)
//	...
//	var name string
//	var n int
//	err = m.Unpack("si", &name, &n)
//
// Unpack never modifies the message, lets a nil pointer skip a frame, and
// gives zero values when the message has fewer frames than the picture.
//
// # Binary pictures
//
// [BPack] and [Msg.BUnpack] pack fixed-width big-endian integers,
// length-prefixed strings and chunks, and UUIDs into a single frame,
// optionally followed by whole frames ('f') and a trailing message ('m'),
// like CZMQ's zsock_bsend and zsock_brecv. Binary pictures are compact and
// cheap to parse, and suit high-rate protocols.
//
// # Errors
//
// Functions in this package never panic on bad input; they return errors
// that wrap one of the sentinels [ErrTruncated], [ErrEmpty], [ErrPicture],
// [ErrMismatch] or [ErrArgument], to be tested with errors.Is. Picture
// errors name the zero-based position of the offending letter, and
// decoding errors name the byte offset of the offending frame.
package zmsg
