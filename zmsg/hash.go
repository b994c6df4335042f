package zmsg

import (
	"encoding/binary"
	"maps"
	"math"
	"slices"
)

// appendHash appends the serialised form of h used by the 'h' picture
// letter: a 4-byte big-endian entry count, then for each entry in key order
// a 1-byte key length and the key, and a 4-byte big-endian value length and
// the value. This matches CZMQ's zhash_pack.
func appendHash(dst []byte, h map[string]string) ([]byte, *fault) {
	if uint64(len(h)) > math.MaxUint32 {
		return nil, badArg("map has %d entries, more than a 4-byte count can hold", len(h))
	}
	keys := slices.Sorted(maps.Keys(h))
	size := 4
	for _, k := range keys {
		if len(k) > math.MaxUint8 {
			return nil, badArg("map key of %d bytes is longer than 255", len(k))
		}
		if uint64(len(h[k])) > math.MaxUint32 {
			return nil, badArg("map value of %d bytes does not fit a 4-byte length", len(h[k]))
		}
		size += 1 + len(k) + 4 + len(h[k])
	}
	dst = slices.Grow(dst, size)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(keys)))
	for _, k := range keys {
		v := h[k]
		dst = append(dst, byte(len(k)))
		dst = append(dst, k...)
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(v)))
		dst = append(dst, v...)
	}
	return dst, nil
}

// parseHash decodes a frame written by appendHash. The frame must hold
// exactly the announced entries, with no duplicate keys and no trailing
// bytes. The result is never nil.
func parseHash(data []byte) (map[string]string, *fault) {
	r := reader{data: data}
	count, ok := r.uint(4)
	if !ok {
		return nil, mismatch("map frame of %d bytes has no 4-byte entry count", len(data))
	}
	// Every entry takes at least 5 bytes, which bounds the size hint.
	h := make(map[string]string, min(count, uint64(r.left()/5)))
	for i := uint64(0); i < count; i++ {
		klen, ok := r.uint(1)
		if !ok {
			return nil, mismatch("map entry %d: missing key length at offset %d", i, r.off)
		}
		key, ok := r.take(klen)
		if !ok {
			return nil, mismatch("map entry %d: key of %d bytes runs past the frame end", i, klen)
		}
		vlen, ok := r.uint(4)
		if !ok {
			return nil, mismatch("map entry %d: missing value length at offset %d", i, r.off)
		}
		val, ok := r.take(vlen)
		if !ok {
			return nil, mismatch("map entry %d: value of %d bytes runs past the frame end", i, vlen)
		}
		k := string(key)
		if _, dup := h[k]; dup {
			return nil, mismatch("map entry %d: duplicate key %s", i, quoteShort(key))
		}
		h[k] = string(val)
	}
	if r.left() != 0 {
		return nil, mismatch("map frame has %d trailing bytes after %d entries", r.left(), count)
	}
	return h, nil
}
