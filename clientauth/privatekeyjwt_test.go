package clientauth_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"sync"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
)

// testKey is a signing key with its kid and algorithm.
type testKey struct {
	kid     string
	alg     jose.SignatureAlgorithm
	private crypto.Signer
}

var (
	keysOnce sync.Once
	rsaKey   *rsa.PrivateKey
	ecKey    *ecdsa.PrivateKey
	edKey    ed25519.PrivateKey
	rsaKey2  *rsa.PrivateKey
)

func testKeys(t testing.TB) (rs, es, ed, other testKey) {
	t.Helper()
	keysOnce.Do(func() {
		rsaKey, _ = rsa.GenerateKey(rand.Reader, 2048)
		rsaKey2, _ = rsa.GenerateKey(rand.Reader, 2048)
		ecKey, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		_, edKey, _ = ed25519.GenerateKey(rand.Reader)
	})
	return testKey{"rsa-1", jose.RS256, rsaKey}, testKey{"ec-1", jose.ES256, ecKey}, testKey{"ed-1", jose.EdDSA, edKey}, testKey{"rsa-2", jose.RS256, rsaKey2}
}

// jwksOf is the public JWK Set of keys.
func jwksOf(t testing.TB, keys ...testKey) json.RawMessage {
	t.Helper()
	var set jose.JSONWebKeySet
	for _, k := range keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.private.Public(), KeyID: k.kid, Use: "sig"})
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// keyClient registers a private_key_jwt client with the public keys.
func (e *env) keyClient(t testing.TB, keys ...testKey) *oauthreg.Client {
	t.Helper()
	c, _ := e.kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.TokenEndpointAuthMethod = oauthreg.AuthPrivateKeyJWT
		c.JWKS = jwksOf(t, keys...)
	})
	return c
}

// TestPrivateKeyJWT: RS256, ES256 and EdDSA assertions authenticate, with
// and without kid; the registered token_endpoint_auth_signing_alg binds.
func TestPrivateKeyJWT(t *testing.T) {
	e := newEnv(t)
	rs, es, ed, _ := testKeys(t)
	c := e.keyClient(t, rs, es, ed)
	for _, k := range []testKey{rs, es, ed} {
		for _, kid := range []string{k.kid, ""} {
			tok := sign(t, k.alg, k.private, kid, validClaims(c.ID, e.kit.Clock.Now()))
			e.rec.take()
			got, m, err := e.auth.Authenticate(formRequest(assertionForm(tok)))
			if err != nil || got.ID != c.ID || m != oauthreg.AuthPrivateKeyJWT {
				t.Fatalf("%s kid %q: %v %q %v", k.alg, kid, got, m, err)
			}
			if ev := e.rec.take(); len(ev) != 1 || ev[0].Type != oauthreg.EventAuthSucceeded || ev[0].Method != oauthreg.AuthPrivateKeyJWT {
				t.Errorf("events = %+v", ev)
			}
		}
	}

	pinned, _ := e.kit.ConfidentialClient(t, func(cl *oauthreg.Client) {
		cl.TokenEndpointAuthMethod = oauthreg.AuthPrivateKeyJWT
		cl.JWKS = jwksOf(t, rs, es)
		cl.TokenEndpointAuthSigningAlg = "ES256"
	})
	if _, _, err := e.auth.Authenticate(formRequest(assertionForm(sign(t, es.alg, es.private, es.kid, validClaims(pinned.ID, e.kit.Clock.Now()))))); err != nil {
		t.Errorf("the registered alg: %v", err)
	}
	_, _, err := e.auth.Authenticate(formRequest(assertionForm(sign(t, rs.alg, rs.private, rs.kid, validClaims(pinned.ID, e.kit.Clock.Now())))))
	if ce := wantError(t, err, clientauth.CodeInvalidClient, 401); ce.Reason != clientauth.ReasonAlgorithm {
		t.Errorf("another alg than the registered one: reason %q", ce.Reason)
	}

	// A server allow-list without RS256 refuses it.
	strict := newEnvOn(t, e, clientauth.WithAlgorithms("ES256"))
	_, _, err = strict.Authenticate(formRequest(assertionForm(sign(t, rs.alg, rs.private, rs.kid, validClaims(c.ID, e.kit.Clock.Now())))))
	if ce := wantError(t, err, clientauth.CodeInvalidClient, 401); ce.Reason != clientauth.ReasonAlgorithm {
		t.Errorf("alg outside the allow-list: reason %q", ce.Reason)
	}
}
