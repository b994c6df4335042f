package cert

import (
	"encoding/binary"
	"fmt"
)

// z85Alphabet holds the 85 Z85 digits in value order (ZeroMQ RFC 32).
const z85Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"

// z85Values maps a byte to its digit value, or 0xFF for bytes that are
// not Z85 digits.
var z85Values = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for i := range len(z85Alphabet) {
		t[z85Alphabet[i]] = byte(i)
	}
	return t
}()

// Z85Encode encodes data as Z85 text (ZeroMQ RFC 32): every 4 bytes,
// read as a big-endian number, become 5 characters. The length of data
// must be a multiple of 4, otherwise the error matches ErrZ85. A 32-byte
// CURVE key becomes 40 characters.
func Z85Encode(data []byte) (string, error) {
	if len(data)%4 != 0 {
		return "", fmt.Errorf("%w: cannot encode %d bytes: length must be a multiple of 4", ErrZ85, len(data))
	}
	return string(z85Append(make([]byte, 0, len(data)/4*5), data)), nil
}

// z85Append appends the encoding of data, whose length is a multiple of 4.
func z85Append(dst, data []byte) []byte {
	for i := 0; i+4 <= len(data); i += 4 {
		v := binary.BigEndian.Uint32(data[i:])
		var group [5]byte
		for j := 4; j >= 0; j-- {
			group[j] = z85Alphabet[v%85]
			v /= 85
		}
		dst = append(dst, group[:]...)
	}
	return dst
}

// Z85Decode decodes Z85 text. The length of text must be a multiple of 5,
// every character must be a Z85 digit and every group of 5 characters
// must stand for a number that fits in 32 bits; otherwise the error
// matches ErrZ85 and says where the text goes wrong.
func Z85Decode(text string) ([]byte, error) {
	if len(text)%5 != 0 {
		return nil, fmt.Errorf("%w: %d characters: length must be a multiple of 5", ErrZ85, len(text))
	}
	out := make([]byte, 0, len(text)/5*4)
	for i := 0; i < len(text); i += 5 {
		var v uint64
		for j := i; j < i+5; j++ {
			d := z85Values[text[j]]
			if d == 0xFF {
				return nil, fmt.Errorf("%w: character %q at offset %d is not a Z85 digit", ErrZ85, text[j], j)
			}
			v = v*85 + uint64(d)
		}
		if v > 0xFFFFFFFF {
			return nil, fmt.Errorf("%w: group %q at offset %d exceeds 32 bits", ErrZ85, text[i:i+5], i)
		}
		out = binary.BigEndian.AppendUint32(out, uint32(v))
	}
	return out, nil
}

// decodeKey decodes a 40-character Z85 key into a 32-byte array.
func decodeKey(text string) ([KeySize]byte, error) {
	var key [KeySize]byte
	if len(text) != KeyTextSize {
		return key, fmt.Errorf("%w: a key is %d characters, got %d", ErrZ85, KeyTextSize, len(text))
	}
	b, err := Z85Decode(text)
	if err != nil {
		return key, err
	}
	copy(key[:], b)
	return key, nil
}

// encodeKey returns the 40-character Z85 text of a 32-byte key.
func encodeKey(key *[KeySize]byte) string {
	return string(z85Append(make([]byte, 0, KeyTextSize), key[:]))
}
