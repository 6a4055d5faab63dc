package oauthreg

import "unsafe"

// unsafeBytes returns the bytes of s without copying, for read-only use by
// hash functions on the authentication hot path. The result must never be
// written to.
func unsafeBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
