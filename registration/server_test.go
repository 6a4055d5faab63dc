package registration_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
	"github.com/oauthreg/oauthreg/registration"
)

func newServer(t *testing.T) (*registration.Server, *oauthregtest.Kit) {
	t.Helper()
	kit := oauthregtest.New(t)
	return &registration.Server{
		Registry:  kit.Registry,
		ClientURI: func(id string) string { return "https://as.example/register/" + id },
	}, kit
}

func parse(t *testing.T, body string) *registration.Request {
	t.Helper()
	req, err := registration.ParseRequest([]byte(body))
	if err != nil {
		t.Fatalf("ParseRequest(%s): %v", body, err)
	}
	return req
}

// body decodes a response's JSON.
func body(t *testing.T, r *registration.Response) map[string]any {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func wantCode(t *testing.T, err error, code string, status int, what string) {
	t.Helper()
	e := registration.AsError(err)
	if e == nil || e.Code != code || e.Status != status {
		t.Errorf("%s: %v, want %s %d", what, err, code, status)
	}
}

// The attack: a body that names another organization and a
// year-long token lifetime registers a client of the server's choosing.
func TestRegisterIgnoresServerFieldsInBody(t *testing.T) {
	s, kit := newServer(t)
	req := parse(t, `{"redirect_uris":["https://app.example/cb"],"client_name":"app","owner":"org-victim",
		"token_lifetimes":{"access_token":31536000},"access_token_ttl":31536000,"disabled":false,
		"rotation_policy":{"grace_period_seconds":31536000}}`)
	resp, err := s.Register(t.Context(), req, registration.ServerValues{Owner: "org-dynamic", Disabled: true})
	if err != nil {
		t.Fatal(err)
	}
	c, err := kit.Get(t.Context(), resp.Client.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Owner != "org-dynamic" || !c.Disabled || c.Lifetimes.AccessToken != 0 || c.RotationPolicy != nil {
		t.Errorf("stored client: owner %q disabled %v lifetimes %+v policy %v", c.Owner, c.Disabled, c.Lifetimes, c.RotationPolicy)
	}
	m := body(t, resp)
	for _, server := range []string{"owner", "disabled", "token_lifetimes", "rotation_policy", "system_tags", "metadata", "secrets", "version", "access_token_ttl"} {
		if _, ok := m[server]; ok {
			t.Errorf("the response shows the server's member %q", server)
		}
	}
}

// §3.2.1: the response of a confidential client's registration.
func TestRegisterResponse(t *testing.T) {
	s, kit := newServer(t)
	resp, err := s.Register(t.Context(), parse(t, `{"redirect_uris":["https://app.example/cb"],"client_name":"app",
		"client_name#fr":"appli","scope":"read write","token_endpoint_auth_method":"client_secret_post"}`), registration.ServerValues{})
	if err != nil {
		t.Fatal(err)
	}
	m := body(t, resp)
	for _, member := range []string{"client_id", "client_secret", "client_id_issued_at", "client_secret_expires_at",
		"registration_access_token", "registration_client_uri", "redirect_uris", "grant_types", "response_types",
		"client_name", "client_name#fr", "scope", "token_endpoint_auth_method"} {
		if _, ok := m[member]; !ok {
			t.Errorf("response lacks %q: %v", member, m)
		}
	}
	if m["client_secret_expires_at"] != float64(0) || m["registration_client_uri"] != "https://as.example/register/"+resp.Client.ID {
		t.Errorf("response = %v", m)
	}
	if _, err := kit.AuthenticateWith(t.Context(), oauthreg.AuthClientSecretPost, resp.Client.ID, m["client_secret"].(string)); err != nil {
		t.Errorf("the client secret of the response does not authenticate: %v", err)
	}
	token := m["registration_access_token"].(string)
	if token == m["client_secret"] {
		t.Fatal("the registration access token is the client secret")
	}
	// The token is not a client secret.
	if _, err := kit.Authenticate(t.Context(), resp.Client.ID, token); err == nil {
		t.Error("the registration access token authenticates at the token endpoint")
	}
	// Printing or logging the response shows neither.
	for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
		out := fmt.Sprintf(verb, resp)
		if strings.Contains(out, token) || strings.Contains(out, m["client_secret"].(string)) {
			t.Errorf("%s printed a credential: %s", verb, out)
		}
	}
	// Only its hash is stored.
	c, _ := kit.Store.GetClient(t.Context(), resp.Client.ID)
	if c.RegistrationTokenHash == "" || strings.Contains(c.RegistrationTokenHash, token) {
		t.Errorf("stored RegistrationTokenHash = %q", c.RegistrationTokenHash)
	}
	stored, _ := json.Marshal(c)
	if strings.Contains(string(stored), c.RegistrationTokenHash) {
		t.Error("the token's hash appears in the client's JSON")
	}
}

func TestAnonymousDefault(t *testing.T) {
	s, _ := newServer(t)
	_, err := s.Register(t.Context(), parse(t, `{"client_name":"machine"}`), registration.ServerValues{})
	wantCode(t, err, registration.CodeInvalidRedirectURI, 400, "no grant_types, no redirect_uris, default policy")

	s.AllowClientCredentialsDefault = true
	resp, err := s.Register(t.Context(), parse(t, `{"client_name":"machine"}`), registration.ServerValues{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(resp.Client.GrantTypes, []oauthreg.GrantType{oauthreg.GrantClientCredentials}) || resp.Client.Public || resp.ClientSecret.IsZero() {
		t.Errorf("allowed default registered %+v", resp.Client)
	}
	// A public client: no secret, and no client_secret_expires_at.
	resp, err = s.Register(t.Context(), parse(t, `{"redirect_uris":["https://spa.example/cb"],"token_endpoint_auth_method":"none"}`), registration.ServerValues{})
	if err != nil {
		t.Fatal(err)
	}
	m := body(t, resp)
	if _, ok := m["client_secret"]; ok || !resp.ClientSecret.IsZero() {
		t.Error("a public client got a secret")
	}
	if _, ok := m["client_secret_expires_at"]; ok {
		t.Error("a public client's response has client_secret_expires_at")
	}
}

func TestRegisterValidation(t *testing.T) {
	s, kit := newServer(t)
	for body, code := range map[string]string{
		`{"redirect_uris":["https://app.example/cb#frag"]}`:                               registration.CodeInvalidRedirectURI,
		`{"redirect_uris":["not a uri"]}`:                                                 registration.CodeInvalidRedirectURI,
		`{"redirect_uris":["https://a.example/cb"],"grant_types":["bogus"]}`:              registration.CodeInvalidClientMetadata,
		`{"redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":"magic"}`: registration.CodeInvalidClientMetadata,
		`{"redirect_uris":["https://a.example/cb"],"software_statement":"a.b.c"}`:         registration.CodeInvalidSoftwareStatement,
	} {
		_, err := s.Register(t.Context(), parse(t, body), registration.ServerValues{})
		wantCode(t, err, code, 400, body)
	}
	page, err := kit.List(t.Context(), oauthreg.ListQuery{})
	if err != nil || len(page.Clients) != 0 {
		t.Errorf("refused registrations stored %d clients (%v)", len(page.Clients), err)
	}
}

// RFC 7592: read, update (full replacement, token rotation), delete, all
// through the registration access token.
func TestClientConfiguration(t *testing.T) {
	s, kit := newServer(t)
	ctx := t.Context()
	resp, err := s.Register(ctx, parse(t, `{"redirect_uris":["https://app.example/cb"],"client_name":"app","scope":"read",
		"contacts":["ops@app.example"],"logo_uri":"https://app.example/logo.png"}`), registration.ServerValues{Owner: "org-a", UserTags: []string{"dyn"}})
	if err != nil {
		t.Fatal(err)
	}
	id, token := resp.Client.ID, resp.RegistrationAccessToken()

	read, err := s.Read(ctx, id, token)
	if err != nil {
		t.Fatal(err)
	}
	if m := body(t, read); m["client_name"] != "app" || m["registration_access_token"] != token || m["client_secret"] != nil {
		t.Errorf("read = %v", m)
	}
	for what, tok := range map[string]string{"wrong": oauthregtest.ForgeSameID(token), "empty": "", "garbage": "Bearer x", "secret": resp.ClientSecret.Reveal()} {
		_, err := s.Read(ctx, id, tok)
		wantCode(t, err, registration.CodeInvalidToken, 401, "read with a "+what+" token")
	}
	_, err = s.Read(ctx, "no-such-client", token)
	wantCode(t, err, registration.CodeInvalidToken, 401, "read of another client ID")

	// An update must name the client, and replaces the metadata: logo_uri
	// and contacts are gone, the server's values stay.
	_, err = s.Update(ctx, id, token, parse(t, `{"redirect_uris":["https://app.example/cb"]}`))
	wantCode(t, err, registration.CodeInvalidClientMetadata, 400, "update without client_id")
	_, err = s.Update(ctx, id, token, parse(t, `{"client_id":"`+id+`","client_secret":"wrong-secret-123","redirect_uris":["https://app.example/cb"]}`))
	wantCode(t, err, registration.CodeInvalidClientMetadata, 400, "update with a wrong client_secret")
	s.RotateTokenOnUpdate = true
	upd, err := s.Update(ctx, id, token, parse(t, `{"client_id":"`+id+`","client_secret":"`+resp.ClientSecret.Reveal()+`",
		"redirect_uris":["https://app.example/cb2"],"client_name":"app 2","owner":"org-evil"}`))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := kit.Get(ctx, id)
	if c.Name != "app 2" || c.LogoURI != "" || c.Contacts != nil || len(c.Scopes) != 0 || c.Owner != "org-a" || !slices.Equal(c.UserTags, []string{"dyn"}) {
		t.Errorf("after the update: %+v", c)
	}
	fresh := upd.RegistrationAccessToken()
	if fresh == token || fresh == "" {
		t.Fatal("RotateTokenOnUpdate did not rotate the token")
	}
	if _, err := s.Read(ctx, id, token); err == nil {
		t.Error("the old token still works after a rotation")
	}
	if _, err := kit.Authenticate(ctx, id, resp.ClientSecret.Reveal()); err != nil {
		t.Errorf("the update broke the client's secret: %v", err)
	}
	// Update cannot touch the token hash itself.
	if _, err := kit.Update(ctx, id, func(c *oauthreg.Client) error { c.RegistrationTokenHash = ""; return nil }); !errors.Is(err, oauthreg.ErrInvalidUpdate) {
		t.Errorf("Update clearing the token hash: %v", err)
	}

	wantCode(t, s.Delete(ctx, id, token), registration.CodeInvalidToken, 401, "delete with the old token")
	if err := s.Delete(ctx, id, fresh); err != nil {
		t.Fatal(err)
	}
	if _, err := kit.Get(ctx, id); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	_, err = s.Read(ctx, id, fresh)
	wantCode(t, err, registration.CodeInvalidToken, 401, "read after delete")
}

func TestSoftwareStatement(t *testing.T) {
	s, _ := newServer(t)
	s.SoftwareStatements = registration.SoftwareStatementFunc(func(_ context.Context, stmt string) (map[string]json.RawMessage, error) {
		switch stmt {
		case "good":
			return map[string]json.RawMessage{"software_id": []byte(`"sw-1"`), "client_name": []byte(`"From statement"`),
				"owner": []byte(`"org-evil"`), "iss": []byte(`"https://issuer"`)}, nil
		case "unapproved":
			return nil, fmt.Errorf("sw-9: %w", registration.ErrUnapprovedSoftware)
		}
		return nil, errors.New("bad signature")
	})
	s.SoftwareIDs = func(_ context.Context, id string, fromStatement bool) error {
		if id != "sw-1" || !fromStatement {
			return errors.New("only sw-1, by statement")
		}
		return nil
	}
	resp, err := s.Register(t.Context(), parse(t, `{"redirect_uris":["https://a.example/cb"],"client_name":"plain","software_id":"sw-x","software_statement":"good"}`),
		registration.ServerValues{Owner: "org-a"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Client.Name != "From statement" || resp.Client.SoftwareID != "sw-1" || resp.Client.Owner != "org-a" {
		t.Errorf("statement values did not take precedence, or set the owner: %+v", resp.Client)
	}
	_, err = s.Register(t.Context(), parse(t, `{"redirect_uris":["https://a.example/cb"],"software_statement":"forged"}`), registration.ServerValues{})
	wantCode(t, err, registration.CodeInvalidSoftwareStatement, 400, "forged statement")
	_, err = s.Register(t.Context(), parse(t, `{"redirect_uris":["https://a.example/cb"],"software_statement":"unapproved"}`), registration.ServerValues{})
	wantCode(t, err, registration.CodeUnapprovedSoftwareStatement, 400, "unapproved statement")
	_, err = s.Register(t.Context(), parse(t, `{"redirect_uris":["https://a.example/cb"],"software_id":"sw-1"}`), registration.ServerValues{})
	wantCode(t, err, registration.CodeUnapprovedSoftwareStatement, 400, "software_id without a statement")
}

func TestReviewHook(t *testing.T) {
	s, _ := newServer(t)
	s.Review = func(_ context.Context, op registration.Operation, _ string, md *registration.Metadata, sv *registration.ServerValues) error {
		md.Scopes = slices.DeleteFunc(md.Scopes, func(sc string) bool { return sc == "admin" })
		sv.SystemTags = []string{"reviewed:" + string(op)}
		if md.Name == "refuse me" {
			return &registration.Error{Code: registration.CodeInvalidClientMetadata, Status: 400, Description: "no"}
		}
		return nil
	}
	resp, err := s.Register(t.Context(), parse(t, `{"redirect_uris":["https://a.example/cb"],"scope":"read admin"}`), registration.ServerValues{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(resp.Client.Scopes, []string{"read"}) || !slices.Equal(resp.Client.SystemTags, []string{"reviewed:register"}) {
		t.Errorf("review not applied: %+v", resp.Client)
	}
	_, err = s.Register(t.Context(), parse(t, `{"redirect_uris":["https://a.example/cb"],"client_name":"refuse me"}`), registration.ServerValues{})
	wantCode(t, err, registration.CodeInvalidClientMetadata, 400, "refused by review")
}
