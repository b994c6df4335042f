// Package cert handles CURVE certificates the way CZMQ's zcert and
// zcertstore do: key pairs with metadata, their files, Z85 text and
// stores that index certificates by public key. The files it writes are
// byte for byte those of CZMQ 4.2, and it reads the files of CZMQ and of
// pyzmq.
//
// # Certificates
//
// A Cert holds a CURVE public key, usually its secret key, and metadata:
// ordered name/value pairs that a ZAP handler returns to the application
// for an authenticated peer. New makes a fresh key pair (X25519 from
// crypto/ecdh, the same keys libzmq's zmq_curve_keypair makes);
// NewFromKeys and NewFromText wrap existing keys, checking that a secret
// key belongs to its public key. Public returns the part that may be
// shared.
//
//	c, err := cert.New()
//	c.SetMeta("name", "printer-7")
//	err = c.Save("/etc/curve/printer-7") // printer-7 and printer-7_secret
//
// # Z85
//
// Z85Encode and Z85Decode implement ZeroMQ RFC 32, the encoding ZeroMQ
// uses for keys in text: every 4 bytes become 5 characters, so a 32-byte
// key is 40 characters. Decoding rejects characters outside the alphabet
// and groups whose value does not fit in 32 bits, and says where.
//
// # Files
//
// Certificates are stored as text in ZPL (ZeroMQ RFC 4), in two files.
// Save(path) writes the public certificate to path and the secret one to
// path+"_secret":
//
//	#   ****  Generated on 2025-01-02 15:04:05 by CZMQ  ****
//	#   ZeroMQ CURVE Public Certificate
//	#   ...
//
//	metadata
//	    name = "printer-7"
//	curve
//	    public-key = "<40 characters>"
//
// The secret file has its own banner and adds a secret-key line. Both
// files hold the metadata. WithPyzmqLayout writes pyzmq's variant instead:
// path+".key" and path+".key_secret", with the metadata only in the
// secret file.
//
// Load(path) follows zcert_load: it reads path+"_secret" if it exists,
// else path; it also finds pyzmq's path+".key_secret" and path+".key".
// Parse reads the contents of a file. The reader accepts what CZMQ's ZPL
// reader accepts (quoted or bare values, comments, 4-space indentation),
// and its errors give the line and the reason. Input is bounded (files
// over 1 MiB are refused), and no input makes it panic.
//
// Unlike CZMQ, Load refuses a secret key that does not belong to the
// public key or is not 40 characters, rather than ignoring it. A secret
// key of forty '0' characters, which CZMQ writes for a certificate it
// only has the public half of, means no secret key.
//
// # Saving safely
//
// Saving never half-writes a file: each file is written to a temporary
// file beside it, synced, and moved into place. The secret file is mode
// 0600 from the moment it exists. A save never replaces an existing file
// unless WithOverwrite is given; otherwise it fails with ErrExists and
// writes nothing. Loading a secret key from a file that other users may
// read works, but logs a warning (see WithLogger).
//
// # Stores
//
// A Store answers "which certificate has this public key?", as a ZAP
// handler asks for every CURVE handshake. NewStore loads a directory tree
// and keeps following it: files added, removed or edited are noticed
// before the next Lookup without reading unchanged files again (the Store
// documentation says exactly what is noticed and when). Lookups are map
// lookups, so a store of tens of thousands of certificates answers as
// fast as a small one. NewMemStore makes a store for certificates that
// the program adds with Insert.
//
// Where CZMQ aborts on two files with the same public key, a Store uses
// the first and reports the second (ErrDuplicate); unreadable and invalid
// files are skipped and reported too (Err, StoreError), so one bad file
// never takes the other certificates away.
//
// # Errors
//
// Errors match the package's sentinels with errors.Is: ErrZ85, ErrFormat
// (a *FormatError with the file, line and reason), ErrNotFound,
// ErrDuplicate, ErrExists, ErrNoSecret and ErrInvalid. Nothing in this
// package logs unless given a logger with WithLogger, and nothing in it
// starts goroutines.
package cert
