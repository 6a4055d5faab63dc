package oauthreg

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"
)

// LeakedSecret is what RevokeLeaked found and did.
type LeakedSecret struct {
	// ClientID and Owner name the client that held the secret.
	ClientID string
	Owner    string
	// SecretID is the secret's ID (it is embedded in the value).
	SecretID string
	// Revoked is true when this call revoked the secret; false when the
	// secret had already stopped authenticating (revoked or expired), in
	// which case nothing was written.
	Revoked bool
}

// RevokeLeaked revokes a generated secret found somewhere it should not be
// (in public code, a log, a ticket), given the secret alone: what a
// secret-scanning service calls when its pattern (the Registry's secret
// prefix) matches. The secret's ID is embedded in it, so the client is found
// through the Store's secret index (the Store must implement SecretLocator;
// memstore and sqlstore do) and the value is verified against the stored hash
// before anything is revoked: a reporter cannot revoke a secret it does not
// hold.
//
// Every value RevokeLeaked cannot act on — not a generated secret, a bad
// checksum, an unknown secret ID, a wrong value — returns
// ErrSecretNotRecognized and costs about the same (an index lookup and one
// hash), so it tells nothing about other secrets. A verified secret that is
// already revoked or expired is not an error: Revoked is false and nothing
// is written. Every verified report emits EventSecretLeaked, and a
// revocation also EventSecretRevoked. The other secrets of the client are
// left alone; rotate or regenerate afterwards to give the client a working
// secret.
//
// Secrets an administrator supplied or imported do not embed their ID and
// cannot be found this way: revoke them with RevokeSecret.
//
// A Store that does not implement SecretLocator makes every call fail
// with ErrUnsupportedStore.
func (r *Registry) RevokeLeaked(ctx context.Context, secret string) (LeakedSecret, error) {
	locator, ok := r.store.(SecretLocator)
	if !ok {
		return LeakedSecret{}, fmt.Errorf("%w: RevokeLeaked needs a Store that implements oauthreg.SecretLocator (%T does not)", ErrUnsupportedStore, r.store)
	}
	if len(secret) > maxPresentedSecretLen {
		return LeakedSecret{}, ErrSecretNotRecognized
	}
	secretID, shape := parseSecret(secret)
	if shape != shapeGenerated {
		return LeakedSecret{}, ErrSecretNotRecognized
	}
	// The ID goes into the result, events and store lookups: a copy, not a
	// substring that would keep the leaked plaintext in memory.
	secretID = strings.Clone(secretID)
	ids, err := locator.ClientsWithSecret(ctx, secretID)
	if err != nil {
		return LeakedSecret{}, fmt.Errorf("oauthreg: revoke leaked secret: finding its client: %w", err)
	}
	for _, id := range ids[:min(len(ids), MaxSecretLocatorResults)] {
		found, err := r.revokeLeakedIn(ctx, id, secretID, secret)
		if errors.Is(err, ErrSecretNotRecognized) || errors.Is(err, ErrNotFound) {
			continue // not this client's secret, or the client went away
		}
		return found, err
	}
	if len(ids) == 0 {
		// Do the work a found secret costs: a client copy and one hash.
		runtime.KeepAlive(decoyClient.Clone())
		r.hasher.decoyVerifyGenerated(secret)
	}
	return LeakedSecret{}, ErrSecretNotRecognized
}

// revokeLeakedIn verifies secret against client id's secret secretID and
// revokes it if it is still active.
func (r *Registry) revokeLeakedIn(ctx context.Context, id, secretID, secret string) (LeakedSecret, error) {
	var found LeakedSecret
	c, err := r.mutate(ctx, nil, ActionRevoke, id, func(c *Client, now time.Time) error {
		i := c.secretIndex(secretID)
		if i < 0 {
			r.hasher.decoyVerifyGenerated(secret)
			return ErrSecretNotRecognized
		}
		if !r.hasher.verifyGenerated(c.Secrets[i].Hash.Reveal(), secret).ok() {
			return ErrSecretNotRecognized
		}
		found = LeakedSecret{ClientID: c.ID, Owner: c.Owner, SecretID: secretID}
		if !c.Secrets[i].ActiveAt(now) {
			return errNothingToDo
		}
		c.Secrets[i].RevokedAt = now
		found.Revoked = true
		return nil
	})
	switch {
	case errors.Is(err, errNothingToDo):
		if len(r.cfg.observers) > 0 {
			r.emit(ctx, Event{Type: EventSecretLeaked, Time: r.now(), ClientID: found.ClientID, Owner: found.Owner, SecretID: secretID})
		}
		return found, nil
	case err != nil:
		return LeakedSecret{}, err
	}
	r.emitChange(ctx, nil, EventSecretLeaked, c, secretID)
	r.emitChange(ctx, nil, EventSecretRevoked, c, secretID)
	return found, nil
}
