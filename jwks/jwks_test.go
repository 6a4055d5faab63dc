package jwks_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/jwks"
	"github.com/oauthreg/oauthreg/memstore"
)

// Keys generated once per test binary.
var keys = sync.OnceValue(func() (k struct {
	rsa2048, rsa1024 *rsa.PrivateKey
	p256, p384       *ecdsa.PrivateKey
	ed               ed25519.PrivateKey
}) {
	k.rsa2048, _ = rsa.GenerateKey(rand.Reader, 2048)
	k.rsa1024, _ = rsa.GenerateKey(rand.Reader, 1024)
	k.p256, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	k.p384, _ = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	_, k.ed, _ = ed25519.GenerateKey(rand.Reader)
	return k
})

// jwk marshals key as a JWK with the given kid, alg and use.
func jwk(t *testing.T, key any, kid, alg, use string) string {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKey{Key: key, KeyID: kid, Algorithm: alg, Use: use})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func set(members ...string) []byte { return []byte(`{"keys":[` + strings.Join(members, ",") + `]}`) }

func TestParseAcceptsPublicKeys(t *testing.T) {
	k := keys()
	raw := set(
		jwk(t, &k.rsa2048.PublicKey, "rsa", "RS256", "sig"),
		jwk(t, &k.rsa2048.PublicKey, "rsa-enc", "RSA-OAEP-256", "enc"),
		jwk(t, &k.p256.PublicKey, "p256", "ES256", "sig"),
		jwk(t, &k.p384.PublicKey, "p384", "ECDH-ES+A256KW", "enc"),
		jwk(t, k.ed.Public(), "ed", "EdDSA", ""),
		jwk(t, &k.p256.PublicKey, "", "", ""),
	)
	got, err := jwks.Parse(raw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(got.Keys) != 6 || got.Keys[0].KeyID != "rsa" || got.Key("ed") == nil {
		t.Fatalf("Parse returned %d keys", len(got.Keys))
	}
	for _, key := range got.Keys {
		if !key.IsPublic() {
			t.Errorf("key %q is not public", key.KeyID)
		}
	}
	// The core's structural check agrees.
	c := oauthreg.Client{ID: "c", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		TokenEndpointAuthMethod: oauthreg.AuthPrivateKeyJWT, JWKS: raw}
	if err := c.Validate(); err != nil {
		t.Fatalf("Client.Validate of the same set: %v", err)
	}
}

func TestParseRefuses(t *testing.T) {
	k := keys()
	for _, tc := range []struct {
		name, want string
		raw        []byte
	}{
		{"not JSON", "JSON object", []byte(`{`)},
		{"an array", "JSON object", []byte(`[]`)},
		{"no keys", "JSON object", []byte(`{"k":[]}`)},
		{"empty", "1 to", set()},
		{"too large", "bytes", []byte(`{"keys":[{"kty":"RSA","n":"` + strings.Repeat("A", oauthreg.MaxJWKSBytes) + `"}]}`)},
		{"private RSA", "private", set(jwk(t, k.rsa2048, "r", "", ""))},
		{"private EC", "private", set(jwk(t, &k.p256.PublicKey, "ok", "", ""), jwk(t, k.p256, "p", "", ""))},
		{"private Ed25519", "private", set(jwk(t, k.ed, "e", "", ""))},
		{"symmetric", "private or symmetric", set(jwk(t, []byte("0123456789abcdef0123456789abcdef"), "h", "HS256", ""))},
		{"short RSA", "1024 bits", set(jwk(t, &k.rsa1024.PublicKey, "short", "RS256", "sig"))},
		{"alg of another curve", "P-256 key", set(jwk(t, &k.p256.PublicKey, "p", "ES384", ""))},
		{"RSA alg on EC", "cannot serve", set(jwk(t, &k.p256.PublicKey, "p", "RS256", ""))},
		{"sig use with an encryption alg", `"use" "sig"`, set(jwk(t, &k.rsa2048.PublicKey, "r", "RSA-OAEP", "sig"))},
		{"enc use with a signature alg", `"use" "enc"`, set(jwk(t, &k.rsa2048.PublicKey, "r", "PS256", "enc"))},
		{"alg none", "cannot use", []byte(`{"keys":[` + strings.Replace(jwk(t, &k.p256.PublicKey, "p", "ES256", ""), `"ES256"`, `"none"`, 1) + `]}`)},
		{"point off the curve", "does not parse", []byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"}]}`)},
		{"unknown kty", "does not parse", []byte(`{"keys":[{"kty":"DSA","y":"AQAB"}]}`)},
		{"bad base64", "does not parse", []byte(`{"keys":[{"kty":"RSA","n":"***","e":"AQAB"}]}`)},
		{"bad use", `"use"`, []byte(`{"keys":[` + strings.Replace(jwk(t, &k.p256.PublicKey, "p", "", "sig"), `"sig"`, `"wrap"`, 1) + `]}`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := jwks.Parse(tc.raw)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestParseNamesTheKeySafely(t *testing.T) {
	k := keys()
	raw := set(jwk(t, &k.p256.PublicKey, "ok", "", ""), jwk(t, &k.rsa1024.PublicKey, "kid\x1b[31m<script>", "", ""))
	_, err := jwks.Parse(raw)
	if err == nil || !strings.Contains(err.Error(), "key 1") || strings.Contains(err.Error(), "\x1b") {
		t.Fatalf("error %q: want key 1 named, control characters escaped", err)
	}
}

func TestMinRSABits(t *testing.T) {
	raw := set(jwk(t, &keys().rsa1024.PublicKey, "r", "", ""))
	if err := (jwks.Validator{MinRSABits: 1024}).ValidateKeySet(raw); err != nil {
		t.Fatalf("MinRSABits 1024: %v", err)
	}
	if err := (jwks.Validator{}).ValidateKeySet(raw); err == nil {
		t.Fatal("the default accepted a 1024-bit key")
	}
}

// TestRegistryWithValidator: a Registry configured with the Validator
// refuses what only a real parse finds, with the RFC 7591 error on "jwks",
// and registers a client with good keys.
func TestRegistryWithValidator(t *testing.T) {
	k := keys()
	reg, err := oauthreg.New(memstore.New(), oauthreg.WithKeySetValidator(jwks.Validator{}))
	if err != nil {
		t.Fatal(err)
	}
	c := oauthreg.Client{Owner: "org", TokenEndpointAuthMethod: oauthreg.AuthPrivateKeyJWT,
		JWKS: set(jwk(t, &k.rsa1024.PublicKey, "short", "RS256", "sig"))}
	_, _, err = reg.Register(t.Context(), c)
	var ve *oauthreg.ValidationError
	if !errors.As(err, &ve) || ve.Field != "jwks" || ve.Code != oauthreg.CodeInvalidClientMetadata || !strings.Contains(ve.Reason, "1024 bits") {
		t.Fatalf("Register with a 1024-bit key: %v", err)
	}
	c.JWKS = set(jwk(t, &k.rsa2048.PublicKey, "good", "RS256", "sig"))
	got, _, err := reg.Register(t.Context(), c)
	if err != nil {
		t.Fatalf("Register with a 2048-bit key: %v", err)
	}
	if _, err := reg.Update(t.Context(), got.ID, func(c *oauthreg.Client) error {
		c.JWKS = set(jwk(t, &k.p256.PublicKey, "p", "ES512", ""))
		return nil
	}); !errors.As(err, &ve) || ve.Field != "jwks" {
		t.Fatalf("Update to a key with a wrong alg: %v", err)
	}
}
