package oauthreg

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg/internal/gendigest"
)

// SecretOption sets details of a secret being issued, added or imported.
type SecretOption func(*secretOptions)

type secretOptions struct {
	description string
	expiresAt   time.Time
	lifetime    time.Duration
	allowShort  bool
	errs        []error
	// regToken receives a registration access token (Register only).
	regToken *PlainSecret
	// springPBKDF2 describes the encoder of the hash being imported
	// (ImportSecret only, which consumes it).
	springPBKDF2 *SpringPBKDF2Settings
}

// onlyForSecrets refuses options that make sense for Register only.
func (o secretOptions) onlyForSecrets() error {
	if o.regToken != nil {
		return fmt.Errorf("%w: WithRegistrationToken is an option of Register only", ErrInvalidConfig)
	}
	return nil
}

// WithSecretDescription attaches a description to the secret (for example
// who asked for it, or which deployment uses it).
func WithSecretDescription(d string) SecretOption {
	return func(o *secretOptions) {
		if len(d) > MaxSecretDescriptionBytes {
			o.errs = append(o.errs, fmt.Errorf("%w: secret description is %d bytes; at most %d", ErrInvalidSecret, len(d), MaxSecretDescriptionBytes))
			return
		}
		o.description = d
	}
}

// AllowShortLegacySecret lets AddSecret (and ImportSecret's Spring {noop})
// take a plaintext shorter than MinSuppliedSecretLen, down to
// MinLegacySecretLen: a legacy secret a client cannot change yet while it
// moves in from another server. Such a secret is weak against guessing;
// the Registry reports every one it stores with EventSecretShortLegacy, so
// that it can be found and rotated. Without this option a short secret is
// refused with ErrInvalidSecret.
func AllowShortLegacySecret() SecretOption {
	return func(o *secretOptions) { o.allowShort = true }
}

// WithSecretExpiry sets when the secret expires, instead of the rotation
// policy's SecretLifetime. It must lie in the future.
func WithSecretExpiry(t time.Time) SecretOption {
	return func(o *secretOptions) { o.expiresAt = t }
}

// WithSecretLifetime makes the secret expire that long after it is issued
// (by the Registry's clock), instead of the rotation policy's
// SecretLifetime. It must be positive.
func WithSecretLifetime(d time.Duration) SecretOption {
	return func(o *secretOptions) {
		if d <= 0 {
			o.errs = append(o.errs, fmt.Errorf("%w: secret lifetime %v must be positive", ErrInvalidSecret, d))
			return
		}
		o.lifetime = d
	}
}

func newSecretOptions(opts []SecretOption) (secretOptions, error) {
	o := applySecretOptions(opts)
	if len(o.errs) > 0 {
		return o, o.errs[0]
	}
	if o.springPBKDF2 != nil {
		return o, fmt.Errorf("%w: WithSpringPBKDF2 is an option of ImportSecret only", ErrInvalidConfig)
	}
	return o, nil
}

// applySecretOptions applies opts in order, without checking them.
func applySecretOptions(opts []SecretOption) secretOptions {
	var o secretOptions
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// newSecretRecord builds the Secret record issued at now, checking an
// explicit expiry.
func (r *Registry) newSecretRecord(p RotationPolicy, now time.Time, o secretOptions, id string, kind SecretKind) (Secret, error) {
	if !o.expiresAt.IsZero() && !o.expiresAt.After(now) {
		return Secret{}, fmt.Errorf("%w: expiry %v is not in the future (now %v)", ErrInvalidSecret, o.expiresAt, now)
	}
	if o.lifetime > 0 {
		p.SecretLifetime = o.lifetime
	}
	return Secret{
		ID:          id,
		Kind:        kind,
		Description: o.description,
		CreatedAt:   now,
		ExpiresAt:   p.expiryFor(now, o.expiresAt).Truncate(time.Microsecond),
	}, nil
}

// newGeneratedSecret generates a secret for client clientID and its record
// (hashed, and sealed when sealing is on).
func (r *Registry) newGeneratedSecret(clientID string, p RotationPolicy, now time.Time, o secretOptions) (Secret, PlainSecret, error) {
	plain, id, err := generateSecret(r.cfg.prefix)
	if err != nil {
		return Secret{}, PlainSecret{}, err
	}
	s, err := r.newSecretRecord(p, now, o, id, SecretGenerated)
	if err != nil {
		return Secret{}, PlainSecret{}, err
	}
	s.Hash = Conceal(r.hasher.hashGenerated(plain))
	s.Hint = secretHint(plain)
	if s.Sealed, err = r.sealFor(clientID, id, plain); err != nil {
		return Secret{}, PlainSecret{}, err
	}
	return s, newPlainSecret(plain, id, s.ExpiresAt), nil
}

// usesSecrets refuses secret operations on clients that hold none.
func usesSecrets(c *Client) error {
	switch {
	case c.Public:
		return fmt.Errorf("%w: client %q is public (token_endpoint_auth_method none)", ErrSecretsNotUsed, SanitizeInput(c.ID))
	case !c.TokenEndpointAuthMethod.UsesSecret():
		return fmt.Errorf("%w: client %q authenticates with %s", ErrSecretsNotUsed, SanitizeInput(c.ID), c.TokenEndpointAuthMethod)
	}
	return nil
}

// RotateSecret issues a new secret for the client and starts phasing out the
// others: each older active secret now expires at the end of the grace
// period (or earlier, if it was going to expire sooner), and beyond the
// policy's MaxActiveSecrets the oldest are revoked at once. The new secret is
// returned in plaintext, once.
//
// An unknown client is ErrNotFound, one that authenticates without a secret
// (public, private_key_jwt, mutual TLS) ErrSecretsNotUsed, and a client other
// writers kept changing through every WithMaxUpdateAttempts attempt
// ErrConflict. A secret option it cannot apply is ErrInvalidSecret,
// and WithRegistrationToken (an option of Register only) or
// WithSpringPBKDF2 (of ImportSecret only) ErrInvalidConfig.
func (r *Registry) RotateSecret(ctx context.Context, clientID string, opts ...SecretOption) (PlainSecret, error) {
	return r.rotate(ctx, nil, clientID, opts)
}

func (r *Registry) rotate(ctx context.Context, who *Principal, clientID string, opts []SecretOption) (PlainSecret, error) {
	return r.issue(ctx, who, ActionRotate, EventSecretRotated, clientID, opts, func(p RotationPolicy, c *Client, s Secret, now time.Time) {
		p.rotateIn(c, s, now)
	})
}

// RotateSecretTo rotates the client to a secret whose plaintext the caller
// chooses (as VMware CPN, VMware's partner portal, rotates to a given
// secret), with a grace period for
// this call only: every older active secret keeps working for grace more
// (never longer than it was going to), beyond the policy's MaxActiveSecrets
// the oldest are revoked, and the new secret is stored as AddSecret stores a
// supplied one: checked (12 to 512 printable ASCII characters, not in the
// generated format) and hashed with argon2id. A grace of zero invalidates the
// older secrets at once; a negative one is ErrInvalidSecret. It returns the
// stored record of the new secret.
//
// A plaintext outside those rules is ErrInvalidSecret, checked before
// anything is read or hashed. An unknown client is ErrNotFound, one that authenticates without a secret
// (public, private_key_jwt, mutual TLS) ErrSecretsNotUsed, and a client other
// writers kept changing through every WithMaxUpdateAttempts attempt
// ErrConflict. Under WithGeneratedSecretsOnly, or given WithSpringPBKDF2 (an
// option of ImportSecret only), it is refused with ErrInvalidConfig.
func (r *Registry) RotateSecretTo(ctx context.Context, clientID, plaintext string, grace time.Duration, opts ...SecretOption) (Secret, error) {
	return r.rotateTo(ctx, nil, clientID, plaintext, grace, opts)
}

func (r *Registry) rotateTo(ctx context.Context, who *Principal, clientID, plaintext string, grace time.Duration, opts []SecretOption) (Secret, error) {
	if err := r.refuseIfGeneratedOnly(SecretSupplied); err != nil {
		return Secret{}, err
	}
	if grace < 0 {
		return Secret{}, fmt.Errorf("%w: grace period %v must not be negative", ErrInvalidSecret, grace)
	}
	if err := checkSuppliedSecret(plaintext); err != nil {
		return Secret{}, err
	}
	o, err := newSecretOptions(opts)
	if err == nil {
		err = o.onlyForSecrets()
	}
	if err != nil {
		return Secret{}, err
	}
	if who != nil {
		// Check access before the argon2 run, as addSupplied does.
		c, err := r.store.GetClient(ctx, clientID)
		if err != nil {
			return Secret{}, wrapInputError("client", clientID, err)
		}
		if err := r.authorize(ctx, who, ActionRotate, c); err != nil {
			return Secret{}, err
		}
	}
	hash, err := r.hasher.hashSupplied(ctx, plaintext)
	if err != nil {
		return Secret{}, err
	}
	added, c, err := r.storeHashed(ctx, who, ActionRotate, clientID, SecretSupplied, hash, plaintext, o,
		func(p RotationPolicy, c *Client, s Secret, now time.Time) error {
			p.GracePeriod = grace
			p.rotateIn(c, s, now)
			return nil
		})
	if err != nil {
		return Secret{}, err
	}
	r.emitChange(ctx, who, EventSecretRotated, c, added.ID)
	return added, nil
}

// RegenerateSecret issues a new secret and invalidates every other secret of
// the client at once, resetting any rotation in progress (the "regenerate"
// of VMware CSP, VMware's cloud services console). Use it when a secret has leaked. The new secret is returned
// in plaintext, once.
//
// It fails as RotateSecret does: ErrNotFound, ErrSecretsNotUsed,
// ErrInvalidSecret, ErrConflict, ErrInvalidConfig.
func (r *Registry) RegenerateSecret(ctx context.Context, clientID string, opts ...SecretOption) (PlainSecret, error) {
	return r.regenerate(ctx, nil, clientID, opts)
}

func (r *Registry) regenerate(ctx context.Context, who *Principal, clientID string, opts []SecretOption) (PlainSecret, error) {
	return r.issue(ctx, who, ActionRegenerate, EventSecretRegenerated, clientID, opts, func(_ RotationPolicy, c *Client, s Secret, now time.Time) {
		regenerateIn(c, s, now)
	})
}

// issue generates a secret once and applies it to the client with apply,
// re-reading the client on conflict.
func (r *Registry) issue(ctx context.Context, who *Principal, action Action, event EventType, clientID string, opts []SecretOption,
	apply func(p RotationPolicy, c *Client, s Secret, now time.Time)) (PlainSecret, error) {
	o, err := newSecretOptions(opts)
	if err == nil {
		err = o.onlyForSecrets()
	}
	if err != nil {
		return PlainSecret{}, err
	}
	var plain PlainSecret
	c, err := r.mutate(ctx, who, action, clientID, func(c *Client, now time.Time) error {
		if err := usesSecrets(c); err != nil {
			return err
		}
		p := r.policyFor(c)
		s, ps, err := r.newGeneratedSecret(c.ID, p, now, o)
		if err != nil {
			return err
		}
		apply(p, c, s, now)
		pruneInactive(c, now)
		plain = ps
		return nil
	})
	if err != nil {
		return PlainSecret{}, err
	}
	r.emitChange(ctx, who, event, c, plain.ID())
	return plain, nil
}

// RevokeSecret invalidates one secret of the client at once. Revoking a
// secret that is already revoked or expired changes nothing (no write, no
// event) and is not an error; an unknown secret ID is ErrSecretNotFound.
//
// An unknown client is ErrNotFound, and a client other writers kept
// changing through every WithMaxUpdateAttempts attempt ErrConflict.
func (r *Registry) RevokeSecret(ctx context.Context, clientID, secretID string) error {
	return r.revoke(ctx, nil, clientID, secretID)
}

func (r *Registry) revoke(ctx context.Context, who *Principal, clientID, secretID string) error {
	c, err := r.mutate(ctx, who, ActionRevoke, clientID, func(c *Client, now time.Time) error {
		return revokeIn(c, secretID, now)
	})
	if errors.Is(err, errNothingToDo) {
		return nil // already revoked or expired: nothing written, nothing to report
	}
	if err != nil {
		return err
	}
	r.emitChange(ctx, who, EventSecretRevoked, c, secretID)
	return nil
}

// Limits on secrets an administrator supplies to AddSecret.
const (
	MinSuppliedSecretLen = 12
	MaxSuppliedSecretLen = 512
	// MinLegacySecretLen is the shortest secret AllowShortLegacySecret
	// admits.
	MinLegacySecretLen = 1
)

// AddSecret adds a secret whose plaintext an administrator supplies (for
// example one that must stay valid while a client moves from another
// system), alongside the client's active secrets. Because a person may have
// chosen it, it is hashed with argon2id. It must be 12 to 512 characters of
// RFC 6749's VSCHAR (printable ASCII); it fails with ErrTooManySecrets when
// the client already has MaxActiveSecrets active secrets. It returns the
// stored record.
//
// A plaintext outside those rules (or an option it cannot apply) is
// ErrInvalidSecret, checked before anything is read or hashed. An unknown client is ErrNotFound, one that authenticates without a secret
// (public, private_key_jwt, mutual TLS) ErrSecretsNotUsed, and a client other
// writers kept changing through every WithMaxUpdateAttempts attempt
// ErrConflict.
// Under WithGeneratedSecretsOnly, or given WithSpringPBKDF2 (an option of
// ImportSecret only), it is refused with ErrInvalidConfig.
func (r *Registry) AddSecret(ctx context.Context, clientID, plaintext string, opts ...SecretOption) (Secret, error) {
	return r.addSupplied(ctx, nil, clientID, plaintext, opts)
}

func (r *Registry) addSupplied(ctx context.Context, who *Principal, clientID, plaintext string, opts []SecretOption) (Secret, error) {
	if err := r.refuseIfGeneratedOnly(SecretSupplied); err != nil {
		return Secret{}, err
	}
	o, err := newSecretOptions(opts)
	if err != nil {
		return Secret{}, err
	}
	short, err := checkSuppliedOrLegacy(plaintext, o.allowShort)
	if err != nil {
		return Secret{}, err
	}
	if who != nil {
		// Check access before the argon2 run, so a caller without the right
		// cannot tie up the slots authentication needs.
		c, err := r.getClient(ctx, clientID)
		if err != nil {
			return Secret{}, wrapInputError("client", clientID, err)
		}
		if err := r.authorize(ctx, who, ActionAddSecret, c); err != nil {
			return Secret{}, err
		}
	}
	hash, err := r.hasher.hashSupplied(withSlotKey(ctx, slotKey{client: clientID}), plaintext)
	if err != nil {
		return Secret{}, err
	}
	added, err := r.add(ctx, who, clientID, SecretSupplied, hash, plaintext, opts)
	if err == nil && short && len(r.cfg.observers) > 0 {
		r.emit(ctx, Event{Type: EventSecretShortLegacy, Time: r.now(), Actor: actorOf(who), ClientID: clientID, SecretID: added.ID})
	}
	return added, err
}

// checkSuppliedOrLegacy checks a supplied plaintext as AddSecret does; with
// allowShort, a legacy secret shorter than MinSuppliedSecretLen passes the
// same character and shape rules, and short reports it.
func checkSuppliedOrLegacy(plaintext string, allowShort bool) (short bool, err error) {
	short = allowShort && len(plaintext) >= MinLegacySecretLen && len(plaintext) < MinSuppliedSecretLen
	if !short {
		return false, checkSuppliedSecret(plaintext)
	}
	// The same character and shape rules, without the length floor, on
	// the plaintext itself: a padded copy would be a string nothing can
	// overwrite.
	return true, checkSuppliedText(plaintext)
}

func checkSuppliedSecret(p string) error {
	if len(p) < MinSuppliedSecretLen || len(p) > MaxSuppliedSecretLen {
		return fmt.Errorf("%w: a supplied secret must be %d to %d characters, got %d", ErrInvalidSecret, MinSuppliedSecretLen, MaxSuppliedSecretLen, len(p))
	}
	return checkSuppliedText(p)
}

// checkSuppliedText applies the character and shape rules of a supplied
// secret.
func checkSuppliedText(p string) error {
	for i := 0; i < len(p); i++ {
		if p[i] < 0x20 || p[i] > 0x7e {
			// Name the position and, for a control byte (a pasted newline
			// or tab), its value; a byte of a non-ASCII character is part
			// of the secret's text, so its value is not echoed.
			kind := "a non-ASCII byte"
			if p[i] < 0x20 || p[i] == 0x7f {
				kind = fmt.Sprintf("the control byte 0x%02x", p[i])
			}
			return fmt.Errorf("%w: a supplied secret may hold only printable ASCII (RFC 6749 VSCHAR); byte %d is %s", ErrInvalidSecret, i, kind)
		}
	}
	if _, shape := parseSecret(p); shape != shapeOther {
		return fmt.Errorf("%w: this looks like a secret generated by oauthreg; generated secrets cannot be re-added, use RotateSecret", ErrInvalidSecret)
	}
	return nil
}

// ImportSecret adds a secret from another system by its existing hash, so
// clients keep working through a migration: bcrypt ($2a$, $2b$, $2y$, also
// Spring's {bcrypt}) and passlib's $bcrypt-sha256$, PBKDF2 as Ory Hydra,
// passlib or Authelia write it, argon2id or argon2i PHC strings (also
// Spring's {argon2}), SHA-crypt ($5$, $6$), scrypt ($scrypt$ as passlib and
// Authelia write it), Spring's {scrypt}, {sha256} and default-configured
// {pbkdf2} (see springHash), and a Spring Pbkdf2PasswordEncoder with its own
// settings, given by WithSpringPBKDF2 (see SpringPBKDF2Settings). Spring's
// {noop}<plaintext>, and Authelia's $plaintext$<plaintext> and
// $base64$<plaintext in adapted base64>, are hashed with argon2id as
// AddSecret does (the same length rules apply) and not kept.
//
// ASCII spaces, tabs and line breaks around a hash are ignored (no accepted
// encoding holds any, so this never changes which hash is meant): fosite's
// own fixture bcrypt hash ends with a space, and authenticates in fosite. A
// {noop} plaintext is taken exactly as Spring compares it, but for a final
// line ending; a space at its end is part of the secret. The hash is upgraded to argon2id on the first
// successful authentication. An unknown or malformed encoding fails with
// ErrUnsupportedHash; like AddSecret it respects MaxActiveSecrets.
//
// Errors: ErrUnsupportedHash for an encoding it cannot verify or the hash
// of a generated secret; ErrHashTooExpensive (which also matches
// ErrUnsupportedHash) for a hash over the Registry's HashCostLimits;
// ErrInvalidSecret for a {noop} plaintext that breaks AddSecret's rules or an
// option it cannot apply; ErrTooManySecrets as AddSecret. An unknown client is ErrNotFound, one that authenticates without a secret
// (public, private_key_jwt, mutual TLS) ErrSecretsNotUsed, and a client other
// writers kept changing through every WithMaxUpdateAttempts attempt
// ErrConflict. Under
// WithGeneratedSecretsOnly it is refused with ErrInvalidConfig.
func (r *Registry) ImportSecret(ctx context.Context, clientID, encodedHash string, opts ...SecretOption) (Secret, error) {
	return r.importHash(ctx, nil, clientID, encodedHash, opts)
}

func (r *Registry) importHash(ctx context.Context, who *Principal, clientID, encodedHash string, opts []SecretOption) (Secret, error) {
	if err := r.refuseIfGeneratedOnly(SecretImported); err != nil {
		return Secret{}, err
	}
	if spring := applySecretOptions(opts).springPBKDF2; spring != nil {
		enc, err := springPBKDF2Encoding(*spring, encodedHash)
		if err != nil {
			return Secret{}, err
		}
		// The option is consumed here; the rest go on to add.
		opts = append(slices.Clip(opts), func(o *secretOptions) { o.springPBKDF2 = nil })
		encodedHash = enc
	}
	hash, plain, noop, err := r.importedHash(encodedHash)
	switch {
	case err != nil:
		return Secret{}, err
	case noop:
		// A plaintext ({noop}, $plaintext$, $base64$): hash it as
		// AddSecret does, keep no copy of it.
		return r.addSupplied(ctx, who, clientID, plain, opts)
	}
	return r.add(ctx, who, clientID, SecretImported, hash, "", opts)
}

// importedHash reads an encoded hash as ImportSecret takes it: the
// canonical hash to store, within the Registry's cost caps, or for Spring's
// {noop} and Authelia's $plaintext$ and $base64$ the plaintext inside it
// (noop true; see foreignPlaintext), which the caller hashes as a supplied
// secret. It serves ImportSecret and ImportClients.
func (r *Registry) importedHash(encodedHash string) (hash, plain string, noop bool, err error) {
	if plain, ok, err := foreignPlaintext(encodedHash); ok {
		// Spring's {noop}, Authelia's $plaintext$ or $base64$. They
		// compare it exactly, so only a line ending is dropped: a trailing
		// space is part of the secret.
		return "", plain, err == nil, err
	}
	hash, err = parseImportedHashWithin(encodedHash, r.hasher.limits)
	if err != nil {
		return "", "", false, err
	}
	if strings.HasPrefix(hash, springPBKDF2Prefix) {
		// Its secret ID must name a secret this Registry has, or it could
		// never match.
		// (hash was just written by parseImportedHashWithin; the checked
		// assertion keeps a future change of that from becoming a panic.)
		sp, err := parseHash(hash)
		s, ok := sp.(*springPBKDF2Hash)
		if err != nil || !ok {
			return "", "", false, fmt.Errorf("%w: spring-pbkdf2: re-reading the imported hash failed", ErrUnsupportedHash)
		}
		if err := r.hasher.withSpringSecret(s); err != nil {
			return "", "", false, err
		}
	}
	if gendigest.IsEncoding(hash) {
		// A generated secret is found by the ID embedded in it, which its
		// hash does not carry: imported under a new ID it could never match.
		return "", "", false, fmt.Errorf("%w: this is the hash of a secret generated by oauthreg; it cannot be imported under a new ID (copy the client's record between stores instead)",
			ErrUnsupportedHash)
	}
	return hash, "", false, nil
}

// add stores a supplied or imported secret with a fresh ID; plain, when
// known, is sealed if sealing is on.
func (r *Registry) add(ctx context.Context, who *Principal, clientID string, kind SecretKind, hash, plain string, opts []SecretOption) (Secret, error) {
	if err := r.refuseIfGeneratedOnly(kind); err != nil {
		return Secret{}, err
	}
	o, err := newSecretOptions(opts)
	if err == nil {
		err = o.onlyForSecrets()
	}
	if err != nil {
		return Secret{}, err
	}
	added, c, err := r.storeHashed(ctx, who, ActionAddSecret, clientID, kind, hash, plain, o,
		func(p RotationPolicy, c *Client, s Secret, now time.Time) error { return p.addIn(c, s, now) })
	if err != nil {
		return Secret{}, err
	}
	event := EventSecretAdded
	if kind == SecretImported {
		event = EventSecretImported
	}
	r.emitChange(ctx, who, event, c, added.ID)
	return added, nil
}

// storeHashed records a secret whose hash the caller computed (supplied or
// imported) under a fresh secret ID: it seals plain when known and sealing is
// on, lets place put the record into the client under the client's policy,
// drops dead records beyond the bound, and writes the client with a's
// access check. It serves RotateSecretTo, AddSecret and ImportSecret.
func (r *Registry) storeHashed(ctx context.Context, who *Principal, a Action, clientID string, kind SecretKind, hash, plain string, o secretOptions,
	place func(p RotationPolicy, c *Client, s Secret, now time.Time) error) (Secret, *Client, error) {
	_, id, err := generateSecret("")
	if err != nil {
		return Secret{}, nil, err
	}
	var added Secret
	c, err := r.mutate(ctx, who, a, clientID, func(c *Client, now time.Time) error {
		if err := usesSecrets(c); err != nil {
			return err
		}
		p := r.policyFor(c)
		s, err := r.hashedRecord(p, now, o, c.ID, id, kind, hash, plain)
		if err != nil {
			return err
		}
		if err := place(p, c, s, now); err != nil {
			return err
		}
		pruneInactive(c, now)
		added = s
		return nil
	})
	return added, c, err
}

// hashedRecord builds the record of a supplied or imported secret of client
// clientID whose hash the caller computed, sealing plain when it is known
// and sealing is on.
func (r *Registry) hashedRecord(p RotationPolicy, now time.Time, o secretOptions, clientID, id string, kind SecretKind, hash, plain string) (Secret, error) {
	s, err := r.newSecretRecord(p, now, o, id, kind)
	if err != nil {
		return Secret{}, err
	}
	s.Hash = Conceal(hash)
	if plain != "" {
		if s.Sealed, err = r.sealFor(clientID, id, plain); err != nil {
			return Secret{}, err
		}
	}
	return s, nil
}

// ExpiringSecrets lists the active secrets, across all clients, that expire
// within the given duration from now, soonest first: the input of an
// "expiring soon" notification job.
func (r *Registry) ExpiringSecrets(ctx context.Context, within time.Duration) ([]ExpiringSecret, error) {
	now := r.now()
	out, err := r.store.SecretsExpiring(ctx, now, now.Add(within))
	if err != nil {
		return nil, fmt.Errorf("oauthreg: expiring secrets: %w", err)
	}
	return out, nil
}

// refuseIfGeneratedOnly refuses supplied and imported secrets under
// WithGeneratedSecretsOnly, before any hashing.
func (r *Registry) refuseIfGeneratedOnly(kind SecretKind) error {
	if r.cfg.generatedOnly {
		return fmt.Errorf("%w: this registry accepts only generated secrets (WithGeneratedSecretsOnly); a %s secret could never authenticate",
			ErrInvalidConfig, kind)
	}
	return nil
}
