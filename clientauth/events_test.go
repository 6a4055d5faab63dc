package clientauth_test

import (
	"crypto/x509/pkix"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/oauthreg/oauthreg"
)

// TestOneEventPerAuthentication: every method's success and failure is
// reported to the Registry's observers exactly once, naming the method (for
// a failure, when it is known) and holding no secret, assertion or key.
func TestOneEventPerAuthentication(t *testing.T) {
	e := newEnv(t)
	rs, _, _, other := testKeys(t)
	now := e.kit.Clock.Now()
	basicC, basicS := e.client(t, oauthreg.AuthClientSecretBasic)
	postC, postS := e.client(t, oauthreg.AuthClientSecretPost)
	jwtC, jwtS := e.client(t, oauthreg.AuthClientSecretJWT)
	pkC := e.keyClient(t, rs)
	pub := e.kit.PublicClient(t)
	cert, certKey := certificate(t, pkix.Name{CommonName: "svc"}, []string{"svc.example.com"}, nil, nil, nil)
	tlsC, _ := e.kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.TokenEndpointAuthMethod = oauthreg.AuthTLSClient
		c.TLSClientAuthSANDNS = "svc.example.com"
	})
	selfC, _ := e.kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.TokenEndpointAuthMethod = oauthreg.AuthSelfSignedTLSClient
		c.JWKS = jwksOf(t, testKey{"tls", jose.ES256, certKey})
	})
	otherCert, _ := certificate(t, pkix.Name{CommonName: "other"}, []string{"other.example.com"}, nil, nil, nil)
	var tokens []string
	tok := func(s string) string { tokens = append(tokens, s); return s }

	cases := []struct {
		name   string
		req    *http.Request
		ok     bool
		method oauthreg.AuthMethod
	}{
		{"basic ok", basicRequest(basicC.ID, basicS, nil), true, oauthreg.AuthClientSecretBasic},
		{"basic wrong", basicRequest(basicC.ID, postS, nil), false, oauthreg.AuthClientSecretBasic},
		{"post ok", formRequest(url.Values{"client_id": {postC.ID}, "client_secret": {postS}}), true, oauthreg.AuthClientSecretPost},
		{"post wrong", formRequest(url.Values{"client_id": {postC.ID}, "client_secret": {basicS}}), false, oauthreg.AuthClientSecretPost},
		{"client_secret_jwt ok", formRequest(assertionForm(tok(sign(t, jose.HS256, []byte(jwtS), "", validClaims(jwtC.ID, now))))), true, oauthreg.AuthClientSecretJWT},
		{"client_secret_jwt wrong", formRequest(assertionForm(tok(sign(t, jose.HS256, []byte(basicS), "", validClaims(jwtC.ID, now))))), false, oauthreg.AuthClientSecretJWT},
		{"private_key_jwt ok", formRequest(assertionForm(tok(sign(t, rs.alg, rs.private, rs.kid, validClaims(pkC.ID, now))))), true, oauthreg.AuthPrivateKeyJWT},
		{"private_key_jwt wrong", formRequest(assertionForm(tok(sign(t, other.alg, other.private, rs.kid, validClaims(pkC.ID, now))))), false, oauthreg.AuthPrivateKeyJWT},
		{"tls_client_auth ok", withCert(tlsC.ID, cert, true), true, oauthreg.AuthTLSClient},
		{"tls_client_auth wrong", withCert(tlsC.ID, otherCert, true), false, oauthreg.AuthTLSClient},
		{"self_signed ok", withCert(selfC.ID, cert, false), true, oauthreg.AuthSelfSignedTLSClient},
		{"self_signed wrong", withCert(selfC.ID, otherCert, false), false, oauthreg.AuthSelfSignedTLSClient},
		{"none ok", formRequest(url.Values{"client_id": {pub.ID}}), true, oauthreg.AuthNone},
		{"malformed", basicRequest(basicC.ID, basicS, url.Values{"client_secret": {basicS}}), false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.rec.take()
			_, m, err := e.auth.Authenticate(tc.req)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			ev := e.rec.take()
			if len(ev) != 1 {
				t.Fatalf("%d events %+v, want 1", len(ev), ev)
			}
			want := oauthreg.EventAuthFailed
			if tc.ok {
				want = oauthreg.EventAuthSucceeded
				if m != tc.method {
					t.Errorf("method %q, want %q", m, tc.method)
				}
			}
			if ev[0].Type != want || ev[0].Method != tc.method || (!tc.ok && ev[0].Reason == "") {
				t.Errorf("event %+v, want %s by %q with a reason on failure", ev[0], want, tc.method)
			}
			text := fmt.Sprintf("%+v", ev[0])
			for _, s := range append([]string{basicS, postS, jwtS}, tokens...) {
				if strings.Contains(text, s) || strings.Contains(text, s[len(s)-16:]) {
					t.Errorf("event holds a secret or an assertion: %s", text)
				}
			}
		})
	}
}
