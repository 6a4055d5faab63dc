package oauthreg

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"time"

	"github.com/google/uuid"
)

// Registry is the entry point of the library: it registers clients, issues,
// rotates and revokes their secrets, and authenticates them, keeping
// everything in a Store.
//
// A Registry is safe for concurrent use by many goroutines, and several
// Registries (in several processes) may share one Store: changes use the
// Store's optimistic concurrency and are re-applied on conflict. It starts no
// goroutines: expiry is evaluated against its clock when a secret is used.
type Registry struct {
	store    Store
	cfg      config
	hasher   *hasher
	lastUsed lastUsedGate
	cursors  *cursorSealer
}

// New returns a Registry over store. Options set the clock, the rotation
// policy, token lifetimes, the secret prefix, a pepper and limits. It returns
// an error wrapping ErrInvalidConfig when an option is invalid.
func New(store Store, opts ...Option) (*Registry, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if store == nil {
		cfg.errs = append(cfg.errs, fmt.Errorf("%w: New: nil Store (use memstore.New() or sqlstore.New(...))", ErrInvalidConfig))
	}
	if err := errors.Join(cfg.errs...); err != nil {
		return nil, err
	}
	h, err := newHasher(cfg.hash)
	if err != nil {
		return nil, err
	}
	h.onWait = slowHashWaitReporter(cfg.observers)
	cursors, err := newCursorSealer(cfg.cursorKey)
	if err != nil {
		return nil, err
	}
	// The hasher keeps SHA-256 states derived from the peppers only; the pepper bytes (copies
	// the options made) are wiped, so no dump of the Registry can show them.
	clear(cfg.hash.Pepper)
	for _, k := range cfg.hash.RetiredPeppers {
		clear(k)
	}
	cfg.hash.Pepper, cfg.hash.RetiredPeppers = nil, nil
	clear(cfg.cursorKey) // likewise: the cursor sealer keeps its own AEAD
	cfg.cursorKey = nil
	return &Registry{store: store, cfg: cfg, hasher: h, cursors: cursors}, nil
}

// Store returns the Store the Registry keeps its clients in.
func (r *Registry) Store() Store { return r.store }

// now returns the Registry's current time in UTC, truncated to microseconds
// so that it survives a round trip through every Store.
func (r *Registry) now() time.Time { return r.cfg.now().UTC().Truncate(time.Microsecond) }

// policyFor returns the rotation policy that applies to c.
func (r *Registry) policyFor(c *Client) RotationPolicy {
	if c.RotationPolicy != nil {
		return *c.RotationPolicy
	}
	return r.cfg.policy
}

// Register validates a new client, fills in defaults, and stores it. It
// returns the stored client and, for a confidential client that
// authenticates with a secret, its first secret in plaintext: show it to the
// client's owner once, it cannot be read again (unless sealing is on).
//
// Defaults: a generated ID (UUIDv7) when c.ID is empty; the auth method
// client_secret_basic, or none for a public client (a client registered with
// method none is public); grant types authorization_code when there are
// redirect URIs and client_credentials otherwise; response type code with
// authorization_code. Token lifetimes left zero are not filled in: they
// inherit the Registry's defaults, which EffectiveTokenLifetime reports (the
// deprecated AccessTokenTTL and RefreshTokenTTL are moved into Lifetimes).
//
// Invalid metadata yields a *ValidationError (errors.Is(err,
// ErrInvalidClientMetadata) or ErrInvalidRedirectURI) and stores nothing. A
// taken ID yields ErrAlreadyExists. Secrets or RegistrationTokenHash set in
// c yield ErrInvalidUpdate (the Registry issues both), and a secret option
// it cannot apply (WithSecretExpiry not in the future, WithSecretLifetime
// not positive, WithSecretDescription too long) ErrInvalidSecret;
// WithSpringPBKDF2 (an option of ImportSecret only) is ErrInvalidConfig.
// Like every call that reaches the store, it may also fail with the store's
// errors: ErrUnavailable, a context error, or another failure (see
// HTTPStatus for the status of each).
func (r *Registry) Register(ctx context.Context, c Client, opts ...SecretOption) (*Client, PlainSecret, error) {
	return r.register(ctx, nil, c, opts)
}

func (r *Registry) register(ctx context.Context, who *Principal, c Client, opts []SecretOption) (*Client, PlainSecret, error) {
	if len(c.Secrets) > 0 {
		return nil, PlainSecret{}, fmt.Errorf("%w: Register issues the first secret itself; leave Secrets empty and use AddSecret or ImportSecret afterwards",
			ErrInvalidUpdate)
	}
	so, err := newSecretOptions(opts)
	if err != nil {
		return nil, PlainSecret{}, err
	}
	cl := c.Clone()
	now := r.now()
	if cl.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return nil, PlainSecret{}, fmt.Errorf("oauthreg: generating client ID: %w", err)
		}
		cl.ID = id.String()
	}
	if who != nil && !who.Client && cl.Owner == "" {
		cl.Owner = who.Org
	}
	r.applyDefaults(cl)
	foldLegacyTTLs(cl)
	cl.CreatedAt, cl.UpdatedAt, cl.LastUsedAt, cl.Version = now, now, time.Time{}, 0
	if err := validateClient(cl, r.validateOptions()); err != nil {
		return nil, PlainSecret{}, err
	}
	if err := r.authorize(ctx, who, ActionCreate, cl); err != nil {
		return nil, PlainSecret{}, err
	}
	if cl.RegistrationTokenHash != "" {
		return nil, PlainSecret{}, fmt.Errorf("%w: Register issues the registration access token itself (WithRegistrationToken); leave RegistrationTokenHash empty",
			ErrInvalidUpdate)
	}
	var token PlainSecret
	if so.regToken != nil {
		if token, cl.RegistrationTokenHash, err = r.newRegistrationToken(); err != nil {
			return nil, PlainSecret{}, err
		}
	}
	var plain PlainSecret
	if cl.TokenEndpointAuthMethod.UsesSecret() {
		s, p, err := r.newGeneratedSecret(cl.ID, r.policyFor(cl), now, so)
		if err != nil {
			return nil, PlainSecret{}, err
		}
		cl.Secrets = []Secret{s}
		plain = p
	}
	if err := r.store.CreateClient(ctx, cl); err != nil {
		return nil, PlainSecret{}, wrapInputError("register client", cl.ID, err)
	}
	r.emitChange(ctx, who, EventClientCreated, cl, "")
	if !plain.IsZero() {
		r.emitChange(ctx, who, EventSecretIssued, cl, plain.ID())
	}
	if so.regToken != nil {
		*so.regToken = token
		r.emitChange(ctx, who, EventRegistrationTokenIssued, cl, "")
	}
	return cl.Clone(), plain, nil
}

// applyDefaults fills the fields Register defaults.
func (r *Registry) applyDefaults(c *Client) {
	if c.TokenEndpointAuthMethod == AuthNone {
		c.Public = true
	}
	if c.TokenEndpointAuthMethod == "" {
		if c.Public {
			c.TokenEndpointAuthMethod = AuthNone
		} else {
			c.TokenEndpointAuthMethod = AuthClientSecretBasic
		}
	}
	if len(c.GrantTypes) == 0 {
		if len(c.RedirectURIs) > 0 || c.Public {
			c.GrantTypes = []GrantType{GrantAuthorizationCode}
		} else {
			c.GrantTypes = []GrantType{GrantClientCredentials}
		}
	}
	if len(c.ResponseTypes) == 0 && c.HasGrantType(GrantAuthorizationCode) {
		c.ResponseTypes = []ResponseType{ResponseCode}
	}
}

// foldLegacyTTLs moves the deprecated AccessTokenTTL and RefreshTokenTTL
// into Lifetimes where Lifetimes has no value, then makes them mirror it.
func foldLegacyTTLs(c *Client) {
	if c.Lifetimes.AccessToken == 0 {
		c.Lifetimes.AccessToken = c.AccessTokenTTL
	}
	if c.Lifetimes.RefreshToken == 0 {
		c.Lifetimes.RefreshToken = c.RefreshTokenTTL
	}
	c.AccessTokenTTL, c.RefreshTokenTTL = c.Lifetimes.AccessToken, c.Lifetimes.RefreshToken
}

// foldChangedLegacyTTLs is foldLegacyTTLs after an Update's function ran on
// a folded client: an alias the function changed, while leaving its
// Lifetimes member alone, is the new value.
func foldChangedLegacyTTLs(before, c *Client) {
	if c.AccessTokenTTL != before.AccessTokenTTL && c.Lifetimes.AccessToken == before.Lifetimes.AccessToken {
		c.Lifetimes.AccessToken = c.AccessTokenTTL
	}
	if c.RefreshTokenTTL != before.RefreshTokenTTL && c.Lifetimes.RefreshToken == before.Lifetimes.RefreshToken {
		c.Lifetimes.RefreshToken = c.RefreshTokenTTL
	}
	c.AccessTokenTTL, c.RefreshTokenTTL = c.Lifetimes.AccessToken, c.Lifetimes.RefreshToken
}

func (r *Registry) validateOptions() validateOptions {
	return validateOptions{SecretsRetrievable: r.sealing(), KeySets: r.cfg.keySets}
}

// authorize applies the organization rule and the access policy to a call
// by who (nil: the trusted Registry itself, always allowed). A client the
// principal cannot reach is reported as not found, so its existence does not
// leak; one it can reach but may not act on is ErrForbidden.
func (r *Registry) authorize(ctx context.Context, who *Principal, a Action, c *Client) error {
	if who == nil {
		return nil
	}
	reach := who.Client && c.ID == who.Subject
	if !who.Client {
		ok, err := orgReaches(ctx, r.cfg.orgs, who.Org, c.Owner)
		if err != nil {
			return err
		}
		reach = ok
	}
	if !reach {
		return fmt.Errorf("oauthreg: client %q: %w", SanitizeInput(c.ID), ErrNotFound)
	}
	// The policy sees the rotation policy in force, the Registry's when the
	// client has none of its own (OwnerOnlyRotation may be set either way).
	view := *c
	effective := r.policyFor(c)
	view.RotationPolicy = &effective
	if err := r.cfg.access.Allow(ctx, *who, a, &view); err != nil {
		if !errors.Is(err, ErrForbidden) {
			err = fmt.Errorf("%w: %w", ErrForbidden, err)
		}
		return err
	}
	return nil
}

// emitChange reports a committed change of c.
func (r *Registry) emitChange(ctx context.Context, who *Principal, t EventType, c *Client, secretID string) {
	if len(r.cfg.observers) == 0 {
		return
	}
	r.emit(ctx, Event{Type: t, Time: r.now(), Actor: actorOf(who), ClientID: c.ID, Owner: c.Owner, SecretID: secretID, Version: c.Version})
}

func actorOf(who *Principal) string {
	if who == nil {
		return ""
	}
	return who.String()
}

// Get returns the client with the given ID, or an error matching
// ErrNotFound (also for an ID no client can have, see ValidClientID).
func (r *Registry) Get(ctx context.Context, id string) (*Client, error) {
	return r.get(ctx, nil, id)
}

func (r *Registry) get(ctx context.Context, who *Principal, id string) (*Client, error) {
	c, err := r.getClient(ctx, id)
	if err != nil {
		return nil, wrapInputError("get client", id, err)
	}
	if err := r.authorize(ctx, who, ActionRead, c); err != nil {
		return nil, err
	}
	return c, nil
}

// List returns one page of clients in ID order (creation order for generated
// IDs) that pass the query's filters: owner, system or user tag, name
// prefix, disabled, not used since (see ListQuery). Pass the returned
// NextCursor in the next query's Cursor, with the same filters, to continue;
// it is empty on the last page. Every page costs about the same, however
// deep (keyset pagination over indexes in memstore and sqlstore). A Cursor
// the store did not hand out fails with ErrInvalidCursor.
func (r *Registry) List(ctx context.Context, q ListQuery) (ClientPage, error) {
	p, err := r.store.ListClients(ctx, q)
	if err != nil {
		return ClientPage{}, fmt.Errorf("oauthreg: list clients: %w", err)
	}
	return p, nil
}

// Delete removes a client and all its secrets, or returns an error matching
// ErrNotFound. With a Store that is a VersionedDeleter, a client other
// writers kept changing through every WithMaxUpdateAttempts attempt is
// ErrConflict.
func (r *Registry) Delete(ctx context.Context, id string) error {
	return r.delete(ctx, nil, id)
}

// delete reads the client, checks access, and deletes it. With a Store that
// implements VersionedDeleter, the delete applies only to the version that
// was checked, and is retried on a fresh read if the client changed.
func (r *Registry) delete(ctx context.Context, who *Principal, id string) error {
	vd, versioned := r.store.(VersionedDeleter)
	return r.retryConflicts(ctx, "delete", id, func() error {
		c, err := r.getClient(ctx, id)
		if err != nil {
			return wrapInputError("delete client", id, err)
		}
		if err := r.authorize(ctx, who, ActionDelete, c); err != nil {
			return err
		}
		if versioned {
			err = vd.DeleteClientAt(ctx, id, c.Version)
		} else {
			err = r.store.DeleteClient(ctx, id)
		}
		if err != nil {
			return wrapInputError("delete client", id, err)
		}
		c.Version = 0
		r.emitChange(ctx, who, EventClientDeleted, c, "")
		return nil
	})
}

// Update changes a client's metadata: it reads the client, calls fn on a copy,
// validates the result and stores it. If another writer changed the client in
// between, it re-reads and calls fn again (so fn must not have side effects
// beyond its argument), up to WithMaxUpdateAttempts times.
//
// fn may change any metadata; changing the ID, Secrets, CreatedAt or Version
// fails with ErrInvalidUpdate (use the secret methods for secrets). Fields
// left empty get Register's defaults; a zero token lifetime inherits the
// Registry's default (see EffectiveTokenLifetime). An error
// returned by fn is returned as is and nothing is stored. It returns the
// stored client.
//
// Errors: ErrNotFound; ErrInvalidUpdate; a *ValidationError when the result
// is not a valid client; ErrConflict when other writers kept changing the
// client through every attempt.
func (r *Registry) Update(ctx context.Context, id string, fn func(*Client) error) (*Client, error) {
	return r.update(ctx, nil, id, fn)
}

func (r *Registry) update(ctx context.Context, who *Principal, id string, fn func(*Client) error) (*Client, error) {
	if fn == nil {
		return nil, fmt.Errorf("%w: Update needs a function that changes the client", ErrInvalidUpdate)
	}
	c, err := r.mutate(ctx, who, ActionUpdate, id, func(c *Client, now time.Time) error {
		foldLegacyTTLs(c)
		before := c.Clone()
		if err := fn(c); err != nil {
			return err
		}
		foldChangedLegacyTTLs(before, c)
		switch {
		case c.ID != before.ID:
			return fmt.Errorf("%w: the client ID cannot change (%q to %q)", ErrInvalidUpdate, SanitizeInput(before.ID), SanitizeInput(c.ID))
		case !c.CreatedAt.Equal(before.CreatedAt):
			return fmt.Errorf("%w: CreatedAt cannot change", ErrInvalidUpdate)
		case c.Version != before.Version:
			return fmt.Errorf("%w: Version is set by the store", ErrInvalidUpdate)
		case c.RegistrationTokenHash != before.RegistrationTokenHash:
			return fmt.Errorf("%w: the registration access token changes only through RotateRegistrationToken", ErrInvalidUpdate)
		case !reflect.DeepEqual(c.Secrets, before.Secrets):
			return fmt.Errorf("%w: secrets change only through RotateSecret, RegenerateSecret, RevokeSecret, AddSecret and ImportSecret", ErrInvalidUpdate)
		}
		r.applyDefaults(c) // as Register does
		c.LastUsedAt = before.LastUsedAt
		if err := validateClient(c, r.validateOptions()); err != nil {
			return err
		}
		// The principal must be allowed the result too (and, when the
		// client moves, reach its new owner).
		return r.authorize(ctx, who, ActionUpdate, c)
	})
	if err != nil {
		return nil, err
	}
	r.emitChange(ctx, who, EventClientUpdated, c, "")
	return c, nil
}

// mutate is the read-modify-write loop behind every change: it reads the
// client, applies change to it, stamps UpdatedAt and stores it with the
// version it read; on ErrConflict it starts over with a fresh read.
//
// who and action are checked against each fresh read, so a client moved out
// of the principal's reach in between is not changed. Over a Store that is
// a ClientModifier the read, the checks and the write are one call (see
// modify).
func (r *Registry) mutate(ctx context.Context, who *Principal, action Action, id string, change func(c *Client, now time.Time) error) (*Client, error) {
	if m, ok := r.store.(ClientModifier); ok {
		return r.modify(ctx, m, who, action, id, change)
	}
	var stored *Client
	err := r.retryConflicts(ctx, "update", id, func() error {
		c, err := r.getClient(ctx, id)
		if err != nil {
			return wrapInputError("client", id, err)
		}
		if err := r.authorize(ctx, who, action, c); err != nil {
			return err
		}
		now := r.now()
		if err := change(c, now); err != nil {
			return err
		}
		c.UpdatedAt = now
		if err := r.store.UpdateClient(ctx, c); err != nil {
			return wrapInputError("update client", id, err)
		}
		stored = c
		return nil
	})
	return stored, err
}

// modify is mutate over a Store that is a ClientModifier: the read, the
// checks, change and the write are one ModifyClient, which the store makes
// atomic. The checks run inside it, on the client as stored, exactly as
// mutate runs them after its read; an error of theirs or of change is
// returned as is, and nothing is written.
func (r *Registry) modify(ctx context.Context, m ClientModifier, who *Principal, action Action, id string, change func(c *Client, now time.Time) error) (*Client, error) {
	if !ValidClientID(id) {
		return nil, wrapInputError("client", id, fmt.Errorf("%w (not a valid client ID)", ErrNotFound))
	}
	var stored *Client
	err := r.retryConflicts(ctx, "update", id, func() error {
		var refused error // the checks' or change's error, returned as is
		c, err := m.ModifyClient(ctx, id, func(c *Client) error {
			refused = r.authorize(ctx, who, action, c)
			if refused != nil {
				return refused
			}
			now := r.now()
			if refused = change(c, now); refused != nil {
				return refused
			}
			c.UpdatedAt = now
			return nil
		})
		switch {
		case refused != nil && err != nil:
			return refused
		case errors.Is(err, ErrNotFound):
			return wrapInputError("client", id, err)
		case err != nil:
			return wrapInputError("update client", id, err)
		}
		stored = c
		return nil
	})
	return stored, err
}

// retryConflicts runs attempt, a read-check-write of client id, again with a
// short backoff whenever it fails with ErrConflict (another writer changed
// the client in between), up to WithMaxUpdateAttempts times.
func (r *Registry) retryConflicts(ctx context.Context, what, id string, attempt func() error) error {
	var err error
	for n := 0; n < r.cfg.maxUpdateTries; n++ {
		if n > 0 {
			if berr := backoff(ctx, n); berr != nil {
				return berr
			}
		}
		if err = attempt(); !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("oauthreg: %s client %q: gave up after %d attempts, other writers kept changing it: %w",
		what, SanitizeInput(id), r.cfg.maxUpdateTries, err)
}

// backoff sleeps a short, growing, jittered time before a retry.
func backoff(ctx context.Context, attempt int) error {
	maxSleep := time.Duration(1<<min(attempt, 6)) * 100 * time.Microsecond
	t := time.NewTimer(rand.N(maxSleep) + time.Microsecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
