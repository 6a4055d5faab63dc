package oauthregfosite

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ory/fosite"

	"github.com/oauthreg/oauthreg"
)

// ClientManager implements fosite.ClientManager over an oauthreg Registry.
// Build it with New. It is safe for concurrent use.
//
// fosite.Storage is just fosite.ClientManager; the token storage fosite's
// handlers need besides (authorization codes, access and refresh tokens,
// PKCE, …) comes from elsewhere, for example storage.NewMemoryStore. Embed
// both in one struct and define GetClient, ClientAssertionJWTValid and
// SetClientAssertionJWT on it to call the ClientManager (see the package
// example).
type ClientManager struct {
	reg                *oauthreg.Registry
	jtis               *jtiCache
	lifespans          bool
	eitherSecretMethod bool
}

var _ fosite.ClientManager = (*ClientManager)(nil)

// Option configures a ClientManager.
type Option func(*ClientManager)

// WithClock sets the clock the JTI replay cache reads (time.Now by default).
// Give it the same clock as the Registry's in tests.
func WithClock(now func() time.Time) Option {
	return func(m *ClientManager) {
		if now != nil {
			m.jtis.now = now
		}
	}
}

// WithMaxAssertionJTIs bounds how many client-assertion JTIs the replay cache
// holds at once (DefaultMaxAssertionJTIs by default). When it is full,
// SetClientAssertionJWT fails (fosite refuses the assertion) until entries
// expire. n <= 0 keeps the default.
func WithMaxAssertionJTIs(n int) Option {
	return func(m *ClientManager) {
		if n > 0 {
			m.jtis.max = n
		}
	}
}

// WithClientTokenLifespans says whether the clients' own token lifetimes
// (oauthreg.Client.Lifetimes) decide the lifetime of the tokens fosite
// issues to them (true, the default), or fosite's configured lifespans do
// (false). A client that sets no lifetime of its own gets fosite's either
// way.
func WithClientTokenLifespans(enabled bool) Option {
	return func(m *ClientManager) { m.lifespans = enabled }
}

// WithEitherSecretMethod says whether a client registered for
// client_secret_basic or client_secret_post may authenticate at fosite's
// endpoints with either of the two, as oauthreg.Registry.Authenticate
// allows (true), or only with the one it registered, as
// oauthreg.Registry.AuthenticateWith and RFC 7591 want (false, the
// default).
//
// fosite enforces the method only for clients that implement
// fosite.OpenIDConnectClient, so with true GetClient returns such a client
// as a fosite.Client without the OpenID Connect getters (see
// SecretClient), unless it uses a feature that needs them: a JWK Set or
// jwks_uri, request_uris, a request object or token endpoint signing
// algorithm. Use it to serve clients moved from a fosite.DefaultClient
// store, for which fosite accepts both methods.
func WithEitherSecretMethod(enabled bool) Option {
	return func(m *ClientManager) { m.eitherSecretMethod = enabled }
}

// New returns a ClientManager that reads clients from reg.
func New(reg *oauthreg.Registry, opts ...Option) *ClientManager {
	m := &ClientManager{reg: reg, jtis: newJTICache(time.Now, DefaultMaxAssertionJTIs), lifespans: true}
	for _, o := range opts {
		if o != nil {
			o(m)
		}
	}
	return m
}

// Hasher returns a fosite.Hasher that authenticates this ClientManager's
// clients through the same Registry. Set it as fosite.Config's
// ClientSecretsHasher.
func (m *ClientManager) Hasher() *Hasher { return &Hasher{Registry: m.reg} }

// GetClient returns the client with the given ID as a *Client (or, with
// WithEitherSecretMethod, possibly as a SecretClient).
//
// An unknown client, and a disabled one (so that a disabled public client,
// whose requests fosite does not authenticate, is refused too), is an error
// matching fosite.ErrNotFound. Any other failure (the store is unreachable,
// ctx is done) is an error matching fosite.ErrServerError and the original
// error; fosite itself answers both with invalid_client, unless the
// AuthenticationStrategy is installed.
func (m *ClientManager) GetClient(ctx context.Context, id string) (fosite.Client, error) {
	if m == nil || m.reg == nil {
		return nil, &storeError{errNoRegistry}
	}
	c, err := m.reg.Get(ctx, id)
	switch {
	case errors.Is(err, oauthreg.ErrNotFound):
		return nil, fmt.Errorf("%w: %w", fosite.ErrNotFound, err)
	case err != nil:
		return nil, &storeError{err}
	case c.Disabled:
		return nil, fmt.Errorf("%w: oauthregfosite: client %q is disabled", fosite.ErrNotFound, id)
	}
	fc, err := newClient(c, m.lifespans)
	if err != nil {
		return nil, &storeError{err}
	}
	if m.eitherSecretMethod && fc.eitherSecretMethod() {
		return SecretClient{Client: fc, c: fc}, nil
	}
	return fc, nil
}

// ClientAssertionJWTValid returns an error matching fosite.ErrJTIKnown if jti
// was recorded by SetClientAssertionJWT and has not expired, and nil
// otherwise.
//
// oauthreg stores no JTIs: they are kept in memory, in this ClientManager.
// With several server replicas each has its own cache, so an assertion may
// be replayed once against each replica; implement these two methods over a
// shared store on your storage struct if that matters.
func (m *ClientManager) ClientAssertionJWTValid(_ context.Context, jti string) error {
	return m.jtis.valid(jti)
}

// SetClientAssertionJWT records jti as used until exp, after dropping the
// expired entries. A jti already recorded and not expired is an error
// matching fosite.ErrJTIKnown; a full cache (WithMaxAssertionJTIs) is an error
// matching ErrTooManyAssertionJTIs and fosite.ErrServerError. An exp that
// has passed records nothing: such an assertion cannot be replayed.
func (m *ClientManager) SetClientAssertionJWT(_ context.Context, jti string, exp time.Time) error {
	return m.jtis.set(jti, exp)
}

var errNoRegistry = errors.New("oauthregfosite: no Registry (use oauthregfosite.New(reg))")

// storeError marks a failure that is not the client's: the Registry or its
// store failed, or the request's context ended. It matches both
// fosite.ErrServerError and the error it wraps, and AuthenticationStrategy
// finds it under fosite's invalid_client.
type storeError struct{ err error }

func (e *storeError) Error() string { return "oauthregfosite: server error: " + e.err.Error() }

func (e *storeError) Unwrap() []error { return []error{fosite.ErrServerError, e.err} }
