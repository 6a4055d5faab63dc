package oauthreg

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
)

// Registration access tokens (RFC 7592) let a client that registered itself
// read, update and delete its own registration. They are secrets: generated
// in the same format as client secrets (prefix, embedded ID, 256 random bits,
// checksum), hashed the same way (SHA-256, or SHA-256 keyed with the
// Registry's pepper), stored only as Client.RegistrationTokenHash, verified
// in constant time, and returned in plaintext once, as a PlainSecret.
// Package registration builds the RFC 7591/7592 endpoints on them.

// WithRegistrationToken makes Register also issue a registration access
// token for the new client, in the same store write, and put it in *dst
// (once the client is stored). It is an option of Register only; other
// secret calls refuse it with ErrInvalidConfig.
func WithRegistrationToken(dst *PlainSecret) SecretOption {
	return func(o *secretOptions) {
		if dst == nil {
			o.errs = append(o.errs, fmt.Errorf("%w: WithRegistrationToken(nil)", ErrInvalidConfig))
			return
		}
		o.regToken = dst
	}
}

// newRegistrationToken generates a token and its hash.
func (r *Registry) newRegistrationToken() (PlainSecret, string, error) {
	plain, id, err := generateSecret(r.cfg.prefix)
	if err != nil {
		return PlainSecret{}, "", err
	}
	return newPlainSecret(plain, id, time.Time{}), r.hasher.hashGenerated(plain), nil
}

// RotateRegistrationToken issues a new registration access token for the
// client, replacing its current one (which stops working at once), and
// returns it in plaintext, once. A client without a token gets one.
//
// An unknown client is ErrNotFound, and one other writers kept changing
// through every WithMaxUpdateAttempts attempt ErrConflict.
func (r *Registry) RotateRegistrationToken(ctx context.Context, clientID string) (PlainSecret, error) {
	token, hash, err := r.newRegistrationToken()
	if err != nil {
		return PlainSecret{}, err
	}
	c, err := r.mutate(ctx, nil, ActionUpdate, clientID, func(c *Client, _ time.Time) error {
		c.RegistrationTokenHash = hash
		return nil
	})
	if err != nil {
		return PlainSecret{}, err
	}
	r.emitChange(ctx, nil, EventRegistrationTokenIssued, c, "")
	return token, nil
}

// CheckRegistrationToken returns the client if token is its current
// registration access token. Every failure — an unknown client, a client
// without a token, a malformed or wrong token — is ErrInvalidCredentials and
// costs about the same (one hash), so the answer tells nothing about which
// client IDs exist; RFC 7592 answers it with 401 invalid_token. A disabled
// client's token still works: the client may read or delete its
// registration. Other errors (a store outage) are not about the token.
//
// A token whose stored hash is outdated (made before a pepper was
// configured, in the older $hmac-sha256$ encoding, or under a retired
// pepper) is re-hashed under the current pepper on its first successful
// check, as client secrets are by Authenticate, and the client returned is
// the one stored then.
func (r *Registry) CheckRegistrationToken(ctx context.Context, clientID, token string) (*Client, error) {
	if len(token) > maxPresentedSecretLen || len(clientID) == 0 || len(clientID) > MaxClientIDBytes {
		return nil, ErrInvalidCredentials
	}
	if _, shape := parseSecret(token); shape != shapeGenerated {
		return nil, ErrInvalidCredentials
	}
	c, err := r.store.GetClient(ctx, clientID)
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("oauthreg: check registration token of client %q: %w", SanitizeInput(clientID), err)
		}
		runtime.KeepAlive(decoyClient.Clone())
		r.hasher.decoyVerifyGenerated(token)
		return nil, ErrInvalidCredentials
	}
	if c.RegistrationTokenHash == "" {
		r.hasher.decoyVerifyGenerated(token)
		return nil, ErrInvalidCredentials
	}
	res := r.hasher.verifyGenerated(c.RegistrationTokenHash, token)
	if !res.ok() {
		return nil, ErrInvalidCredentials
	}
	if res == generatedOutdated {
		c = r.upgradeRegistrationToken(ctx, c, token)
	}
	return c, nil
}

// upgradeRegistrationToken re-hashes the registration access token of c,
// which just verified against an outdated hash (unpeppered while a pepper
// is configured, $hmac-sha256$, or under a retired pepper), under the
// current scheme, as Authenticate does for client secrets: otherwise a
// token would keep its old hash for ever, and its pepper could never be
// retired. It is best effort: a failure, or a token changed meanwhile,
// leaves the stored record as it is. It returns what was stored, or c.
func (r *Registry) upgradeRegistrationToken(ctx context.Context, c *Client, token string) *Client {
	old, hash := c.RegistrationTokenHash, r.hasher.hashGenerated(token)
	stored, err := r.mutate(ctx, nil, ActionUpdate, c.ID, func(c *Client, _ time.Time) error {
		if c.RegistrationTokenHash != old {
			return errUpgradeObsolete
		}
		c.RegistrationTokenHash = hash
		return nil
	})
	if err != nil {
		return c
	}
	return stored
}
