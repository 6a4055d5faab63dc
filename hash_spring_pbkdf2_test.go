package oauthreg_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// springCustomVectors were computed following Spring Security's
// Pbkdf2PasswordEncoder (spring-projects/spring-security,
// crypto/src/main/java/org/springframework/security/crypto/password/Pbkdf2PasswordEncoder.java:
// encode(rawPassword, salt) builds PBEKeySpec(password chars,
// concatenate(salt, utf8(secret)), iterations, hashWidth), derives with
// SecretKeyFactory.getInstance(algorithm), and returns
// concatenate(salt, key) in hex, or java.util.Base64 after
// setEncodeHashAsBase64(true)). They were made by running that code path on
// OpenJDK 17's own PBKDF2 with fixed salts (testdata/SpringPbkdf2Vectors.java.txt,
// `java SpringPbkdf2Vectors.java`); the first three were checked against
// Python's hashlib.pbkdf2_hmac too. Spring Security's jar itself could not be
// fetched here.
var springCustomVectors = []struct {
	name, password, secret string
	settings               oauthreg.SpringPBKDF2Settings
	hash                   string
}{
	{"sha512, base64, with a secret", "password", "pepper-of-the-encoder",
		oauthreg.SpringPBKDF2Settings{Algorithm: "PBKDF2WithHmacSHA512", Iterations: 1000, SaltLength: 16, Base64: true},
		"AAECAwQFBgcICQoLDA0OD7vno+VIW1GbObTXklb6sKkLGk5Xj1slwvQiIoab9inLKDs9vgjYWjXH9eErwTsDkW34erojYHnojeq6t89Kelg="},
	{"sha1, hex, 160 bits", "client-secret-42", "",
		oauthreg.SpringPBKDF2Settings{Algorithm: "PBKDF2WithHmacSHA1", Iterations: 2000, SaltLength: 8},
		"{pbkdf2}a1b2c3d4e5f60718950a648dd41b00010b7e04fa140ea74a2ade0d64"},
	{"sha256, hex, 24-byte salt, 128 bits", "client-secret-42", "s3cr3t",
		oauthreg.SpringPBKDF2Settings{Algorithm: "PBKDF2WithHmacSHA256", Iterations: 1500, SaltLength: 24, HashWidth: 128},
		"00112233445566778899aabbccddeeff0011223344556677ed1f015729f2abf852e574578f730899"},
	{"sha256, base64, UTF-8 password", "Pässwörd-client", "mysecret",
		oauthreg.SpringPBKDF2Settings{Algorithm: "PBKDF2WithHmacSHA256", Iterations: 1200, SaltLength: 16, Base64: true},
		"{pbkdf2-custom}Dx4tPEtaaXiHlqW0w9Lh8K/AJPucJ8x5I+ANuolFlNROUAqdzQ72yCAuffffulBu"},
	{"sha1, hex, 256 bits, legacy constructor with a secret", "legacy-secret-value", "legacy-app-secret",
		oauthreg.SpringPBKDF2Settings{Algorithm: "PBKDF2WithHmacSHA1", Iterations: 185000, SaltLength: 8, HashWidth: 256},
		"010203040506070811404d719489579c6fc1e0586fb9438d57c1c8441d0939775cec4810556f5deb"},
	// Written by Spring itself: the reference documentation's {pbkdf2}
	// hash of "password" (Pbkdf2PasswordEncoder's pre-5.8 defaults), read
	// through the settings path.
	{"Spring's documented default hash", "password", "",
		oauthreg.SpringPBKDF2Settings{Algorithm: "PBKDF2WithHmacSHA1", Iterations: 185000, SaltLength: 8, HashWidth: 256},
		"{pbkdf2}5d923b44a6d129f3ddf3e3c8d29412723dcbde72445e8ef6bf3b508fbf17fa4ed4d6b99ca763d8dc"},
}

// TestImportSpringCustomPBKDF2: a hash of an encoder with its own settings
// imports with WithSpringPBKDF2, is stored in the self-describing
// "$spring-pbkdf2-…$" encoding without the encoder's secret, authenticates
// its password (and no other), and is upgraded to argon2id.
func TestImportSpringCustomPBKDF2(t *testing.T) {
	ctx := context.Background()
	for _, v := range springCustomVectors {
		t.Run(v.name, func(t *testing.T) {
			var opts []oauthreg.Option
			if v.secret != "" {
				v.settings.SecretID = "app-1"
				opts = append(opts, oauthreg.WithSpringPBKDF2Secret("app-1", []byte(v.secret)))
			}
			kit := oauthregtest.New(t, opts...)
			c, _ := kit.ConfidentialClient(t)
			s, err := kit.ImportSecret(ctx, c.ID, v.hash, oauthreg.WithSpringPBKDF2(v.settings))
			if err != nil {
				t.Fatalf("ImportSecret: %v", err)
			}
			stored := s.Hash.Reveal()
			if !strings.HasPrefix(stored, "$spring-pbkdf2-") || (v.secret != "" && (!strings.Contains(stored, ",k=app-1$") || strings.Contains(stored, v.secret))) {
				t.Fatalf("stored %q", stored)
			}
			if _, err := kit.Authenticate(ctx, c.ID, v.password+"x"); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
				t.Errorf("a wrong password: %v", err)
			}
			if _, err := kit.Authenticate(ctx, c.ID, v.password); err != nil {
				t.Fatalf("the encoder's own hash does not verify: %v", err)
			}
			got, _ := kit.Store.GetClient(ctx, c.ID)
			for _, sec := range got.Secrets {
				if sec.ID == s.ID && !strings.HasPrefix(sec.Hash.Reveal(), "$argon2id$") {
					t.Errorf("not upgraded: %.20s…", sec.Hash.Reveal())
				}
			}
		})
	}
}

// TestSpringCustomPBKDF2Restart: the stored encoding verifies without the
// option in a Registry started again over the same store, given the same
// encoder secret; without it, it never authenticates (reported as
// ReasonUnknownSpringSecret), and an import naming a secret the Registry
// lacks is refused.
func TestSpringCustomPBKDF2Restart(t *testing.T) {
	ctx := context.Background()
	v := springCustomVectors[0]
	settings := v.settings
	settings.SecretID = "app-1"
	withSecret := oauthreg.WithSpringPBKDF2Secret("app-1", []byte(v.secret))
	kit := oauthregtest.New(t, withSecret)
	c, _ := kit.ConfidentialClient(t)
	if _, err := kit.ImportSecret(ctx, c.ID, v.hash, oauthreg.WithSpringPBKDF2(settings)); err != nil {
		t.Fatal(err)
	}

	without, err := oauthreg.New(kit.Store)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := without.Authenticate(ctx, c.ID, v.password); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Errorf("without the encoder's secret: %v, want ErrInvalidCredentials", err)
	}
	if got := failureReasons(t, kit.Store)(c.ID, v.password); got != oauthreg.ReasonUnknownSpringSecret {
		t.Errorf("without the encoder's secret: reason %q, want %q", got, oauthreg.ReasonUnknownSpringSecret)
	}
	if got := failureReasons(t, kit.Store, withSecret)(c.ID, "not-the-password"); got != oauthreg.ReasonWrongSecret {
		t.Errorf("with it, a wrong password: reason %q, want %q", got, oauthreg.ReasonWrongSecret)
	}
	if _, err := without.ImportSecret(ctx, c.ID, v.hash, oauthreg.WithSpringPBKDF2(settings)); !errors.Is(err, oauthreg.ErrUnsupportedHash) || !strings.Contains(err.Error(), `"app-1" is not configured`) {
		t.Errorf("importing under an unconfigured secret ID: %v, want ErrUnsupportedHash naming it", err)
	}

	restarted, err := oauthreg.New(kit.Store, withSecret)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := restarted.Authenticate(ctx, c.ID, v.password); err != nil {
		t.Errorf("after a restart with the same secret: %v", err)
	}
}

// TestSpringCustomPBKDF2Refusals: settings that describe no encoder, a hash
// that does not fit its settings, a cost over the limits and the option on
// another call are refused with a typed error, changing nothing.
func TestSpringCustomPBKDF2Refusals(t *testing.T) {
	ctx := context.Background()
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	before, _ := kit.Get(ctx, c.ID)
	sha1 := oauthreg.SpringPBKDF2Settings{Algorithm: "PBKDF2WithHmacSHA1", Iterations: 2000, SaltLength: 8}
	const hex160 = "a1b2c3d4e5f60718950a648dd41b00010b7e04fa140ea74a2ade0d64"
	for _, tc := range []struct {
		name     string
		settings func(*oauthreg.SpringPBKDF2Settings)
		hash     string
		want     error
		says     string
	}{
		{"unknown algorithm", func(s *oauthreg.SpringPBKDF2Settings) { s.Algorithm = "PBKDF2WithHmacMD5" }, hex160, oauthreg.ErrUnsupportedHash, "algorithm"},
		{"too few iterations", func(s *oauthreg.SpringPBKDF2Settings) { s.Iterations = 999 }, hex160, oauthreg.ErrUnsupportedHash, "999 iterations"},
		{"salt too short", func(s *oauthreg.SpringPBKDF2Settings) { s.SaltLength = 4 }, hex160, oauthreg.ErrUnsupportedHash, "salt length 4"},
		{"odd hash width", func(s *oauthreg.SpringPBKDF2Settings) { s.HashWidth = 100 }, hex160, oauthreg.ErrUnsupportedHash, "hash width 100"},
		{"bad secret ID", func(s *oauthreg.SpringPBKDF2Settings) { s.SecretID = "a b" }, hex160, oauthreg.ErrUnsupportedHash, "secret ID"},
		{"wrong length", func(*oauthreg.SpringPBKDF2Settings) {}, hex160 + "00", oauthreg.ErrUnsupportedHash, "holds 29 bytes; the settings give 28"},
		{"not hex", func(*oauthreg.SpringPBKDF2Settings) {}, "zz" + hex160[2:], oauthreg.ErrUnsupportedHash, "not hex"},
		{"not base64", func(s *oauthreg.SpringPBKDF2Settings) { s.Base64 = true }, "!!" + hex160, oauthreg.ErrUnsupportedHash, "not base64"},
		{"too expensive", func(s *oauthreg.SpringPBKDF2Settings) { s.Iterations = 650_001 }, hex160, oauthreg.ErrHashTooExpensive, "650001 iterations"},
		{"oversized", func(*oauthreg.SpringPBKDF2Settings) {}, strings.Repeat("00", 1<<20), oauthreg.ErrUnsupportedHash, "at most 2048"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sha1
			tc.settings(&s)
			_, err := kit.ImportSecret(ctx, c.ID, tc.hash, oauthreg.WithSpringPBKDF2(s))
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("ImportSecret = %v, want %v saying %q", err, tc.want, tc.says)
			}
			if strings.Contains(err.Error(), hex160[16:]) {
				t.Errorf("the error repeats the key: %v", err)
			}
		})
	}
	if _, err := kit.AddSecret(ctx, c.ID, "a-supplied-secret-value", oauthreg.WithSpringPBKDF2(sha1)); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Errorf("AddSecret with WithSpringPBKDF2: %v, want ErrInvalidConfig", err)
	}
	if _, err := kit.RotateSecret(ctx, c.ID, oauthreg.WithSpringPBKDF2(sha1)); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Errorf("RotateSecret with WithSpringPBKDF2: %v, want ErrInvalidConfig", err)
	}
	if after, _ := kit.Get(ctx, c.ID); after.Version != before.Version {
		t.Error("a refused call changed the client")
	}
	for _, opt := range []oauthreg.Option{
		oauthreg.WithSpringPBKDF2Secret("", []byte("x")),
		oauthreg.WithSpringPBKDF2Secret("has space", []byte("x")),
		oauthreg.WithSpringPBKDF2Secret("ok", nil),
		oauthreg.WithSpringPBKDF2Secret("ok", make([]byte, 1025)),
	} {
		if _, err := oauthreg.New(kit.Store, opt); !errors.Is(err, oauthreg.ErrInvalidConfig) {
			t.Errorf("New with a bad Spring secret: %v, want ErrInvalidConfig", err)
		}
	}
}

// TestImportClientsSpringPBKDF2: ImportOptions.SpringPBKDF2 reads the
// batch's {pbkdf2} hashes through the same path as WithSpringPBKDF2, leaves
// its other hashes alone, and bad settings refuse the batch before anything
// is read.
func TestImportClientsSpringPBKDF2(t *testing.T) {
	ctx := context.Background()
	v := springCustomVectors[1] // "{pbkdf2}…", sha1, 160 bits, no secret
	bcryptHash := "{bcrypt}$2a$10$nVkFUbqjg3V/b8dm4LCCi.Un2GdDRpKdaOr3iFgQzcYGxVfQ1Jpkm"
	batch := func() []oauthreg.ClientImport {
		return []oauthreg.ClientImport{
			{Client: oauthreg.Client{ID: "custom", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}},
				Secrets: []oauthreg.SecretImport{{Hash: v.hash}}},
			{Client: oauthreg.Client{ID: "bcrypt", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}},
				Secrets: []oauthreg.SecretImport{{Hash: bcryptHash}}},
		}
	}
	kit := oauthregtest.New(t)
	// Without the settings: not a default's length, refused, nothing stored.
	if _, err := kit.ImportClients(ctx, batch(), oauthreg.ImportOptions{}); !errors.Is(err, oauthreg.ErrUnsupportedHash) {
		t.Fatalf("without the settings: %v", err)
	}
	bad := v.settings
	bad.SaltLength = 2
	if _, err := kit.ImportClients(ctx, batch(), oauthreg.ImportOptions{SpringPBKDF2: &bad}); !errors.Is(err, oauthreg.ErrImportRefused) ||
		!errors.Is(err, oauthreg.ErrUnsupportedHash) || bad.Check() == nil {
		t.Fatalf("bad settings: %v", err)
	}
	settings := v.settings
	res, err := kit.ImportClients(ctx, batch(), oauthreg.ImportOptions{SpringPBKDF2: &settings})
	if err != nil {
		t.Fatal(err)
	}
	if h := res.Clients[0].Secrets[0].Hash.Reveal(); !strings.HasPrefix(h, "$spring-pbkdf2-sha1$i=2000$") {
		t.Errorf("stored %q", h)
	}
	if h := res.Clients[1].Secrets[0].Hash.Reveal(); !strings.HasPrefix(h, "{bcrypt}$2a$") && !strings.HasPrefix(h, "$2a$") {
		t.Errorf("the {bcrypt} hash became %q", h)
	}
	if _, err := kit.Authenticate(ctx, "custom", v.password); err != nil {
		t.Errorf("the custom hash: %v", err)
	}
	if _, err := kit.Authenticate(ctx, "bcrypt", "spring-client-secret"); err != nil {
		t.Errorf("the bcrypt hash: %v", err)
	}
	if err := v.settings.Check(); err != nil {
		t.Errorf("Check of good settings: %v", err)
	}
}
