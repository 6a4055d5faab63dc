package oauthregfosite_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/storage"

	"github.com/oauthreg/oauthreg"
	oauthregfosite "github.com/oauthreg/oauthreg/adapters/fosite"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// flakyStore is a memstore whose reads (GetClient, ViewClient) fail on demand: from the
// failFrom-th call on (counting from 1), when failFrom > 0.
type flakyStore struct {
	*memstore.Store
	calls    atomic.Int32
	failFrom atomic.Int32
}

var errStoreDown = errors.New("store is down")

func (s *flakyStore) GetClient(ctx context.Context, id string) (*oauthreg.Client, error) {
	n := s.calls.Add(1)
	if f := s.failFrom.Load(); f > 0 && n >= f {
		return nil, errStoreDown
	}
	return s.Store.GetClient(ctx, id)
}

// ViewClient fails like GetClient: memstore also serves Authenticate's reads
// through oauthreg.ClientViewer, which embedding would otherwise promote past
// the failure.
func (s *flakyStore) ViewClient(ctx context.Context, id string) (oauthreg.ClientView, error) {
	n := s.calls.Add(1)
	if f := s.failFrom.Load(); f > 0 && n >= f {
		return oauthreg.ClientView{}, errStoreDown
	}
	return s.Store.ViewClient(ctx, id)
}

// failFromNextCall makes the k-th read from now on, and every one after
// it, fail.
func (s *flakyStore) failFromNextCall(k int32) { s.failFrom.Store(s.calls.Load() + k) }

// recorder is an oauthreg.Observer that keeps the events it sees.
type recorder struct {
	mu     sync.Mutex
	events []oauthreg.Event
}

func (r *recorder) Observe(_ context.Context, e oauthreg.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = nil
}

// has reports whether an event of type t (and reason, if not "") was seen.
func (r *recorder) has(t oauthreg.EventType, reason oauthreg.FailureReason) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.events, func(e oauthreg.Event) bool {
		return e.Type == t && (reason == "" || e.Reason == reason)
	})
}

type harnessOptions struct {
	store      oauthreg.Store // nil: a fresh memstore
	strategy   bool           // install ClientManager.AuthenticationStrategy
	composeAll bool           // compose.ComposeAllEnabled instead of client_credentials only
	regOpts    []oauthreg.Option
	// managerOpts configure the ClientManager.
	managerOpts []oauthregfosite.Option
	// decorate, when not nil, changes every client the provider's storage
	// returns, as a server's own storage may.
	decorate func(fosite.Client) fosite.Client
	// configure, when not nil, changes fosite's configuration.
	configure func(*fosite.Config)
}

// harness is a fosite token endpoint, served by httptest, whose clients live
// in an oauthreg Registry with a fake clock.
type harness struct {
	reg     *oauthreg.Registry
	clock   *oauthregtest.Clock
	clients *oauthregfosite.ClientManager
	events  *recorder
	url     string
	// provider is the fosite provider the token endpoint serves, for the
	// tests that call its other endpoints directly.
	provider fosite.OAuth2Provider
}

func newHarness(t *testing.T, o harnessOptions) *harness {
	t.Helper()
	h := &harness{clock: oauthregtest.NewClock(oauthregtest.Epoch), events: &recorder{}}
	regStore := o.store
	if regStore == nil {
		regStore = memstore.New()
	}
	opts := append([]oauthreg.Option{oauthreg.WithClock(h.clock.Now), oauthreg.WithObserver(h.events)}, o.regOpts...)
	reg, err := oauthreg.New(regStore, opts...)
	if err != nil {
		t.Fatal(err)
	}
	h.reg = reg
	h.clients = oauthregfosite.New(reg, append([]oauthregfosite.Option{oauthregfosite.WithClock(h.clock.Now)}, o.managerOpts...)...)

	secret := make([]byte, 32)
	rand.Read(secret)
	config := &fosite.Config{
		GlobalSecret:        secret,
		AccessTokenLifespan: time.Hour,
		ClientSecretsHasher: h.clients.Hasher(),
	}
	if o.configure != nil {
		o.configure(config)
	}
	var st fosite.Storage = &store{MemoryStore: storage.NewMemoryStore(), ClientManager: h.clients}
	if o.decorate != nil {
		st = &decoratingStore{store: st.(*store), decorate: o.decorate}
	}
	if o.strategy {
		config.ClientAuthenticationStrategy = h.clients.AuthenticationStrategy(config, st)
	}
	var provider fosite.OAuth2Provider
	if o.composeAll {
		provider = compose.ComposeAllEnabled(config, st, testRSAKey(t))
	} else {
		provider = compose.Compose(config, st, compose.NewOAuth2HMACStrategy(config),
			compose.OAuth2ClientCredentialsGrantFactory)
	}
	h.provider = provider
	srv := httptest.NewServer(tokenEndpoint(provider))
	t.Cleanup(srv.Close)
	h.url = srv.URL + "/token"
	config.TokenURL = h.url // the audience of client assertions
	return h
}

// decoratingStore is a server's storage that changes the clients it hands
// fosite (here: through decorate).
type decoratingStore struct {
	*store
	decorate func(fosite.Client) fosite.Client
}

func (s *decoratingStore) GetClient(ctx context.Context, id string) (fosite.Client, error) {
	c, err := s.store.GetClient(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.decorate(c), nil
}

// register registers a confidential client_credentials client with the
// scopes read and write, after edit.
func (h *harness) register(t *testing.T, edit ...func(*oauthreg.Client)) (*oauthreg.Client, string) {
	t.Helper()
	c := oauthreg.Client{
		Owner:      "org-acme",
		Name:       "billing-service",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		Scopes:     []string{"read", "write"},
	}
	for _, e := range edit {
		e(&c)
	}
	got, secret, err := h.reg.Register(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return got, secret.Reveal()
}

type authMode int

const (
	basicAuth authMode = iota // client_secret_basic
	postAuth                  // client_secret_post
)

// tokenResponse is what the token endpoint answered.
type tokenResponse struct {
	Status int
	Body   map[string]any
}

func (r tokenResponse) String() string {
	b, _ := json.Marshal(r.Body)
	return http.StatusText(r.Status) + " " + string(b)
}

func (r tokenResponse) errorCode() string { s, _ := r.Body["error"].(string); return s }

// token POSTs a client_credentials token request for scope "read".
func (h *harness) token(t *testing.T, id, secret string, mode authMode) tokenResponse {
	t.Helper()
	return h.tokenWith(t, id, secret, mode, nil)
}

// tokenWith POSTs a client_credentials token request for scope "read",
// with the parameters of extra added.
func (h *harness) tokenWith(t *testing.T, id, secret string, mode authMode, extra url.Values) tokenResponse {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"read"}}
	for k, v := range extra {
		form[k] = v
	}
	if mode == postAuth {
		form.Set("client_id", id)
		form.Set("client_secret", secret)
	}
	req, err := http.NewRequest(http.MethodPost, h.url, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if mode == basicAuth {
		// RFC 6749 section 2.3.1: each part form-urlencoded.
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := tokenResponse{Status: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(&out.Body); err != nil {
		t.Fatalf("token endpoint answered %d with a body that is not JSON: %v", resp.StatusCode, err)
	}
	return out
}

// wantToken fails the test unless the request got an access token.
func (h *harness) wantToken(t *testing.T, id, secret string, mode authMode) tokenResponse {
	t.Helper()
	r := h.token(t, id, secret, mode)
	if r.Status != http.StatusOK || r.Body["access_token"] == "" || r.Body["access_token"] == nil {
		t.Fatalf("want a token, got %v", r)
	}
	return r
}

// wantRefused fails the test unless the request was answered with status
// and OAuth error code.
func (h *harness) wantRefused(t *testing.T, id, secret string, mode authMode, status int, code string) {
	t.Helper()
	r := h.token(t, id, secret, mode)
	if r.Status != status || r.errorCode() != code {
		t.Fatalf("want %d %s, got %v", status, code, r)
	}
	if _, ok := r.Body["access_token"]; ok {
		t.Fatalf("refused request carries an access token: %v", r)
	}
}
