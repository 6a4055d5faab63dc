package oauthregtest

import (
	"encoding/base32"
	"encoding/binary"
	"hash/crc32"
)

// ForgeSameID returns a well-formed generated secret with the same prefix
// and secret ID as the generated secret s but other random bits: it passes
// the checksum and finds the stored hash, which it does not match. Tests use
// it to check what a wrong secret for a real secret ID does.
func ForgeSameID(s string) string {
	const checkLen = 7 // base32 of a CRC-32C
	if len(s) <= checkLen {
		return s + "x"
	}
	b := []byte(s)
	i := len(b) - checkLen - 1
	if b[i] == 'a' {
		b[i] = 'b'
	} else {
		b[i] = 'a'
	}
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc32.Checksum(b[:len(b)-checkLen], crc32.MakeTable(crc32.Castagnoli)))
	base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding).Encode(b[len(b)-checkLen:], sum[:])
	return string(b)
}
