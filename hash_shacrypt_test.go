package oauthreg

import (
	"strings"
	"testing"
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
