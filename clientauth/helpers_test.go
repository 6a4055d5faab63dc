package clientauth_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

const testIssuer = "https://as.example.com"

// recorder collects the Registry's events.
type recorder struct {
	mu     sync.Mutex
	events []oauthreg.Event
}

func (r *recorder) Observe(_ context.Context, e oauthreg.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) take() []oauthreg.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	return out
}

// env is a Registry with sealing, a fake clock, an event recorder and an
// Authenticator on them.
type env struct {
	kit  *oauthregtest.Kit
	auth *clientauth.Authenticator
	rec  *recorder
}

func newEnv(t testing.TB, opts ...clientauth.Option) *env {
	t.Helper()
	key, err := oauthreg.GenerateKey("k1", oauthreg.AES256GCM)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := oauthreg.NewKeyRing(key)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	kit := oauthregtest.New(t, oauthreg.WithKeyRing(ring), oauthreg.WithObserver(rec))
	auth, err := clientauth.New(kit.Registry, append([]clientauth.Option{clientauth.WithIssuer(testIssuer), clientauth.WithClock(kit.Clock.Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &env{kit: kit, auth: auth, rec: rec}
}

// client registers a confidential client_credentials client with method.
func (e *env) client(t testing.TB, method oauthreg.AuthMethod, edit ...func(*oauthreg.Client)) (*oauthreg.Client, string) {
	t.Helper()
	c, s := e.kit.ConfidentialClient(t, append([]func(*oauthreg.Client){func(c *oauthreg.Client) { c.TokenEndpointAuthMethod = method }}, edit...)...)
	return c, s.Reveal()
}

// formRequest is a POST of form to the token endpoint.
func formRequest(form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "https://as.example.com/token", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// basicRequest is formRequest with RFC 6749 §2.3.1 Basic credentials.
func basicRequest(id, secret string, form url.Values) *http.Request {
	r := formRequest(form)
	r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret))))
	return r
}

// validClaims returns claims valid at now for clientID.
func validClaims(clientID string, now time.Time) jwt.Claims {
	return jwt.Claims{
		Issuer: clientID, Subject: clientID, Audience: jwt.Audience{testIssuer},
		Expiry: jwt.NewNumericDate(now.Add(time.Minute)), IssuedAt: jwt.NewNumericDate(now),
		ID: randomID(),
	}
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sign makes a compact JWS of claims with key under alg, with header kid
// when kid is not "".
func sign(t testing.TB, alg jose.SignatureAlgorithm, key any, kid string, payload any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader(jose.HeaderKey("kid"), kid)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(payload).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// assertionForm is the form of a request authenticated by assertion.
func assertionForm(assertion string) url.Values {
	return url.Values{
		"grant_type":            {"client_credentials"},
		"client_assertion_type": {clientauth.AssertionTypeJWTBearer},
		"client_assertion":      {assertion},
	}
}
