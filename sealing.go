package oauthreg

import (
	"context"
	"errors"
	"fmt"
)

// ErrNotRetrievable is returned by RevealSecret when the plaintext cannot be
// shown: the Registry has no key ring (WithKeyRing), or the secret was never
// sealed (imported as a hash and not used since sealing was turned on), or it
// is no longer active.
var ErrNotRetrievable = errors.New("oauthreg: secret is not retrievable")

// WithKeyRing turns sealing on: every secret issued from then on (and every
// older one, on its next successful authentication) is also stored
// encrypted under the ring's primary key, bound to its client and secret
// IDs, so RevealSecret can show it again (as the "get client secret" call of
// the ZStack cloud platform does) and
// client_secret_jwt clients, which need the plaintext as an HMAC key, can be
// registered. Keep the keys out of the database.
func WithKeyRing(k *KeyRing) Option {
	return func(c *config) {
		if k == nil {
			c.errs = append(c.errs, fmt.Errorf("%w: WithKeyRing(nil)", ErrInvalidConfig))
			return
		}
		c.keys = k
	}
}

// sealing reports whether the Registry keeps secrets sealed.
func (r *Registry) sealing() bool { return r.cfg.keys != nil }

// sealFor returns the sealed form of a plaintext secret, or the zero
// Concealed when sealing is off.
func (r *Registry) sealFor(clientID, secretID, plain string) (Concealed, error) {
	if r.cfg.keys == nil {
		return Concealed{}, nil
	}
	sealed, err := r.cfg.keys.seal(plain, clientID, secretID)
	return Conceal(sealed), err
}

// RevealSecret returns the plaintext of an active secret kept sealed. It
// fails with ErrNotRetrievable without a key ring or for a secret that was
// never sealed or is revoked or expired, with ErrSecretNotFound for an
// unknown secret ID, and with an error wrapping ErrSealedSecret when the
// sealed value cannot be opened (tampered, or sealed under a key that is no
// longer in the ring). Every reveal is reported as EventSecretRevealed.
//
// An unknown client is ErrNotFound.
func (r *Registry) RevealSecret(ctx context.Context, clientID, secretID string) (PlainSecret, error) {
	return r.reveal(ctx, nil, clientID, secretID)
}

func (r *Registry) reveal(ctx context.Context, who *Principal, clientID, secretID string) (PlainSecret, error) {
	c, err := r.getClient(ctx, clientID)
	if err != nil {
		return PlainSecret{}, wrapInputError("reveal secret of client", clientID, err)
	}
	if err := r.authorize(ctx, who, ActionReveal, c); err != nil {
		return PlainSecret{}, err
	}
	if r.cfg.keys == nil {
		return PlainSecret{}, fmt.Errorf("%w: this registry keeps only hashes; configure WithKeyRing to keep secrets sealed and retrievable", ErrNotRetrievable)
	}
	s, ok := c.Secret(secretID)
	switch {
	case !ok:
		return PlainSecret{}, fmt.Errorf("%w: client %q has no secret %q", ErrSecretNotFound, SanitizeInput(clientID), SanitizeInput(secretID))
	case !s.ActiveAt(r.now()):
		return PlainSecret{}, fmt.Errorf("%w: secret %q of client %q is %s", ErrNotRetrievable, SanitizeInput(secretID), SanitizeInput(clientID), s.State(r.now()))
	case s.Sealed.IsZero():
		return PlainSecret{}, fmt.Errorf("%w: secret %q of client %q was never sealed (imported as a hash, or issued before sealing was on, and not used since)",
			ErrNotRetrievable, SanitizeInput(secretID), SanitizeInput(clientID))
	}
	plain, err := r.cfg.keys.open(s.Sealed.Reveal(), c.ID, s.ID)
	if err != nil {
		return PlainSecret{}, fmt.Errorf("oauthreg: reveal secret %q of client %q: %w", SanitizeInput(secretID), SanitizeInput(clientID), err)
	}
	r.emitChange(ctx, who, EventSecretRevealed, c, s.ID)
	return newPlainSecret(plain, s.ID, s.ExpiresAt), nil
}

// Reseal moves every sealed secret to the key ring's primary key: after a new
// primary key is added, run it until it returns, then the old key can be
// removed from the ring. It works through the clients one page at a time,
// each client in one atomic change, and skips secrets already under the
// primary key, so it is safe to interrupt (cancel ctx) and run again. It
// returns how many secrets it re-sealed. Secrets that cannot be opened are
// left as they are and reported in the error, after the rest are done.
//
// The error about secrets that could not be opened matches
// ErrSealedSecret. Without a key ring Reseal fails with ErrNotRetrievable.
func (r *Registry) Reseal(ctx context.Context) (int, error) {
	keys := r.cfg.keys
	if keys == nil {
		return 0, fmt.Errorf("%w: Reseal needs a key ring (WithKeyRing)", ErrNotRetrievable)
	}
	primary := keys.PrimaryID()
	needs := func(s Secret) bool {
		if s.Sealed.IsZero() {
			return false
		}
		id, _ := keys.sealedWith(s.Sealed.Reveal())
		return id != primary
	}
	failures := map[string]error{} // by client and secret, however often a change is re-applied
	total, err := r.sweep(ctx, needs, EventSecretResealed, func(c *Client) ([]string, error) {
		var resealed []string
		for i := range c.Secrets {
			s := &c.Secrets[i]
			if !needs(*s) {
				continue
			}
			plain, err := keys.open(s.Sealed.Reveal(), c.ID, s.ID)
			if err != nil {
				failures[c.ID+"\x00"+s.ID] = fmt.Errorf("client %q secret %q: %w", SanitizeInput(c.ID), SanitizeInput(s.ID), err)
				continue
			}
			sealed, err := keys.seal(plain, c.ID, s.ID)
			if err != nil {
				return nil, err
			}
			s.Sealed = Conceal(sealed)
			resealed = append(resealed, s.ID)
		}
		return resealed, nil
	})
	if err == nil && len(failures) > 0 {
		errs := make([]error, 0, len(failures))
		for _, e := range failures {
			errs = append(errs, e)
		}
		err = fmt.Errorf("oauthreg: reseal: %d secrets could not be opened: %w", len(failures), errors.Join(errs...))
	}
	return total, err
}
