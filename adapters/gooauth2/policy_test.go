package gooauth2_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/go-oauth2/oauth2/v4"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/adapters/gooauth2"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// policyServer is a token server with the adapter's policy handlers.
func policyServer(t *testing.T, kit *oauthregtest.Kit) *tokenServer {
	t.Helper()
	ts := newTokenServer(t, kit.Registry, serverConfig{})
	clients, err := gooauth2.NewClientStore(kit.Registry)
	if err != nil {
		t.Fatal(err)
	}
	ts.srv.SetClientAuthorizedHandler(clients.ClientAuthorizedHandler())
	ts.srv.SetClientScopeHandler(clients.ClientScopeHandler())
	return ts
}

// The access token lifetime go-oauth2 issues is the one in force for the
// client and grant: its per-grant value, its client-wide value, or the
// Registry's default.
func TestPolicyAccessTokenLifetime(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithTokenTTLs(45*time.Minute, 24*time.Hour))
	ts := policyServer(t, kit)
	for _, tc := range []struct {
		name      string
		lifetimes oauthreg.TokenLifetimes
		want      time.Duration
	}{
		{"per grant", oauthreg.TokenLifetimes{AccessToken: time.Hour,
			Grants: map[oauthreg.GrantType]oauthreg.GrantLifetimes{oauthreg.GrantClientCredentials: {AccessToken: 10 * time.Minute}}}, 10 * time.Minute},
		{"client-wide", oauthreg.TokenLifetimes{AccessToken: 20 * time.Minute}, 20 * time.Minute},
		{"inherited", oauthreg.TokenLifetimes{}, 45 * time.Minute},
	} {
		c, secret := kit.ConfidentialClient(t, func(c *oauthreg.Client) {
			c.Scopes = []string{"read"}
			c.Lifetimes = tc.lifetimes
		})
		tr := ts.clientCredentials(t, c.ID, secret.Reveal())
		wantToken(t, tc.name, tr)
		if got := time.Duration(tr.ExpiresIn) * time.Second; got != tc.want {
			t.Errorf("%s: expires_in %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Scopes and grant types the client was not registered for are refused.
func TestPolicyScopesAndGrants(t *testing.T) {
	kit := oauthregtest.New(t)
	ts := policyServer(t, kit)
	c, secret := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Scopes = []string{"read"} })
	tr := ts.post(t, false, c.ID, secret.Reveal(), url.Values{"grant_type": {"client_credentials"}, "scope": {"read write"}})
	if tr.Status != http.StatusBadRequest || tr.Error != "invalid_scope" {
		t.Errorf("a scope the client lacks: status %d error %q", tr.Status, tr.Error)
	}
	wantToken(t, "no scope asked", ts.post(t, false, c.ID, secret.Reveal(), url.Values{"grant_type": {"client_credentials"}}))

	pw, pwSecret := kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.Scopes = []string{"read"}
		c.GrantTypes = []oauthreg.GrantType{oauthreg.GrantAuthorizationCode}
		c.ResponseTypes = []oauthreg.ResponseType{oauthreg.ResponseCode}
		c.RedirectURIs = []string{"https://app.example.com/cb"}
	})
	tr = ts.clientCredentials(t, pw.ID, pwSecret.Reveal())
	if tr.AccessToken != "" || tr.Error != "unauthorized_client" {
		t.Errorf("client_credentials for a client without that grant: status %d error %q", tr.Status, tr.Error)
	}
}

// The handlers refuse unknown and disabled clients, and map implicit.
func TestPolicyHandlersDirectly(t *testing.T) {
	kit := oauthregtest.New(t)
	clients, _ := gooauth2.NewClientStore(kit.Registry)
	authorized := clients.ClientAuthorizedHandler()
	c, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.GrantTypes = []oauthreg.GrantType{oauthreg.GrantImplicit}
		c.ResponseTypes = []oauthreg.ResponseType{oauthreg.ResponseToken}
		c.RedirectURIs = []string{"https://app.example.com/cb"}
		c.Lifetimes.Grants = map[oauthreg.GrantType]oauthreg.GrantLifetimes{oauthreg.GrantImplicit: {AccessToken: 5 * time.Minute}}
	})
	if ok, err := authorized(c.ID, oauth2.Implicit); !ok || err != nil {
		t.Errorf("implicit for an implicit client: %v %v", ok, err)
	}
	if ok, _ := authorized(c.ID, oauth2.ClientCredentials); ok {
		t.Error("client_credentials allowed to an implicit-only client")
	}
	if ok, err := authorized("no-such-client", oauth2.Implicit); ok || err != nil {
		t.Errorf("unknown client: %v %v", ok, err)
	}
	r := httptest.NewRequest(http.MethodGet, "/authorize?response_type=token&client_id="+url.QueryEscape(c.ID), nil)
	if d, err := clients.AccessTokenExpHandler()(httptest.NewRecorder(), r); d != 5*time.Minute || err != nil {
		t.Errorf("AccessTokenExpHandler for implicit: %v %v", d, err)
	}
	if _, err := kit.Update(context.Background(), c.ID, func(c *oauthreg.Client) error { c.Disabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if ok, _ := authorized(c.ID, oauth2.Implicit); ok {
		t.Error("a disabled client was authorized")
	}
}
