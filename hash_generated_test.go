package oauthreg

import (
	"bytes"
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg/internal/gendigest"
)

// kaSecret and the digests below are a known-answer vector computed
// independently of Go (Python's hashlib, hmac and RFC 5869 HKDF written out
// by hand) with testPepper1, so the keyed scheme cannot change by accident.
const (
	kaSecret = "oauthreg_aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbcccccc2"
	kaKeyed  = "B6hdKtZRmzyqwpeHt2Tc9f7p2o1ZV+oos7SgMiP65XU"
	kaHMAC   = "aRZuK9xQMDF0wvH/wb4tPgrd0czUojDLdzvW2mQNlo0"
)

// hmacHash returns the "$hmac-sha256$" hash of secret under key, as the
// releases before the keyed digest wrote it, computed with crypto/hmac.
func hmacHash(id string, key []byte, secret string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(secret))
	return "$hmac-sha256$k=" + id + "$" + base64.RawStdEncoding.EncodeToString(m.Sum(nil))
}

// keyedDigest computes the keyed digest from its definition:
// SHA-256(HKDF-SHA-256(key, info) ‖ secret), without precomputed states.
func keyedDigest(t testing.TB, key []byte, secret string) []byte {
	kb, err := hkdf.Key(sha256.New, key, nil, "oauthreg sha256-keyed key block v1", 64)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(append(kb, secret...))
	return sum[:]
}

func TestHashGeneratedEncoding(t *testing.T) {
	plain := mustHasher(t, hasherConfig{})
	sum := sha256.Sum256([]byte(kaSecret))
	if got, want := plain.hashGenerated(kaSecret), "$sha256$"+base64.RawStdEncoding.EncodeToString(sum[:]); got != want {
		t.Errorf("hashGenerated without pepper = %q, want %q", got, want)
	}

	h := mustHasher(t, hasherConfig{PepperID: "p1", Pepper: testPepper1})
	if got, want := h.hashGenerated(kaSecret), "$sha256-keyed$k=p1$"+kaKeyed; got != want {
		t.Errorf("hashGenerated under a pepper = %q, want the known answer %q", got, want)
	}
	if got, want := hmacHash("p1", testPepper1, kaSecret), "$hmac-sha256$k=p1$"+kaHMAC; got != want {
		t.Fatalf("crypto/hmac gives %q, the known answer is %q", got, want)
	}
	checkVerify(t, h, "$hmac-sha256$k=p1$"+kaHMAC, kaSecret, verifyResult{true, true})

	for _, keyLen := range []int{16, 32, 64, 65, 200} {
		key := make([]byte, keyLen)
		for i := range key {
			key[i] = byte(i*7 + keyLen)
		}
		h := mustHasher(t, hasherConfig{PepperID: "k-2024", Pepper: key})
		want := "$sha256-keyed$k=k-2024$" + base64.RawStdEncoding.EncodeToString(keyedDigest(t, key, kaSecret))
		got := h.hashGenerated(kaSecret)
		if got != want {
			t.Errorf("key of %d bytes: hashGenerated = %q, want %q", keyLen, got, want)
		}
		if norm, err := parseImportedHash(got); err != nil || norm != got {
			t.Errorf("parseImportedHash(%q) = %q, %v; want it unchanged", got, norm, err)
		}
		checkVerify(t, h, got, kaSecret, verifyResult{true, false})
		checkVerify(t, h, hmacHash("k-2024", key, kaSecret), kaSecret, verifyResult{true, true})
	}

	// The longest pepper ID.
	id := strings.Repeat("x", maxPepperIDLen)
	h = mustHasher(t, hasherConfig{PepperID: id, Pepper: testPepper1})
	if got := h.hashGenerated(kaSecret); got != "$sha256-keyed$k="+id+"$"+kaKeyed {
		t.Errorf("hashGenerated with a %d-character pepper ID = %q", len(id), got)
	}
}

// TestGeneratedDigestMatchesDefinitions checks the precomputed states
// against each scheme's definition, for keys and secrets of every length
// around SHA-256's block and padding boundaries.
func TestGeneratedDigestMatchesDefinitions(t *testing.T) {
	for _, keyLen := range []int{16, 63, 64, 65, 300} {
		key := make([]byte, keyLen)
		for i := range key {
			key[i] = byte(255 - i)
		}
		k := newPepperKey("k", key)
		for _, n := range []int{0, 1, 31, 55, 56, 63, 64, 65, 84, 119, 120, 511, 512, 513, 4096} {
			secret := strings.Repeat("s", n)
			plain := sha256.Sum256([]byte(secret))
			m := hmac.New(sha256.New, key)
			m.Write([]byte(secret))
			for scheme, want := range map[gendigest.Scheme][]byte{
				gendigest.SHA256:      plain[:],
				gendigest.HMACSHA256:  m.Sum(nil),
				gendigest.KeyedSHA256: keyedDigest(t, key, secret),
			} {
				if got := generatedDigest(scheme, k, secret); !hmac.Equal(got[:], want) {
					t.Errorf("%s, key %d bytes, secret %d bytes: digest %x, want %x", schemeNames[scheme], keyLen, n, got, want)
				}
			}
		}
	}
}

func TestVerifyGenerated(t *testing.T) {
	const secret = kaSecret
	noPepper := mustHasher(t, hasherConfig{})
	pepper1 := mustHasher(t, hasherConfig{PepperID: "p1", Pepper: testPepper1})
	pepper9 := mustHasher(t, hasherConfig{PepperID: "p9", Pepper: testPepper2})
	current := mustHasher(t, hasherConfig{PepperID: "p2", Pepper: testPepper2, RetiredPeppers: map[string][]byte{"p1": testPepper1}})
	retiredOnly := mustHasher(t, hasherConfig{RetiredPeppers: map[string][]byte{"p1": testPepper1}})
	otherKey := pepper9.hashGenerated(secret)
	otherKey = strings.Replace(otherKey, "k=p9$", "k=p1$", 1)

	cases := []struct {
		name    string
		h       *hasher
		encoded string
		secret  string
		want    generatedResult
	}{
		{"sha256 without pepper", noPepper, noPepper.hashGenerated(secret), secret, generatedMatch},
		{"sha256 wrong secret", noPepper, noPepper.hashGenerated(secret), secret + "x", generatedMismatch},
		{"sha256 empty secret", noPepper, noPepper.hashGenerated(secret), "", generatedMismatch},
		{"sha256 while a pepper is configured", current, noPepper.hashGenerated(secret), secret, generatedOutdated},
		{"sha256 wrong secret while a pepper is configured", current, noPepper.hashGenerated(secret), "nope", generatedMismatch},
		{"primary pepper", current, current.hashGenerated(secret), secret, generatedMatch},
		{"primary pepper wrong secret", current, current.hashGenerated(secret), secret[1:], generatedMismatch},
		{"retired pepper", current, pepper1.hashGenerated(secret), secret, generatedOutdated},
		{"retired pepper wrong secret", current, pepper1.hashGenerated(secret), "x", generatedMismatch},
		{"retired pepper, no primary", retiredOnly, pepper1.hashGenerated(secret), secret, generatedOutdated},
		{"hmac under the primary pepper", current, hmacHash("p2", testPepper2, secret), secret, generatedOutdated},
		{"hmac under the primary pepper, wrong secret", current, hmacHash("p2", testPepper2, secret), secret[1:], generatedMismatch},
		{"hmac under a retired pepper", current, hmacHash("p1", testPepper1, secret), secret, generatedOutdated},
		{"hmac, no primary", retiredOnly, hmacHash("p1", testPepper1, secret), secret, generatedOutdated},
		{"hmac digest written as keyed", current, "$sha256-keyed$k=p2$" + hmacHash("p2", testPepper2, secret)[len("$hmac-sha256$k=p2$"):], secret, generatedMismatch},
		{"keyed digest written as hmac", current, "$hmac-sha256$k=p2$" + current.hashGenerated(secret)[len("$sha256-keyed$k=p2$"):], secret, generatedMismatch},
		{"sha256 digest written as keyed", current, "$sha256-keyed$k=p2$" + noPepper.hashGenerated(secret)[len("$sha256$"):], secret, generatedMismatch},
		{"same ID, other key", pepper1, otherKey, secret, generatedMismatch},
		{"unknown pepper", current, pepper9.hashGenerated(secret), secret, generatedNoPepper},
		{"unknown pepper, hmac", current, hmacHash("p9", testPepper2, secret), secret, generatedNoPepper},
		{"unknown pepper, no pepper configured", noPepper, pepper1.hashGenerated(secret), secret, generatedNoPepper},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.h.verifyGenerated(tc.encoded, tc.secret); got != tc.want {
				t.Errorf("verifyGenerated = %d, want %d", got, tc.want)
			}
			if tc.want == generatedNoPepper {
				_, _, err := tc.h.verify(context.Background(), tc.encoded, tc.secret)
				if !errors.Is(err, ErrUnsupportedHash) || !strings.Contains(err.Error(), "is not configured") {
					t.Errorf("verify with unknown pepper: err = %v; want ErrUnsupportedHash naming the pepper", err)
				}
				return
			}
			checkVerify(t, tc.h, tc.encoded, tc.secret, verifyResult{tc.want.ok(), tc.want == generatedOutdated})
		})
	}
	if _, _, err := current.verify(context.Background(), pepper9.hashGenerated(secret), secret); err == nil || !strings.Contains(err.Error(), `sha256-keyed: pepper "p9" is not configured`) {
		t.Errorf("verify with unknown pepper: err = %v; want it to name the scheme and pepper", err)
	}

	t.Run("non-ASCII secret against a keyed hash", func(t *testing.T) {
		// Only a record written around the Registry holds such a hash, and
		// only verify (a supplied-kind record) takes such a secret.
		const odd = "secret\x80\x00\x00suffix"
		checkVerify(t, current, current.hashGenerated(odd), odd, verifyResult{false, false})
		checkVerify(t, current, noPepper.hashGenerated(odd), odd, verifyResult{true, true}) // plain SHA-256 has no key to protect
	})

	t.Run("the zero Hash", func(t *testing.T) {
		if got := current.verifyGeneratedHash(&gendigest.Hash{}, secret); got != generatedMismatch {
			t.Errorf("verifyGeneratedHash(zero Hash) = %d, want a mismatch", got)
		}
	})

	t.Run("other encodings", func(t *testing.T) {
		good := current.hashGenerated(secret)
		d := gendigest.EncodedDigestLen
		for _, encoded := range []string{
			"", "$", "$sha256$", "$sha256", "$sha256-keyed$k=", "$sha256-keyed$k=$" + good[len(good)-d:],
			"$hmac-sha256$k=", "$hmac-sha256$k=$" + good[len(good)-d:],
			good[:len(good)-1], good + "A", good + "$", strings.Replace(good, "$sha256-keyed$", "$sha512-keyed$", 1),
			"$sha256$" + strings.Repeat("A", d+1), cheapArgon2id(secret), hydraBcrypt12, hydraPBKDF2SHA256,
		} {
			if got := current.verifyGenerated(encoded, secret); got != generatedMismatch {
				t.Errorf("verifyGenerated(%q) = %d, want a mismatch", encoded, got)
			}
		}
	})
}

func TestVerifyGeneratedAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation may allocate")
	}
	const secret = kaSecret
	plain := mustHasher(t, hasherConfig{})
	peppered := mustHasher(t, hasherConfig{PepperID: "p2", Pepper: testPepper2, RetiredPeppers: map[string][]byte{"p1": testPepper1}})
	old := mustHasher(t, hasherConfig{PepperID: "p1", Pepper: testPepper1})
	other := mustHasher(t, hasherConfig{PepperID: "p9", Pepper: testPepper1})

	sha := plain.hashGenerated(secret)
	keyed := peppered.hashGenerated(secret)
	retired := old.hashGenerated(secret)
	mac := hmacHash("p2", testPepper2, secret)
	unknown := other.hashGenerated(secret)
	parsed, _ := gendigest.Parse(keyed)
	for name, f := range map[string]func(){
		"sha256 match":    func() { plain.verifyGenerated(sha, secret) },
		"sha256 mismatch": func() { plain.verifyGenerated(sha, "wrong") },
		"keyed match":     func() { peppered.verifyGenerated(keyed, secret) },
		"keyed mismatch":  func() { peppered.verifyGenerated(keyed, "wrong") },
		"keyed retired":   func() { peppered.verifyGenerated(retired, secret) },
		"keyed parsed":    func() { peppered.verifyGeneratedHash(&parsed, secret) },
		"hmac match":      func() { peppered.verifyGenerated(mac, secret) },
		"unknown pepper":  func() { peppered.verifyGenerated(unknown, secret) },
		"sha256 outdated": func() { peppered.verifyGenerated(sha, secret) },
		"decoy sha256":    func() { plain.decoyVerifyGenerated(secret) },
		"decoy keyed":     func() { peppered.decoyVerifyGenerated(secret) },
		"decoy parsed":    func() { peppered.decoyVerifyGeneratedHash(secret) },
	} {
		if n := testing.AllocsPerRun(200, f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, n)
		}
	}
	// Sanity: the functions measured above do succeed.
	if !peppered.verifyGenerated(keyed, secret).ok() || !peppered.verifyGeneratedHash(&parsed, secret).ok() {
		t.Fatal("keyed verification failed")
	}
	if n := testing.AllocsPerRun(200, func() { peppered.hashGenerated(secret) }); n > 1 {
		t.Errorf("hashGenerated: %v allocations per run, want at most 1 (the result)", n)
	}
}

// TestPepperKeyKeepsNoPepper: New zeroes the pepper it was given once the
// hasher is built (registry.go), so a pepperKey must neither alias the
// caller's pepper nor keep a copy of it or of HMAC's padded keys in any
// field, present or added later. (The marshalled states alone cannot hold
// them: a SHA-256 state after whole blocks has an empty buffer.)
func TestPepperKeyKeepsNoPepper(t *testing.T) {
	key := []byte("a pepper that is easy to spot in memory")
	k := newPepperKey("p", key)
	keyed := generatedDigest(gendigest.KeyedSHA256, k, kaSecret)
	hmacd := generatedDigest(gendigest.HMACSHA256, k, kaSecret)
	var ipad, opad [16]byte
	for i := range ipad {
		ipad[i], opad[i] = key[i]^0x36, key[i]^0x5c
	}
	needles := [][]byte{append([]byte(nil), key[:16]...), ipad[:], opad[:]}
	clear(key) // as New does
	if generatedDigest(gendigest.KeyedSHA256, k, kaSecret) != keyed || generatedDigest(gendigest.HMACSHA256, k, kaSecret) != hmacd {
		t.Fatal("the digests changed when the caller zeroed its pepper: the pepperKey reads the caller's slice")
	}
	v := reflect.ValueOf(k).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		var b []byte
		switch {
		case f.Kind() == reflect.String:
			b = []byte(f.String())
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Uint8:
			b = f.Bytes()
		default:
			t.Fatalf("pepperKey.%s is a %s: extend this test to look inside it", v.Type().Field(i).Name, f.Type())
		}
		for _, n := range needles {
			if bytes.Contains(b, n) {
				t.Errorf("pepperKey.%s holds the pepper or its padded HMAC key", v.Type().Field(i).Name)
			}
		}
	}
}

// The parsed decoy is a hash in today's scheme, under the primary pepper,
// that the decoy text parses to: the decoys cost what a real check costs.
func TestDecoyGeneratedIsCurrent(t *testing.T) {
	for _, h := range []*hasher{
		mustHasher(t, hasherConfig{}),
		mustHasher(t, hasherConfig{PepperID: "p2", Pepper: testPepper2, RetiredPeppers: map[string][]byte{"p1": testPepper1}}),
	} {
		parsed, err := gendigest.Parse(h.decoyGenerated)
		if err != nil || parsed != h.decoy || h.decoy.Scheme != h.scheme {
			t.Fatalf("decoy %+v, text parses to %+v, %v; scheme %d", h.decoy, parsed, err, h.scheme)
		}
		if h.primary != nil && h.decoy.PepperID != h.primary.id {
			t.Errorf("decoy under pepper %q, want the primary %q", h.decoy.PepperID, h.primary.id)
		}
		if got := h.verifyGeneratedHash(&h.decoy, kaSecret); got != generatedMismatch {
			t.Errorf("a secret matched the decoy: %d", got)
		}
	}
}
