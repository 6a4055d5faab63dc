package oauthreg

import (
	"testing"
	"unsafe"
)

// TestClientRecordSizes keeps the decode block within the allocator's
// 1,536-byte size class, and the header of a record with one secret small.
func TestClientRecordSizes(t *testing.T) {
	if n := unsafe.Sizeof(decodeBlock{}); n > 1536-8 {
		t.Errorf("decodeBlock is %d bytes; the 1,536-byte size class holds it, with the allocator's 8-byte header, only up to 1,528", n)
	}
	if n := unsafe.Sizeof(ClientRecord{}); n > 240 {
		t.Errorf("ClientRecord is %d bytes; want at most 240 (a size class of the allocator)", n)
	}
	t.Logf("decodeBlock %d B, ClientRecord %d B, secretHead %d B", unsafe.Sizeof(decodeBlock{}), unsafe.Sizeof(ClientRecord{}), unsafe.Sizeof(secretHead{}))
}
