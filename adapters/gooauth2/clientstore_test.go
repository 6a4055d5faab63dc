package gooauth2_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-oauth2/oauth2/v4"
	oauth2errors "github.com/go-oauth2/oauth2/v4/errors"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/adapters/gooauth2"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

func newStore(t *testing.T, kit *oauthregtest.Kit, opts ...gooauth2.Option) *gooauth2.ClientStore {
	t.Helper()
	s, err := gooauth2.NewClientStore(kit.Registry, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func getInfo(t *testing.T, s *gooauth2.ClientStore, id string) *gooauth2.ClientInfo {
	t.Helper()
	ci, err := s.GetByID(context.Background(), id)
	if err != nil {
		t.Fatalf("GetByID(%q): %v", id, err)
	}
	info, ok := ci.(*gooauth2.ClientInfo)
	if !ok {
		t.Fatalf("GetByID returned %T", ci)
	}
	return info
}

func TestNewClientStoreNilRegistry(t *testing.T) {
	if s, err := gooauth2.NewClientStore(nil); err == nil || s != nil {
		t.Fatalf("NewClientStore(nil) = %v, %v; want an error", s, err)
	}
}

func TestGetByIDUnknownAndDisabled(t *testing.T) {
	kit := oauthregtest.New(t)
	s := newStore(t, kit)
	disabled, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Disabled = true })
	for _, id := range []string{"", "no-such-client", disabled.ID} {
		ci, err := s.GetByID(context.Background(), id)
		// go-oauth2 maps errors to responses with == and map lookups, so the
		// error must be its sentinel itself, not a wrapper.
		if err != oauth2errors.ErrInvalidClient || ci != nil {
			t.Errorf("GetByID(%q) = %v, %v; want nil, errors.ErrInvalidClient", id, ci, err)
		}
	}
}

func TestGetByIDContextCancelled(t *testing.T) {
	kit := oauthregtest.New(t)
	client, _ := kit.ConfidentialClient(t)
	s := newStore(t, kit)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.GetByID(ctx, client.ID)
	if !errors.Is(err, context.Canceled) || err == oauth2errors.ErrInvalidClient {
		t.Fatalf("GetByID with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestClientInfoFields(t *testing.T) {
	kit := oauthregtest.New(t)
	s := newStore(t, kit)
	conf, secret := kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.Owner = "org-acme"
		c.GrantTypes = []oauthreg.GrantType{oauthreg.GrantAuthorizationCode, oauthreg.GrantClientCredentials}
		c.RedirectURIs = []string{"https://app.example.com:8443/cb?x=1", "https://other.example.org/cb"}
	})
	pub := kit.PublicClient(t)

	ci := getInfo(t, s, conf.ID)
	if ci.GetID() != conf.ID || ci.GetUserID() != "org-acme" || ci.IsPublic() {
		t.Errorf("confidential: id %q user %q public %v", ci.GetID(), ci.GetUserID(), ci.IsPublic())
	}
	if got := ci.GetDomain(); got != "https://app.example.com:8443" {
		t.Errorf("GetDomain = %q", got)
	}

	// GetSecret: neither the secret nor any hash, and not "" (fail closed).
	sentinel := ci.GetSecret()
	if sentinel == "" || sentinel == secret.Reveal() || !strings.HasPrefix(sentinel, "gooauth2-not-a-secret.") {
		t.Errorf("GetSecret = %q", sentinel)
	}
	for _, sec := range conf.Secrets {
		if strings.Contains(sentinel, sec.Hash.Reveal()) || strings.Contains(sec.Hash.Reveal(), sentinel) {
			t.Errorf("GetSecret reveals a hash")
		}
	}
	if ci.VerifyPassword(sentinel) {
		t.Error("the GetSecret value authenticates")
	}
	if other := getInfo(t, newStore(t, kit), conf.ID).GetSecret(); other == sentinel {
		t.Error("two ClientStores share a GetSecret value")
	}
	if getInfo(t, s, conf.ID).GetSecret() != sentinel {
		t.Error("GetSecret differs between two lookups in one ClientStore")
	}

	pi := getInfo(t, s, pub.ID)
	if !pi.IsPublic() || pi.GetSecret() != "" || pi.GetDomain() != "http://127.0.0.1" || pi.GetUserID() != "test-org" {
		t.Errorf("public: public %v secret %q domain %q user %q", pi.IsPublic(), pi.GetSecret(), pi.GetDomain(), pi.GetUserID())
	}
	if !pi.VerifyPassword("") || pi.VerifyPassword("x") {
		t.Error("public client: want VerifyPassword(\"\") true and VerifyPassword(\"x\") false")
	}

	noRedirect, _ := kit.ConfidentialClient(t)
	if d := getInfo(t, s, noRedirect.ID).GetDomain(); d != "" {
		t.Errorf("GetDomain without redirect URIs = %q, want empty", d)
	}
	native := kit.PublicClient(t, func(c *oauthreg.Client) { c.RedirectURIs = []string{"com.example.app:/oauth2redirect"} })
	if d := getInfo(t, s, native.ID).GetDomain(); d != "com.example.app:" {
		t.Errorf("GetDomain of a private-use scheme = %q", d)
	}
}

func TestClientInfoImplementsVerifier(t *testing.T) {
	// go-oauth2's manager only uses VerifyPassword when the ClientInfo
	// implements oauth2.ClientPasswordVerifier; make sure it stays so.
	kit := oauthregtest.New(t)
	client, _ := kit.ConfidentialClient(t)
	ci, err := newStore(t, kit).GetByID(context.Background(), client.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ci.(oauth2.ClientPasswordVerifier); !ok {
		t.Fatal("ClientInfo does not implement oauth2.ClientPasswordVerifier")
	}
}

func TestVerifyPassword(t *testing.T) {
	kit := oauthregtest.New(t)
	client, secret := kit.ConfidentialClient(t)
	got, opt := recorder()
	s := newStore(t, kit, opt)
	ci := getInfo(t, s, client.ID)
	if ci.VerifyPassword("wrong") || ci.VerifyPassword("") {
		t.Fatal("a wrong secret verifies")
	}
	if !ci.VerifyPassword(secret.Reveal()) {
		t.Fatal("the right secret does not verify")
	}
	// After success the snapshot is the client as it authenticated.
	if c := ci.Client(); !c.LastUsedAt.Equal(oauthregtest.Epoch) {
		t.Errorf("snapshot not refreshed: LastUsedAt %v", c.LastUsedAt)
	}
	// Client returns a copy.
	ci.Client().Owner = "mallory"
	if ci.GetUserID() != "test-org" {
		t.Error("Client() exposes the ClientInfo's own client")
	}
	if len(*got) != 0 {
		t.Errorf("credential failures reached the error handler: %v", *got)
	}

	// The context of GetByID is the one VerifyPassword uses.
	ctx, cancel := context.WithCancel(context.Background())
	ci2, err := s.GetByID(ctx, client.ID)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if ci2.(oauth2.ClientPasswordVerifier).VerifyPassword(secret.Reveal()) {
		t.Fatal("VerifyPassword succeeded with a cancelled context")
	}
	if len(*got) != 1 || !errors.Is((*got)[0].err, context.Canceled) {
		t.Fatalf("error handler saw %v, want context.Canceled", *got)
	}
}

func TestWithErrorHandlerNil(t *testing.T) {
	kit, flaky, reg := newFlaky(t)
	client, secret := kit.ConfidentialClient(t)
	s, err := gooauth2.NewClientStore(reg, gooauth2.WithErrorHandler(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	ci, err := s.GetByID(context.Background(), client.ID)
	if err != nil {
		t.Fatal(err)
	}
	flaky.failAfter(0)
	if ci.(oauth2.ClientPasswordVerifier).VerifyPassword(secret.Reveal()) {
		t.Fatal("verified during an outage")
	}
	if s.Registry() != reg {
		t.Fatal("Registry() is not the Registry given")
	}
}

func TestDefaultErrorHandlerLogs(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	kit, flaky, reg := newFlaky(t)
	client, secret := kit.ConfidentialClient(t)
	s, err := gooauth2.NewClientStore(reg)
	if err != nil {
		t.Fatal(err)
	}
	ci, err := s.GetByID(context.Background(), client.ID)
	if err != nil {
		t.Fatal(err)
	}
	flaky.failAfter(0)
	if ci.(oauth2.ClientPasswordVerifier).VerifyPassword(secret.Reveal()) {
		t.Fatal("verified during an outage")
	}
	out := buf.String()
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, client.ID) || !strings.Contains(out, errOutage.Error()) {
		t.Fatalf("log: %q", out)
	}
	if strings.Contains(out, secret.Reveal()) {
		t.Fatal("the secret was logged")
	}
}

func TestClientInfoHandlerDefaults(t *testing.T) {
	kit := oauthregtest.New(t)
	h := newStore(t, kit).ClientInfoHandler(nil) // server.ClientBasicHandler
	r := httptest.NewRequest(http.MethodPost, "/token", nil)
	if _, _, err := h(r); err != oauth2errors.ErrInvalidClient {
		t.Fatalf("no Basic auth: %v", err)
	}
	r.SetBasicAuth("", "secret")
	if _, _, err := h(r); err != oauth2errors.ErrInvalidClient {
		t.Fatalf("empty client ID: %v", err)
	}
	client, secret := kit.ConfidentialClient(t)
	r.SetBasicAuth(client.ID, secret.Reveal())
	if id, s, err := h(r); err != nil || id != client.ID || s != secret.Reveal() {
		t.Fatalf("right credentials: %q, %v", id, err)
	}
}
