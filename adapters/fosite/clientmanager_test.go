package oauthregfosite_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ory/fosite"

	"github.com/oauthreg/oauthreg"
	oauthregfosite "github.com/oauthreg/oauthreg/adapters/fosite"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

func TestGetClientMapsEveryField(t *testing.T) {
	kit := oauthregtest.New(t)
	reg, _, err := kit.Register(context.Background(), oauthreg.Client{
		Owner:                   "org-acme",
		Name:                    "web app",
		GrantTypes:              []oauthreg.GrantType{oauthreg.GrantAuthorizationCode, oauthreg.GrantRefreshToken, oauthreg.GrantClientCredentials},
		ResponseTypes:           []oauthreg.ResponseType{oauthreg.ResponseCode},
		Scopes:                  []string{"openid", "invoices:read"},
		RedirectURIs:            []string{"https://app.example/cb", "http://127.0.0.1/cb"},
		TokenEndpointAuthMethod: oauthreg.AuthClientSecretPost,
		AccessTokenTTL:          15 * time.Minute,
		RefreshTokenTTL:         48 * time.Hour,
		Metadata:                map[string]string{"tier": "gold"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := oauthregfosite.New(kit.Registry)
	fc, err := m.GetClient(context.Background(), reg.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := fc.(*oauthregfosite.Client)

	if c.GetID() != reg.ID {
		t.Errorf("GetID = %q", c.GetID())
	}
	if got := string(c.GetHashedSecret()); got != "oauthreg:"+reg.ID {
		t.Errorf("GetHashedSecret = %q, want the reference oauthreg:<id>", got)
	}
	for _, s := range reg.Secrets {
		if strings.Contains(string(c.GetHashedSecret()), s.Hash.Reveal()) {
			t.Error("GetHashedSecret carries a real hash")
		}
	}
	if c.GetRotatedHashes() != nil {
		t.Errorf("GetRotatedHashes = %q, want nil", c.GetRotatedHashes())
	}
	if !slices.Equal(c.GetRedirectURIs(), reg.RedirectURIs) {
		t.Errorf("GetRedirectURIs = %q", c.GetRedirectURIs())
	}
	if want := (fosite.Arguments{"authorization_code", "refresh_token", "client_credentials"}); !slices.Equal(c.GetGrantTypes(), want) {
		t.Errorf("GetGrantTypes = %q", c.GetGrantTypes())
	}
	if want := (fosite.Arguments{"code"}); !slices.Equal(c.GetResponseTypes(), want) {
		t.Errorf("GetResponseTypes = %q", c.GetResponseTypes())
	}
	if want := (fosite.Arguments{"openid", "invoices:read"}); !slices.Equal(c.GetScopes(), want) {
		t.Errorf("GetScopes = %q", c.GetScopes())
	}
	if c.IsPublic() {
		t.Error("IsPublic = true for a confidential client")
	}
	if c.GetAudience() != nil {
		t.Errorf("GetAudience = %q, want nil", c.GetAudience())
	}
	if c.GetTokenEndpointAuthMethod() != "client_secret_post" {
		t.Errorf("GetTokenEndpointAuthMethod = %q", c.GetTokenEndpointAuthMethod())
	}
	if c.GetRequestURIs() != nil || c.GetJSONWebKeys() != nil || c.GetJSONWebKeysURI() != "" || c.GetRequestObjectSigningAlgorithm() != "" {
		t.Error("OpenID Connect getters: want no request URIs, keys or request object algorithm")
	}
	if c.GetTokenEndpointAuthSigningAlgorithm() != "RS256" {
		t.Errorf("GetTokenEndpointAuthSigningAlgorithm = %q", c.GetTokenEndpointAuthSigningAlgorithm())
	}

	const fallback = 7 * time.Minute
	for _, tc := range []struct {
		gt   fosite.GrantType
		tt   fosite.TokenType
		want time.Duration
	}{
		{fosite.GrantTypeClientCredentials, fosite.AccessToken, 15 * time.Minute},
		{fosite.GrantTypeAuthorizationCode, fosite.AccessToken, 15 * time.Minute},
		{fosite.GrantTypeRefreshToken, fosite.RefreshToken, 48 * time.Hour},
		{fosite.GrantTypeAuthorizationCode, fosite.AuthorizeCode, fallback},
		{fosite.GrantTypeAuthorizationCode, fosite.IDToken, fallback},
	} {
		if got := fosite.GetEffectiveLifespan(c, tc.gt, tc.tt, fallback); got != tc.want {
			t.Errorf("lifespan of %s/%s = %v, want %v", tc.gt, tc.tt, got, tc.want)
		}
	}

	r := c.Registered()
	if r.ID != reg.ID || r.Owner != "org-acme" || r.Metadata["tier"] != "gold" || r.Secrets != nil {
		t.Errorf("Registered = %+v", r)
	}
	r.Scopes[0] = "changed"
	if c.GetScopes()[0] != "openid" {
		t.Error("Registered does not return a copy")
	}

	off := oauthregfosite.New(kit.Registry, oauthregfosite.WithClientTokenLifespans(false))
	fc, err = off.GetClient(context.Background(), reg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := fosite.GetEffectiveLifespan(fc, fosite.GrantTypeClientCredentials, fosite.AccessToken, fallback); got != fallback {
		t.Errorf("WithClientTokenLifespans(false): lifespan = %v, want fosite's %v", got, fallback)
	}
}

func TestGetClientPublic(t *testing.T) {
	kit := oauthregtest.New(t)
	pub := kit.PublicClient(t)
	c, err := oauthregfosite.New(kit.Registry).GetClient(context.Background(), pub.ID)
	if err != nil {
		t.Fatal(err)
	}
	oidc := c.(fosite.OpenIDConnectClient)
	if !c.IsPublic() || oidc.GetTokenEndpointAuthMethod() != "none" {
		t.Errorf("public client: IsPublic=%v method=%q", c.IsPublic(), oidc.GetTokenEndpointAuthMethod())
	}
}

func TestGetClientErrors(t *testing.T) {
	ctx := context.Background()

	kit := oauthregtest.New(t)
	m := oauthregfosite.New(kit.Registry)
	_, err := m.GetClient(ctx, "no-such-client")
	if !errors.Is(err, fosite.ErrNotFound) || !errors.Is(err, oauthreg.ErrNotFound) {
		t.Errorf("unknown client: %v; want fosite.ErrNotFound and oauthreg.ErrNotFound", err)
	}
	if errors.Is(err, fosite.ErrServerError) {
		t.Errorf("unknown client is a server error: %v", err)
	}

	// A disabled client is not found: fosite would not check a public
	// client's (absent) secret, so it must not get it at all.
	pub := kit.PublicClient(t)
	if _, err := kit.Update(ctx, pub.ID, func(c *oauthreg.Client) error { c.Disabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := m.GetClient(ctx, pub.ID); !errors.Is(err, fosite.ErrNotFound) {
		t.Errorf("disabled client: %v; want fosite.ErrNotFound", err)
	}

	store := &flakyStore{Store: memstore.New()}
	reg, err := oauthreg.New(store)
	if err != nil {
		t.Fatal(err)
	}
	store.failFrom.Store(1)
	_, err = oauthregfosite.New(reg).GetClient(ctx, "any")
	if !errors.Is(err, fosite.ErrServerError) || !errors.Is(err, errStoreDown) || errors.Is(err, fosite.ErrNotFound) {
		t.Errorf("store failure: %v; want fosite.ErrServerError wrapping the store's error", err)
	}

	var nilManager *oauthregfosite.ClientManager
	if _, err := nilManager.GetClient(ctx, "x"); !errors.Is(err, fosite.ErrServerError) {
		t.Errorf("nil ClientManager: %v", err)
	}
	if _, err := oauthregfosite.New(nil).GetClient(ctx, "x"); !errors.Is(err, fosite.ErrServerError) {
		t.Errorf("ClientManager without Registry: %v", err)
	}
}

// The Client is a snapshot: later changes in the Registry do not alter it.
func TestClientIsSnapshot(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	fc, err := oauthregfosite.New(kit.Registry).GetClient(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kit.Update(context.Background(), c.ID, func(c *oauthreg.Client) error { c.Scopes = []string{"other"}; return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(fc.GetScopes(), fosite.Arguments{"read", "write"}) {
		t.Errorf("scopes changed under fosite: %q", fc.GetScopes())
	}
}
