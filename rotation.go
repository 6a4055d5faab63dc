package oauthreg

import (
	"fmt"
	"time"
)

// RotationPolicy says how a client's secrets are rotated. The Registry has
// one (WithRotationPolicy, DefaultRotationPolicy otherwise); a client can
// override it with Client.RotationPolicy.
//
// Rotate issues a new secret and lets the older active ones live for
// GracePeriod more (never longer than they were going to live anyway), so
// the client's deployments can switch over without downtime. Regenerate issues
// a new secret and invalidates all others at once. Revoke invalidates one
// secret at once.
type RotationPolicy struct {
	// GracePeriod is how long the previously active secrets keep working
	// after a rotation (secretRotationExpirationInSeconds in the OAuth app
	// API of VMware CPN, VMware's partner portal).
	// Zero makes a rotation invalidate them at once.
	GracePeriod time.Duration
	// SecretLifetime is how long a newly issued secret lives; zero means it
	// does not expire. Reported as RFC 7591 client_secret_expires_at.
	SecretLifetime time.Duration
	// MaxActiveSecrets caps how many secrets may be active at once, from 1
	// to MaxActiveSecretsCeiling; zero means the ceiling (there is no
	// unbounded setting: each active supplied or imported secret costs a
	// slow hash per wrong guess). When a rotation would exceed it, the
	// oldest active secrets are revoked at once.
	MaxActiveSecrets int
	// OwnerOnlyRotation, when true, forbids the client itself from rotating
	// its own secret: only an administrator of the owning organization may
	// (ownerOnlySecretRotation in VMware CPN, VMware's partner portal).
	OwnerOnlyRotation bool
}

// DefaultRotationPolicy is used when neither the Registry nor the client sets
// one: old secrets live 24 hours after a rotation, new secrets do not expire,
// and at most two secrets are active at once (the new one and the one being
// phased out).
var DefaultRotationPolicy = RotationPolicy{
	GracePeriod:      24 * time.Hour,
	MaxActiveSecrets: 2,
}

// Validate reports a negative duration, a negative count or a
// MaxActiveSecrets above MaxActiveSecretsCeiling as an error.
func (p RotationPolicy) Validate() error {
	switch {
	case p.GracePeriod < 0:
		return fmt.Errorf("%w: rotation policy: negative grace period %v", ErrInvalidConfig, p.GracePeriod)
	case p.SecretLifetime < 0:
		return fmt.Errorf("%w: rotation policy: negative secret lifetime %v", ErrInvalidConfig, p.SecretLifetime)
	case p.MaxActiveSecrets < 0:
		return fmt.Errorf("%w: rotation policy: negative MaxActiveSecrets %d", ErrInvalidConfig, p.MaxActiveSecrets)
	case p.MaxActiveSecrets > MaxActiveSecretsCeiling:
		return fmt.Errorf("%w: rotation policy: MaxActiveSecrets %d is above the ceiling of %d (MaxActiveSecretsCeiling)",
			ErrInvalidConfig, p.MaxActiveSecrets, MaxActiveSecretsCeiling)
	}
	return nil
}

// activeCap is how many secrets may be active at once under p: its
// MaxActiveSecrets, or MaxActiveSecretsCeiling when that is zero (or, in a
// policy that escaped validation, out of range).
func (p RotationPolicy) activeCap() int {
	if p.MaxActiveSecrets <= 0 || p.MaxActiveSecrets > MaxActiveSecretsCeiling {
		return MaxActiveSecretsCeiling
	}
	return p.MaxActiveSecrets
}

// expiryFor returns when a secret issued at now expires under p (zero for
// never), or the explicit expiry when one is given.
func (p RotationPolicy) expiryFor(now, explicit time.Time) time.Time {
	if !explicit.IsZero() {
		return explicit.UTC()
	}
	if p.SecretLifetime > 0 {
		return now.Add(p.SecretLifetime)
	}
	return time.Time{}
}

// rotateIn appends s to c and applies rotation semantics: every older active
// secret now expires at min(its expiry, now+GracePeriod), and beyond
// MaxActiveSecrets the oldest active secrets are revoked at once.
func (p RotationPolicy) rotateIn(c *Client, s Secret, now time.Time) {
	graceEnd := now.Add(p.GracePeriod)
	for i := range c.Secrets {
		old := &c.Secrets[i]
		if !old.ActiveAt(now) {
			continue
		}
		if old.ExpiresAt.IsZero() || graceEnd.Before(old.ExpiresAt) {
			old.ExpiresAt = graceEnd
		}
	}
	c.Secrets = append(c.Secrets, s)
	p.evictBeyondMax(c, now)
}

// regenerateIn appends s to c and revokes every other active secret at once.
func regenerateIn(c *Client, s Secret, now time.Time) {
	for i := range c.Secrets {
		if c.Secrets[i].ActiveAt(now) {
			c.Secrets[i].RevokedAt = now
		}
	}
	c.Secrets = append(c.Secrets, s)
}

// addIn appends s to c alongside the active secrets, refusing with
// ErrTooManySecrets when that would exceed MaxActiveSecrets.
func (p RotationPolicy) addIn(c *Client, s Secret, now time.Time) error {
	if n, limit := len(c.ActiveSecrets(now)), p.activeCap(); n >= limit {
		return fmt.Errorf("%w: client %q already has %d active secrets (policy allows %d); revoke one or rotate instead",
			ErrTooManySecrets, SanitizeInput(c.ID), n, limit)
	}
	c.Secrets = append(c.Secrets, s)
	return nil
}

// evictBeyondMax revokes the oldest active secrets until at most
// MaxActiveSecrets are active.
func (p RotationPolicy) evictBeyondMax(c *Client, now time.Time) {
	limit := p.activeCap()
	active := 0
	for i := len(c.Secrets) - 1; i >= 0; i-- {
		if !c.Secrets[i].ActiveAt(now) {
			continue
		}
		active++
		if active > limit {
			c.Secrets[i].RevokedAt = now
		}
	}
}

// revokeIn revokes the secret with the given ID at now. A secret that no
// longer authenticates (revoked or expired) is left as it is: revokeIn
// returns errNothingToDo, and the caller writes nothing.
func revokeIn(c *Client, secretID string, now time.Time) error {
	i := c.secretIndex(secretID)
	if i < 0 {
		return fmt.Errorf("%w: client %q has no secret %q", ErrSecretNotFound, SanitizeInput(c.ID), SanitizeInput(secretID))
	}
	if !c.Secrets[i].ActiveAt(now) {
		return errNothingToDo
	}
	c.Secrets[i].RevokedAt = now
	return nil
}

// pruneInactive drops the oldest inactive secret records of c beyond
// MaxStoredSecrets.
func pruneInactive(c *Client, now time.Time) {
	excess := len(c.Secrets) - MaxStoredSecrets
	if excess <= 0 {
		return
	}
	kept := c.Secrets[:0]
	for _, s := range c.Secrets {
		if excess > 0 && !s.ActiveAt(now) {
			excess--
			continue
		}
		kept = append(kept, s)
	}
	c.Secrets = kept
}
