package oauthregfosite

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/ory/fosite"

	"github.com/oauthreg/oauthreg"
)

// ErrHashUnsupported is returned by Hasher.Hash without a Fallback, and by
// Hasher.Compare for a hash that is not a reference to an oauthreg client
// without a Fallback. oauthreg hashes the secrets it issues itself: register
// clients and issue secrets with the oauthreg.Registry, not through fosite.
var ErrHashUnsupported = errors.New("oauthregfosite: not an oauthreg client reference; oauthreg hashes its secrets itself")

// Hasher is the fosite.Hasher for the clients a ClientManager returns: set it
// as fosite.Config's ClientSecretsHasher (ClientManager.Hasher returns one).
//
// fosite calls Compare(ctx, client.GetHashedSecret(), presentedSecret). For
// this package's clients the "hash" is a reference to the client, and
// Compare calls Registry.Authenticate, which applies every oauthreg rule:
// the right secret among the client's active ones (including old secrets in
// their grace period after a rotation), expiry, revocation, disabled and
// public clients, hash upgrades, last-used times and events. The zero
// Hasher refuses everything.
//
// A Hasher is safe for concurrent use; set its fields before first use.
type Hasher struct {
	// Registry authenticates the clients. It must be the Registry the
	// ClientManager reads.
	Registry *oauthreg.Registry
	// Fallback, when not nil, compares and makes every hash that is not a
	// reference to an oauthreg client: use it (for example
	// &fosite.BCrypt{Config: config}) when fosite also serves clients from
	// another store. Without it such hashes never match, and Hash fails.
	Fallback fosite.Hasher
}

var _ fosite.Hasher = (*Hasher)(nil)

// Compare authenticates the client hash refers to with secret, through
// Registry.Authenticate. It returns nil on success; an error matching
// oauthreg.ErrInvalidCredentials for wrong, expired or revoked secrets and
// unknown or disabled clients (fosite answers invalid_client); and an error
// matching fosite.ErrServerError when the Registry's store fails or ctx
// ends (see AuthenticationStrategy). A hash that is not a reference goes to
// Fallback.
func (h *Hasher) Compare(ctx context.Context, hash, secret []byte) error {
	id, ok := bytes.CutPrefix(hash, []byte(hashRefPrefix))
	if !ok {
		if h.Fallback != nil {
			return h.Fallback.Compare(ctx, hash, secret)
		}
		return ErrHashUnsupported
	}
	if h.Registry == nil {
		return &storeError{errNoRegistry}
	}
	// The client is not needed here (fosite has its own): a view copies nothing.
	_, err := h.Registry.AuthenticateView(ctx, "", string(id), string(secret))
	switch {
	case err == nil:
		return nil
	case errors.Is(err, oauthreg.ErrInvalidCredentials):
		return err
	default:
		return &storeError{fmt.Errorf("authenticate client %q: %w", id, err)}
	}
}

// Hash hashes data with Fallback. Without a Fallback it returns
// ErrHashUnsupported: secrets of oauthreg clients are issued and hashed by
// the Registry (Register, RotateSecret, AddSecret, …).
func (h *Hasher) Hash(ctx context.Context, data []byte) ([]byte, error) {
	if h.Fallback != nil {
		return h.Fallback.Hash(ctx, data)
	}
	return nil, ErrHashUnsupported
}
