package zmsg

// UUID is a 16-byte universally unique identifier, carried by the 'U'
// letter of Pack pictures and the 'u' letter of BPack pictures. Arguments
// of type [16]byte are accepted wherever a UUID is.
type UUID [16]byte
