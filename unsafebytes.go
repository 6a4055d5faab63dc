package oauthreg

import "unsafe"

// unsafeBytes returns the bytes of s without copying, for read-only use by
// hash functions on the authentication hot path. The result must never be
// written to.
func unsafeBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// unsafeString returns b as a string without copying, for read-only use
// while b is neither modified nor released: ImportClients hashes a
// plaintext from the caller's buffer, which it zeroes afterwards, leaving
// no copy behind.
func unsafeString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
