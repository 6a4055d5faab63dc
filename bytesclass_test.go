package oauthreg

import (
	"strings"
	"testing"
)

// TestBytesClassEveryByte puts every byte value at every offset of strings
// of 1 to 17 bytes (so at each position of a first and second eight-byte
// word, and in the tail) otherwise made of an accepted byte, and checks
// allBytesIn, allBase32Lower and ValidClientID against a plain loop, for
// the ranges the package uses and for the edges inRange8 allows.
func TestBytesClassEveryByte(t *testing.T) {
	ranges := [][2]byte{{0x20, 0x7e}, {'a', 'z'}, {'2', '7'}, {0, 0x7f}, {0, 0}, {0x7f, 0x7f}, {0x41, 0x41}}
	for n := 1; n <= 17; n++ {
		for pos := range n {
			for b := range 256 {
				for _, fill := range []byte{'a', '7', ' ', '~'} {
					buf := []byte(strings.Repeat(string(fill), n))
					buf[pos] = byte(b)
					s := string(buf)
					for _, r := range ranges {
						want := true
						for i := range len(s) {
							want = want && s[i] >= r[0] && s[i] <= r[1]
						}
						if got := allBytesIn(s, r[0], r[1]); got != want {
							t.Fatalf("allBytesIn(%q, %#x, %#x) = %v, want %v", s, r[0], r[1], got, want)
						}
					}
					want := true
					for i := range len(s) {
						want = want && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= '2' && s[i] <= '7')
					}
					if got := allBase32Lower(s); got != want {
						t.Fatalf("allBase32Lower(%q) = %v, want %v", s, got, want)
					}
					want = true
					for i := range len(s) {
						want = want && s[i] >= 0x20 && s[i] <= 0x7e
					}
					if got := ValidClientID(s); got != want {
						t.Fatalf("ValidClientID(%q) = %v, want %v", s, got, want)
					}
				}
			}
		}
	}
}
