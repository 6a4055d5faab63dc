package oauthreg_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// fositeFoobaz is the hash of "foobaz" in fosite's example store
// (storage.NewExampleStore's rotated secret), trailing space included:
// fosite authenticates "foobaz" with it, and its test suite expects that.
const fositeFoobaz = "$2y$10$X51gLxUQJ.hGw1epgHTE5u0bt64xM0COU7K9iAp.OFg8p2pUd.1zC "

// TestImportTrimsASCIIWhitespace: ASCII spaces, tabs and line breaks around
// a hash are dropped (fosite's fixture hash imports and authenticates, and
// is stored without its space); other whitespace makes the hash malformed.
func TestImportTrimsASCIIWhitespace(t *testing.T) {
	ctx := context.Background()
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{MaxActiveSecrets: oauthreg.MaxActiveSecretsCeiling}))
	for _, in := range []string{fositeFoobaz, "\n" + fositeFoobaz, "\t" + strings.TrimSpace(fositeFoobaz) + "\r\n"} {
		c, _ := kit.ConfidentialClient(t)
		s, err := kit.ImportSecret(ctx, c.ID, in)
		if err != nil {
			t.Fatalf("ImportSecret(%q): %v", in, err)
		}
		if got := s.Hash.Reveal(); got != strings.TrimSpace(fositeFoobaz) {
			t.Errorf("ImportSecret(%q) stored %q", in, got)
		}
		if _, err := kit.Authenticate(ctx, c.ID, "foobaz"); err != nil {
			t.Errorf("fosite's foobaz after importing %q: %v", in, err)
		}
	}
	c, _ := kit.ConfidentialClient(t)
	for _, in := range []string{"\u00a0" + strings.TrimSpace(fositeFoobaz), strings.TrimSpace(fositeFoobaz) + "\v", strings.TrimSpace(fositeFoobaz) + " x"} {
		if _, err := kit.ImportSecret(ctx, c.ID, in); !errors.Is(err, oauthreg.ErrUnsupportedHash) {
			t.Errorf("ImportSecret(%q) = %v, want ErrUnsupportedHash", in, err)
		}
	}
}

// TestImportNoopKeepsSpaces: a {noop} plaintext is the secret Spring
// compares, exactly: only a final line ending is dropped.
func TestImportNoopKeepsSpaces(t *testing.T) {
	ctx := context.Background()
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	const plain = "legacy secret with a space "
	if _, err := kit.ImportSecret(ctx, c.ID, "  {noop}"+plain+"\r\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := kit.Authenticate(ctx, c.ID, strings.TrimSpace(plain)); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Errorf("without its trailing space: %v, want ErrInvalidCredentials", err)
	}
	if _, err := kit.Authenticate(ctx, c.ID, plain); err != nil {
		t.Errorf("the plaintext as Spring compares it: %v", err)
	}
}

// TestImportAutheliaPlaintext: Authelia's $plaintext$ and $base64$ client
// secrets are hashed on the way in, never stored as given, with
// AddSecret's rules; a $base64$ that does not decode is ErrUnsupportedHash.
func TestImportAutheliaPlaintext(t *testing.T) {
	ctx := context.Background()
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{MaxActiveSecrets: oauthreg.MaxActiveSecretsCeiling}))
	for in, plain := range map[string]string{
		"$plaintext$authelia-client-secret\n":  "authelia-client-secret",
		"$plaintext$with$dollars and a space ": "with$dollars and a space ",
		// go-crypt's adapted base64 ('.' for '+', unpadded) of "client-secret-~~>>".
		"$base64$Y2xpZW50LXNlY3JldC1.fj4.": "client-secret-~~>>",
	} {
		c, _ := kit.ConfidentialClient(t)
		s, err := kit.ImportSecret(ctx, c.ID, in)
		if err != nil {
			t.Fatalf("ImportSecret(%q): %v", in, err)
		}
		if h := s.Hash.Reveal(); !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, plain) {
			t.Errorf("ImportSecret(%q) stored %q", in, h)
		}
		if _, err := kit.Authenticate(ctx, c.ID, plain); err != nil {
			t.Errorf("after importing %q: %v", in, err)
		}
	}
	c, _ := kit.ConfidentialClient(t)
	for in, want := range map[string]error{
		"$base64$not base64!":   oauthreg.ErrUnsupportedHash,
		"$base64$YWJj":          oauthreg.ErrInvalidSecret, // "abc": too short
		"$plaintext$short":      oauthreg.ErrInvalidSecret,
		"$plaintext$tab\there1": oauthreg.ErrInvalidSecret,
	} {
		if _, err := kit.ImportSecret(ctx, c.ID, in); !errors.Is(err, want) {
			t.Errorf("ImportSecret(%q) = %v, want %v", in, err, want)
		}
	}
}
