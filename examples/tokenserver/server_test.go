package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
	"github.com/oauthreg/oauthreg/internal/dbopen"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// The two ways a confidential client sends its secret, as x/oauth2 names
// them, with the registration each needs.
var authStyles = []struct {
	name   string
	style  oauth2.AuthStyle
	method oauthreg.AuthMethod
}{
	{"basic", oauth2.AuthStyleInHeader, oauthreg.AuthClientSecretBasic},
	{"post", oauth2.AuthStyleInParams, oauthreg.AuthClientSecretPost},
}

// testIssuer is the issuer identifier of the test servers: the audience of
// client assertions.
const testIssuer = "https://tokenserver.example"

// newTestServer serves a Server on a fresh oauthregtest kit (memstore and a
// fake clock).
func newTestServer(t *testing.T) (*oauthregtest.Kit, *httptest.Server) {
	t.Helper()
	kit := oauthregtest.New(t)
	return kit, serve(t, kit.Registry, kit.Clock.Now)
}

func serve(t *testing.T, reg *oauthreg.Registry, now func() time.Time) *httptest.Server {
	t.Helper()
	s, err := NewServer(reg, now, clientauth.WithIssuer(testIssuer))
	if err != nil {
		t.Fatal(err)
	}
	s.Log = slog.New(slog.DiscardHandler)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

// client registers a confidential client_credentials client that
// authenticates with method, with the scopes "read" and "write".
func client(t *testing.T, kit *oauthregtest.Kit, method oauthreg.AuthMethod, edit ...func(*oauthreg.Client)) (*oauthreg.Client, string) {
	t.Helper()
	c, secret := kit.ConfidentialClient(t, append([]func(*oauthreg.Client){func(c *oauthreg.Client) {
		c.TokenEndpointAuthMethod = method
	}}, edit...)...)
	return c, secret.Reveal()
}

// ccConfig is the x/oauth2 client_credentials configuration of a client.
func ccConfig(ts *httptest.Server, id, secret string, style oauth2.AuthStyle, scopes ...string) *clientcredentials.Config {
	return &clientcredentials.Config{ClientID: id, ClientSecret: secret, TokenURL: ts.URL + "/token", Scopes: scopes, AuthStyle: style}
}

// token asks for a token and fails the test if none comes.
func token(t *testing.T, cfg *clientcredentials.Config) *oauth2.Token {
	t.Helper()
	tok, err := cfg.Token(context.Background())
	if err != nil {
		t.Fatalf("token for %q: %v", cfg.ClientID, err)
	}
	return tok
}

// refused asks for a token and checks the RFC 6749 §5.2 error the server
// answers with.
func refused(t *testing.T, cfg *clientcredentials.Config, code string, status int) *oauth2.RetrieveError {
	t.Helper()
	tok, err := cfg.Token(context.Background())
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("token for %q: got %v, %v; want a RetrieveError %s", cfg.ClientID, tok, err, code)
	}
	if re.ErrorCode != code || re.Response.StatusCode != status {
		t.Fatalf("token for %q: got %d %q (%s), want %d %q", cfg.ClientID, re.Response.StatusCode, re.ErrorCode, re.Body, status, code)
	}
	checkNoStore(t, re.Response.Header)
	return re
}

func checkNoStore(t *testing.T, h http.Header) {
	t.Helper()
	if h.Get("Cache-Control") != "no-store" || h.Get("Pragma") != "no-cache" || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Errorf("headers: Cache-Control %q, Pragma %q, Content-Type %q", h.Get("Cache-Control"), h.Get("Pragma"), h.Get("Content-Type"))
	}
}

// post sends a raw form, for what x/oauth2 will not do.
func post(t *testing.T, ts *httptest.Server, path string, form url.Values, edit func(*http.Request)) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if edit != nil {
		edit(req)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("%s: body is not JSON: %q", resp.Status, raw)
	}
	return resp, body
}

func TestTokenIssued(t *testing.T) {
	const ttl = 90 * time.Minute
	for _, a := range authStyles {
		t.Run(a.name, func(t *testing.T) {
			kit, ts := newTestServer(t)
			c, secret := client(t, kit, a.method, func(c *oauthreg.Client) { c.AccessTokenTTL = ttl })

			before := time.Now()
			tok := token(t, ccConfig(ts, c.ID, secret, a.style))
			after := time.Now()
			if tok.AccessToken == "" || tok.TokenType != "Bearer" {
				t.Fatalf("token %q type %q", tok.AccessToken, tok.TokenType)
			}
			// x/oauth2 computes Expiry from expires_in with the real clock.
			if tok.Expiry.Before(before.Add(ttl).Add(-time.Second)) || tok.Expiry.After(after.Add(ttl).Add(time.Second)) {
				t.Errorf("expiry %v, want about now+%v", tok.Expiry, ttl)
			}
			if got := tok.Extra("expires_in"); got != float64(ttl/time.Second) {
				t.Errorf("expires_in %v, want %d", got, ttl/time.Second)
			}
			if got := tok.Extra("scope"); got != "read write" {
				t.Errorf("scope %v, want the client's scopes", got)
			}
			if n := len(tok.AccessToken); n != 43 {
				t.Errorf("token %q: %d characters, want 43 (256 bits, base64url)", tok.AccessToken, n)
			}
		})
	}
}

// The wire format itself, RFC 6749 §5.1: exactly these fields and the
// no-store headers.
func TestTokenResponseJSON(t *testing.T) {
	kit, ts := newTestServer(t)
	c, secret := client(t, kit, oauthreg.AuthClientSecretPost)
	resp, body := post(t, ts, "/token", url.Values{
		"grant_type": {"client_credentials"}, "scope": {"write"},
		"client_id": {c.ID}, "client_secret": {secret},
	}, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %v", resp.Status, body)
	}
	checkNoStore(t, resp.Header)
	if len(body) != 4 || body["token_type"] != "Bearer" || body["expires_in"] != float64(24*3600) ||
		body["scope"] != "write" || body["access_token"] == "" {
		t.Fatalf("body %v", body)
	}
}

func TestWrongSecretRefused(t *testing.T) {
	for _, a := range authStyles {
		t.Run(a.name, func(t *testing.T) {
			kit, ts := newTestServer(t)
			c, secret := client(t, kit, a.method)
			// Another valid-looking secret, and a client that does not exist.
			_, other := client(t, kit, a.method)
			for _, cfg := range []*clientcredentials.Config{
				ccConfig(ts, c.ID, other, a.style),
				ccConfig(ts, c.ID, secret+"x", a.style),
				ccConfig(ts, "no-such-client", secret, a.style),
			} {
				re := refused(t, cfg, "invalid_client", http.StatusUnauthorized)
				// RFC 6749 §5.2 and RFC 9110 §15.5.2: every 401 carries a
				// challenge, whatever method the client used.
				if challenge := re.Response.Header.Get("WWW-Authenticate"); challenge != `Basic realm="`+Realm+`", charset="UTF-8"` {
					t.Errorf("%s: WWW-Authenticate %q", a.name, challenge)
				}
			}
		})
	}
}

func TestRotationGracePeriod(t *testing.T) {
	kit, ts := newTestServer(t)
	c, old := client(t, kit, oauthreg.AuthClientSecretBasic)
	next, err := kit.RotateSecret(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	oldCfg := ccConfig(ts, c.ID, old, oauth2.AuthStyleInHeader)
	newCfg := ccConfig(ts, c.ID, next.Reveal(), oauth2.AuthStyleInHeader)

	token(t, oldCfg)
	token(t, newCfg)
	kit.Clock.Advance(oauthreg.DefaultRotationPolicy.GracePeriod - time.Second)
	token(t, oldCfg) // the last second of the grace period
	kit.Clock.Advance(time.Second)
	refused(t, oldCfg, "invalid_client", http.StatusUnauthorized)
	token(t, newCfg)
}

func TestRegeneratedSecretInvalidatesTheOld(t *testing.T) {
	kit, ts := newTestServer(t)
	c, old := client(t, kit, oauthreg.AuthClientSecretBasic)
	token(t, ccConfig(ts, c.ID, old, oauth2.AuthStyleInHeader))
	fresh, err := kit.RegenerateSecret(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, ccConfig(ts, c.ID, old, oauth2.AuthStyleInHeader), "invalid_client", http.StatusUnauthorized)
	token(t, ccConfig(ts, c.ID, fresh.Reveal(), oauth2.AuthStyleInHeader))
}

func TestDisabledClientRefused(t *testing.T) {
	kit, ts := newTestServer(t)
	c, secret := client(t, kit, oauthreg.AuthClientSecretBasic)
	if _, err := kit.Update(context.Background(), c.ID, func(c *oauthreg.Client) error { c.Disabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	refused(t, ccConfig(ts, c.ID, secret, oauth2.AuthStyleInHeader), "invalid_client", http.StatusUnauthorized)
}

func TestScopeSubset(t *testing.T) {
	kit, ts := newTestServer(t)
	c, secret := client(t, kit, oauthreg.AuthClientSecretBasic)
	for _, tc := range []struct {
		requested []string
		granted   string // "" = refused with invalid_scope
	}{
		{nil, "read write"},
		{[]string{"read"}, "read"},
		{[]string{"write", "read", "write"}, "write read"},
		{[]string{"read", "admin"}, ""},
		{[]string{"admin"}, ""},
		{[]string{`bad"scope`}, ""}, // not scope-token syntax
	} {
		cfg := ccConfig(ts, c.ID, secret, oauth2.AuthStyleInHeader, tc.requested...)
		if tc.granted == "" {
			refused(t, cfg, "invalid_scope", http.StatusBadRequest)
			continue
		}
		if got := token(t, cfg).Extra("scope"); got != tc.granted {
			t.Errorf("requested %q: granted %v, want %q", tc.requested, got, tc.granted)
		}
	}
}

func TestGrantType(t *testing.T) {
	kit, ts := newTestServer(t)
	c, secret := client(t, kit, oauthreg.AuthClientSecretBasic)

	cfg := ccConfig(ts, c.ID, secret, oauth2.AuthStyleInHeader)
	cfg.EndpointParams = url.Values{"grant_type": {"password"}}
	refused(t, cfg, "unsupported_grant_type", http.StatusBadRequest)

	resp, body := post(t, ts, "/token", url.Values{}, func(r *http.Request) { r.SetBasicAuth(c.ID, secret) })
	if resp.StatusCode != http.StatusBadRequest || body["error"] != "invalid_request" {
		t.Errorf("no grant_type: %s %v", resp.Status, body)
	}

	// A client registered for authorization_code only may not use
	// client_credentials.
	web, webSecret := client(t, kit, oauthreg.AuthClientSecretBasic, func(c *oauthreg.Client) {
		c.GrantTypes = []oauthreg.GrantType{oauthreg.GrantAuthorizationCode}
		c.RedirectURIs = []string{"https://app.example/callback"}
	})
	refused(t, ccConfig(ts, web.ID, webSecret, oauth2.AuthStyleInHeader), "unauthorized_client", http.StatusBadRequest)
}

// RFC 6749 §2.3.1: the client ID and secret are form-encoded before Basic
// joins them with a colon and base64-encodes them, so an ID holding a colon,
// a space or a plus sign survives the trip. x/oauth2 encodes them; the
// server decodes them.
func TestCredentialsThatNeedFormEncoding(t *testing.T) {
	const id = "svc:1 a+b"
	const secret = "s3cret: 100% a+b&c=d" // a supplied secret, argon2id-hashed
	kit, ts := newTestServer(t)
	for _, a := range authStyles {
		t.Run(a.name, func(t *testing.T) {
			// The library takes any VSCHAR (printable ASCII) client ID.
			c, _ := client(t, kit, a.method, func(c *oauthreg.Client) { c.ID = id + " " + a.name })
			if _, err := kit.AddSecret(context.Background(), c.ID, secret); err != nil {
				t.Fatal(err)
			}
			token(t, ccConfig(ts, c.ID, secret, a.style))
		})
	}

	// A client that skips the form-encoding is refused: the colon in its ID
	// ends the ID early, and "% a" in the secret is not a valid escape, so
	// the credentials are malformed (400 invalid_request).
	resp, body := post(t, ts, "/token", url.Values{"grant_type": {"client_credentials"}}, func(r *http.Request) {
		r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(id+" basic:"+secret)))
	})
	if resp.StatusCode != http.StatusBadRequest || body["error"] != "invalid_request" {
		t.Errorf("unencoded Basic credentials: %s %v", resp.Status, body)
	}
}

func TestAuthenticationMethod(t *testing.T) {
	kit, ts := newTestServer(t)
	basic, basicSecret := client(t, kit, oauthreg.AuthClientSecretBasic)
	post_, postSecret := client(t, kit, oauthreg.AuthClientSecretPost)

	// Right credentials, but not the method the client is registered for.
	// Every 401 carries a challenge (RFC 9110 §15.5.2), whatever the method.
	re := refused(t, ccConfig(ts, basic.ID, basicSecret, oauth2.AuthStyleInParams), "invalid_client", http.StatusUnauthorized)
	if h := re.Response.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Basic ") {
		t.Errorf("post attempt: WWW-Authenticate %q", h)
	}
	re = refused(t, ccConfig(ts, post_.ID, postSecret, oauth2.AuthStyleInHeader), "invalid_client", http.StatusUnauthorized)
	if h := re.Response.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Basic ") {
		t.Errorf("basic attempt: WWW-Authenticate %q", h)
	}

	// RFC 6749 §2.3: never more than one method at once.
	resp, body := post(t, ts, "/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {basic.ID}, "client_secret": {basicSecret},
	}, func(r *http.Request) { r.SetBasicAuth(basic.ID, basicSecret) })
	if resp.StatusCode != http.StatusBadRequest || body["error"] != "invalid_request" {
		t.Errorf("basic and post at once: %s %v", resp.Status, body)
	}

	// No authentication at all: a 401 with a challenge.
	resp, body = post(t, ts, "/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {basic.ID}}, nil)
	if resp.StatusCode != http.StatusUnauthorized || body["error"] != "invalid_client" || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no authentication: %s %v %q", resp.Status, body, resp.Header.Get("WWW-Authenticate"))
	}

	// Another scheme in the Authorization header.
	resp, body = post(t, ts, "/token", url.Values{"grant_type": {"client_credentials"}}, func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+basicSecret)
	})
	if resp.StatusCode != http.StatusUnauthorized || body["error"] != "invalid_client" || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("Bearer: %s %v", resp.Status, body)
	}
}

func TestMalformedRequests(t *testing.T) {
	kit, ts := newTestServer(t)
	c, secret := client(t, kit, oauthreg.AuthClientSecretBasic)
	basicAuth := func(r *http.Request) { r.SetBasicAuth(c.ID, secret) }

	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/token?grant_type=client_credentials", nil)
	basicAuth(req)
	resp, body := do(t, req)
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" || body["error"] != "invalid_request" {
		t.Errorf("GET: %s Allow %q %v", resp.Status, resp.Header.Get("Allow"), body)
	}

	req, _ = http.NewRequest(http.MethodPost, ts.URL+"/token", strings.NewReader(`{"grant_type":"client_credentials"}`))
	req.Header.Set("Content-Type", "application/json")
	basicAuth(req)
	if resp, body := do(t, req); resp.StatusCode != http.StatusBadRequest || body["error"] != "invalid_request" {
		t.Errorf("JSON body: %s %v", resp.Status, body)
	}

	// RFC 6749 §3.2: parameters MUST NOT be repeated.
	resp, body = post(t, ts, "/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"read", "write"}}, basicAuth)
	if resp.StatusCode != http.StatusBadRequest || body["error"] != "invalid_request" {
		t.Errorf("repeated scope: %s %v", resp.Status, body)
	}

	// A form with a charset parameter is still a form.
	resp, body = post(t, ts, "/token", url.Values{"grant_type": {"client_credentials"}}, func(r *http.Request) {
		basicAuth(r)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("form with charset: %s %v", resp.Status, body)
	}
}

// failingStore is a store whose database is down.
type failingStore struct{ oauthreg.Store }

func (failingStore) GetClient(context.Context, string) (*oauthreg.Client, error) {
	return nil, errors.New("dial tcp 10.0.0.7:5432: connection refused (user=oauth password=hunter2)")
}

func TestStoreFailureIsServerError(t *testing.T) {
	reg, err := oauthreg.New(failingStore{memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	s, err := NewServer(reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Log = slog.New(slog.NewTextHandler(&logged, nil))
	ts := httptest.NewServer(s)
	defer ts.Close()

	// A well-formed generated secret, so that the store is read.
	kit := oauthregtest.New(t)
	c, secret := client(t, kit, oauthreg.AuthClientSecretBasic)
	re := refused(t, ccConfig(ts, c.ID, secret, oauth2.AuthStyleInHeader), "server_error", http.StatusInternalServerError)
	if bytes.Contains(re.Body, []byte("hunter2")) || bytes.Contains(re.Body, []byte("10.0.0.7")) {
		t.Errorf("the response leaks the store error: %s", re.Body)
	}
	if !strings.Contains(logged.String(), "connection refused") {
		t.Errorf("the store error was not logged: %q", logged.String())
	}
}

func TestIntrospection(t *testing.T) {
	kit, ts := newTestServer(t)
	c, secret := client(t, kit, oauthreg.AuthClientSecretBasic, func(c *oauthreg.Client) { c.AccessTokenTTL = time.Hour })
	other, otherSecret := client(t, kit, oauthreg.AuthClientSecretBasic)
	tok := token(t, ccConfig(ts, c.ID, secret, oauth2.AuthStyleInHeader, "read"))

	introspect := func(id, secret string) map[string]any {
		t.Helper()
		resp, body := post(t, ts, "/introspect", url.Values{"token": {tok.AccessToken}}, func(r *http.Request) {
			r.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
		})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("introspect: %s %v", resp.Status, body)
		}
		return body
	}
	issued := kit.Clock.Now()
	got := introspect(c.ID, secret)
	if got["active"] != true || got["client_id"] != c.ID || got["scope"] != "read" ||
		got["exp"] != float64(issued.Add(time.Hour).Unix()) || got["iat"] != float64(issued.Unix()) {
		t.Errorf("own token: %v", got)
	}
	if got := introspect(other.ID, otherSecret); len(got) != 1 || got["active"] != false {
		t.Errorf("another client's token: %v", got)
	}
	kit.Clock.Advance(time.Hour)
	if got := introspect(c.ID, secret); got["active"] != false {
		t.Errorf("expired token: %v", got)
	}

	resp, body := post(t, ts, "/introspect", url.Values{"token": {tok.AccessToken}}, func(r *http.Request) { r.SetBasicAuth(c.ID, "wrong") })
	if resp.StatusCode != http.StatusUnauthorized || body["error"] != "invalid_client" {
		t.Errorf("wrong secret: %s %v", resp.Status, body)
	}
}

// The same endpoint on the SQLite store main uses, opened through dbopen.
func TestOnSQLite(t *testing.T) {
	ctx := context.Background()
	store, db, err := dbopen.Open(ctx, filepath.Join(t.TempDir(), "clients.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clock := oauthregtest.NewClock(oauthregtest.Epoch)
	reg, err := oauthreg.New(store, oauthreg.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	ts := serve(t, reg, clock.Now)

	for _, a := range authStyles {
		c, secret, err := reg.Register(ctx, oauthreg.Client{
			ID: "svc:sqlite " + a.name, Owner: "org", TokenEndpointAuthMethod: a.method,
			Scopes: []string{"read"}, AccessTokenTTL: 5 * time.Minute,
		})
		if err != nil {
			t.Fatal(err)
		}
		old := ccConfig(ts, c.ID, secret.Reveal(), a.style)
		if got := token(t, old).Extra("expires_in"); got != float64(300) {
			t.Errorf("%s: expires_in %v", a.name, got)
		}
		next, err := reg.RotateSecret(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		token(t, old)
		clock.Advance(oauthreg.DefaultRotationPolicy.GracePeriod)
		refused(t, old, "invalid_client", http.StatusUnauthorized)
		token(t, ccConfig(ts, c.ID, next.Reveal(), a.style, "read"))
		refused(t, ccConfig(ts, c.ID, next.Reveal(), a.style, "write"), "invalid_scope", http.StatusBadRequest)
	}
}

// A token's lifetime is whole seconds, at least one.
func TestExpiresInWholeSeconds(t *testing.T) {
	kit, ts := newTestServer(t)
	for ttl, want := range map[time.Duration]float64{
		1500 * time.Millisecond: 1,
		time.Millisecond:        1,
		7 * 24 * time.Hour:      7 * 24 * 3600,
	} {
		c, secret := client(t, kit, oauthreg.AuthClientSecretBasic, func(c *oauthreg.Client) { c.AccessTokenTTL = ttl })
		if got := token(t, ccConfig(ts, c.ID, secret, oauth2.AuthStyleInHeader)).Extra("expires_in"); got != want {
			t.Errorf("TTL %v: expires_in %v, want %v", ttl, got, want)
		}
	}
}

// A client registered for client_secret_jwt must sign an assertion with its
// secret; this endpoint does not take assertions, and must not take the
// secret itself as a password either (oauthreg.Authenticate alone would).
func TestClientSecretJWTClientRefused(t *testing.T) {
	key, err := oauthreg.GenerateKey("k1", oauthreg.AES256GCM)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := oauthreg.NewKeyRing(key)
	if err != nil {
		t.Fatal(err)
	}
	kit := oauthregtest.New(t, oauthreg.WithKeyRing(ring)) // client_secret_jwt needs sealed secrets
	ts := serve(t, kit.Registry, kit.Clock.Now)
	c, secret := client(t, kit, oauthreg.AuthClientSecretJWT)
	for _, a := range authStyles {
		refused(t, ccConfig(ts, c.ID, secret, a.style), "invalid_client", http.StatusUnauthorized)
	}
}

// unavailableStore is a store whose database is overloaded or restarting.
type unavailableStore struct{ oauthreg.Store }

func (unavailableStore) GetClient(context.Context, string) (*oauthreg.Client, error) {
	return nil, errors.Join(errors.New("too many connections"), oauthreg.ErrUnavailable)
}

// TestStoreUnavailableIs503: a store that says ErrUnavailable makes the
// token endpoint answer 503 temporarily_unavailable, not 401 or 500, so
// the client retries instead of concluding its secret is wrong.
func TestStoreUnavailableIs503(t *testing.T) {
	reg, err := oauthreg.New(unavailableStore{memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	ts := httptest.NewServer(s)
	defer ts.Close()
	kit := oauthregtest.New(t)
	c, secret := client(t, kit, oauthreg.AuthClientSecretBasic)
	refused(t, ccConfig(ts, c.ID, secret, oauth2.AuthStyleInHeader), "temporarily_unavailable", http.StatusServiceUnavailable)
}
