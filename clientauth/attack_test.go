package clientauth_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
)

// TestAttackTable: every attack of issue 11 on assertion authentication is
// refused, with the status and internal reason listed. The table is logged
// (go test -v -run TestAttackTable ./clientauth) for the record.
func TestAttackTable(t *testing.T) {
	e := newEnv(t)
	rs, es, _, other := testKeys(t)
	victim := e.keyClient(t, rs, es)
	attacker := e.keyClient(t, other)
	hmacClient, hmacSecret := e.client(t, oauthreg.AuthClientSecretJWT, func(c *oauthreg.Client) { c.JWKS = jwksOf(t, rs) })
	basicClient, basicSecret := e.client(t, oauthreg.AuthClientSecretBasic)
	now := e.kit.Clock.Now()
	good := func(id string) jwt.Claims { return validClaims(id, now) }
	pubPEM := func() []byte {
		der, _ := x509.MarshalPKIXPublicKey(rsaKey.Public())
		return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	}()
	replayed := sign(t, rs.alg, rs.private, rs.kid, good(victim.ID))
	if _, _, err := e.auth.Authenticate(formRequest(assertionForm(replayed))); err != nil {
		t.Fatalf("setup: first use of the replayed assertion: %v", err)
	}

	cases := []struct {
		name   string
		form   url.Values
		basic  bool // add Basic credentials of basicClient
		status int
		reason oauthreg.FailureReason // "" when the Registry decides (Basic)
	}{
		{"alg none", assertionForm(unsigned(t, good(victim.ID))), false, 401, clientauth.ReasonAlgorithm},
		{"HS256 keyed with the victim's RSA public key (PEM)", assertionForm(sign(t, jose.HS256, pubPEM, "", good(victim.ID))), false, 401, clientauth.ReasonBadSignature},
		{"HS256 keyed with the public key, client_secret_jwt client with a jwks", assertionForm(sign(t, jose.HS256, pubPEM, "", good(hmacClient.ID))), false, 401, clientauth.ReasonBadSignature},
		{"HS256 keyed with the JWK Set JSON", assertionForm(sign(t, jose.HS256, []byte(jwksOf(t, rs)), "", good(victim.ID))), false, 401, clientauth.ReasonBadSignature},
		{"wrong aud", assertionForm(sign(t, rs.alg, rs.private, rs.kid, edit(good(victim.ID), func(c *jwt.Claims) { c.Audience = jwt.Audience{"https://other-as.example"} }))), false, 401, clientauth.ReasonAudience},
		{"missing aud", assertionForm(sign(t, rs.alg, rs.private, rs.kid, edit(good(victim.ID), func(c *jwt.Claims) { c.Audience = nil }))), false, 401, clientauth.ReasonAudience},
		{"expired", assertionForm(sign(t, rs.alg, rs.private, rs.kid, edit(good(victim.ID), func(c *jwt.Claims) {
			c.IssuedAt, c.Expiry = jwt.NewNumericDate(now.Add(-3*time.Minute)), jwt.NewNumericDate(now.Add(-time.Minute))
		}))), false, 401, clientauth.ReasonAssertionExpired},
		{"not yet valid", assertionForm(sign(t, rs.alg, rs.private, rs.kid, edit(good(victim.ID), func(c *jwt.Claims) { c.NotBefore = jwt.NewNumericDate(now.Add(time.Minute)) }))), false, 401, clientauth.ReasonNotYetValid},
		{"too long-lived", assertionForm(sign(t, rs.alg, rs.private, rs.kid, edit(good(victim.ID), func(c *jwt.Claims) { c.Expiry = jwt.NewNumericDate(now.Add(365 * 24 * time.Hour)) }))), false, 401, clientauth.ReasonTooLongLived},
		{"replayed jti", assertionForm(replayed), false, 401, clientauth.ReasonReplayed},
		{"iss differs from sub", assertionForm(sign(t, rs.alg, rs.private, rs.kid, edit(good(victim.ID), func(c *jwt.Claims) { c.Issuer = attacker.ID }))), false, 401, clientauth.ReasonIssuer},
		{"unknown kid", assertionForm(sign(t, rs.alg, rs.private, "no-such-kid", good(victim.ID))), false, 401, clientauth.ReasonNoKey},
		{"key of another client, its kid", assertionForm(sign(t, other.alg, other.private, other.kid, good(victim.ID))), false, 401, clientauth.ReasonNoKey},
		{"key of another client, victim's kid", assertionForm(sign(t, other.alg, other.private, rs.kid, good(victim.ID))), false, 401, clientauth.ReasonBadSignature},
		{"key of another client, no kid", assertionForm(sign(t, other.alg, other.private, "", good(victim.ID))), false, 401, clientauth.ReasonBadSignature},
		{"key that does not fit the alg (ES256 named, RSA key)", assertionForm(sign(t, es.alg, es.private, rs.kid, good(victim.ID))), false, 401, clientauth.ReasonNoKey},
		{"client registered for client_secret_basic, signed with its secret", assertionForm(sign(t, jose.HS256, []byte(basicSecret), "", good(basicClient.ID))), false, 401, oauthreg.ReasonWrongMethod},
		{"client_secret_jwt client, signed with its RSA key", assertionForm(sign(t, rs.alg, rs.private, rs.kid, good(hmacClient.ID))), false, 401, oauthreg.ReasonWrongMethod},
		{"Basic and an assertion", assertionForm(sign(t, rs.alg, rs.private, rs.kid, good(victim.ID))), true, 400, clientauth.ReasonMalformedRequest},
		{"oversized assertion", assertionForm(sign(t, rs.alg, rs.private, rs.kid, edit(good(victim.ID), func(c *jwt.Claims) { c.Subject = strings.Repeat("x", clientauth.DefaultMaxAssertionBytes) }))), false, 401, clientauth.ReasonMalformedAssertion},
		{"key carried in the jwk header", assertionForm(signWithEmbeddedKey(t, other, good(victim.ID))), false, 401, clientauth.ReasonMalformedAssertion},
		{"client_id parameter of another client", withParam(assertionForm(sign(t, rs.alg, rs.private, rs.kid, good(victim.ID))), "client_id", attacker.ID), false, 401, clientauth.ReasonIssuer},
		{"body too large", withParam(assertionForm(sign(t, rs.alg, rs.private, rs.kid, good(victim.ID))), "pad", strings.Repeat("p", clientauth.DefaultMaxBodyBytes)), false, 400, clientauth.ReasonMalformedRequest},
	}
	_ = hmacSecret
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := formRequest(tc.form)
			if tc.basic {
				r = basicRequest(basicClient.ID, basicSecret, tc.form)
			}
			_, _, err := e.auth.Authenticate(r)
			if err == nil {
				t.Fatalf("ACCEPTED")
			}
			var ce *clientauth.Error
			code := clientauth.CodeInvalidClient
			if tc.status == 400 {
				code = clientauth.CodeInvalidRequest
			}
			ce = wantError(t, err, code, tc.status)
			if ce.Reason != tc.reason {
				t.Errorf("reason %q, want %q (%v)", ce.Reason, tc.reason, err)
			}
			t.Logf("refused: %d %s, reason %s", ce.Status, ce.Code, ce.Reason)
		})
	}
}

// TestJWKSWithPrivateKey: a client whose registered JWK Set holds private
// key material never authenticates, even with a valid assertion.
func TestJWKSWithPrivateKey(t *testing.T) {
	e := newEnv(t)
	rs, _, _, _ := testKeys(t)
	priv, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: rs.private, KeyID: rs.kid, Use: "sig"}}})
	if err != nil {
		t.Fatal(err)
	}
	// Registration may refuse such a set; the Authenticator must refuse it
	// on its own all the same, so it is written to the store directly.
	c := e.keyClient(t, rs)
	stored, err := e.kit.Store.GetClient(t.Context(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored.JWKS = priv
	if err := e.kit.Store.UpdateClient(t.Context(), stored); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.auth.Authenticate(formRequest(assertionForm(sign(t, rs.alg, rs.private, rs.kid, validClaims(c.ID, e.kit.Clock.Now())))))
	ce := wantError(t, err, clientauth.CodeInvalidClient, 401)
	if ce.Reason != clientauth.ReasonKeysUnavailable || !strings.Contains(ce.Description, "private") {
		t.Errorf("reason %q, description %q", ce.Reason, ce.Description)
	}
}

func edit(c jwt.Claims, f func(*jwt.Claims)) jwt.Claims {
	f(&c)
	return c
}

func withParam(f url.Values, k, v string) url.Values {
	f.Set(k, v)
	return f
}

// unsigned is an "alg":"none" JWT of claims.
func unsigned(t *testing.T, c jwt.Claims) string {
	t.Helper()
	payload, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString(payload) + "."
}

// signWithEmbeddedKey signs with k and puts k's public key in the jwk
// header, as an attacker hoping the server verifies with it would.
func signWithEmbeddedKey(t *testing.T, k testKey, c jwt.Claims) string {
	t.Helper()
	opts := (&jose.SignerOptions{EmbedJWK: true}).WithType("JWT")
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: k.private}, opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(c).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
