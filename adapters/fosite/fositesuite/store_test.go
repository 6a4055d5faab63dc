package fositesuite

import (
	"context"
	"slices"
	"testing"

	"github.com/ory/fosite"
	"github.com/ory/fosite/storage"

	"github.com/oauthreg/oauthreg"
	oauthregfosite "github.com/oauthreg/oauthreg/adapters/fosite"
)

// fosite's own fixture hashes (storage.NewExampleStore).
const (
	foobarHash = `$2a$10$IxMdI6d.LIRZPpSfEwNoeu4rY3FhDREsxFJXikcgdRRAStxUlsuEO`
	foobazHash = `$2y$10$X51gLxUQJ.hGw1epgHTE5u0bt64xM0COU7K9iAp.OFg8p2pUd.1zC `
)

func fixtureStore() (*storage.MemoryStore, *fosite.DefaultClient) {
	ms := storage.NewMemoryStore()
	c := &fosite.DefaultClient{
		ID:             "my-client",
		Secret:         []byte(foobarHash),
		RotatedSecrets: [][]byte{[]byte(foobazHash)},
		RedirectURIs:   []string{"http://localhost:3846/callback"},
		ResponseTypes:  []string{"code"},
		GrantTypes:     []string{"authorization_code", "refresh_token"},
		Scopes:         []string{"fosite", "offline"},
	}
	ms.Clients["my-client"] = c
	ms.Clients["alias"] = c // one client object under two keys, as fosite's tests do
	return ms, c
}

// The Store hands fosite the adapter's client, read from oauthreg, whose
// secrets are the fixture's imported hashes, and follows the test's later
// edits through Registry.Update.
func TestStoreMirrorsFixtures(t *testing.T) {
	ctx := context.Background()
	ms, fixture := fixtureStore()
	s := For(ms)
	if For(ms) != s {
		t.Fatal("For made a second Store over the same MemoryStore")
	}
	got, err := s.GetClient(ctx, "my-client")
	if err != nil {
		t.Fatal(err)
	}
	switch got.(type) {
	case *oauthregfosite.Client, oauthregfosite.SecretClient:
	default:
		t.Fatalf("GetClient returned a %T, not the adapter's client", got)
	}
	h := s.Clients.Hasher()
	for _, secret := range []string{"foobar", "foobaz"} {
		if err := h.Compare(ctx, got.GetHashedSecret(), []byte(secret)); err != nil {
			t.Errorf("secret %q: %v", secret, err)
		}
	}
	if err := h.Compare(ctx, got.GetHashedSecret(), []byte("wrong")); err == nil {
		t.Error("a wrong secret authenticated")
	}
	reg, err := s.Registry.Get(ctx, "my-client")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(reg.ActiveSecrets(reg.UpdatedAt)); n != 2 {
		t.Errorf("%d active secrets, want the 2 imported ones (the generated one revoked)", n)
	}

	alias, err := s.GetClient(ctx, "alias")
	if err != nil {
		t.Fatal(err)
	}
	if alias.GetID() != "alias" {
		t.Errorf("client filed under alias has ID %q", alias.GetID())
	}

	fixture.RedirectURIs[0] = "http://127.0.0.1:5555/callback"
	got, err = s.GetClient(ctx, "my-client")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.GetRedirectURIs(), []string{"http://127.0.0.1:5555/callback"}) {
		t.Errorf("the test's edit was not mirrored: %v", got.GetRedirectURIs())
	}

	// An edit oauthreg refuses is refused at the lookup, not taken silently.
	fixture.RedirectURIs[0] = "http://example.com/callback#fragment"
	if _, err := s.GetClient(ctx, "my-client"); err == nil {
		t.Error("an invalid edit of a fixture was accepted")
	}

	if _, err := s.GetClient(ctx, "unknown"); err == nil {
		t.Error("an unknown client was found")
	}
}

func TestMakeValid(t *testing.T) {
	c := oauthreg.Client{
		RedirectURIs:  []string{"https://app.example/cb"},
		GrantTypes:    []oauthreg.GrantType{oauthreg.GrantAuthorizationCode, oauthreg.GrantRefreshToken},
		ResponseTypes: []oauthreg.ResponseType{"id_token", "code", "code id_token"},
	}
	changes := MakeValid(&c)
	if len(changes) != 1 || !slices.Contains(c.GrantTypes, oauthreg.GrantImplicit) {
		t.Errorf("changes %q, grant types %v: want implicit added once", changes, c.GrantTypes)
	}
	if changes := MakeValid(&c); len(changes) != 0 {
		t.Errorf("a valid client was changed: %q", changes)
	}
	c = oauthreg.Client{RedirectURIs: []string{"https://app.example/cb"}, GrantTypes: []oauthreg.GrantType{oauthreg.GrantImplicit}, ResponseTypes: []oauthreg.ResponseType{"token code"}}
	if changes := MakeValid(&c); len(changes) != 1 || !slices.Contains(c.GrantTypes, oauthreg.GrantAuthorizationCode) {
		t.Errorf("changes %q, grant types %v: want authorization_code added", changes, c.GrantTypes)
	}
	// fosite.DefaultClient's defaults: authorization_code and code, no
	// redirect URI.
	c = oauthreg.Client{GrantTypes: []oauthreg.GrantType{oauthreg.GrantAuthorizationCode}, ResponseTypes: []oauthreg.ResponseType{"code"}}
	if changes := MakeValid(&c); len(changes) != 1 || !slices.Equal(c.RedirectURIs, []string{PlaceholderRedirectURI}) {
		t.Errorf("changes %q, redirect URIs %v: want the placeholder added", changes, c.RedirectURIs)
	}
	c = oauthreg.Client{GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}}
	if changes := MakeValid(&c); len(changes) != 0 || c.RedirectURIs != nil {
		t.Errorf("a client_credentials client got %q, redirect URIs %v", changes, c.RedirectURIs)
	}
}

// SameClient compares what the adapter maps for client authentication.
func TestSameClient(t *testing.T) {
	fixture := &fosite.DefaultOpenIDConnectClient{
		DefaultClient:           &fosite.DefaultClient{ID: "bar"},
		TokenEndpointAuthMethod: "private_key_jwt",
		JSONWebKeysURI:          "https://keys.example/jwks",
	}
	same := &fosite.DefaultOpenIDConnectClient{
		DefaultClient:           &fosite.DefaultClient{ID: "bar", Scopes: []string{"other"}},
		TokenEndpointAuthMethod: "private_key_jwt",
		JSONWebKeysURI:          "https://keys.example/jwks",
	}
	if !SameClient(fixture, same) {
		t.Error("clients equal in ID, method and keys differ")
	}
	for name, c := range map[string]fosite.Client{
		"nil":    nil,
		"id":     &fosite.DefaultOpenIDConnectClient{DefaultClient: &fosite.DefaultClient{ID: "foo"}, TokenEndpointAuthMethod: "private_key_jwt", JSONWebKeysURI: "https://keys.example/jwks"},
		"method": &fosite.DefaultOpenIDConnectClient{DefaultClient: &fosite.DefaultClient{ID: "bar"}, TokenEndpointAuthMethod: "client_secret_basic", JSONWebKeysURI: "https://keys.example/jwks"},
		"keys":   &fosite.DefaultOpenIDConnectClient{DefaultClient: &fosite.DefaultClient{ID: "bar"}, TokenEndpointAuthMethod: "private_key_jwt"},
		"alg":    &fosite.DefaultOpenIDConnectClient{DefaultClient: &fosite.DefaultClient{ID: "bar"}, TokenEndpointAuthMethod: "private_key_jwt", JSONWebKeysURI: "https://keys.example/jwks", TokenEndpointAuthSigningAlgorithm: "ES256"},
		"plain":  &fosite.DefaultClient{ID: "bar"},
	} {
		if SameClient(fixture, c) {
			t.Errorf("%s: a different client is the same", name)
		}
	}
}
