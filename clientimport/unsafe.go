package clientimport

import "unsafe"

// unsafeString reads b as a string without copying it, for a comparison
// that keeps no reference: the bytes of a plaintext secret are never
// copied into a string, which could not be overwritten.
func unsafeString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
