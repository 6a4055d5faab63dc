package oauthreg_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// Spring Security's reference documentation ("Password Storage Format")
// shows the password "password" under each of its encoders; these strings
// were written by Spring itself.
var springVectors = map[string]string{
	"bcrypt": "{bcrypt}$2a$10$dXJ3SW6G7P50lGmMkkmwe.20cQQubK3.HZWzG3YB1tlRy.fqvM/BG",
	"pbkdf2": "{pbkdf2}5d923b44a6d129f3ddf3e3c8d29412723dcbde72445e8ef6bf3b508fbf17fa4ed4d6b99ca763d8dc",
	"scrypt": "{scrypt}$e0801$8bWJaSu2IKSn9Z9kM+TPXfOc/9bdYSrN1oD9qfVThWEwdRTnO7re7Ei+fUZRJ68k9lTyuTeUp4of4g24hHnazw==$OAOec05+bXxvuu/1qZ6NUR+xQYvYv7BeL1QxwRpY5Pc=",
	"sha256": "{sha256}97cde38028ad898ebc02e690819fa220e88c62e0699403e94fff291cfffaf8410849f27605abcbc0",
	// The IDs PasswordEncoderFactories gives the 5.8 defaults. The
	// pbkdf2 one was computed following Pbkdf2PasswordEncoder's source at
	// defaultsForSpringSecurity_v5_8 (see springCustomVectors); the scrypt
	// one wraps the documented hash, the argon2 one a go-crypt vector
	// (testdata/gocrypt_vectors.json): the formats are the same.
	"pbkdf2@SpringSecurity_v5_8": "{pbkdf2@SpringSecurity_v5_8}8f7e6d5c4b3a29180f1e2d3c4b5a6978207b0917c103dfdae687fbe2c9ce209add5cb37526a5121fddf9c409d8a6d5c3",
	"scrypt@SpringSecurity_v5_8": "{scrypt@SpringSecurity_v5_8}$e0801$8bWJaSu2IKSn9Z9kM+TPXfOc/9bdYSrN1oD9qfVThWEwdRTnO7re7Ei+fUZRJ68k9lTyuTeUp4of4g24hHnazw==$OAOec05+bXxvuu/1qZ6NUR+xQYvYv7BeL1QxwRpY5Pc=",
	"argon2@SpringSecurity_v5_8": "{argon2@SpringSecurity_v5_8}$argon2id$v=19$m=64,t=1,p=1$P7NUKQGrX6aFaFirMQJZFA$V2+6bg6p08g90bNcyzgqlb+cOJ6swkL/ym2I1T7NIOw",
}

func TestImportSpringEncodings(t *testing.T) {
	ctx := context.Background()
	for name, encoded := range springVectors {
		t.Run(name, func(t *testing.T) {
			kit := oauthregtest.New(t)
			c, _ := kit.ConfidentialClient(t)
			s, err := kit.ImportSecret(ctx, c.ID, encoded)
			if err != nil {
				t.Fatalf("ImportSecret: %v", err)
			}
			if _, err := kit.Authenticate(ctx, c.ID, "wrong-password"); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
				t.Errorf("a wrong password: %v", err)
			}
			if _, err := kit.Authenticate(ctx, c.ID, "password"); err != nil {
				t.Fatalf("Spring's own vector does not verify: %v", err)
			}
			// Upgraded to argon2id on first use, and still verifies.
			stored, _ := kit.Store.GetClient(ctx, c.ID)
			for _, sec := range stored.Secrets {
				if sec.ID == s.ID && !strings.HasPrefix(sec.Hash.Reveal(), "$argon2id$") {
					t.Errorf("not upgraded: %.12s…", sec.Hash)
				}
			}
			if _, err := kit.Authenticate(ctx, c.ID, "password"); err != nil {
				t.Errorf("after the upgrade: %v", err)
			}
		})
	}
}

func TestImportSpringRefusals(t *testing.T) {
	ctx := context.Background()
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	for _, bad := range []string{
		"{pbkdf2}5d923b44", // neither default length
		"{pbkdf2@SpringSecurity_v5_8}5d923b44a6d129f3ddf3e3c8d29412723dcbde72445e8ef6bf3b508fbf17fa4ed4d6b99ca763d8dc", // the 5.5 length
		"{sha256}zz", // not hex
		"{scrypt}$ff0801$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5", // N = 2^255
		"{scrypt}$e0801$!!$OAOec05+bXxvuu/1qZ6NUR+xQYvYv7BeL1QxwRpY5Pc=",
		"{scrypt}e0801",
		"{md4}abcd",
		"{noop",
	} {
		if _, err := kit.ImportSecret(ctx, c.ID, bad); !errors.Is(err, oauthreg.ErrUnsupportedHash) {
			t.Errorf("ImportSecret(%q) = %v, want ErrUnsupportedHash", bad, err)
		}
	}
}

// TestImportSpringNoop: {noop} is a plaintext; it is hashed on the way in,
// with AddSecret's rules, and never stored as given.
func TestImportSpringNoop(t *testing.T) {
	ctx := context.Background()
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	const plain = "a-long-enough-legacy-client-secret-value"
	s, err := kit.ImportSecret(ctx, c.ID, "{noop}"+plain)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := kit.Store.GetClient(ctx, c.ID)
	for _, sec := range stored.Secrets {
		if strings.Contains(sec.Hash.Reveal(), plain) || (sec.ID == s.ID && !strings.HasPrefix(sec.Hash.Reveal(), "$argon2id$")) {
			t.Errorf("stored %q", sec.Hash)
		}
	}
	if _, err := kit.Authenticate(ctx, c.ID, plain); err != nil {
		t.Errorf("authenticate: %v", err)
	}
	if _, err := kit.ImportSecret(ctx, c.ID, "{noop}short"); !errors.Is(err, oauthreg.ErrInvalidSecret) {
		t.Errorf("a short {noop} plaintext: %v, want ErrInvalidSecret", err)
	}
}

// TestSpringScryptCost: a {scrypt} hash that needs more memory than the
// cost limits allow is refused at import as too expensive.
func TestSpringScryptCost(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	// N=2^17, r=8: 128 MiB, over the default 64 MiB.
	big := "{scrypt}$110801$8bWJaSu2IKSn9Z9kM+TPXfOc/9bdYSrN1oD9qfVThWEwdRTnO7re7Ei+fUZRJ68k9lTyuTeUp4of4g24hHnazw==$OAOec05+bXxvuu/1qZ6NUR+xQYvYv7BeL1QxwRpY5Pc="
	if _, err := kit.ImportSecret(context.Background(), c.ID, big); !errors.Is(err, oauthreg.ErrHashTooExpensive) {
		t.Errorf("ImportSecret(128 MiB scrypt) = %v, want ErrHashTooExpensive", err)
	}
}

// TestSpringScryptWorkCost: scrypt's p runs one after another over its
// memory, so N·r·p is bounded too (like argon2's m·t): N=2^16, r=8 (64 MiB)
// imports at p=5 (640 MiB of passes, the default 64 MiB × 10) and is refused
// at p=6.
func TestSpringScryptWorkCost(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	const rest = "$8bWJaSu2IKSn9Z9kM+TPXfOc/9bdYSrN1oD9qfVThWEwdRTnO7re7Ei+fUZRJ68k9lTyuTeUp4of4g24hHnazw==$OAOec05+bXxvuu/1qZ6NUR+xQYvYv7BeL1QxwRpY5Pc="
	if _, err := kit.ImportSecret(context.Background(), c.ID, "{scrypt}$100805"+rest); err != nil {
		t.Errorf("ImportSecret(scrypt N=2^16, r=8, p=5) = %v, want it accepted", err)
	}
	if _, err := kit.ImportSecret(context.Background(), c.ID, "{scrypt}$100806"+rest); !errors.Is(err, oauthreg.ErrHashTooExpensive) {
		t.Errorf("ImportSecret(scrypt N=2^16, r=8, p=6) = %v, want ErrHashTooExpensive", err)
	}
}
