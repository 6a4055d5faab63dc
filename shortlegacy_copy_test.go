package oauthreg

import (
	"strings"
	"testing"
)

// TestShortLegacyCheckMakesNoCopy: checking a short legacy plaintext (an
// import with AllowShortLegacySecrets, a Keycloak secret the caller's
// buffer holds and ImportClients zeroes) must not copy it into a new string,
// which nothing could overwrite. It used to check plaintext+"xxxxxxxxxxxx".
// The verdicts stay those of the padded check.
func TestShortLegacyCheckMakesNoCopy(t *testing.T) {
	plain := []byte("legacy-9")
	if allocs := testing.AllocsPerRun(10, func() {
		if _, err := checkSuppliedOrLegacy(unsafeString(plain), true); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("checking a short legacy secret made %.0f allocations; want none (no copy of the plaintext)", allocs)
	}
	padded := func(p string) error { return checkSuppliedSecret(p + strings.Repeat("x", MinSuppliedSecretLen)) }
	for _, p := range []string{"legacy-9", "abcd", "ab\ncdefg", "abc\x7fdefg", "abcdé123", "oreg_abc", "        "} {
		if len(p) < MinLegacySecretLen || len(p) >= MinSuppliedSecretLen {
			continue
		}
		short, err := checkSuppliedOrLegacy(p, true)
		want := padded(p)
		if !short || (err == nil) != (want == nil) || (err != nil && err.Error() != want.Error()) {
			t.Errorf("checkSuppliedOrLegacy(%q): short %v, %v; the padded check says %v", p, short, err, want)
		}
	}
}
