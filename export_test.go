package oauthreg

import (
	"encoding/binary"
	"hash/crc32"
)

// ForgeSameID returns a well-formed generated secret with the same prefix
// and secret ID as s but other random bits: it passes the checksum and finds
// the stored hash, which it does not match.
func ForgeSameID(s string) string {
	b := []byte(s)
	i := len(b) - secretCheckLen - 1
	if b[i] == 'a' {
		b[i] = 'b'
	} else {
		b[i] = 'a'
	}
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc32.Checksum(b[:len(b)-secretCheckLen], crc32c))
	secretEncoding.Encode(b[len(b)-secretCheckLen:], sum[:])
	return string(b)
}
