package oauthreg

import (
	"context"
	"fmt"
	"time"
)

// AuthReport is the outcome of a client authentication that was decided
// outside the Registry: by the clientauth package for client_secret_jwt,
// private_key_jwt and mutual TLS, or by an embedding server's own method.
// ReportAuthentication turns it into the same events and last-used records
// that Authenticate produces for a secret sent as a password.
type AuthReport struct {
	// Method is the token endpoint authentication method the request used.
	Method AuthMethod
	// ClientID is the client ID the request presented. It goes into the
	// event as Authenticate's would: a value shaped like a generated secret
	// is redacted.
	ClientID string
	// Client is the authenticated client on success. On failure it is the
	// client when one was found (its owner goes into the event), or nil.
	Client *Client
	// SecretID is the secret that verified (client_secret_jwt), or "" for a
	// method that uses no secret.
	SecretID string
	// Reason is why the authentication failed; "" means it succeeded.
	// Use the Reason constants of this package or of the package that
	// decided (their values are stable strings for operators).
	Reason FailureReason
}

// ReportAuthentication records an authentication decided outside the
// Registry. A success (Reason "") emits EventAuthSucceeded (and
// EventGraceSecretUsed when SecretID names a secret being phased out), and
// records the client's (and the secret's) last-used time at most once per
// WithLastUsedInterval, as Authenticate does; report a success only after
// every check of your own passed, the client is not disabled and its
// registered method is the one used. A failure emits EventAuthFailed with
// the reason. A success without a Client is reported as a failure with
// ReasonUnknownClient: there is nothing to record it against.
//
// It never fails: events and last-used writes are best effort, like
// Authenticate's.
func (r *Registry) ReportAuthentication(ctx context.Context, a AuthReport) {
	now := r.now()
	if a.Reason == "" && a.Client == nil {
		a.Reason = ReasonUnknownClient
	}
	if a.Reason != "" {
		if len(r.cfg.observers) == 0 {
			return
		}
		e := Event{Type: EventAuthFailed, Time: now, ClientID: SanitizeInput(a.ClientID), Reason: a.Reason, Method: a.Method, SecretID: SanitizeInput(a.SecretID)}
		if a.Client != nil {
			e.ClientID, e.Owner = a.Client.ID, a.Client.Owner
		}
		r.emit(ctx, e)
		return
	}
	c := a.Client
	idx := -1
	if a.SecretID != "" {
		idx = c.secretIndex(a.SecretID)
	}
	if idx >= 0 {
		if r.recordUse(ctx, c.ID, c.Secrets[idx].ID, c.Secrets[idx].LastUsedAt, now) {
			c.LastUsedAt, c.Secrets[idx].LastUsedAt = now, now
		}
	} else {
		r.recordClientUse(ctx, c, now)
	}
	if len(r.cfg.observers) == 0 {
		return
	}
	e := Event{Type: EventAuthSucceeded, Time: now, ClientID: c.ID, Owner: c.Owner, SecretID: SanitizeInput(a.SecretID), Method: a.Method}
	if idx >= 0 {
		e.SecretID = c.Secrets[idx].ID // the stored ID, not the caller's string
	}
	r.emit(ctx, e)
	if idx >= 0 {
		used := c.Secrets[idx]
		if newest, ok := c.NewestSecret(now); ok && newest.ID != used.ID && !used.ExpiresAt.IsZero() {
			e.Type = EventGraceSecretUsed
			r.emit(ctx, e)
		}
	}
}

// recordClientUse is recordUse for a method that uses no secret
// (private_key_jwt, mutual TLS): only the client's LastUsedAt moves.
func (r *Registry) recordClientUse(ctx context.Context, c *Client, now time.Time) {
	interval := r.cfg.lastUsedInterval
	if interval < 0 || (!c.LastUsedAt.IsZero() && now.Sub(c.LastUsedAt) < interval) {
		return
	}
	if !r.lastUsed.allow(c.ID, "", now, interval) {
		return
	}
	if err := r.store.TouchClient(ctx, c.ID, "", now); err != nil {
		return
	}
	c.LastUsedAt = now
}

// VerifyWithSecretKeys serves client_secret_jwt (RFC 7523 §2.2, OpenID
// Connect Core §9), where the client signs its assertion with HMAC keyed by
// its client secret, so the plaintext is needed: it opens each active sealed
// secret of c, newest first, and calls verify with the plaintext's bytes
// until verify returns true, and returns the ID of that secret.
//
// The bytes exist only during the call to verify and are zeroed when it
// returns: verify must not keep, copy or log them. A secret that is not
// sealed or cannot be opened is skipped. ok is false when no secret
// verified. err is set only when the Registry has no key ring
// (ErrNotRetrievable): then no client_secret_jwt assertion can be checked.
// No event is emitted: report the outcome with ReportAuthentication.
func (r *Registry) VerifyWithSecretKeys(c *Client, verify func(key []byte) bool) (secretID string, ok bool, err error) {
	if r.cfg.keys == nil {
		return "", false, fmt.Errorf("%w: client_secret_jwt needs the secret as an HMAC key; configure WithKeyRing", ErrNotRetrievable)
	}
	if c == nil {
		return "", false, nil
	}
	now := r.now()
	for i := len(c.Secrets) - 1; i >= 0; i-- {
		s := &c.Secrets[i]
		if s.Sealed.IsZero() || !s.ActiveAt(now) {
			continue
		}
		key, err := r.cfg.keys.openBytes(s.Sealed.Reveal(), c.ID, s.ID)
		if err != nil {
			continue
		}
		ok := verify(key)
		clear(key)
		if ok {
			return s.ID, true, nil
		}
	}
	return "", false, nil
}
