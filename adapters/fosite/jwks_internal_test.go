package oauthregfosite

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"testing"

	"github.com/go-jose/go-jose/v3"
)

// parseJWKS hands fosite public keys only: a private key is reduced to its
// public half and a symmetric key is dropped; what go-jose cannot read is
// ErrUnreadableJWKS.
func TestParseJWKS(t *testing.T) {
	if set, err := parseJWKS(nil); set != nil || err != nil {
		t.Errorf("no JWKS: %v, %v", set, err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: key, KeyID: "private", Algorithm: "RS256", Use: "sig"},
		{Key: &key.PublicKey, KeyID: "public", Algorithm: "RS256", Use: "sig"},
		{Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "oct", Algorithm: "HS256", Use: "sig"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	set, err := parseJWKS(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 2 || len(set.Key("oct")) != 0 {
		t.Fatalf("keys %+v: want private and public, without oct", set.Keys)
	}
	for _, k := range set.Keys {
		pub, ok := k.Key.(*rsa.PublicKey)
		if !ok || !k.IsPublic() || !pub.Equal(&key.PublicKey) {
			t.Errorf("key %q: %T, public %v", k.KeyID, k.Key, k.IsPublic())
		}
	}
	for _, bad := range []string{`[]`, `{"keys":[{"kty":"RSA","n":"!!"}]}`, `{"keys":`} {
		if _, err := parseJWKS(json.RawMessage(bad)); !errors.Is(err, ErrUnreadableJWKS) {
			t.Errorf("%s: err = %v, want ErrUnreadableJWKS", bad, err)
		}
	}
}
