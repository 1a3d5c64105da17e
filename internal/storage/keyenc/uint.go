package keyenc

import (
	"encoding/binary"
	"fmt"
)

// AppendUint64 appends v to dst as 8 big-endian bytes, so that byte order is
// numeric order, and returns the extended slice.
func AppendUint64(dst []byte, v uint64) []byte {
	return binary.BigEndian.AppendUint64(dst, v)
}

// DecodeUint64 decodes a value written by AppendUint64 from the front of b
// and returns it with the bytes that follow.
func DecodeUint64(b []byte) (v uint64, rest []byte, err error) {
	if len(b) < 8 {
		return 0, nil, fmt.Errorf("%w: uint64 needs 8 bytes, have %d", ErrMalformed, len(b))
	}
	return binary.BigEndian.Uint64(b), b[8:], nil
}
