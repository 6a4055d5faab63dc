package oauthreg

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"os"
	"strings"
	"testing"
	"time"
)

// TestShaCryptSecretLengthBound: a secret of shaCryptMaxSecret bytes is
// verified; a longer one never matches, even against its own hash (both
// hashes made by glibc's crypt(3) with Python's crypt module).
func TestShaCryptSecretLengthBound(t *testing.T) {
	h := mustHasher(t, hasherConfig{})
	const (
		at   = "$6$rounds=1000$longsecret$WPbojbRuoTK2R4GEAiRMF1/HvX/Yhs.5U/JxANWaZMB3tzXh.5F9ybGToS3qspqLnCLY94DR4KQnlb02l5mqY0"
		over = "$6$rounds=1000$longsecret$rG4.hMCM6WO1Rrgh8/NcvOxIxl2Tx3muwvXoKAJY2Zqt4fCTWeHL6kvNWwFof1SJw0UauBWZTSyGgEF49ddga0"
	)
	checkVerify(t, h, at, strings.Repeat("x", shaCryptMaxSecret), verifyResult{true, true})
	checkVerify(t, h, over, strings.Repeat("x", shaCryptMaxSecret+1), verifyResult{false, false})
	// The bound is what Authenticate accepts, not what crypt(3) computes:
	// the hash of 257 bytes is a real one.
	if got := string(shaCrypt(true, []byte(strings.Repeat("x", shaCryptMaxSecret+1)), []byte("longsecret"), 1000)); !strings.HasSuffix(over, "$"+got) {
		t.Errorf("shaCrypt of 257 bytes = %s, want glibc's", got)
	}
}

// TestShaCryptRoundsEncoding: an explicit rounds=5000 stays in the
// encoding (glibc writes it when asked), an omitted one stays omitted.
func TestShaCryptRoundsEncoding(t *testing.T) {
	for _, in := range []string{
		"$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5",
		"$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5",
	} {
		if got, err := parseImportedHash(in); err != nil || got != in {
			t.Errorf("parseImportedHash(%q) = %q, %v; want it unchanged", in, got, err)
		}
	}
}

// TestShaCryptRelativeCost measures what shaCryptRelativeCost states: the
// time of one SHA-crypt round over a secret of shaCryptMaxSecret bytes (and
// of a 72-byte one, for scale) relative to one PBKDF2-HMAC-SHA-256
// iteration. The runs alternate (PBKDF2, $5$, $6$, PBKDF2, …) and each
// keeps its fastest of 40, so load on the machine hits all alike. A
// measurement, not a check: it runs only with OAUTHREG_MEASURE_SHACRYPT=1
// (go test -run TestShaCryptRelativeCost -v .).
func TestShaCryptRelativeCost(t *testing.T) {
	if os.Getenv("OAUTHREG_MEASURE_SHACRYPT") == "" {
		t.Skip("a timing; set OAUTHREG_MEASURE_SHACRYPT=1 to measure")
	}
	salt := []byte("0123456789abcdef")
	timed := func(f func()) time.Duration {
		start := time.Now()
		f()
		return time.Since(start)
	}
	const iters, rounds = 4000, 1000
	for _, n := range []int{72, shaCryptMaxSecret} {
		pw := []byte(strings.Repeat("p", n))
		best := [3]time.Duration{1 << 62, 1 << 62, 1 << 62}
		for range 40 {
			for i, f := range []func(){
				func() { _, _ = pbkdf2.Key(sha256.New, strings.Repeat("p", 32), salt, iters, 32) },
				func() { shaCrypt(false, pw, salt, rounds) },
				func() { shaCrypt(true, pw, salt, rounds) },
			} {
				best[i] = min(best[i], timed(f))
			}
		}
		iter := float64(best[0]) / iters
		t.Logf("%d-byte secret: one round costs %.2f ($5$) and %.2f ($6$) PBKDF2-HMAC-SHA-256 iterations (%.0f ns each); stated for %d bytes: %d and %d",
			n, float64(best[1])/rounds/iter, float64(best[2])/rounds/iter, iter, shaCryptMaxSecret, shaCryptRelativeCost(false), shaCryptRelativeCost(true))
	}
}
