// Package fositesuite runs Ory fosite's own integration tests with oauthreg
// as fosite's client store and secret hasher.
//
// It has two parts. This package is what the rewired tests call: Compose
// and ComposeAllEnabled replace fosite's compose functions of the same name,
// and give fosite a Store whose clients come from an oauthreg Registry
// through the adapter (oauthregfosite.ClientManager and its Hasher), while
// tokens, sessions, users and issuer keys stay in fosite's own
// storage.MemoryStore. The program in ./run copies fosite's module source
// from the module cache, rewrites the tests' compose calls to this package,
// runs them, and counts the results.
//
// The fixture clients the tests declare (the Clients map of their
// storage.MemoryStore) stand for an administrator's console: before each
// client lookup the Store mirrors the fixture into the Registry, registering
// it (with its bcrypt hashes imported by Registry.ImportSecret) the first
// time and applying any later edit the test made to it with
// Registry.Update, so oauthreg validates it like any other registration or
// update. fosite itself only ever sees the client read back from oauthreg
// by the adapter, and every client secret is checked by
// Registry.Authenticate.
package fositesuite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/storage"

	"github.com/oauthreg/oauthreg"
	oauthregfosite "github.com/oauthreg/oauthreg/adapters/fosite"
	"github.com/oauthreg/oauthreg/memstore"
)

// StrategyEnv names the environment variable that, set to "1", makes
// Compose and ComposeAllEnabled install the adapter's
// AuthenticationStrategy, so the suite can run both with and without it.
const StrategyEnv = "OAUTHREG_FOSITESUITE_STRATEGY"

// Store is fosite's storage for the rewired tests: the embedded
// MemoryStore keeps tokens, sessions, users and issuer keys, and the client
// lookups go to an oauthreg Registry through the adapter.
type Store struct {
	*storage.MemoryStore
	// Registry keeps the clients; Clients is the adapter over it.
	Registry *oauthreg.Registry
	Clients  *oauthregfosite.ClientManager

	mu       sync.Mutex
	mirrored map[string]oauthreg.Client // the fixture as last written to the Registry
	noted    map[string]bool
}

var _ fosite.Storage = (*Store)(nil)

// stores keeps one Store per fixture MemoryStore: the integration tests
// compose many providers over one package-level store, and its clients must
// stay registered from one test to the next, as they do in fosite.
var (
	storesMu sync.Mutex
	stores   = map[*storage.MemoryStore]*Store{}
)

// For returns the Store over ms, creating it the first time.
func For(ms *storage.MemoryStore) *Store {
	storesMu.Lock()
	defer storesMu.Unlock()
	if s, ok := stores[ms]; ok {
		return s
	}
	reg, err := oauthreg.New(memstore.New())
	if err != nil {
		panic(fmt.Sprintf("fositesuite: oauthreg.New: %v", err))
	}
	s := &Store{
		MemoryStore: ms,
		Registry:    reg,
		// fosite's fixtures are fosite.DefaultClients, which register no
		// token endpoint method: fosite takes their secret in the header
		// or in the form, and the tests use both for one client.
		Clients:  oauthregfosite.New(reg, oauthregfosite.WithEitherSecretMethod(true)),
		mirrored: map[string]oauthreg.Client{},
		noted:    map[string]bool{},
	}
	stores[ms] = s
	return s
}

// GetClient mirrors the fixture client id into the Registry, then returns
// the client as the adapter reads it from the Registry.
func (s *Store) GetClient(ctx context.Context, id string) (fosite.Client, error) {
	if err := s.mirror(ctx, id); err != nil {
		// fosite answers invalid_client without saying why; say it here.
		fmt.Fprintln(os.Stderr, err)
		return nil, err
	}
	return s.Clients.GetClient(ctx, id)
}

// ClientAssertionJWTValid is the adapter's.
func (s *Store) ClientAssertionJWTValid(ctx context.Context, jti string) error {
	return s.Clients.ClientAssertionJWTValid(ctx, jti)
}

// SetClientAssertionJWT is the adapter's.
func (s *Store) SetClientAssertionJWT(ctx context.Context, jti string, exp time.Time) error {
	return s.Clients.SetClientAssertionJWT(ctx, jti, exp)
}

// configure points config at the adapter: its Hasher always, its
// AuthenticationStrategy when StrategyEnv is "1".
func (s *Store) configure(config *fosite.Config) {
	config.ClientSecretsHasher = s.Clients.Hasher()
	if os.Getenv(StrategyEnv) == "1" {
		config.ClientAuthenticationStrategy = s.Clients.AuthenticationStrategy(config, s)
	}
}

// Compose is compose.Compose with storage, which must be a
// *storage.MemoryStore, replaced by its Store.
func Compose(config *fosite.Config, st any, strategy any, factories ...compose.Factory) fosite.OAuth2Provider {
	s := For(memoryStore(st))
	s.configure(config)
	return compose.Compose(config, s, strategy, factories...)
}

// ComposeAllEnabled is compose.ComposeAllEnabled with storage, which must
// be a *storage.MemoryStore, replaced by its Store.
func ComposeAllEnabled(config *fosite.Config, st any, key any) fosite.OAuth2Provider {
	s := For(memoryStore(st))
	s.configure(config)
	return compose.ComposeAllEnabled(config, s, key)
}

func memoryStore(st any) *storage.MemoryStore {
	ms, ok := st.(*storage.MemoryStore)
	if !ok {
		panic(fmt.Sprintf("fositesuite: the rewired tests pass a %T; only *storage.MemoryStore is supported", st))
	}
	return ms
}

// mirror writes the fixture client id, if the tests declared one, into the
// Registry: Register and ImportSecret the first time, Update when the test
// has changed it since.
func (s *Store) mirror(ctx context.Context, id string) error {
	fixture, ok := s.MemoryStore.Clients[id]
	if !ok {
		return nil
	}
	want, hashes := FromFosite(fixture)
	// The map key is the ID fosite asked for; fosite's tests file one
	// client object under two keys ("my-client" and
	// "response-mode-client"), and in oauthreg the ID is the key.
	want.ID = id
	for _, change := range MakeValid(&want) {
		s.noteOnce(id, change)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	last, done := s.mirrored[id]
	switch {
	case !done:
		if err := s.register(ctx, want, hashes); err != nil {
			return err
		}
	case !reflect.DeepEqual(last, want):
		_, err := s.Registry.Update(ctx, id, func(c *oauthreg.Client) error {
			copyMetadata(c, &want)
			return nil
		})
		if err != nil {
			return fmt.Errorf("fositesuite: mirroring the test's change of fixture client %q: %w", id, err)
		}
	}
	s.mirrored[id] = want
	return nil
}

// noteOnce prints, once per client and change, a change MakeValid made to
// a fixture, so that the run's output says which fixtures oauthreg did not
// take as they are.
func (s *Store) noteOnce(id, change string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noteLocked(id, change)
}

// noteLocked is noteOnce with s.mu held.
func (s *Store) noteLocked(id, change string) {
	key := id + "\x00" + change
	if s.noted[key] {
		return
	}
	s.noted[key] = true
	fmt.Fprintf(os.Stderr, "fositesuite: fixture client %q changed to be valid: %s\n", id, change)
}

// PlaceholderRedirectURI is the redirect URI MakeValid gives a fixture
// client that has the authorization_code grant type but no redirect URI.
const PlaceholderRedirectURI = "https://client.example/fositesuite-placeholder"

// MakeValid makes the smallest change to c that a rule of RFC 7591 or
// RFC 6749 needs, and describes each change it made. A client with the
// authorization_code grant type but no redirect URI (fosite.DefaultClient
// reports that grant type when it declares none) gets
// PlaceholderRedirectURI, which no test redirects to. fosite's fixtures do not all follow
// RFC 7591 section 2.1, which ties response types to grant types ("code"
// needs authorization_code; "token" and "id_token" need implicit): fosite's
// "public-client" has the response types id_token and "code id_token" but
// not the implicit grant type. oauthreg refuses such a client, so the
// missing grant type is added: the client may then use the implicit grant
// at fosite's authorization endpoint, which no test of the suite expects to
// be refused.
func MakeValid(c *oauthreg.Client) []string {
	var changes []string
	need := func(g oauthreg.GrantType, why oauthreg.ResponseType) {
		if !slices.Contains(c.GrantTypes, g) {
			c.GrantTypes = append(c.GrantTypes, g)
			changes = append(changes, fmt.Sprintf("grant type %q added, which response type %q needs (RFC 7591 section 2.1)", g, why))
		}
	}
	for _, rt := range c.ResponseTypes {
		for _, part := range strings.Fields(string(rt)) {
			switch part {
			case "code":
				need(oauthreg.GrantAuthorizationCode, rt)
			case "token", "id_token":
				need(oauthreg.GrantImplicit, rt)
			}
		}
	}
	// fosite.DefaultClient reports the authorization_code grant and the
	// code response type when it declares none, redirect URIs or not;
	// RFC 6749 section 3.1.2 needs a redirect URI for that grant.
	if slices.Contains(c.GrantTypes, oauthreg.GrantAuthorizationCode) && len(c.RedirectURIs) == 0 {
		c.RedirectURIs = []string{PlaceholderRedirectURI}
		changes = append(changes, fmt.Sprintf("redirect URI %q added, which grant type %q needs (RFC 6749 section 3.1.2)", PlaceholderRedirectURI, oauthreg.GrantAuthorizationCode))
	}
	return changes
}

// register (with s.mu held) registers the fixture client c and imports its secret hashes,
// then revokes the secret Register generated, so that the client's secrets
// are exactly the fixture's.
func (s *Store) register(ctx context.Context, c oauthreg.Client, hashes []string) error {
	got, _, err := s.Registry.Register(ctx, c)
	if err != nil {
		return fmt.Errorf("fositesuite: registering fixture client %q: %w", c.ID, err)
	}
	for _, sec := range got.Secrets {
		if err := s.Registry.RevokeSecret(ctx, c.ID, sec.ID); err != nil {
			return fmt.Errorf("fositesuite: revoking the generated secret of fixture client %q: %w", c.ID, err)
		}
	}
	if len(hashes) > 0 && !got.TokenEndpointAuthMethod.UsesSecret() {
		// fosite's fixtures give private_key_jwt clients a secret, which
		// fosite never checks for them; oauthreg keeps no secret for a
		// client that does not authenticate with one.
		s.noteLocked(c.ID, fmt.Sprintf("its secret not imported: oauthreg keeps none for a %s client", got.TokenEndpointAuthMethod))
		return nil
	}
	for _, h := range hashes {
		if _, err := s.Registry.ImportSecret(ctx, c.ID, h); err != nil {
			if errors.Is(err, oauthreg.ErrUnsupportedHash) {
				// A fixture "hash" that is no hash ("invalid_hash") matches
				// no secret in fosite either: leave it out.
				s.noteLocked(c.ID, "a secret hash oauthreg cannot read not imported (it matches no secret in fosite either)")
				continue
			}
			return fmt.Errorf("fositesuite: importing a secret hash of fixture client %q: %w", c.ID, err)
		}
	}
	return nil
}

// FromFosite returns the oauthreg client a fosite fixture client stands
// for, and its secret hashes (current first, then rotated), each ready for
// Registry.ImportSecret.
func FromFosite(fc fosite.Client) (oauthreg.Client, []string) {
	c := oauthreg.Client{
		ID:            fc.GetID(),
		Name:          fc.GetID(),
		RedirectURIs:  clone(fc.GetRedirectURIs()),
		Scopes:        clone(fc.GetScopes()),
		Public:        fc.IsPublic(),
		GrantTypes:    convert[oauthreg.GrantType](fc.GetGrantTypes()),
		ResponseTypes: convert[oauthreg.ResponseType](fc.GetResponseTypes()),
	}
	if c.Public {
		c.TokenEndpointAuthMethod = oauthreg.AuthNone
	}
	c.Audience = clone(fc.GetAudience())
	if rc, ok := fc.(fosite.ResponseModeClient); ok {
		c.ResponseModes = convert[oauthreg.ResponseMode](rc.GetResponseModes())
	}
	if lc, ok := fc.(interface {
		GetTokenLifespans() *fosite.ClientLifespanConfig
	}); ok {
		c.Lifetimes = lifetimes(lc.GetTokenLifespans())
	}
	if oc, ok := fc.(fosite.OpenIDConnectClient); ok {
		c.TokenEndpointAuthMethod = oauthreg.AuthMethod(oc.GetTokenEndpointAuthMethod())
		c.TokenEndpointAuthSigningAlg = oc.GetTokenEndpointAuthSigningAlgorithm()
		c.JWKSURI = oc.GetJSONWebKeysURI()
		c.RequestURIs = clone(oc.GetRequestURIs())
		c.RequestObjectSigningAlg = oc.GetRequestObjectSigningAlgorithm()
		if set := oc.GetJSONWebKeys(); set != nil {
			raw, err := json.Marshal(set)
			if err != nil {
				panic(fmt.Sprintf("fositesuite: fixture client %q: marshalling its JWK Set: %v", c.ID, err))
			}
			c.JWKS = raw
		}
	}
	var hashes []string
	if fc.IsPublic() {
		return c, nil
	}
	if h := fc.GetHashedSecret(); len(h) > 0 {
		hashes = append(hashes, string(h))
	}
	if rc, ok := fc.(fosite.ClientWithSecretRotation); ok {
		for _, h := range rc.GetRotatedHashes() {
			hashes = append(hashes, string(h))
		}
	}
	return c, hashes
}

// copyMetadata copies every field FromFosite sets from src to dst.
func copyMetadata(dst, src *oauthreg.Client) {
	dst.RedirectURIs = src.RedirectURIs
	dst.Scopes = src.Scopes
	dst.GrantTypes = src.GrantTypes
	dst.ResponseTypes = src.ResponseTypes
	if src.TokenEndpointAuthMethod != "" {
		dst.TokenEndpointAuthMethod = src.TokenEndpointAuthMethod
	}
	dst.Audience = src.Audience
	dst.ResponseModes = src.ResponseModes
	dst.Lifetimes = src.Lifetimes
	dst.TokenEndpointAuthSigningAlg = src.TokenEndpointAuthSigningAlg
	dst.JWKS = src.JWKS
	dst.JWKSURI = src.JWKSURI
	dst.RequestURIs = src.RequestURIs
	dst.RequestObjectSigningAlg = src.RequestObjectSigningAlg
}

// lifetimes maps fosite's per-grant lifespans onto oauthreg's.
func lifetimes(l *fosite.ClientLifespanConfig) oauthreg.TokenLifetimes {
	var out oauthreg.TokenLifetimes
	if l == nil {
		return out
	}
	d := func(p *time.Duration) time.Duration {
		if p == nil {
			return 0
		}
		return *p
	}
	set := func(g fosite.GrantType, access, refresh, id *time.Duration) {
		gl := oauthreg.GrantLifetimes{AccessToken: d(access), RefreshToken: d(refresh), IDToken: d(id)}
		if gl == (oauthreg.GrantLifetimes{}) {
			return
		}
		if out.Grants == nil {
			out.Grants = map[oauthreg.GrantType]oauthreg.GrantLifetimes{}
		}
		out.Grants[oauthreg.GrantType(g)] = gl
	}
	set(fosite.GrantTypeAuthorizationCode, l.AuthorizationCodeGrantAccessTokenLifespan, l.AuthorizationCodeGrantRefreshTokenLifespan, l.AuthorizationCodeGrantIDTokenLifespan)
	set(fosite.GrantTypeClientCredentials, l.ClientCredentialsGrantAccessTokenLifespan, nil, nil)
	set(fosite.GrantTypeImplicit, l.ImplicitGrantAccessTokenLifespan, nil, l.ImplicitGrantIDTokenLifespan)
	set(fosite.GrantTypeJWTBearer, l.JwtBearerGrantAccessTokenLifespan, nil, nil)
	set(fosite.GrantTypePassword, l.PasswordGrantAccessTokenLifespan, l.PasswordGrantRefreshTokenLifespan, nil)
	set(fosite.GrantTypeRefreshToken, l.RefreshTokenGrantAccessTokenLifespan, l.RefreshTokenGrantRefreshTokenLifespan, l.RefreshTokenGrantIDTokenLifespan)
	return out
}

func clone[S ~[]E, E any](s S) []E {
	if s == nil {
		return nil
	}
	return append([]E{}, s...)
}

func convert[T ~string, S ~[]E, E ~string](s S) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, v := range s {
		out[i] = T(v)
	}
	return out
}

// Provider gives the fosite f of a rewired root-package test the adapter,
// and returns f: a *storage.MemoryStore in f.Store is replaced by its Store,
// and f.Config, which must be a *fosite.Config, gets the adapter's Hasher
// and, when StrategyEnv is "1", its AuthenticationStrategy. The tests of
// fosite's client authentication build a fosite.Fosite by hand (no compose
// call) and set f.Store before each f.AuthenticateClient; ./run rewrites
// those calls to Provider(f).AuthenticateClient.
func Provider(f *fosite.Fosite) *fosite.Fosite {
	if ms, ok := f.Store.(*storage.MemoryStore); ok {
		f.Store = For(ms)
	}
	s, ok := f.Store.(*Store)
	if !ok {
		panic(fmt.Sprintf("fositesuite: the rewired test's fosite has a %T store; only *storage.MemoryStore is supported", f.Store))
	}
	config, ok := f.Config.(*fosite.Config)
	if !ok {
		panic(fmt.Sprintf("fositesuite: the rewired test's fosite has a %T config; only *fosite.Config is supported", f.Config))
	}
	s.configure(config)
	return f
}

// SameClient reports whether got, the client fosite authenticated, is the
// adapter's reading of the fixture want: fosite's tests compare the two
// with assert.Equal, which the adapter's client type can never pass, so
// ./run rewrites that comparison to this one. It compares what the
// adapter maps from the fixture for client authentication: ID, public,
// token endpoint method and signing algorithm, and the key source.
func SameClient(want, got fosite.Client) bool {
	if want == nil || got == nil {
		return want == got
	}
	if want.GetID() != got.GetID() || want.IsPublic() != got.IsPublic() {
		return false
	}
	wo, wok := want.(fosite.OpenIDConnectClient)
	if !wok {
		return true
	}
	o, ok := got.(fosite.OpenIDConnectClient)
	if !ok {
		return false
	}
	if wo.GetTokenEndpointAuthMethod() != o.GetTokenEndpointAuthMethod() ||
		wo.GetJSONWebKeysURI() != o.GetJSONWebKeysURI() ||
		(wo.GetJSONWebKeys() == nil) != (o.GetJSONWebKeys() == nil) {
		return false
	}
	wa, ga := wo.GetTokenEndpointAuthSigningAlgorithm(), o.GetTokenEndpointAuthSigningAlgorithm()
	return wa == ga || (wa == "" && ga == "RS256")
}

// TLSJWKSServer starts the JWK Set server of fosite's client
// authentication test with TLS, and makes f fetch JWK Sets with a client
// that trusts it: oauthreg takes only an https jwks_uri, and the test's
// server is plain http. ./run rewrites the test's httptest.NewServer(h) to
// this.
func TLSJWKSServer(f *fosite.Fosite, h http.Handler) *httptest.Server {
	config, ok := f.Config.(*fosite.Config)
	if !ok {
		panic(fmt.Sprintf("fositesuite: the rewired test's fosite has a %T config; only *fosite.Config is supported", f.Config))
	}
	ts := httptest.NewTLSServer(h)
	client := retryablehttp.NewClient()
	client.HTTPClient = ts.Client()
	client.Logger = nil
	config.JWKSFetcherStrategy = fosite.NewDefaultJWKSFetcherStrategy(fosite.JWKSFetcherWithHTTPClient(client))
	return ts
}
