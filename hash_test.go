package oauthreg

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	xpbkdf2 "golang.org/x/crypto/pbkdf2"
)

// Known-answer vectors from other systems' own test suites.
const (
	// ory/x hasherx/hasher_test.go (TestCompare), the library Hydra and
	// Kratos hash with; all for the secret "test".
	hydraPBKDF2SHA256 = "$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI"
	hydraPBKDF2SHA512 = "$pbkdf2-sha512$i=100000,l=32$bdHBpn7OWOivJMVJypy2UqR0UnaD5prQXRZevj/05YU$+wArTfv1a+bNGO1iZrmEdVjhA+lL11wF4/IxpgYfPwc"
	hydraArgon2id     = "$argon2id$v=19$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw"
	hydraArgon2i      = "$argon2i$v=19$m=65536,t=3,p=4$kk51rW/vxIVCYn+EG4kTSg$NyT88uraJ6im6dyha/M5jhXvpqlEdlS/9fEm7ScMb8c"
	hydraBcrypt12     = "$2a$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6"

	// Computed for this suite with golang.org/x/crypto/pbkdf2 (and checked
	// against Python's hashlib.pbkdf2_hmac) in Hydra's encoding, at Hydra's
	// default of 25,000 iterations: secret "hydra-client-secret", salt
	// "hydra-salt-16byt".
	computedHydraSHA256 = "$pbkdf2-sha256$i=25000,l=32$aHlkcmEtc2FsdC0xNmJ5dA$FvKiVI/MP/YD8KXOcP9F80GkIv1VudPZP5qWSDV01Qc"
	computedHydraSHA512 = "$pbkdf2-sha512$i=25000,l=64$aHlkcmEtc2FsdC0xNmJ5dA$iXkEJSGwj4iaM7iakJq0QGT8hs+Mko68m/Id10KCDDH0WaHZFB5wHcMVT8yRltvgHILCU1uCxYt1JnVG3bSRZQ"
)

// upassWAV is passlib's UPASS_WAV test password (passlib/tests/test_handlers.py).
const upassWAV = "\u0399\u03c9\u03b1\u03bd\u03bd\u03b7\u03c2"

// passlibVectors are passlib's known_correct_hashes for pbkdf2_sha1,
// pbkdf2_sha256 and pbkdf2_sha512 (passlib/tests/test_handlers_pbkdf2.py).
var passlibVectors = []struct{ secret, hash string }{
	{"password", "$pbkdf2$1212$OB.dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zGI"},
	{upassWAV, "$pbkdf2$1212$THDqatpidANpadlLeTeOEg$HV3oi1k5C5LQCgG1BMOL.BX4YZc"},
	{"password", "$pbkdf2-sha256$1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ"},
	{upassWAV, "$pbkdf2-sha256$1212$3SABFJGDtyhrQMVt1uABPw$WyaUoqCLgvz97s523nF4iuOqZNbp5Nt8do/cuaa7AiI"},
	{"password", "$pbkdf2-sha512$1212$RHY0Fr3IDMSVO/RSZyb5ow$eNLfBK.eVozomMr.1gYa17k9B7KIK25NOEshvhrSX.esqY3s.FvWZViXz4KoLlQI.BzY/YTNJOiKc5gBYFYGww"},
	{upassWAV, "$pbkdf2-sha512$1212$KkbvoKGsAIcF8IslDR6skQ$8be/PRmd88Ps8fmPowCJttH9G3vgxpG.Krjt3KT.NP6cKJ0V4Prarqf.HBwz0dCkJ6xgWnSj2ynXSV7MlvMa8Q"},
}

// openwallBcryptVectors are from openwall's crypt_blowfish test suite
// (wrapper.c), as reproduced by many bcrypt implementations.
var openwallBcryptVectors = []struct{ secret, hash string }{
	{"U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"},
	{"U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"},
	{"U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"},
	{"", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"},
	{"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui"},
}

var (
	testPepper1 = []byte("pepper-one-0123456789abcdef")
	testPepper2 = []byte("pepper-two-0123456789abcdef")
)

func mustHasher(tb testing.TB, cfg hasherConfig) *hasher {
	tb.Helper()
	h, err := newHasher(cfg)
	if err != nil {
		tb.Fatalf("newHasher: %v", err)
	}
	return h
}

// cheapArgon2id returns an argon2id hash of secret at tiny parameters, for
// tests that need many argon2 runs.
func cheapArgon2id(secret string) string {
	a := &argon2Hash{id: true, memory: 64, time: 1, threads: 1, salt: []byte("0123456789abcdef")}
	a.key = argon2.IDKey([]byte(secret), a.salt, a.time, a.memory, a.threads, 32)
	return a.String()
}

type verifyResult struct {
	ok, outdated bool
}

func checkVerify(t *testing.T, h *hasher, encoded, secret string, want verifyResult) {
	t.Helper()
	ok, outdated, err := h.verify(context.Background(), encoded, secret)
	if err != nil {
		t.Fatalf("verify(%.40q, %q): unexpected error %v", encoded, secret, err)
	}
	if got := (verifyResult{ok, outdated}); got != want {
		t.Fatalf("verify(%.40q, %q) = %+v, want %+v", encoded, secret, got, want)
	}
}

func TestNewHasherConfig(t *testing.T) {
	bad := map[string]struct {
		cfg  hasherConfig
		want string
	}{
		"id without key":       {hasherConfig{PepperID: "p1"}, "pepper key is empty"},
		"key without id":       {hasherConfig{Pepper: testPepper1}, "without a pepper ID"},
		"short pepper":         {hasherConfig{PepperID: "p1", Pepper: []byte("too-short")}, "at least 16"},
		"bad id":               {hasherConfig{PepperID: "p$1", Pepper: testPepper1}, "pepper ID"},
		"long id":              {hasherConfig{PepperID: strings.Repeat("a", 65), Pepper: testPepper1}, "pepper ID"},
		"retired short":        {hasherConfig{RetiredPeppers: map[string][]byte{"old": []byte("x")}}, "retired pepper \"old\" is 1 bytes"},
		"retired bad id":       {hasherConfig{RetiredPeppers: map[string][]byte{"": testPepper1}}, "retired pepper ID"},
		"retired same as main": {hasherConfig{PepperID: "p1", Pepper: testPepper1, RetiredPeppers: map[string][]byte{"p1": testPepper2}}, "same ID"},
		"negative max":         {hasherConfig{MaxArgon2: -1}, "MaxArgon2"},
	}
	for name, tc := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := newHasher(tc.cfg)
			if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("newHasher(%s) = %v; want ErrInvalidConfig mentioning %q", name, err, tc.want)
			}
		})
	}

	h := mustHasher(t, hasherConfig{})
	if got, want := cap(h.slots), 2*runtime.GOMAXPROCS(0); got != want {
		t.Errorf("default MaxArgon2 = %d, want %d", got, want)
	}
	h = mustHasher(t, hasherConfig{MaxArgon2: 3, PepperID: "v1.pepper_2~x-y", Pepper: testPepper1})
	if cap(h.slots) != 3 {
		t.Errorf("MaxArgon2 = %d, want 3", cap(h.slots))
	}

	// The hasher keeps no reference to the caller's key.
	key := append([]byte(nil), testPepper1...)
	h = mustHasher(t, hasherConfig{PepperID: "p1", Pepper: key})
	before := h.hashGenerated("secret")
	key[0] ^= 0xff
	if after := h.hashGenerated("secret"); after != before {
		t.Error("changing the caller's pepper slice changed the hasher's hashes")
	}
}

func TestHashGeneratedEncoding(t *testing.T) {
	const secret = "oauthreg_sk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
	sum := sha256.Sum256([]byte(secret))
	plain := mustHasher(t, hasherConfig{})
	if got, want := plain.hashGenerated(secret), "$sha256$"+base64.RawStdEncoding.EncodeToString(sum[:]); got != want {
		t.Errorf("hashGenerated without pepper = %q, want %q", got, want)
	}

	for _, keyLen := range []int{16, 32, 64, 65, 200} {
		key := make([]byte, keyLen)
		for i := range key {
			key[i] = byte(i*7 + keyLen)
		}
		h := mustHasher(t, hasherConfig{PepperID: "k-2024", Pepper: key})
		m := hmac.New(sha256.New, key)
		m.Write([]byte(secret))
		want := "$hmac-sha256$k=k-2024$" + base64.RawStdEncoding.EncodeToString(m.Sum(nil))
		got := h.hashGenerated(secret)
		if got != want {
			t.Errorf("key of %d bytes: hashGenerated = %q, want %q", keyLen, got, want)
		}
		if norm, err := parseImportedHash(got); err != nil || norm != got {
			t.Errorf("parseImportedHash(%q) = %q, %v; want it unchanged", got, norm, err)
		}
		checkVerify(t, h, got, secret, verifyResult{true, false})
	}

	// The longest pepper ID still fits hashGenerated's stack buffer.
	id := strings.Repeat("x", maxPepperIDLen)
	h := mustHasher(t, hasherConfig{PepperID: id, Pepper: testPepper1})
	if got := h.hashGenerated(secret); !strings.HasPrefix(got, "$hmac-sha256$k="+id+"$") || len(got) != len(hmacPrefix)+len(id)+1+digestB64Len {
		t.Errorf("hashGenerated with a %d-character pepper ID = %q", len(id), got)
	}
}

func TestHashGeneratedDigestMatchesStdlib(t *testing.T) {
	for _, keyLen := range []int{0, 16, 63, 64, 65, 300} {
		var k *pepperKey
		key := make([]byte, keyLen)
		for i := range key {
			key[i] = byte(255 - i)
		}
		if keyLen > 0 {
			k = newPepperKey("k", key)
		}
		for _, n := range []int{0, 1, 31, 55, 56, 63, 64, 65, 119, 120, 511, 512, 513, 4096} {
			secret := strings.Repeat("s", n)
			var want []byte
			if k == nil {
				s := sha256.Sum256([]byte(secret))
				want = s[:]
			} else {
				m := hmac.New(sha256.New, key)
				m.Write([]byte(secret))
				want = m.Sum(nil)
			}
			if got := generatedDigest(k, secret); !hmac.Equal(got[:], want) {
				t.Errorf("key %d bytes, secret %d bytes: digest %x, want %x", keyLen, n, got, want)
			}
		}
	}
}

func TestVerifyGenerated(t *testing.T) {
	const secret = "generated-secret-value"
	noPepper := mustHasher(t, hasherConfig{})
	pepper1 := mustHasher(t, hasherConfig{PepperID: "p1", Pepper: testPepper1})
	pepper9 := mustHasher(t, hasherConfig{PepperID: "p9", Pepper: testPepper2})
	current := mustHasher(t, hasherConfig{PepperID: "p2", Pepper: testPepper2, RetiredPeppers: map[string][]byte{"p1": testPepper1}})
	retiredOnly := mustHasher(t, hasherConfig{RetiredPeppers: map[string][]byte{"p1": testPepper1}})

	cases := []struct {
		name    string
		h       *hasher
		encoded string
		secret  string
		want    verifyResult
	}{
		{"sha256 without pepper", noPepper, noPepper.hashGenerated(secret), secret, verifyResult{true, false}},
		{"sha256 wrong secret", noPepper, noPepper.hashGenerated(secret), secret + "x", verifyResult{false, false}},
		{"sha256 empty secret", noPepper, noPepper.hashGenerated(secret), "", verifyResult{false, false}},
		{"sha256 while a pepper is configured", current, noPepper.hashGenerated(secret), secret, verifyResult{true, true}},
		{"sha256 wrong secret while a pepper is configured", current, noPepper.hashGenerated(secret), "nope", verifyResult{false, false}},
		{"primary pepper", current, current.hashGenerated(secret), secret, verifyResult{true, false}},
		{"primary pepper wrong secret", current, current.hashGenerated(secret), secret[1:], verifyResult{false, false}},
		{"retired pepper", current, pepper1.hashGenerated(secret), secret, verifyResult{true, true}},
		{"retired pepper wrong secret", current, pepper1.hashGenerated(secret), "x", verifyResult{false, false}},
		{"retired pepper, no primary", retiredOnly, pepper1.hashGenerated(secret), secret, verifyResult{true, true}},
		{"same ID, other key", pepper1, pepper9.hashGenerated(secret)[:len("$hmac-sha256$k=")] + "p1" + pepper9.hashGenerated(secret)[len("$hmac-sha256$k=p9"):], secret, verifyResult{false, false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ok, outdated := tc.h.verifyGenerated(tc.encoded, tc.secret)
			if got := (verifyResult{ok, outdated}); got != tc.want {
				t.Errorf("verifyGenerated = %+v, want %+v", got, tc.want)
			}
			checkVerify(t, tc.h, tc.encoded, tc.secret, tc.want)
		})
	}

	t.Run("unknown pepper", func(t *testing.T) {
		encoded := pepper9.hashGenerated(secret)
		if ok, outdated := current.verifyGenerated(encoded, secret); ok || outdated {
			t.Errorf("verifyGenerated with unknown pepper = %v, %v; want false, false", ok, outdated)
		}
		_, _, err := current.verify(context.Background(), encoded, secret)
		if !errors.Is(err, ErrUnsupportedHash) || !strings.Contains(err.Error(), `"p9" is not configured`) {
			t.Errorf("verify with unknown pepper: err = %v; want ErrUnsupportedHash naming the pepper", err)
		}
	})

	t.Run("other encodings", func(t *testing.T) {
		good := current.hashGenerated(secret)
		for _, encoded := range []string{
			"", "$", "$sha256$", "$sha256", "$hmac-sha256$k=", "$hmac-sha256$k=$" + good[len(good)-digestB64Len:],
			good[:len(good)-1], good + "A", good + "$", strings.Replace(good, "$hmac-sha256$", "$hmac-sha512$", 1),
			"$sha256$" + strings.Repeat("A", digestB64Len+1), cheapArgon2id(secret), hydraBcrypt12, hydraPBKDF2SHA256,
		} {
			if ok, outdated := current.verifyGenerated(encoded, secret); ok || outdated {
				t.Errorf("verifyGenerated(%q) = %v, %v; want false, false", encoded, ok, outdated)
			}
		}
	})
}

func TestVerifyGeneratedAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation may allocate")
	}
	const secret = "oauthreg_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO"
	plain := mustHasher(t, hasherConfig{})
	peppered := mustHasher(t, hasherConfig{PepperID: "p2", Pepper: testPepper2, RetiredPeppers: map[string][]byte{"p1": testPepper1}})
	old := mustHasher(t, hasherConfig{PepperID: "p1", Pepper: testPepper1})

	sha := plain.hashGenerated(secret)
	mac := peppered.hashGenerated(secret)
	retired := old.hashGenerated(secret)
	for name, f := range map[string]func(){
		"sha256 match":    func() { plain.verifyGenerated(sha, secret) },
		"sha256 mismatch": func() { plain.verifyGenerated(sha, "wrong") },
		"hmac match":      func() { peppered.verifyGenerated(mac, secret) },
		"hmac mismatch":   func() { peppered.verifyGenerated(mac, "wrong") },
		"hmac retired":    func() { peppered.verifyGenerated(retired, secret) },
		"sha256 outdated": func() { peppered.verifyGenerated(sha, secret) },
		"decoy sha256":    func() { plain.decoyVerifyGenerated(secret) },
		"decoy hmac":      func() { peppered.decoyVerifyGenerated(secret) },
	} {
		if n := testing.AllocsPerRun(200, f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, n)
		}
	}
	// Sanity: the functions measured above do succeed.
	if ok, _ := peppered.verifyGenerated(mac, secret); !ok {
		t.Fatal("hmac verification failed")
	}
	if n := testing.AllocsPerRun(200, func() { peppered.hashGenerated(secret) }); n > 1 {
		t.Errorf("hashGenerated: %v allocations per run, want at most 1 (the result)", n)
	}
}

func TestHashSuppliedArgon2(t *testing.T) {
	h := mustHasher(t, hasherConfig{MaxArgon2: 2})
	ctx := context.Background()
	const secret = "correct horse battery staple"
	encoded, err := h.hashSupplied(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(encoded) {
		t.Fatalf("hashSupplied = %q; want OWASP argon2id PHC string", encoded)
	}
	if norm, err := parseImportedHash(encoded); err != nil || norm != encoded {
		t.Errorf("parseImportedHash(own argon2id) = %q, %v; want it unchanged", norm, err)
	}
	checkVerify(t, h, encoded, secret, verifyResult{true, false})
	checkVerify(t, h, encoded, secret+" ", verifyResult{false, false})

	// The salt is random: the same secret hashes differently.
	again, err := h.hashSupplied(ctx, secret)
	if err != nil || again == encoded {
		t.Errorf("second hashSupplied = %q, %v; want a different salt", again, err)
	}

	if err := h.decoyVerifySupplied(ctx, secret); err != nil {
		t.Errorf("decoyVerifySupplied: %v", err)
	}
	if len(h.slots) != 0 {
		t.Errorf("%d slow-hash slots still held", len(h.slots))
	}
}

func TestVerifyArgon2Imported(t *testing.T) {
	h := mustHasher(t, hasherConfig{})
	// Published vectors (ory/x hasherx): argon2id with tiny memory and
	// argon2i both verify and are outdated.
	checkVerify(t, h, hydraArgon2id, "test", verifyResult{true, true})
	checkVerify(t, h, hydraArgon2id, "tesT", verifyResult{false, false})
	checkVerify(t, h, hydraArgon2i, "test", verifyResult{true, true})
	checkVerify(t, h, hydraArgon2i, "test2", verifyResult{false, false})

	// Which parameters count as current: argon2id with OWASP's parameters
	// or stronger on every axis.
	salt16 := base64.RawStdEncoding.EncodeToString(make([]byte, 16))
	key32 := base64.RawStdEncoding.EncodeToString(make([]byte, 32))
	key16 := base64.RawStdEncoding.EncodeToString(make([]byte, 16))
	salt8 := base64.RawStdEncoding.EncodeToString(make([]byte, 8))
	for encoded, want := range map[string]bool{
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt16 + "$" + key32: true,
		"$argon2id$v=19$m=65536,t=3,p=4$" + salt16 + "$" + key32: true,
		"$argon2id$v=19$m=19455,t=2,p=1$" + salt16 + "$" + key32: false,
		"$argon2id$v=19$m=65536,t=1,p=1$" + salt16 + "$" + key32: false,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt16 + "$" + key16: false,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt8 + "$" + key32:  false,
		"$argon2i$v=19$m=65536,t=3,p=1$" + salt16 + "$" + key32:  false,
	} {
		sh, err := parseHash(encoded)
		if err != nil {
			t.Fatalf("parseHash(%q): %v", encoded, err)
		}
		if got := sh.(slowHash).current(); got != want {
			t.Errorf("current(%q) = %v, want %v", encoded, got, want)
		}
	}

	// A weaker argon2id computed here: verifies, outdated.
	salt := []byte("weak-argon-salt!")
	weak := fmt.Sprintf("$argon2id$v=19$m=4096,t=2,p=1$%s$%s", base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(argon2.IDKey([]byte("weak"), salt, 2, 4096, 1, 32)))
	checkVerify(t, h, weak, "weak", verifyResult{true, true})

	// Spring Security's Argon2PasswordEncoder output behind its prefix.
	if norm, err := parseImportedHash("{argon2}" + hydraArgon2id); err != nil || norm != hydraArgon2id {
		t.Errorf("parseImportedHash({argon2}…) = %q, %v; want the PHC string", norm, err)
	}
}

func TestVerifyBcrypt(t *testing.T) {
	h := mustHasher(t, hasherConfig{})
	const secret = "fosite-client-secret"
	raw, err := bcrypt.GenerateFromPassword([]byte(secret), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	hash2a := string(raw) // x/crypto writes $2a$
	for _, variant := range []byte{'a', 'b', 'y'} {
		encoded := hash2a[:2] + string(variant) + hash2a[3:]
		norm, err := parseImportedHash(encoded)
		if err != nil || norm != encoded {
			t.Fatalf("parseImportedHash(%q) = %q, %v", encoded, norm, err)
		}
		checkVerify(t, h, encoded, secret, verifyResult{true, true})
		checkVerify(t, h, encoded, secret+"!", verifyResult{false, false})
	}

	// Spring's "{bcrypt}" prefix is stripped on import and accepted by verify.
	if norm, err := parseImportedHash("{bcrypt}" + hash2a); err != nil || norm != hash2a {
		t.Errorf("parseImportedHash({bcrypt}…) = %q, %v; want %q", norm, err, hash2a)
	}
	checkVerify(t, h, "{bcrypt}"+hash2a, secret, verifyResult{true, true})

	// Published vectors: openwall crypt_blowfish's test suite (cost 5).
	for _, v := range openwallBcryptVectors {
		checkVerify(t, h, v.hash, v.secret, verifyResult{true, true})
		checkVerify(t, h, v.hash, v.secret+"U", verifyResult{false, false})
	}
	// ory/x hasherx's vector at fosite's default cost 12 is verified by
	// BenchmarkVerifyBcryptCost12; here it only has to parse.
	if norm, err := parseImportedHash(hydraBcrypt12); err != nil || norm != hydraBcrypt12 {
		t.Errorf("parseImportedHash(%q) = %q, %v", hydraBcrypt12, norm, err)
	}
}

func TestVerifyBcryptLongSecret(t *testing.T) {
	h := mustHasher(t, hasherConfig{})
	secret72 := strings.Repeat("0123456789abcdef", 5)[:72]
	raw, err := bcrypt.GenerateFromPassword([]byte(secret72), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	encoded := string(raw)
	checkVerify(t, h, encoded, secret72, verifyResult{true, true})
	for _, longer := range []string{secret72 + "X", secret72 + strings.Repeat("Y", 100)} {
		// bcrypt itself would read only the first 72 bytes and accept these.
		if bcrypt.CompareHashAndPassword(raw, []byte(longer)) != nil {
			t.Log("note: x/crypto bcrypt no longer truncates long passwords")
		}
		checkVerify(t, h, encoded, longer, verifyResult{false, false})
	}
	// openwall's 72-byte vector: other libraries accept it with characters
	// appended ("chars after 72 are ignored"); this one refuses them.
	v := openwallBcryptVectors[4]
	checkVerify(t, h, v.hash, v.secret+"chars after 72 are ignored", verifyResult{false, false})
}

func TestVerifyPbkdf2Hydra(t *testing.T) {
	h := mustHasher(t, hasherConfig{})

	// Computed here with golang.org/x/crypto/pbkdf2 in Hydra's encoding.
	const secret = "hydra-client-secret"
	salt := []byte("hydra-salt-16byt")
	for _, tc := range []struct {
		want   string
		digest string
		keyLen int
	}{
		{computedHydraSHA256, "sha256", 32},
		{computedHydraSHA512, "sha512", 64},
	} {
		newHash := sha256.New
		if tc.digest == "sha512" {
			newHash = sha512.New
		}
		key := xpbkdf2.Key([]byte(secret), salt, 25000, tc.keyLen, newHash)
		encoded := fmt.Sprintf("$pbkdf2-%s$i=25000,l=%d$%s$%s", tc.digest, tc.keyLen,
			base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
		if encoded != tc.want {
			t.Fatalf("computed %q, want %q", encoded, tc.want)
		}
		if norm, err := parseImportedHash(encoded); err != nil || norm != encoded {
			t.Errorf("parseImportedHash(%q) = %q, %v; want it unchanged", encoded, norm, err)
		}
		checkVerify(t, h, encoded, secret, verifyResult{true, true})
		checkVerify(t, h, encoded, "hydra-client-secreT", verifyResult{false, false})
	}

	// Published vectors (ory/x hasherx tests).
	checkVerify(t, h, hydraPBKDF2SHA256, "test", verifyResult{true, true})
	checkVerify(t, h, hydraPBKDF2SHA256, "Test", verifyResult{false, false})
	checkVerify(t, h, hydraPBKDF2SHA512, "test", verifyResult{true, true})

	// Hydra also writes sha1, sha224 and sha384; "l" may be omitted.
	for _, digest := range []string{"sha1", "sha224", "sha384"} {
		newHash := pbkdf2Digests[digest].new
		key := xpbkdf2.Key([]byte(secret), salt, 1000, 20, newHash)
		withL := fmt.Sprintf("$pbkdf2-%s$i=1000,l=20$%s$%s", digest,
			base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
		checkVerify(t, h, withL, secret, verifyResult{true, true})
		withoutL := strings.Replace(withL, ",l=20", "", 1)
		if norm, err := parseImportedHash(withoutL); err != nil || norm != withL {
			t.Errorf("parseImportedHash(%q) = %q, %v; want %q", withoutL, norm, err, withL)
		}
	}
}

func TestVerifyPbkdf2Passlib(t *testing.T) {
	h := mustHasher(t, hasherConfig{})
	for _, v := range passlibVectors {
		norm, err := parseImportedHash(v.hash)
		if err != nil || norm != v.hash {
			t.Fatalf("parseImportedHash(%q) = %q, %v; want it unchanged", v.hash, norm, err)
		}
		checkVerify(t, h, v.hash, v.secret, verifyResult{true, true})
		checkVerify(t, h, v.hash, v.secret+"x", verifyResult{false, false})
	}
	// passlib decodes '+' as well as '.'; the import normalises to '.'.
	v := passlibVectors[2].hash
	plus := strings.ReplaceAll(v, ".", "+")
	if norm, err := parseImportedHash(plus); err != nil || norm != v {
		t.Errorf("parseImportedHash(%q) = %q, %v; want %q", plus, norm, err, v)
	}
	checkVerify(t, h, plus, "password", verifyResult{true, true})
}

func TestParseImportedHashNormalises(t *testing.T) {
	for in, want := range map[string]string{
		"  " + hydraArgon2id + "\n":                     hydraArgon2id,
		"{bcrypt}" + hydraBcrypt12:                      hydraBcrypt12,
		"\t{argon2}" + hydraArgon2i:                     hydraArgon2i,
		hydraPBKDF2SHA512:                               hydraPBKDF2SHA512,
		"$sha256$" + strings.Repeat("A", 43):            "$sha256$" + strings.Repeat("A", 43),
		"$hmac-sha256$k=p~1$" + strings.Repeat("A", 43): "$hmac-sha256$k=p~1$" + strings.Repeat("A", 43),
	} {
		if got, err := parseImportedHash(in); err != nil || got != want {
			t.Errorf("parseImportedHash(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestParseImportedHashRejects(t *testing.T) {
	b64 := func(n int) string { return base64.RawStdEncoding.EncodeToString(make([]byte, n)) }
	ab64 := func(n int) string { return strings.ReplaceAll(b64(n), "+", ".") }
	bcryptBody := hydraBcrypt12[7:]
	cases := []struct{ in, want string }{
		{"", "empty"},
		{"   ", "empty"},
		{"hunter2", "not a self-describing hash"},
		{"$", "no '$' after"},
		{"$md5$abc", `unknown hash algorithm "md5"`},
		{"$" + strings.Repeat("z", 100) + "$x", "unknown hash algorithm"},
		{strings.Repeat("$", maxEncodedHashLen+1), "characters long"},
		{"{noop}secret", "Spring encoder {noop}"},
		{"{bcrypt", "unterminated"},
		{"{argon2}$2a$04$" + bcryptBody, "{argon2}"},

		// bcrypt
		{"$2x$12$" + bcryptBody, "$2x$"},
		{"$2$12$" + bcryptBody, "$2$"},
		{"{bcrypt}$2c$12$" + bcryptBody, `"$2c$"`},
		{"$2a$12$" + bcryptBody[1:], "59 characters"},
		{"$2a$03$" + bcryptBody, "cost 3 out of range 4..16"},
		{"$2a$32$" + bcryptBody, "cost 32 out of range"},
		{"$2a$1x$" + bcryptBody, "two-digit cost"},
		{"$2a$12$" + bcryptBody[:20] + "!" + bcryptBody[21:], "invalid character '!'"},
		{"{bcrypt}nonsense", "bcrypt: want"},

		// argon2
		{"$argon2d$v=19$m=65536,t=3,p=4$" + b64(16) + "$" + b64(32), "argon2d is not supported"},
		{"$argon2id$m=65536,t=3,p=4$" + b64(16) + "$" + b64(32), "missing version"},
		{"$argon2id$v=16$m=65536,t=3,p=4$" + b64(16) + "$" + b64(32), `version "16"`},
		{"$argon2id$x=19$m=65536,t=3,p=4$" + b64(16) + "$" + b64(32), `want "v=19"`},
		{"$argon2id$v=19$m=65536,t=3,p=4$" + b64(16), "fields"},
		{"$argon2id$v=19$m=65536,t=3,p=4$" + b64(16) + "$" + b64(32) + "$", "fields"},
		{"$argon2id$v=19$m=1048577,t=3,p=4$" + b64(16) + "$" + b64(32), "m=1048577"},
		{"$argon2id$v=19$m=65536,t=65,p=4$" + b64(16) + "$" + b64(32), "t=65: want a decimal number in 1..64"},
		{"$argon2id$v=19$m=65536,t=0,p=4$" + b64(16) + "$" + b64(32), "t=0"},
		{"$argon2id$v=19$m=65536,t=3,p=0$" + b64(16) + "$" + b64(32), "p=0"},
		{"$argon2id$v=19$m=65536,t=3,p=256$" + b64(16) + "$" + b64(32), "p=256"},
		{"$argon2id$v=19$m=16,t=3,p=4$" + b64(16) + "$" + b64(32), "below 8 KiB per lane"},
		{"$argon2id$v=19$m=065536,t=3,p=4$" + b64(16) + "$" + b64(32), "m=065536"},
		{"$argon2id$v=19$t=3,m=65536,p=4$" + b64(16) + "$" + b64(32), "want m=<number>"},
		{"$argon2id$v=19$m=65536,t=3$" + b64(16) + "$" + b64(32), "exactly the parameters"},
		{"$argon2id$v=19$m=65536,t=3,p=4,keyid=abc$" + b64(16) + "$" + b64(32), "exactly the parameters"},
		{"$argon2id$v=19$m=65536,t=3,p=4$" + b64(16) + "==$" + b64(32), "bad base64"},
		{"$argon2id$v=19$m=65536,t=3,p=4$" + b64(16)[:10] + "\n" + b64(16)[10:] + "$" + b64(32), "line break"},
		{"$argon2id$v=19$m=65536,t=3,p=4$" + b64(16) + "$" + b64(32)[:42] + "B", "bad base64"}, // non-zero trailing bits
		{"$argon2id$v=19$m=65536,t=3,p=4$" + b64(4) + "$" + b64(32), "salt of 4 bytes"},
		{"$argon2id$v=19$m=65536,t=3,p=4$" + b64(16) + "$" + b64(8), "hash of 8 bytes"},
		{"$argon2id$v=19$m=65536,t=3,p=4$" + b64(16) + "$" + b64(129), "hash of 129 bytes"},

		// PBKDF2, Hydra
		{"$pbkdf2-sha256$i=999,l=32$" + b64(16) + "$" + b64(32), "iteration count 999 out of range 1000..10000000"},
		{"$pbkdf2-sha256$i=10000001,l=32$" + b64(16) + "$" + b64(32), "iteration count 10000001 out of range"},
		{"$pbkdf2-sha256$i=abc,l=32$" + b64(16) + "$" + b64(32), "want parameters"},
		{"$pbkdf2-sha256$i=25000,l=8$" + b64(16) + "$" + b64(8), "key length l=8"},
		{"$pbkdf2-sha256$i=25000,l=32$" + b64(16) + "$" + b64(64), "l=32 but the hash is 64 bytes"},
		{"$pbkdf2-sha256$i=25000,l=32,x=1$" + b64(16) + "$" + b64(32), "key length"},
		{"$pbkdf2-sha256$i=25000,l=32$" + b64(16) + "$" + strings.ReplaceAll(b64(32), "A", "."), "bad base64"},
		{"$pbkdf2-sha256$i=25000,l=16$" + b64(16) + "$" + b64(8)[:9], "bad base64"},
		{"$pbkdf2$i=25000,l=32$" + b64(16) + "$" + b64(32), "passlib's PBKDF2-SHA1"},
		{"$pbkdf2-md5$i=25000,l=32$" + b64(16) + "$" + b64(32), `unknown hash algorithm "pbkdf2-md5"`},
		{"$pbkdf2-sha256$i=25000,l=32$" + b64(16), "fields"},
		{"$pbkdf2-sha256$i=25000,l=32$$" + b64(32), "salt of 0 bytes"},

		// PBKDF2, passlib
		{"$pbkdf2-sha256$01212$" + ab64(16) + "$" + ab64(32), "no leading zeros"},
		{"$pbkdf2-sha256$$" + ab64(16) + "$" + ab64(32), "want the iteration count"},
		{"$pbkdf2-sha256$999$" + ab64(16) + "$" + ab64(32), "iteration count 999 out of range"},
		{"$pbkdf2-sha256$1212$" + ab64(16) + "$" + ab64(32) + "$", "fields"},
		{"$pbkdf2-sha256$1212$" + ab64(16) + "$" + ab64(20), "checksum of 20 bytes; passlib writes 32"},
		{"$pbkdf2$1212$" + ab64(16) + "$" + ab64(32), "checksum of 32 bytes; passlib writes 20"},
		{"$pbkdf2-sha384$1212$" + ab64(16) + "$" + ab64(48), "passlib's encoding exists only for"},
		{"$pbkdf2-sha256$1212$" + ab64(16) + "$" + ab64(32)[:5] + "_" + ab64(32)[6:], "bad base64"},

		// the library's own
		{"$sha256$" + b64(31), "digest of 31 bytes"},
		{"$sha256$" + b64(32) + "$", "unexpected '$'"},
		{"$sha256$" + b64(32) + "=", "bad base64"},
		{"$hmac-sha256$" + b64(32), `want "$hmac-sha256$k=`},
		{"$hmac-sha256$k=bad id$" + b64(32), "invalid pepper ID"},
		{"$hmac-sha256$k=p1", "missing '$'"},
		{"$hmac-sha256$k=p1$" + b64(33), "digest of 33 bytes"},
	}
	h := mustHasher(t, hasherConfig{})
	for _, tc := range cases {
		out, err := parseImportedHash(tc.in)
		if !errors.Is(err, ErrUnsupportedHash) {
			t.Errorf("parseImportedHash(%.60q) = %q, %v; want ErrUnsupportedHash", tc.in, out, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseImportedHash(%.60q): error %q does not mention %q", tc.in, err, tc.want)
		}
		// verify refuses the same encodings, before any hashing.
		if strings.TrimSpace(tc.in) == tc.in {
			ok, outdated, err := h.verify(context.Background(), tc.in, "secret")
			if ok || outdated || !errors.Is(err, ErrUnsupportedHash) {
				t.Errorf("verify(%.60q) = %v, %v, %v; want ErrUnsupportedHash", tc.in, ok, outdated, err)
			}
		}
	}
}

func TestHashArgon2SemaphoreCapsConcurrency(t *testing.T) {
	h := mustHasher(t, hasherConfig{MaxArgon2: 2})
	var inFlight, peak atomic.Int32
	h.onSlot = func(acquired bool) {
		if !acquired {
			inFlight.Add(-1)
			return
		}
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond) // hold the slot so the others queue
	}
	const secret = "supplied"
	argonHash := cheapArgon2id(secret)
	bcryptRaw, err := bcrypt.GenerateFromPassword([]byte(secret), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	hashes := []string{argonHash, argonHash, argonHash, string(bcryptRaw), argonHash, argonHash, passlibVectors[2].hash, argonHash}
	var wg sync.WaitGroup
	errs := make(chan error, len(hashes)+1)
	for _, encoded := range hashes {
		wg.Go(func() {
			if _, _, err := h.verify(context.Background(), encoded, secret); err != nil {
				errs <- err
			}
		})
	}
	wg.Go(func() {
		if err := h.decoyVerifySupplied(context.Background(), secret); err != nil {
			errs <- err
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := peak.Load(); got != 2 {
		t.Errorf("peak concurrent slow hashes = %d, want 2 (MaxArgon2)", got)
	}
	if n := inFlight.Load(); n != 0 || len(h.slots) != 0 {
		t.Errorf("after all finished: %d in flight, %d slots held", n, len(h.slots))
	}
}

func TestHashArgon2SemaphoreContext(t *testing.T) {
	h := mustHasher(t, hasherConfig{MaxArgon2: 1})
	const secret = "supplied"
	argonHash := cheapArgon2id(secret)
	generated := h.hashGenerated(secret)

	h.slots <- struct{}{} // every slot busy
	for name, f := range map[string]func(ctx context.Context) error{
		"verify": func(ctx context.Context) error {
			ok, outdated, err := h.verify(ctx, argonHash, secret)
			if ok || outdated {
				t.Errorf("verify reported %v, %v with an error", ok, outdated)
			}
			return err
		},
		"hashSupplied": func(ctx context.Context) error {
			s, err := h.hashSupplied(ctx, secret)
			if s != "" {
				t.Errorf("hashSupplied returned %q with an error", s)
			}
			return err
		},
		"decoyVerifySupplied": func(ctx context.Context) error { return h.decoyVerifySupplied(ctx, secret) },
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		start := time.Now()
		err := f(ctx)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s while all slots are busy: err = %v, want context.DeadlineExceeded", name, err)
		}
		if d := time.Since(start); d < 15*time.Millisecond {
			t.Errorf("%s returned after %v, before the deadline", name, d)
		}
	}
	// Generated secrets need no slot.
	if ok, _, err := h.verify(context.Background(), generated, secret); !ok || err != nil {
		t.Errorf("verify(generated) with all slots busy = %v, %v", ok, err)
	}
	<-h.slots

	// A context that is already done is refused even with a free slot.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := h.verify(ctx, argonHash, secret); !errors.Is(err, context.Canceled) {
		t.Errorf("verify with a canceled context: err = %v, want context.Canceled", err)
	}
	if len(h.slots) != 0 {
		t.Errorf("%d slots held after refusals", len(h.slots))
	}
	checkVerify(t, h, argonHash, secret, verifyResult{true, true})
}
