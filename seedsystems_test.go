package oauthreg_test

// Each seed system's admin operation (../shared/DESIGN.md, "The systems it
// replaces or sits behind"), performed through the library.

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// SlashID GET /oauth/clients/{id}: the caller's org must match or be a parent
// of the client's owner; the response has client_id, client_name,
// grant_types, response_types, scopes, token durations (24 h and 10 days by
// default), public, redirect_uris, created_at and last_used.
func TestSlashIDGetClient(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithOrgTree(oauthreg.MapOrgTree{"team": "company", "other-team": "company"}))
	c, secret := kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.Owner = "team"
		c.Name = "slash app"
		c.GrantTypes = []oauthreg.GrantType{oauthreg.GrantAuthorizationCode, oauthreg.GrantRefreshToken}
		c.RedirectURIs = []string{"https://app.example.com/callback"}
	})
	kit.Clock.Advance(time.Hour)
	if _, err := kit.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
		t.Fatal(err)
	}
	parent := kit.As(oauthreg.UserPrincipal("admin", "company", oauthreg.RoleMember))
	got, err := parent.Get(ctx, c.ID)
	if err != nil {
		t.Fatalf("parent org reading its child's client: %v", err)
	}
	if _, err := kit.As(oauthreg.UserPrincipal("x", "other-team", oauthreg.RoleOrgOwner)).Get(ctx, c.ID); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Fatalf("sibling org must not see the client: %v", err)
	}
	b, _ := json.Marshal(got)
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"client_id", "client_name", "grant_types", "response_types", "scope", "access_token_ttl", "refresh_token_ttl", "public", "redirect_uris", "created_at", "last_used"} {
		if _, ok := m[k]; !ok {
			t.Errorf("client JSON lacks %q: %s", k, b)
		}
	}
	// The client inherits the Registry's lifetimes: its JSON says 0 (not
	// set) and the SlashID durations are the values in force.
	if m["access_token_ttl"] != 0.0 || m["refresh_token_ttl"] != 0.0 {
		t.Errorf("inherited token durations in JSON: %v %v, want 0 (inherit)", m["access_token_ttl"], m["refresh_token_ttl"])
	}
	access := kit.EffectiveTokenLifetime(got, oauthreg.GrantAuthorizationCode, oauthreg.TokenAccess)
	refresh := kit.EffectiveTokenLifetime(got, oauthreg.GrantAuthorizationCode, oauthreg.TokenRefresh)
	if access != 24*time.Hour || refresh != 10*24*time.Hour {
		t.Errorf("SlashID access_token_duration %v, refresh_token_duration %v; want the defaults 24h and 240h", access, refresh)
	}
	if m["last_used"] != oauthregtest.Epoch.Add(time.Hour).Format(time.RFC3339) {
		t.Errorf("last_used %v, want the authentication time", m["last_used"])
	}
	if m["response_types"].([]any)[0] != "code" || m["scope"] != "read write" {
		t.Errorf("response_types %v scope %v", m["response_types"], m["scope"])
	}
}

// VMware CPN GET /v2/orgs/{orgId}/oauth-apps/{id}: accessTokenTTL,
// allowedScopes, createdAt, description, displayName, grantTypes,
// lastUpdatedAt, ownerOnlySecretRotation, secretRotationExpirationInSeconds
// (the old secret expires that long after a rotation).
func TestVMwareCPNGetApp(t *testing.T) {
	kit := oauthregtest.New(t)
	c, old := kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.Name = "cpn app"
		c.Description = "partner integration"
		c.AccessTokenTTL = 30 * time.Minute
		c.RotationPolicy = &oauthreg.RotationPolicy{GracePeriod: 3600 * time.Second, MaxActiveSecrets: 2, OwnerOnlyRotation: true}
	})
	kit.Clock.Advance(time.Minute)
	if _, err := kit.RotateSecret(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	app, err := kit.As(oauthreg.UserPrincipal("u", c.Owner, oauthreg.RoleMember)).Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The CPN response, field by field.
	cpn := map[string]any{
		"accessTokenTTL":                    app.AccessTokenTTL.Seconds(),
		"allowedScopes":                     app.Scopes,
		"createdAt":                         app.CreatedAt,
		"description":                       app.Description,
		"displayName":                       app.Name,
		"grantTypes":                        app.GrantTypes,
		"lastUpdatedAt":                     app.UpdatedAt,
		"ownerOnlySecretRotation":           app.RotationPolicy.OwnerOnlyRotation,
		"secretRotationExpirationInSeconds": app.RotationPolicy.GracePeriod.Seconds(),
	}
	if cpn["accessTokenTTL"] != 1800.0 || cpn["secretRotationExpirationInSeconds"] != 3600.0 || cpn["ownerOnlySecretRotation"] != true ||
		cpn["displayName"] != "cpn app" || !app.UpdatedAt.After(app.CreatedAt) {
		t.Fatalf("CPN view: %+v", cpn)
	}
	// secretRotationExpirationInSeconds in action.
	kit.Clock.Advance(3599 * time.Second)
	if _, err := kit.Authenticate(ctx, c.ID, old.Reveal()); err != nil {
		t.Fatal("old secret refused inside secretRotationExpirationInSeconds")
	}
	kit.Clock.Advance(time.Second)
	if _, err := kit.Authenticate(ctx, c.ID, old.Reveal()); err == nil {
		t.Fatal("old secret accepted after secretRotationExpirationInSeconds")
	}
	// ownerOnlySecretRotation in action: the app may not rotate itself.
	if _, err := kit.As(oauthreg.ClientPrincipal(c.ID)).RotateSecret(ctx, c.ID); !errors.Is(err, oauthreg.ErrForbidden) {
		t.Fatalf("owner-only rotation not enforced: %v", err)
	}
}

// VMware CPN again, for an app that follows the registry-wide policy and
// lifetimes: the values in force are read back through the Registry.
func TestVMwareCPNGetAppOnRegistryPolicy(t *testing.T) {
	kit := oauthregtest.New(t,
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: 2 * time.Hour, MaxActiveSecrets: 2}),
		oauthreg.WithTokenTTLs(45*time.Minute, 48*time.Hour))
	c, _ := kit.ConfidentialClient(t)
	app, err := kit.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if app.RotationPolicy != nil || app.Lifetimes.AccessToken != 0 {
		t.Fatalf("the client carries its own values: %+v %+v", app.RotationPolicy, app.Lifetimes)
	}
	policy := kit.EffectiveRotationPolicy(app)
	cpn := map[string]any{
		"accessTokenTTL":                    kit.EffectiveTokenLifetime(app, oauthreg.GrantClientCredentials, oauthreg.TokenAccess).Seconds(),
		"ownerOnlySecretRotation":           policy.OwnerOnlyRotation,
		"secretRotationExpirationInSeconds": policy.GracePeriod.Seconds(),
	}
	if cpn["accessTokenTTL"] != 2700.0 || cpn["secretRotationExpirationInSeconds"] != 7200.0 || cpn["ownerOnlySecretRotation"] != false {
		t.Fatalf("CPN view of an app on the registry-wide policy: %+v", cpn)
	}
}

// VMware CSP PUT /orgs/{orgId}/oauth-apps/{id}/secret: regenerate; the new
// secret is the only valid one, any rotation in progress is reset; only org
// owner, org admin or developer may do it.
func TestVMwareCSPRegenerate(t *testing.T) {
	kit := oauthregtest.New(t)
	c, s1 := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "csp-org" })
	s2, _ := kit.RotateSecret(ctx, c.ID) // a rotation in progress: s1 in its grace period
	for _, role := range []oauthreg.Role{oauthreg.RoleOrgOwner, oauthreg.RoleOrgAdmin, oauthreg.RoleDeveloper} {
		if _, err := kit.As(oauthreg.UserPrincipal("u", "csp-org", role)).RegenerateSecret(ctx, c.ID); err != nil {
			t.Fatalf("%s may regenerate: %v", role, err)
		}
	}
	if _, err := kit.As(oauthreg.UserPrincipal("u", "csp-org", oauthreg.RoleMember)).RegenerateSecret(ctx, c.ID); !errors.Is(err, oauthreg.ErrForbidden) {
		t.Fatalf("org member regenerated: %v", err)
	}
	fresh, err := kit.As(oauthreg.UserPrincipal("dev", "csp-org", oauthreg.RoleDeveloper)).RegenerateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := kit.Get(ctx, c.ID)
	active := got.ActiveSecrets(kit.Clock.Now())
	if len(active) != 1 || active[0].ID != fresh.ID() {
		t.Fatalf("after regenerate %d secrets are active, want only the new one", len(active))
	}
	for _, s := range []oauthreg.PlainSecret{s1, s2} {
		if _, err := kit.Authenticate(ctx, c.ID, s.Reveal()); err == nil {
			t.Fatal("an old secret survived the regeneration (rotation not reset)")
		}
	}
}

// Zitadel POST …/_generate_client_secret: a new secret, returned once
// ("make sure to save the response").
func TestZitadelGenerateSecret(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	secret, err := kit.RegenerateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	response, _ := json.Marshal(map[string]any{"clientSecret": secret.Reveal(), "details": map[string]any{"secretId": secret.ID()}})
	if !strings.Contains(string(response), secret.Reveal()) {
		t.Fatal("the one response must carry the secret")
	}
	// Never again: not in the stored client, its JSON, or a reveal.
	got, _ := kit.Get(ctx, c.ID)
	b, _ := json.Marshal(got)
	for _, s := range got.Secrets {
		if strings.Contains(s.Hash.Reveal(), secret.Reveal()) {
			t.Fatal("plaintext stored")
		}
	}
	if strings.Contains(string(b), secret.Reveal()) {
		t.Fatal("plaintext in the client's JSON")
	}
	if _, err := kit.RevealSecret(ctx, c.ID, secret.ID()); !errors.Is(err, oauthreg.ErrNotRetrievable) {
		t.Fatalf("a registry without sealing revealed a secret: %v", err)
	}
}

// ZStack GET /oauth2/clients/{uuid}/client-secret: retrieve a client's
// secret (sealing on), and system and user tags on a client.
func TestZStackGetClientSecret(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithKeyRing(testKeyRing(t)),
		oauthreg.WithAccessPolicy(oauthreg.DefaultAccessPolicy{RevealRoles: []oauthreg.Role{oauthreg.RoleOrgAdmin}}))
	c, secret := kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.SystemTags = []string{"zstack::oauth2::builtin"}
		c.UserTags = []string{"env::prod"}
	})
	got, err := kit.As(oauthreg.UserPrincipal("admin", c.Owner, oauthreg.RoleOrgAdmin)).RevealSecret(ctx, c.ID, secret.ID())
	if err != nil {
		t.Fatal(err)
	}
	if got.Reveal() != secret.Reveal() {
		t.Fatal("revealed secret differs")
	}
	stored, _ := kit.Get(ctx, c.ID)
	if stored.SystemTags[0] != "zstack::oauth2::builtin" || stored.UserTags[0] != "env::prod" {
		t.Fatalf("tags: %v %v", stored.SystemTags, stored.UserTags)
	}
	if strings.Contains(stored.Secrets[0].Sealed.Reveal(), secret.Reveal()) || stored.Secrets[0].Sealed.Reveal() == "" {
		t.Fatal("secret not sealed, or sealed in the clear")
	}
	// client_secret_jwt needs retrievable secrets.
	plain := oauthregtest.New(t)
	_, _, err = plain.Register(ctx, oauthreg.Client{Owner: "o", TokenEndpointAuthMethod: oauthreg.AuthClientSecretJWT})
	var ve *oauthreg.ValidationError
	if !errors.As(err, &ve) || ve.Field != "token_endpoint_auth_method" {
		t.Fatalf("client_secret_jwt without a key ring: %v", err)
	}
	if _, _, err := kit.Register(ctx, oauthreg.Client{Owner: "o", TokenEndpointAuthMethod: oauthreg.AuthClientSecretJWT}); err != nil {
		t.Fatalf("client_secret_jwt with a key ring: %v", err)
	}
}
