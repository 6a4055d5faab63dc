package clientauth_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
)

// TestClientSecretJWT: an HS256 assertion signed with the client's secret
// authenticates it once; the same assertion again is a replay.
func TestClientSecretJWT(t *testing.T) {
	e := newEnv(t)
	c, secret := e.client(t, oauthreg.AuthClientSecretJWT)
	tok := sign(t, jose.HS256, []byte(secret), "", validClaims(c.ID, e.kit.Clock.Now()))
	e.rec.take()
	got, m, err := e.auth.Authenticate(formRequest(assertionForm(tok)))
	if err != nil || got.ID != c.ID || m != oauthreg.AuthClientSecretJWT {
		t.Fatalf("client_secret_jwt: %v %q %v", got, m, err)
	}
	ev := e.rec.take()
	if len(ev) != 1 || ev[0].Type != oauthreg.EventAuthSucceeded || ev[0].Method != oauthreg.AuthClientSecretJWT || ev[0].SecretID == "" {
		t.Errorf("events = %+v, want one success by client_secret_jwt naming the secret", ev)
	}
	_, _, err = e.auth.Authenticate(formRequest(assertionForm(tok)))
	ce := wantError(t, err, clientauth.CodeInvalidClient, 401)
	if ce.Reason != clientauth.ReasonReplayed {
		t.Errorf("replay reason = %q", ce.Reason)
	}
	ev = e.rec.take()
	if len(ev) != 1 || ev[0].Type != oauthreg.EventAuthFailed || ev[0].Reason != clientauth.ReasonReplayed {
		t.Errorf("events = %+v, want one failure, replayed", ev)
	}
	for _, x := range ev {
		if strings.Contains(x.ClientID+x.SecretID+string(x.Reason), tok) || strings.Contains(x.ClientID, secret) {
			t.Errorf("event %+v holds the assertion or the secret", x)
		}
	}

	// After rotation with a grace period, the old secret still signs.
	other, otherSecret := e.client(t, oauthreg.AuthClientSecretBasic)
	tok = sign(t, jose.HS256, []byte(otherSecret), "", validClaims(other.ID, e.kit.Clock.Now()))
	_, _, err = e.auth.Authenticate(formRequest(assertionForm(tok)))
	if ce := wantError(t, err, clientauth.CodeInvalidClient, 401); ce.Reason != oauthreg.ReasonWrongMethod {
		t.Errorf("an HMAC assertion of a client_secret_basic client: reason %q, want wrong method", ce.Reason)
	}
}

// TestAssertionRules is the table of RFC 7523 §3 and rfc7523bis rules,
// each broken once, with client_secret_jwt; all are refused with the
// reason named.
func TestAssertionRules(t *testing.T) {
	e := newEnv(t)
	c, secret := e.client(t, oauthreg.AuthClientSecretJWT)
	now := e.kit.Clock.Now()
	key := []byte(secret)
	cases := []struct {
		name   string
		edit   func(*jwt.Claims)
		form   func(url.Values)
		reason oauthreg.FailureReason
	}{
		{"iss differs from sub", func(cl *jwt.Claims) { cl.Issuer = "someone-else" }, nil, clientauth.ReasonIssuer},
		{"no iss", func(cl *jwt.Claims) { cl.Issuer = "" }, nil, clientauth.ReasonIssuer},
		{"no sub", func(cl *jwt.Claims) { cl.Subject = "" }, nil, clientauth.ReasonIssuer},
		{"client_id param differs", nil, func(f url.Values) { f.Set("client_id", "other") }, clientauth.ReasonIssuer},
		{"no aud", func(cl *jwt.Claims) { cl.Audience = nil }, nil, clientauth.ReasonAudience},
		{"wrong aud", func(cl *jwt.Claims) { cl.Audience = jwt.Audience{"https://evil.example"} }, nil, clientauth.ReasonAudience},
		{"token endpoint as aud without legacy option", func(cl *jwt.Claims) { cl.Audience = jwt.Audience{testIssuer + "/token"} }, nil, clientauth.ReasonAudience},
		{"issuer among other audiences", func(cl *jwt.Claims) { cl.Audience = jwt.Audience{testIssuer, "https://other.example"} }, nil, clientauth.ReasonAudience},
		{"no exp", func(cl *jwt.Claims) { cl.Expiry = nil }, nil, clientauth.ReasonAssertionExpired},
		{"expired", func(cl *jwt.Claims) {
			cl.Expiry = jwt.NewNumericDate(now.Add(-time.Minute))
			cl.IssuedAt = jwt.NewNumericDate(now.Add(-2 * time.Minute))
		}, nil, clientauth.ReasonAssertionExpired},
		{"nbf in the future", func(cl *jwt.Claims) { cl.NotBefore = jwt.NewNumericDate(now.Add(2 * time.Minute)) }, nil, clientauth.ReasonNotYetValid},
		{"iat in the future", func(cl *jwt.Claims) {
			cl.IssuedAt = jwt.NewNumericDate(now.Add(2 * time.Minute))
			cl.Expiry = jwt.NewNumericDate(now.Add(3 * time.Minute))
		}, nil, clientauth.ReasonNotYetValid},
		{"too long-lived", func(cl *jwt.Claims) { cl.Expiry = jwt.NewNumericDate(now.Add(24 * time.Hour)) }, nil, clientauth.ReasonTooLongLived},
		{"too long-lived without iat", func(cl *jwt.Claims) {
			cl.IssuedAt = nil
			cl.Expiry = jwt.NewNumericDate(now.Add(time.Hour))
		}, nil, clientauth.ReasonTooLongLived},
		{"no jti", func(cl *jwt.Claims) { cl.ID = "" }, nil, clientauth.ReasonMissingJTI},
		{"jti over 255 bytes", func(cl *jwt.Claims) { cl.ID = strings.Repeat("j", 256) }, nil, clientauth.ReasonMissingJTI},
		{"unknown client", func(cl *jwt.Claims) { cl.Issuer, cl.Subject = "nobody", "nobody" }, nil, oauthreg.ReasonUnknownClient},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl := validClaims(c.ID, now)
			if tc.edit != nil {
				tc.edit(&cl)
			}
			f := assertionForm(sign(t, jose.HS256, key, "", cl))
			if tc.form != nil {
				tc.form(f)
			}
			_, _, err := e.auth.Authenticate(formRequest(f))
			ce := wantError(t, err, clientauth.CodeInvalidClient, 401)
			if ce.Reason != tc.reason {
				t.Errorf("reason = %q, want %q (%v)", ce.Reason, tc.reason, err)
			}
		})
	}

	// Within the skew, and the legacy audiences when configured, pass.
	cl := validClaims(c.ID, now)
	cl.IssuedAt = jwt.NewNumericDate(now.Add(20 * time.Second))
	if _, _, err := e.auth.Authenticate(formRequest(assertionForm(sign(t, jose.HS256, key, "", cl)))); err != nil {
		t.Errorf("iat 20s ahead (skew 30s): %v", err)
	}
	legacy := newEnvOn(t, e, clientauth.WithLegacyAudiences(testIssuer+"/token"))
	cl = validClaims(c.ID, now)
	cl.Audience = jwt.Audience{testIssuer + "/token", "https://other.example"}
	if _, _, err := legacy.Authenticate(formRequest(assertionForm(sign(t, jose.HS256, key, "", cl)))); err != nil {
		t.Errorf("legacy audience: %v", err)
	}
}

// newEnvOn is another Authenticator on e's Registry.
func newEnvOn(t *testing.T, e *env, opts ...clientauth.Option) *clientauth.Authenticator {
	t.Helper()
	a, err := clientauth.New(e.kit.Registry, append([]clientauth.Option{clientauth.WithIssuer(testIssuer), clientauth.WithClock(e.kit.Clock.Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
