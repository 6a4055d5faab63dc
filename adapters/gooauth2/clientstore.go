package gooauth2

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"

	"github.com/go-oauth2/oauth2/v4"
	oauth2errors "github.com/go-oauth2/oauth2/v4/errors"

	"github.com/oauthreg/oauthreg"
)

// ClientStore is a go-oauth2 oauth2.ClientStore backed by an oauthreg
// Registry. Pass it to the manager's MapClientStorage (or, with
// NewClientStore's error, to MustClientStorage).
//
// A ClientStore is safe for concurrent use. It keeps no state of its own
// besides its configuration: every lookup reads the Registry.
type ClientStore struct {
	reg      *oauthreg.Registry
	onError  func(ctx context.Context, clientID string, err error)
	sentinel string
}

var _ oauth2.ClientStore = (*ClientStore)(nil)

// Option configures a ClientStore.
type Option func(*ClientStore)

// WithErrorHandler sets the function VerifyPassword and ClientInfoHandler
// call when authentication fails for a reason that is not the client's
// credentials: a store outage, a cancelled or expired context. go-oauth2's
// VerifyPassword can only answer true or false, so such a failure reaches
// the client as invalid_client (401); this handler is the only place it is
// seen. It must be safe for concurrent use.
//
// The default logs the error with slog.Default() at level Error. A nil fn
// discards the errors.
func WithErrorHandler(fn func(ctx context.Context, clientID string, err error)) Option {
	return func(s *ClientStore) {
		if fn == nil {
			fn = func(context.Context, string, error) {}
		}
		s.onError = fn
	}
}

// NewClientStore returns a ClientStore over reg. It returns an error only
// when reg is nil or the system's random source fails.
//
// Its two results fit the manager's MustClientStorage:
//
//	manager.MustClientStorage(gooauth2.NewClientStore(reg))
func NewClientStore(reg *oauthreg.Registry, opts ...Option) (*ClientStore, error) {
	if reg == nil {
		return nil, errors.New("gooauth2: NewClientStore: nil *oauthreg.Registry")
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("gooauth2: NewClientStore: %w", err)
	}
	s := &ClientStore{
		reg:      reg,
		onError:  logError,
		sentinel: sentinelPrefix + base64.RawURLEncoding.EncodeToString(b[:]),
	}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	return s, nil
}

// sentinelPrefix starts what ClientInfo.GetSecret returns for a
// confidential client, so that anyone who finds the value in a log or a dump
// can tell it is not a client secret.
const sentinelPrefix = "gooauth2-not-a-secret."

func logError(ctx context.Context, clientID string, err error) {
	slog.Default().ErrorContext(ctx, "gooauth2: client authentication failed for a reason other than the credentials",
		slog.String("client_id", clientID), slog.Any("error", err))
}

// Registry returns the Registry the ClientStore reads.
func (s *ClientStore) Registry() *oauthreg.Registry { return s.reg }

// GetByID implements oauth2.ClientStore. go-oauth2's manager calls it on
// every token request (before it verifies the secret), on every
// authorization request and on every refresh.
//
// It returns a *ClientInfo for an existing, enabled client. For an unknown
// or a disabled client it returns go-oauth2's errors.ErrInvalidClient
// itself, unwrapped (go-oauth2 maps errors to responses by identity), so the
// server answers invalid_client (401) and refuses the client everywhere,
// including on the authorization endpoint and the refresh_token grant, which
// never call VerifyPassword. Any other error (a store outage, a cancelled
// context) is returned wrapped, and go-oauth2 answers server_error (500).
//
// The ClientInfo keeps ctx for its VerifyPassword; it is meant for the
// request in which GetByID was called and should not be kept beyond it.
func (s *ClientStore) GetByID(ctx context.Context, id string) (oauth2.ClientInfo, error) {
	if id == "" {
		return nil, oauth2errors.ErrInvalidClient
	}
	c, err := s.reg.Get(ctx, id)
	switch {
	case errors.Is(err, oauthreg.ErrNotFound):
		return nil, oauth2errors.ErrInvalidClient
	case err != nil:
		return nil, fmt.Errorf("gooauth2: get client: %w", err)
	case c.Disabled:
		return nil, oauth2errors.ErrInvalidClient
	}
	ci := &ClientInfo{ctx: ctx, store: s}
	ci.client.Store(c)
	return ci, nil
}
