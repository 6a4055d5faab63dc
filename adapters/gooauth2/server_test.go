package gooauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-oauth2/oauth2/v4/manage"
	"github.com/go-oauth2/oauth2/v4/server"
	"github.com/go-oauth2/oauth2/v4/store"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/adapters/gooauth2"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// tokenServer is a go-oauth2 token endpoint over HTTP whose clients come
// from an oauthreg Registry through the adapter.
type tokenServer struct {
	url     string
	manager *manage.Manager
	srv     *server.Server
}

type serverConfig struct {
	form      bool // client_secret_post instead of HTTP Basic
	preAuth   bool // install ClientStore.ClientInfoHandler
	refresh   bool // issue refresh tokens with client_credentials
	storeOpts []gooauth2.Option
}

func newTokenServer(t *testing.T, reg *oauthreg.Registry, cfg serverConfig) *tokenServer {
	t.Helper()
	clients, err := gooauth2.NewClientStore(reg, cfg.storeOpts...)
	if err != nil {
		t.Fatal(err)
	}
	manager := manage.NewDefaultManager()
	manager.MustTokenStorage(store.NewMemoryTokenStore())
	manager.MapClientStorage(clients)
	manager.SetValidateURIHandler(gooauth2.ValidateURI)
	if cfg.refresh {
		manager.SetClientTokenCfg(&manage.Config{AccessTokenExp: time.Hour, RefreshTokenExp: 24 * time.Hour, IsGenerateRefresh: true})
	}
	srv := server.NewDefaultServer(manager)
	info := server.ClientInfoHandler(server.ClientBasicHandler)
	if cfg.form {
		info = server.ClientFormHandler
	}
	if cfg.preAuth {
		info = clients.ClientInfoHandler(info)
	}
	srv.SetClientInfoHandler(info)

	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		_ = srv.HandleTokenRequest(w, r)
	})
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return &tokenServer{url: hs.URL, manager: manager, srv: srv}
}

type tokenResponse struct {
	Status       int
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
	ExpiresIn    int64  `json:"expires_in"`
	Error        string `json:"error"`
}

// post sends a token request: credentials in HTTP Basic unless form is set,
// in which case they go in the body as client_id and client_secret.
func (ts *tokenServer) post(t *testing.T, form bool, id, secret string, params url.Values) tokenResponse {
	t.Helper()
	body := url.Values{}
	for k, v := range params {
		body[k] = v
	}
	if form {
		body.Set("client_id", id)
		body.Set("client_secret", secret)
	}
	req, err := http.NewRequest(http.MethodPost, ts.url+"/token", strings.NewReader(body.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if !form {
		req.SetBasicAuth(id, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr tokenResponse
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil {
		t.Fatalf("decoding token response (status %d): %v", resp.StatusCode, err)
	}
	tr.Status = resp.StatusCode
	return tr
}

var clientCredentials = url.Values{"grant_type": {"client_credentials"}, "scope": {"read"}}

func (ts *tokenServer) clientCredentials(t *testing.T, id, secret string) tokenResponse {
	t.Helper()
	return ts.post(t, false, id, secret, clientCredentials)
}

func wantToken(t *testing.T, what string, tr tokenResponse) {
	t.Helper()
	if tr.Status != http.StatusOK || tr.AccessToken == "" || tr.TokenType != "Bearer" {
		t.Fatalf("%s: want a token, got status %d error %q token %q", what, tr.Status, tr.Error, tr.AccessToken)
	}
}

func wantInvalidClient(t *testing.T, what string, tr tokenResponse) {
	t.Helper()
	if tr.Status != http.StatusUnauthorized || tr.Error != "invalid_client" || tr.AccessToken != "" {
		t.Fatalf("%s: want 401 invalid_client, got status %d error %q token %q", what, tr.Status, tr.Error, tr.AccessToken)
	}
}

// bothModes runs f against a server without and with the pre-authenticating
// ClientInfoHandler: the adapter's guarantees hold either way.
func bothModes(t *testing.T, f func(t *testing.T, preAuth bool)) {
	for _, preAuth := range []bool{false, true} {
		name := "ClientStore"
		if preAuth {
			name = "ClientStore+ClientInfoHandler"
		}
		t.Run(name, func(t *testing.T) { f(t, preAuth) })
	}
}

func TestIssuesClientCredentialsToken(t *testing.T) {
	bothModes(t, func(t *testing.T, preAuth bool) {
		kit := oauthregtest.New(t)
		client, secret := kit.ConfidentialClient(t)
		ts := newTokenServer(t, kit.Registry, serverConfig{preAuth: preAuth})

		tr := ts.clientCredentials(t, client.ID, secret.Reveal())
		wantToken(t, "right secret", tr)
		if tr.Scope != "read" {
			t.Errorf("scope = %q, want read", tr.Scope)
		}
		// The token is usable: go-oauth2 finds it in its token store.
		ti, err := ts.manager.LoadAccessToken(context.Background(), tr.AccessToken)
		if err != nil || ti.GetClientID() != client.ID {
			t.Fatalf("LoadAccessToken: %v, %v", ti, err)
		}
		// oauthreg saw the authentication.
		got, err := kit.Get(context.Background(), client.ID)
		if err != nil || !got.LastUsedAt.Equal(oauthregtest.Epoch) {
			t.Fatalf("LastUsedAt = %v (%v), want %v", got.LastUsedAt, err, oauthregtest.Epoch)
		}
	})
}

func TestClientSecretPost(t *testing.T) {
	bothModes(t, func(t *testing.T, preAuth bool) {
		kit := oauthregtest.New(t)
		client, secret := kit.ConfidentialClient(t)
		ts := newTokenServer(t, kit.Registry, serverConfig{form: true, preAuth: preAuth})

		wantToken(t, "form, right secret", ts.post(t, true, client.ID, secret.Reveal(), clientCredentials))
		wantInvalidClient(t, "form, wrong secret", ts.post(t, true, client.ID, "wrong", clientCredentials))
	})
}

func TestRefusesWrongCredentials(t *testing.T) {
	bothModes(t, func(t *testing.T, preAuth bool) {
		kit := oauthregtest.New(t)
		client, secret := kit.ConfidentialClient(t)
		other, otherSecret := kit.ConfidentialClient(t)
		ts := newTokenServer(t, kit.Registry, serverConfig{preAuth: preAuth})

		s := secret.Reveal()
		cases := []struct{ name, id, secret string }{
			{"empty secret", client.ID, ""},
			{"wrong secret", client.ID, "not-the-secret"},
			{"another client's secret", client.ID, otherSecret.Reveal()},
			{"typo in secret", client.ID, s[:len(s)-1] + flip(s[len(s)-1])},
			{"truncated secret", client.ID, s[:len(s)-1]},
			{"unknown client", "no-such-client", s},
			{"empty client ID", "", s},
			{"secret of another client under its ID", other.ID, s},
		}
		for _, c := range cases {
			wantInvalidClient(t, c.name, ts.clientCredentials(t, c.id, c.secret))
		}
		// The right secret still works after all that.
		wantToken(t, "right secret", ts.clientCredentials(t, client.ID, s))
	})
}

func flip(b byte) string {
	if b == 'a' {
		return "b"
	}
	return "a"
}

func TestRotationGracePeriod(t *testing.T) {
	bothModes(t, func(t *testing.T, preAuth bool) {
		kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 2}))
		client, old := kit.ConfidentialClient(t)
		ts := newTokenServer(t, kit.Registry, serverConfig{preAuth: preAuth})

		next, err := kit.RotateSecret(context.Background(), client.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantToken(t, "old secret during the grace period", ts.clientCredentials(t, client.ID, old.Reveal()))
		wantToken(t, "new secret during the grace period", ts.clientCredentials(t, client.ID, next.Reveal()))

		kit.Clock.Advance(time.Hour - time.Second)
		wantToken(t, "old secret one second before the grace period ends", ts.clientCredentials(t, client.ID, old.Reveal()))

		kit.Clock.Advance(time.Second) // a secret is valid strictly before its ExpiresAt
		wantInvalidClient(t, "old secret after the grace period", ts.clientCredentials(t, client.ID, old.Reveal()))
		wantToken(t, "new secret after the grace period", ts.clientCredentials(t, client.ID, next.Reveal()))
	})
}

func TestRegeneratedSecret(t *testing.T) {
	bothModes(t, func(t *testing.T, preAuth bool) {
		kit := oauthregtest.New(t)
		client, first := kit.ConfidentialClient(t)
		ts := newTokenServer(t, kit.Registry, serverConfig{preAuth: preAuth})

		rotated, err := kit.RotateSecret(context.Background(), client.ID)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := kit.RegenerateSecret(context.Background(), client.ID)
		if err != nil {
			t.Fatal(err)
		}
		// No grace: every other secret is invalid at once.
		wantInvalidClient(t, "first secret after regeneration", ts.clientCredentials(t, client.ID, first.Reveal()))
		wantInvalidClient(t, "rotated secret after regeneration", ts.clientCredentials(t, client.ID, rotated.Reveal()))
		wantToken(t, "regenerated secret", ts.clientCredentials(t, client.ID, fresh.Reveal()))
	})
}

func TestRevokedAndExpiredSecrets(t *testing.T) {
	bothModes(t, func(t *testing.T, preAuth bool) {
		kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{SecretLifetime: 48 * time.Hour}))
		client, secret := kit.ConfidentialClient(t)
		ts := newTokenServer(t, kit.Registry, serverConfig{preAuth: preAuth})

		wantToken(t, "before expiry", ts.clientCredentials(t, client.ID, secret.Reveal()))
		kit.Clock.Advance(48 * time.Hour)
		wantInvalidClient(t, "after expiry", ts.clientCredentials(t, client.ID, secret.Reveal()))

		next, err := kit.RotateSecret(context.Background(), client.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantToken(t, "new secret", ts.clientCredentials(t, client.ID, next.Reveal()))
		if err := kit.RevokeSecret(context.Background(), client.ID, next.ID()); err != nil {
			t.Fatal(err)
		}
		wantInvalidClient(t, "revoked secret", ts.clientCredentials(t, client.ID, next.Reveal()))
	})
}

func TestSuppliedSecret(t *testing.T) {
	// A secret an administrator chose (argon2id) authenticates too.
	kit := oauthregtest.New(t)
	client, _ := kit.ConfidentialClient(t)
	const chosen = "correct horse battery staple 42"
	if _, err := kit.AddSecret(context.Background(), client.ID, chosen); err != nil {
		t.Fatal(err)
	}
	ts := newTokenServer(t, kit.Registry, serverConfig{})
	wantToken(t, "supplied secret", ts.clientCredentials(t, client.ID, chosen))
	wantInvalidClient(t, "wrong supplied secret", ts.clientCredentials(t, client.ID, chosen+"!"))
}

func TestDisabledClient(t *testing.T) {
	bothModes(t, func(t *testing.T, preAuth bool) {
		kit := oauthregtest.New(t)
		client, secret := kit.ConfidentialClient(t)
		ts := newTokenServer(t, kit.Registry, serverConfig{preAuth: preAuth})
		setDisabled := func(v bool) {
			t.Helper()
			if _, err := kit.Update(context.Background(), client.ID, func(c *oauthreg.Client) error { c.Disabled = v; return nil }); err != nil {
				t.Fatal(err)
			}
		}

		wantToken(t, "enabled", ts.clientCredentials(t, client.ID, secret.Reveal()))
		setDisabled(true)
		wantInvalidClient(t, "disabled", ts.clientCredentials(t, client.ID, secret.Reveal()))
		setDisabled(false)
		wantToken(t, "enabled again", ts.clientCredentials(t, client.ID, secret.Reveal()))
	})
}

func TestDeletedClient(t *testing.T) {
	kit := oauthregtest.New(t)
	client, secret := kit.ConfidentialClient(t)
	ts := newTokenServer(t, kit.Registry, serverConfig{})
	if err := kit.Delete(context.Background(), client.ID); err != nil {
		t.Fatal(err)
	}
	wantInvalidClient(t, "deleted", ts.clientCredentials(t, client.ID, secret.Reveal()))
}

func TestPublicClientRefusedClientCredentials(t *testing.T) {
	bothModes(t, func(t *testing.T, preAuth bool) {
		kit := oauthregtest.New(t)
		public := kit.PublicClient(t)
		ts := newTokenServer(t, kit.Registry, serverConfig{preAuth: preAuth})
		tr := ts.clientCredentials(t, public.ID, "")
		if tr.Status == http.StatusOK || tr.AccessToken != "" {
			t.Fatalf("public client got a client_credentials token: %+v", tr)
		}
		wantInvalidClient(t, "public client with a secret", ts.clientCredentials(t, public.ID, "anything"))
	})
}

// flakyStore fails GetClient from its failFrom-th call on (1-based), when
// failFrom > 0.
type flakyStore struct {
	oauthreg.Store
	calls    atomic.Int64
	failFrom atomic.Int64
}

var errOutage = errors.New("database is down")

func (s *flakyStore) GetClient(ctx context.Context, id string) (*oauthreg.Client, error) {
	n := s.calls.Add(1)
	if f := s.failFrom.Load(); f > 0 && n >= f {
		return nil, errOutage
	}
	return s.Store.GetClient(ctx, id)
}

// failAfter makes the store's GetClient fail after n more successful calls.
func (s *flakyStore) failAfter(n int64) { s.failFrom.Store(s.calls.Load() + n + 1) }

func newFlaky(t *testing.T) (*oauthregtest.Kit, *flakyStore, *oauthreg.Registry) {
	kit := oauthregtest.New(t)
	flaky := &flakyStore{Store: kit.Store}
	reg, err := oauthreg.New(flaky, oauthreg.WithClock(kit.Clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	return kit, flaky, reg
}

type recordedError struct {
	clientID string
	err      error
}

func recorder() (*[]recordedError, gooauth2.Option) {
	var mu sync.Mutex
	var got []recordedError
	return &got, gooauth2.WithErrorHandler(func(_ context.Context, id string, err error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, recordedError{id, err})
	})
}

func TestStoreOutage(t *testing.T) {
	t.Run("in GetByID: server_error", func(t *testing.T) {
		kit, flaky, reg := newFlaky(t)
		client, secret := kit.ConfidentialClient(t)
		got, opt := recorder()
		ts := newTokenServer(t, reg, serverConfig{storeOpts: []gooauth2.Option{opt}})
		flaky.failAfter(0)
		tr := ts.clientCredentials(t, client.ID, secret.Reveal())
		if tr.Status != http.StatusInternalServerError || tr.Error != "server_error" {
			t.Fatalf("want 500 server_error, got %d %q", tr.Status, tr.Error)
		}
		if len(*got) != 0 {
			t.Fatalf("GetByID returns its error to go-oauth2; the handler should not see it: %v", *got)
		}
	})
	t.Run("in VerifyPassword: invalid_client, reported to the error handler", func(t *testing.T) {
		kit, flaky, reg := newFlaky(t)
		client, secret := kit.ConfidentialClient(t)
		got, opt := recorder()
		ts := newTokenServer(t, reg, serverConfig{storeOpts: []gooauth2.Option{opt}})
		flaky.failAfter(1) // GetByID reads, Authenticate's read fails
		wantInvalidClient(t, "outage in VerifyPassword", ts.clientCredentials(t, client.ID, secret.Reveal()))
		if len(*got) != 1 || (*got)[0].clientID != client.ID || !errors.Is((*got)[0].err, errOutage) {
			t.Fatalf("error handler saw %v, want one errOutage for %s", *got, client.ID)
		}
	})
	t.Run("in ClientInfoHandler: server_error, reported", func(t *testing.T) {
		kit, flaky, reg := newFlaky(t)
		client, secret := kit.ConfidentialClient(t)
		got, opt := recorder()
		ts := newTokenServer(t, reg, serverConfig{preAuth: true, storeOpts: []gooauth2.Option{opt}})
		flaky.failAfter(0)
		tr := ts.clientCredentials(t, client.ID, secret.Reveal())
		if tr.Status != http.StatusInternalServerError || tr.Error != "server_error" {
			t.Fatalf("want 500 server_error, got %d %q", tr.Status, tr.Error)
		}
		if len(*got) != 1 || !errors.Is((*got)[0].err, errOutage) {
			t.Fatalf("error handler saw %v", *got)
		}
		// Empty secret: the handler reads the client to see if it is public.
		*got = nil
		tr = ts.clientCredentials(t, client.ID, "")
		if tr.Status != http.StatusInternalServerError || len(*got) != 1 {
			t.Fatalf("empty secret during outage: %d %q, handler saw %v", tr.Status, tr.Error, *got)
		}
	})
}

// go-oauth2's manager does not authenticate the client on the refresh_token
// grant; ClientInfoHandler does.
func TestRefreshGrant(t *testing.T) {
	kit := oauthregtest.New(t)
	client, secret := kit.ConfidentialClient(t)
	refresh := func(ts *tokenServer, rt, id, s string) tokenResponse {
		return ts.post(t, false, id, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	}

	t.Run("without ClientInfoHandler go-oauth2 does not check the secret", func(t *testing.T) {
		ts := newTokenServer(t, kit.Registry, serverConfig{refresh: true})
		tr := ts.clientCredentials(t, client.ID, secret.Reveal())
		wantToken(t, "client_credentials", tr)
		if tr.RefreshToken == "" {
			t.Fatal("no refresh token")
		}
		// This documents go-oauth2's behaviour, which the README warns about.
		if got := refresh(ts, tr.RefreshToken, client.ID, "wrong"); got.Status != http.StatusOK {
			t.Skipf("go-oauth2 now authenticates refresh requests itself (status %d): update the docs", got.Status)
		}
	})
	t.Run("with ClientInfoHandler", func(t *testing.T) {
		ts := newTokenServer(t, kit.Registry, serverConfig{refresh: true, preAuth: true})
		tr := ts.clientCredentials(t, client.ID, secret.Reveal())
		wantToken(t, "client_credentials", tr)
		wantInvalidClient(t, "refresh with a wrong secret", refresh(ts, tr.RefreshToken, client.ID, "wrong"))
		wantInvalidClient(t, "refresh with no secret", refresh(ts, tr.RefreshToken, client.ID, ""))
		wantToken(t, "refresh with the right secret", refresh(ts, tr.RefreshToken, client.ID, secret.Reveal()))
	})
}

func TestConcurrentRequests(t *testing.T) {
	kit := oauthregtest.New(t)
	client, secret := kit.ConfidentialClient(t)
	ts := newTokenServer(t, kit.Registry, serverConfig{preAuth: true})
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			s := secret.Reveal()
			if i%2 == 1 {
				s = "wrong"
			}
			tr := ts.clientCredentials(t, client.ID, s)
			if (tr.Status == http.StatusOK) != (i%2 == 0) {
				t.Errorf("request %d: status %d %q", i, tr.Status, tr.Error)
			}
		})
	}
	wg.Wait()
}

// With ClientInfoHandler, an unknown client and a known client with a wrong
// secret cost the same store reads (and oauthreg makes the hashing alike);
// without it, go-oauth2 refuses the unknown client one read (and, for a
// secret not in the generated format, one argon2 run) sooner.
func TestClientInfoHandlerUnknownLooksLikeWrongSecret(t *testing.T) {
	for _, preAuth := range []bool{false, true} {
		kit, flaky, reg := newFlaky(t)
		client, _ := kit.ConfidentialClient(t)
		ts := newTokenServer(t, reg, serverConfig{preAuth: preAuth})
		reads := func(id, secret string) int64 {
			before := flaky.calls.Load()
			wantInvalidClient(t, id, ts.clientCredentials(t, id, secret))
			return flaky.calls.Load() - before
		}
		for _, secret := range []string{"not-in-generated-format", ""} {
			unknown, known := reads("no-such-client", secret), reads(client.ID, secret)
			// An empty secret is refused before any read in both cases.
			if alike, want := unknown == known, preAuth || secret == ""; alike != want {
				t.Errorf("preAuth=%v secret %q: %d reads for an unknown client, %d for a known one", preAuth, secret, unknown, known)
			}
		}
	}
}
