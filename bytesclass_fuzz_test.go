package oauthreg

import "testing"

// FuzzBytesClass checks the eight-bytes-at-a-time class checks against a
// plain loop, for every range the package uses and for ranges at the
// edges of what inRange8 allows.
func FuzzBytesClass(f *testing.F) {
	for _, s := range []string{
		"", "a", "abcdefgh", "abcdefgh2", "abcdefg\x80", "\x7f1234567", "ABCDEFGHIJKLMNOP",
		"0190c3a2-0000-7000-8000-000000000000", "oar_abcdefghijklmnopqrstuvwxyz234567abcdefghijklmn",
		"abcdefgh\xff", "zzzzzzzz77777777", "{{{{{{{{", "````````", "11111111", "88888888", " ~~~~~~~", "\x1f~~~~~~~",
	} {
		f.Add(s, byte(0x20), byte(0x7e))
		f.Add(s, byte('a'), byte('z'))
	}
	f.Add("\x00\x00\x00\x00\x00\x00\x00\x00", byte(0), byte(0))
	f.Add("\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f", byte(0), byte(0x7f))
	f.Fuzz(func(t *testing.T, s string, lo, hi byte) {
		lo, hi = lo&0x7f, hi&0x7f // inRange8 needs hi < 0x80
		if lo > hi {
			lo, hi = hi, lo
		}
		want := true
		for i := 0; i < len(s); i++ {
			want = want && s[i] >= lo && s[i] <= hi
		}
		if got := allBytesIn(s, lo, hi); got != want {
			t.Fatalf("allBytesIn(%q, %#x, %#x) = %v, want %v", s, lo, hi, got, want)
		}
		want = true
		for i := 0; i < len(s); i++ {
			want = want && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= '2' && s[i] <= '7')
		}
		if got := allBase32Lower(s); got != want {
			t.Fatalf("allBase32Lower(%q) = %v, want %v", s, got, want)
		}
	})
}
