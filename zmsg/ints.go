package zmsg

import (
	"strconv"
)

// bitsOf returns the width in bits of the unsigned integer letters
// '1', '2', '4' and '8'.
func bitsOf(letter byte) int {
	switch letter {
	case '1':
		return 8
	case '2':
		return 16
	case '4':
		return 32
	}
	return 64
}

// typeOf returns the Go type name matching an unsigned integer letter.
func typeOf(letter byte) string {
	return "uint" + strconv.Itoa(bitsOf(letter))
}

// signedArg returns the value of a signed integer argument and whether arg
// has a signed integer type.
func signedArg(arg any) (int64, bool) {
	switch a := arg.(type) {
	case int:
		return int64(a), true
	case int8:
		return int64(a), true
	case int16:
		return int64(a), true
	case int32:
		return int64(a), true
	case int64:
		return a, true
	}
	return 0, false
}

// unsignedArg converts an argument for an unsigned integer letter. Any
// integer type is accepted as long as the value is not negative and fits
// in the letter's width.
func unsignedArg(arg any, letter byte) (uint64, *fault) {
	var v uint64
	if s, ok := signedArg(arg); ok {
		if s < 0 {
			return 0, badArg("value %d out of range for %s", s, typeOf(letter))
		}
		v = uint64(s)
	} else {
		switch a := arg.(type) {
		case uint:
			v = uint64(a)
		case uint8:
			v = uint64(a)
		case uint16:
			v = uint64(a)
		case uint32:
			v = uint64(a)
		case uint64:
			v = a
		default:
			return 0, wantType("an integer fitting "+typeOf(letter), arg)
		}
	}
	if bits := bitsOf(letter); bits < 64 && v>>bits != 0 {
		return 0, badArg("value %d out of range for %s", v, typeOf(letter))
	}
	return v, nil
}

// isDigits reports whether s is one or more ASCII decimal digits.
func isDigits(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseSigned parses a strict decimal frame: an optional '-' followed by
// at least one digit, in range for a signed integer of the given width.
func parseSigned(data []byte, bits int) (int64, *fault) {
	digits := data
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if !isDigits(digits) {
		return 0, mismatch("frame %s is not a decimal integer", quoteShort(data))
	}
	v, err := strconv.ParseInt(string(data), 10, bits)
	if err != nil {
		return 0, mismatch("frame %s out of range for int%d", quoteShort(data), bits)
	}
	return v, nil
}

// parseUnsigned parses a strict decimal frame of digits only, in range for
// an unsigned integer of the given width.
func parseUnsigned(data []byte, bits int) (uint64, *fault) {
	if !isDigits(data) {
		return 0, mismatch("frame %s is not an unsigned decimal integer", quoteShort(data))
	}
	v, err := strconv.ParseUint(string(data), 10, bits)
	if err != nil {
		return 0, mismatch("frame %s out of range for uint%d", quoteShort(data), bits)
	}
	return v, nil
}
