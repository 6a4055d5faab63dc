package oauthreg

import "encoding/binary"

// Byte-class checks on the authentication hot path, eight bytes at a time
// (SWAR: each byte of a uint64 tested at once with additions that cannot
// carry from one byte into the next). A presented client ID and secret are
// checked on every request; a loop over a table cost about 9 instructions a
// byte, this about 2.

const (
	swarOnes  = 0x0101010101010101
	swarHighs = 0x8080808080808080
)

// inRange8 returns, for x whose bytes are all below 0x80, the high bit of
// each byte set when the byte lies in [lo, hi], hi < 0x80, and nothing
// else. x + (0x80-lo) sets a byte's high bit when the byte is >= lo, and
// x + (0x7f-hi) when it is > hi; neither sum carries out of a byte.
func inRange8(x uint64, lo, hi byte) uint64 {
	ge := x + swarOnes*uint64(0x80-lo)
	gt := x + swarOnes*uint64(0x7f-hi)
	return ge &^ gt & swarHighs
}

// allBytesIn reports whether every byte of s lies in [lo, hi], hi < 0x80.
func allBytesIn(s string, lo, hi byte) bool {
	for ; len(s) >= 8; s = s[8:] {
		x := binary.LittleEndian.Uint64(unsafeBytes(s[:8]))
		if x&swarHighs != 0 || inRange8(x, lo, hi) != swarHighs {
			return false
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return true
}

// allBase32Lower reports whether every byte of s is in the alphabet of
// generated secrets' bodies: RFC 4648 base32, lower case (a-z, 2-7).
func allBase32Lower(s string) bool {
	for ; len(s) >= 8; s = s[8:] {
		x := binary.LittleEndian.Uint64(unsafeBytes(s[:8]))
		if x&swarHighs != 0 || inRange8(x, 'a', 'z')|inRange8(x, '2', '7') != swarHighs {
			return false
		}
	}
	for i := 0; i < len(s); i++ {
		if charClass[s[i]]&classBase32 == 0 {
			return false
		}
	}
	return true
}
