package oauthreg

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// authFailure is the internal reason an authentication failed. It is never
// returned to the caller of Authenticate (which sees ErrInvalidCredentials
// for all of them) so that client IDs and secret states cannot be probed.
type authFailure int

const (
	authOK authFailure = iota
	failMalformed
	failUnknownClient
	failUnknownSecret
	failWrongSecret
	failExpired
	failRevoked
	failDisabled
	failNoSecrets
)

// Authenticate checks a client's credentials, as a token endpoint does on
// every client_credentials or authorization_code exchange, and returns the
// client on success.
//
// Every failure — unknown client, malformed, wrong, expired or revoked
// secret, disabled or public client — returns an error matching
// ErrInvalidCredentials, and costs about the same time, so neither the
// error nor its timing tells an attacker which client IDs exist. Answer it
// with RFC 6749's invalid_client. Any other error (a store outage, a
// cancelled context) is not a credentials problem: answer it with a 5xx.
//
// A generated secret costs one SHA-256 (its ID is embedded in it, so only one
// stored hash is checked); a malformed one is rejected by its checksum
// before the store is read. A secret an administrator supplied or imported is
// checked with its slow hash (argon2id, bcrypt, PBKDF2), and any input that is
// not in the generated format costs one such slow check, whether or not the
// client exists. A success records the last-used time at most once per
// WithLastUsedInterval, and upgrades an outdated hash.
func (r *Registry) Authenticate(ctx context.Context, clientID, secret string) (*Client, error) {
	if len(secret) == 0 || len(secret) > maxPresentedSecretLen || len(clientID) == 0 || len(clientID) > maxClientIDBytes {
		return nil, ErrInvalidCredentials
	}
	secretID, shape := parseSecret(secret)
	if shape == shapeCorrupt {
		return nil, ErrInvalidCredentials
	}
	c, err := r.store.GetClient(ctx, clientID)
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("oauthreg: authenticate client %q: %w", clientID, err)
		}
		if shape == shapeGenerated {
			r.hasher.decoyVerifyGenerated(secret)
		} else if err := r.hasher.decoyVerifySupplied(ctx, secret); err != nil {
			return nil, err
		}
		return nil, ErrInvalidCredentials
	}
	now := r.now()
	var (
		idx      int
		outdated bool
		reason   authFailure
	)
	if shape == shapeGenerated {
		idx, outdated, reason = r.checkGenerated(c, secretID, secret, now)
	} else {
		idx, outdated, reason, err = r.checkSupplied(ctx, c, secret, now)
		if err != nil {
			return nil, err
		}
	}
	if reason == authOK {
		switch {
		case c.Disabled:
			reason = failDisabled
		case c.Public || !c.TokenEndpointAuthMethod.UsesSecret():
			reason = failNoSecrets
		}
	}
	if reason != authOK {
		return nil, ErrInvalidCredentials
	}
	if outdated {
		r.upgradeHash(ctx, c.ID, c.Secrets[idx], secret)
	}
	r.recordUse(ctx, c, idx, now)
	return c, nil
}

// checkGenerated verifies a generated secret against the one stored secret
// whose ID it embeds.
func (r *Registry) checkGenerated(c *Client, secretID, secret string, now time.Time) (int, bool, authFailure) {
	idx := c.secretIndex(secretID)
	if idx < 0 {
		r.hasher.decoyVerifyGenerated(secret)
		return -1, false, failUnknownSecret
	}
	s := &c.Secrets[idx]
	ok, outdated := r.hasher.verifyGenerated(s.Hash, secret)
	switch {
	case !ok:
		return idx, false, failWrongSecret
	case !s.RevokedAt.IsZero():
		return idx, false, failRevoked
	case !s.ActiveAt(now):
		return idx, false, failExpired
	}
	return idx, outdated, authOK
}

// checkSupplied verifies a secret that is not in the generated format against
// the client's supplied and imported secrets, or burns one decoy slow hash if
// it has none.
func (r *Registry) checkSupplied(ctx context.Context, c *Client, secret string, now time.Time) (int, bool, authFailure, error) {
	checked := false
	for i := range c.Secrets {
		s := &c.Secrets[i]
		if s.Kind == SecretGenerated || !s.ActiveAt(now) {
			continue
		}
		checked = true
		ok, outdated, err := r.hasher.verify(ctx, s.Hash, secret)
		if err != nil {
			if ctx.Err() != nil {
				return -1, false, failMalformed, err
			}
			continue // a stored hash we cannot parse never authenticates
		}
		if ok {
			return i, outdated, authOK, nil
		}
	}
	if !checked {
		if err := r.hasher.decoyVerifySupplied(ctx, secret); err != nil {
			return -1, false, failMalformed, err
		}
		return -1, false, failUnknownSecret, nil
	}
	return -1, false, failWrongSecret, nil
}

// upgradeHash replaces an outdated hash of a secret that just verified. It is
// best effort: a failure leaves the old, still valid, hash in place.
func (r *Registry) upgradeHash(ctx context.Context, clientID string, old Secret, plaintext string) {
	var hash string
	if old.Kind == SecretGenerated {
		hash = r.hasher.hashGenerated(plaintext)
	} else {
		h, err := r.hasher.hashSupplied(ctx, plaintext)
		if err != nil {
			return
		}
		hash = h
	}
	_, _ = r.mutate(ctx, clientID, func(c *Client, _ time.Time) error {
		i := c.secretIndex(old.ID)
		if i < 0 || c.Secrets[i].Hash != old.Hash {
			return errUpgradeObsolete
		}
		c.Secrets[i].Hash = hash
		return nil
	})
}

var errUpgradeObsolete = errors.New("oauthreg: hash already changed")
