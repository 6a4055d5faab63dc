package oauthregfosite_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite/token/jwt"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

var testRSAKeyOnce = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

func testRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := testRSAKeyOnce()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// A fosite server composed with the adapter serves a client_credentials
// token request for a client stored by oauthreg, and refuses wrong
// credentials with invalid_client.
func TestClientCredentials(t *testing.T) {
	for _, strategy := range []bool{false, true} {
		name := "default strategy"
		if strategy {
			name = "AuthenticationStrategy"
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, harnessOptions{strategy: strategy})
			c, secret := h.register(t, func(c *oauthreg.Client) { c.Lifetimes.AccessToken = 24 * time.Hour })
			other, otherSecret := h.register(t)

			r := h.wantToken(t, c.ID, secret, basicAuth)
			if r.Body["token_type"] != "bearer" || r.Body["scope"] != "read" {
				t.Errorf("token response: %v", r)
			}
			// The client's own access token lifetime, not fosite's
			// AccessTokenLifespan of one hour.
			if exp, _ := r.Body["expires_in"].(float64); math.Abs(exp-c.Lifetimes.AccessToken.Seconds()) > 5 {
				t.Errorf("expires_in = %v, want about %v", r.Body["expires_in"], c.Lifetimes.AccessToken.Seconds())
			}
			// A client that inherits gets fosite's lifespan.
			if exp, _ := h.wantToken(t, other.ID, otherSecret, basicAuth).Body["expires_in"].(float64); math.Abs(exp-3600) > 5 {
				t.Errorf("expires_in of an inheriting client = %v, want about 3600", exp)
			}
			if !h.events.has(oauthreg.EventAuthSucceeded, "") {
				t.Error("no auth.succeeded event: the request did not go through Registry.Authenticate")
			}
			got, err := h.reg.Get(context.Background(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.LastUsedAt.IsZero() {
				t.Error("LastUsedAt not recorded")
			}

			h.wantRefused(t, c.ID, secret+"x", basicAuth, http.StatusUnauthorized, "invalid_client")
			h.wantRefused(t, c.ID, "not-a-generated-secret", basicAuth, http.StatusUnauthorized, "invalid_client")
			h.wantRefused(t, c.ID, "", basicAuth, http.StatusUnauthorized, "invalid_client")
			h.wantRefused(t, c.ID, otherSecret, basicAuth, http.StatusUnauthorized, "invalid_client")
			h.wantRefused(t, "no-such-client", secret, basicAuth, http.StatusUnauthorized, "invalid_client")
			h.wantToken(t, other.ID, otherSecret, basicAuth)
		})
	}
}

// The same, driven by golang.org/x/oauth2/clientcredentials, as a Go client
// of the server would.
func TestClientCredentialsWithOAuth2Client(t *testing.T) {
	h := newHarness(t, harnessOptions{strategy: true})
	c, secret := h.register(t)
	cfg := clientcredentials.Config{
		ClientID: c.ID, ClientSecret: secret, TokenURL: h.url,
		Scopes: []string{"read", "write"}, AuthStyle: oauth2.AuthStyleInHeader,
	}
	tok, err := cfg.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || !strings.EqualFold(tok.TokenType, "bearer") {
		t.Fatalf("token: %+v", tok)
	}
	if scope, _ := tok.Extra("scope").(string); scope != "read write" {
		t.Errorf("scope = %q", scope)
	}

	cfg.ClientSecret = secret[:len(secret)-1] + "x"
	_, err = cfg.Token(context.Background())
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response.StatusCode != http.StatusUnauthorized || re.ErrorCode != "invalid_client" {
		t.Fatalf("wrong secret: %v", err)
	}

	cfg.ClientSecret = secret
	cfg.Scopes = []string{"admin"} // not one of the client's scopes
	if _, err := cfg.Token(context.Background()); !errors.As(err, &re) || re.ErrorCode != "invalid_scope" {
		t.Fatalf("scope the client may not request: %v", err)
	}
}

// compose.ComposeAllEnabled, as the README shows it, works too.
func TestComposeAllEnabled(t *testing.T) {
	h := newHarness(t, harnessOptions{strategy: true, composeAll: true})
	c, secret := h.register(t)
	h.wantToken(t, c.ID, secret, basicAuth)
	h.wantRefused(t, c.ID, secret+"x", basicAuth, http.StatusUnauthorized, "invalid_client")
}

// After RotateSecret the old secret keeps working inside the grace period
// (and is reported as a grace use), and is refused after it; the new one
// works throughout.
func TestRotationGracePeriod(t *testing.T) {
	const grace = 2 * time.Hour
	h := newHarness(t, harnessOptions{regOpts: []oauthreg.Option{
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: grace, MaxActiveSecrets: 2}),
	}})
	c, old := h.register(t)
	next, err := h.reg.RotateSecret(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}

	h.events.reset()
	h.wantToken(t, c.ID, old, basicAuth)
	if !h.events.has(oauthreg.EventGraceSecretUsed, "") {
		t.Error("old secret inside the grace period: no auth.grace_secret_used event")
	}
	h.wantToken(t, c.ID, next.Reveal(), basicAuth)

	h.clock.Advance(grace - time.Second)
	h.wantToken(t, c.ID, old, basicAuth)

	h.clock.Advance(time.Second) // the grace period ends: ExpiresAt is exclusive
	h.events.reset()
	h.wantRefused(t, c.ID, old, basicAuth, http.StatusUnauthorized, "invalid_client")
	if !h.events.has(oauthreg.EventAuthFailed, oauthreg.ReasonExpired) {
		t.Error("old secret after the grace period: no auth.failed expired_secret event")
	}
	h.wantToken(t, c.ID, next.Reveal(), basicAuth)
}

// RegenerateSecret and RevokeSecret take effect at once.
func TestRegenerateAndRevoke(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	c, old := h.register(t)
	fresh, err := h.reg.RegenerateSecret(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	h.wantRefused(t, c.ID, old, basicAuth, http.StatusUnauthorized, "invalid_client")
	h.wantToken(t, c.ID, fresh.Reveal(), basicAuth)

	if err := h.reg.RevokeSecret(context.Background(), c.ID, fresh.ID()); err != nil {
		t.Fatal(err)
	}
	h.wantRefused(t, c.ID, fresh.Reveal(), basicAuth, http.StatusUnauthorized, "invalid_client")
}

// A secret that expires on its own (SecretLifetime) stops working then.
func TestSecretLifetime(t *testing.T) {
	h := newHarness(t, harnessOptions{regOpts: []oauthreg.Option{
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{SecretLifetime: 30 * 24 * time.Hour, GracePeriod: time.Hour, MaxActiveSecrets: 2}),
	}})
	c, secret := h.register(t)
	h.clock.Advance(30*24*time.Hour - time.Minute)
	h.wantToken(t, c.ID, secret, basicAuth)
	h.clock.Advance(time.Minute)
	h.wantRefused(t, c.ID, secret, basicAuth, http.StatusUnauthorized, "invalid_client")
}

// A disabled client is refused with its right secret, and enabling it
// again restores it.
func TestDisabledClient(t *testing.T) {
	h := newHarness(t, harnessOptions{strategy: true})
	c, secret := h.register(t)
	setDisabled := func(d bool) {
		t.Helper()
		if _, err := h.reg.Update(context.Background(), c.ID, func(c *oauthreg.Client) error { c.Disabled = d; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	setDisabled(true)
	h.events.reset()
	h.wantRefused(t, c.ID, secret, basicAuth, http.StatusUnauthorized, "invalid_client")
	if !h.events.has(oauthreg.EventAuthFailed, oauthreg.ReasonDisabled) {
		t.Error("disabled client: the strategy did not report the attempt through Authenticate")
	}
	setDisabled(false)
	h.wantToken(t, c.ID, secret, basicAuth)
}

// fosite enforces the client's token_endpoint_auth_method, which the
// adapter passes on (fosite.OpenIDConnectClient).
func TestTokenEndpointAuthMethod(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	basic, basicSecret := h.register(t)
	post, postSecret := h.register(t, func(c *oauthreg.Client) {
		c.TokenEndpointAuthMethod = oauthreg.AuthClientSecretPost
	})

	h.wantToken(t, basic.ID, basicSecret, basicAuth)
	h.wantRefused(t, basic.ID, basicSecret, postAuth, http.StatusUnauthorized, "invalid_client")

	h.wantToken(t, post.ID, postSecret, postAuth)
	h.wantRefused(t, post.ID, postSecret, basicAuth, http.StatusUnauthorized, "invalid_client")
	h.wantRefused(t, post.ID, postSecret+"x", postAuth, http.StatusUnauthorized, "invalid_client")
}

// A public client (method none) gets no client_credentials token, and a
// client without that grant type is refused by fosite.
func TestGrantChecks(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	pub, _ := h.register(t, func(c *oauthreg.Client) {
		c.Public = true
		c.GrantTypes = []oauthreg.GrantType{oauthreg.GrantAuthorizationCode}
		c.RedirectURIs = []string{"https://app.example/cb"}
	})
	if r := h.token(t, pub.ID, "", postAuth); r.Status == http.StatusOK {
		t.Fatalf("public client got a client_credentials token: %v", r)
	}
	code, secret := h.register(t, func(c *oauthreg.Client) {
		c.GrantTypes = []oauthreg.GrantType{oauthreg.GrantAuthorizationCode}
		c.RedirectURIs = []string{"https://app.example/cb"}
	})
	h.wantRefused(t, code.ID, secret, basicAuth, http.StatusBadRequest, "unauthorized_client")
}

// A bcrypt hash imported from another system verifies through fosite, and
// is upgraded to argon2id on that first use, as with Registry.Authenticate.
func TestImportedHashIsUpgraded(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	c, _ := h.register(t)
	const legacy = "legacy-secret-from-hydra"
	hash, err := bcrypt.GenerateFromPassword([]byte(legacy), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	s, err := h.reg.ImportSecret(context.Background(), c.ID, string(hash))
	if err != nil {
		t.Fatal(err)
	}
	h.wantToken(t, c.ID, legacy, basicAuth)
	got, err := h.reg.Get(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := got.Secret(s.ID); !strings.HasPrefix(stored.Hash.Reveal(), "$argon2id$") {
		t.Errorf("imported hash not upgraded: %.12s…", stored.Hash.Reveal())
	}
	h.wantToken(t, c.ID, legacy, basicAuth)
	h.wantRefused(t, c.ID, legacy+"x", basicAuth, http.StatusUnauthorized, "invalid_client")
}

// A store outage is not the client's fault. fosite alone answers it with
// invalid_client; with AuthenticationStrategy it is a 500 server_error,
// whether the lookup or the verification read fails.
func TestStoreFailure(t *testing.T) {
	for _, tc := range []struct {
		name     string
		strategy bool
		failFrom int32 // which GetClient of the request fails first: 1 = fosite's lookup, 2 = Authenticate's read
		status   int
		code     string
	}{
		{"fosite alone, lookup fails", false, 1, http.StatusUnauthorized, "invalid_client"},
		{"fosite alone, verification fails", false, 2, http.StatusUnauthorized, "invalid_client"},
		{"strategy, lookup fails", true, 1, http.StatusInternalServerError, "server_error"},
		{"strategy, verification fails", true, 2, http.StatusInternalServerError, "server_error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &flakyStore{Store: memstore.New()}
			h := newHarness(t, harnessOptions{store: store, strategy: tc.strategy})
			c, secret := h.register(t)
			h.wantToken(t, c.ID, secret, basicAuth)

			store.failFromNextCall(tc.failFrom)
			h.wantRefused(t, c.ID, secret, basicAuth, tc.status, tc.code)

			store.failFrom.Store(0)
			h.wantToken(t, c.ID, secret, basicAuth)
		})
	}
}

// With AuthenticationStrategy an unknown client ID goes through
// Registry.Authenticate too (its decoy work, its event); without it fosite
// answers after the lookup.
func TestUnknownClientIsAuthenticated(t *testing.T) {
	for _, strategy := range []bool{false, true} {
		h := newHarness(t, harnessOptions{strategy: strategy})
		_, secret := h.register(t)
		h.events.reset()
		h.wantRefused(t, "no-such-client", secret, basicAuth, http.StatusUnauthorized, "invalid_client")
		h.wantRefused(t, "no-such-client", secret, postAuth, http.StatusUnauthorized, "invalid_client")
		if got := h.events.has(oauthreg.EventAuthFailed, oauthreg.ReasonUnknownClient); got != strategy {
			t.Errorf("strategy=%v: auth.failed unknown_client reported = %v", strategy, got)
		}
	}
}

// A private_key_jwt assertion signed with a key the client did not
// register is refused, before the assertion's JTI is recorded. (oauthreg
// refuses to register a private_key_jwt client without keys at all.)
func TestPrivateKeyJWTRefused(t *testing.T) {
	h := newHarness(t, harnessOptions{strategy: true})
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	set, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &other.PublicKey, KeyID: "other", Algorithm: "RS256", Use: "sig"}}})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := h.register(t, func(c *oauthreg.Client) {
		c.TokenEndpointAuthMethod = oauthreg.AuthPrivateKeyJWT
		c.JWKS = set
	})
	assertion, err := jwt.NewWithClaims(jose.RS256, jwt.MapClaims{
		"iss": c.ID, "sub": c.ID, "aud": h.url, "jti": "jti-1",
		"exp": time.Now().Add(time.Minute).Unix(),
	}).SignedString(testRSAKey(t))
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
	}
	resp, err := http.PostForm(h.url, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("private_key_jwt: status %d, want 401", resp.StatusCode)
	}
	if err := h.clients.ClientAssertionJWTValid(context.Background(), "jti-1"); err != nil {
		t.Fatalf("refused assertion's jti was recorded: %v", err)
	}
}
