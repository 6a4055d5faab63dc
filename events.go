package oauthreg

import (
	"context"
	"log/slog"
	"time"
)

// EventType names what happened.
type EventType string

// Event types. Changes are reported after they are committed; authentications
// after they are decided.
const (
	EventClientCreated EventType = "client.created"
	EventClientUpdated EventType = "client.updated"
	EventClientDeleted EventType = "client.deleted"

	// EventSecretIssued: the first secret, issued by Register.
	EventSecretIssued      EventType = "secret.issued"
	EventSecretRotated     EventType = "secret.rotated"
	EventSecretRegenerated EventType = "secret.regenerated"
	EventSecretRevoked     EventType = "secret.revoked"
	// EventRegistrationTokenIssued: a client got a new RFC 7592
	// registration access token (at registration, or a rotation); any
	// previous one stopped working.
	EventRegistrationTokenIssued EventType = "registration_token.issued"
	// EventSecretLeaked: RevokeLeaked verified a reported secret (and, if it
	// was still active, revoked it: EventSecretRevoked follows).
	EventSecretLeaked EventType = "secret.leaked"
	// EventSecretAdded: AddSecret stored a secret an administrator supplied.
	EventSecretAdded    EventType = "secret.added"
	EventSecretImported EventType = "secret.imported"
	// EventSecretShortLegacy: a secret shorter than MinSuppliedSecretLen
	// was stored under AllowShortLegacySecret (reported besides
	// EventSecretAdded): a weak secret to rotate soon.
	EventSecretShortLegacy EventType = "secret.short_legacy"
	EventSecretRevealed    EventType = "secret.revealed"
	// EventSecretUpgraded: an outdated hash was replaced after a successful
	// authentication (a bcrypt or PBKDF2 import moved to argon2id, a new
	// pepper), or the secret was sealed for the first time.
	EventSecretUpgraded EventType = "secret.upgraded"
	// EventSecretResealed: Reseal moved the sealed copy to the primary key.
	EventSecretResealed EventType = "secret.resealed"
	// EventSecretPurged: PurgeExpired removed a long-expired record.
	EventSecretPurged EventType = "secret.purged"

	EventAuthSucceeded EventType = "auth.succeeded"
	// EventAuthFailed carries the internal Reason, which Authenticate's
	// caller never sees.
	EventAuthFailed EventType = "auth.failed"
	// EventGraceSecretUsed: a secret that is being phased out (it has an
	// expiry and a newer secret exists, as after a rotation) authenticated:
	// a deployment still uses the old secret. Reported besides
	// EventAuthSucceeded.
	EventGraceSecretUsed EventType = "auth.grace_secret_used"
)

// FailureReason is why an authentication failed, for operators only.
type FailureReason string

// Reasons of EventAuthFailed.
const (
	ReasonMalformed     FailureReason = "malformed_secret"
	ReasonUnknownClient FailureReason = "unknown_client"
	ReasonUnknownSecret FailureReason = "unknown_secret"
	ReasonWrongSecret   FailureReason = "wrong_secret"
	// ReasonUnknownPepper: the secret's stored hash was made under a pepper
	// this Registry is not configured with (WithPepper, WithRetiredPepper),
	// so no secret can match it: a configuration mistake, typically a
	// pepper replaced without keeping the old one as a retired pepper.
	ReasonUnknownPepper FailureReason = "unknown_pepper"
	// ReasonUnknownSpringSecret: no active secret matched, and one of them
	// is a Spring PBKDF2 hash (ImportSecret with WithSpringPBKDF2) naming an
	// encoder secret this Registry is not configured with
	// (WithSpringPBKDF2Secret), so it could not be tried: a configuration
	// mistake.
	ReasonUnknownSpringSecret FailureReason = "unknown_spring_secret"
	ReasonExpired             FailureReason = "expired_secret"
	ReasonRevoked             FailureReason = "revoked_secret"
	ReasonDisabled            FailureReason = "client_disabled"
	// ReasonNoSecrets: the client is public or registered for a method
	// that does not send the secret as a password (client_secret_jwt,
	// private_key_jwt, mTLS). It is reported whatever the presented secret
	// is, before any reason about the secret itself.
	ReasonNoSecrets FailureReason = "client_uses_no_secret"
	// ReasonWrongMethod: AuthenticateWith was told the request used
	// another method than the one the client registered.
	ReasonWrongMethod FailureReason = "wrong_auth_method"
)

// Event is what the Registry reports to its observers. It names who did
// what to which client and secret, and when; it never holds a plaintext, a
// hash or a sealed value.
type Event struct {
	Type EventType
	Time time.Time
	// Actor is the principal of a Scoped call (Principal.String()), or ""
	// for a call through the Registry itself (trusted code).
	Actor    string
	ClientID string
	// Owner is the client's organization, when known.
	Owner string
	// SecretID is the secret concerned, when there is one.
	SecretID string
	// Version is the client's version after a change (0 for
	// authentications).
	Version int64
	// Reason is set for EventAuthFailed.
	Reason FailureReason
	// Method is the token endpoint authentication method of an
	// authentication event, when the caller said which one the request used
	// (AuthenticateWith, ReportAuthentication); "" otherwise.
	Method AuthMethod
}

// Observer receives the Registry's events (WithObserver).
//
// Observers are called synchronously, in the goroutine of the call that
// caused the event, after the change is committed and in commit order for
// that call. An observer therefore cannot undo or corrupt a change: a slow
// observer only delays the call's return (buffer in the observer if its sink
// is slow), and a panicking observer is recovered and ignored (the call
// still succeeds; the event is lost for that observer). Authentications
// produce an event each, so keep Observe cheap.
type Observer interface {
	Observe(ctx context.Context, e Event)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(ctx context.Context, e Event)

// Observe calls f.
func (f ObserverFunc) Observe(ctx context.Context, e Event) { f(ctx, e) }

// WithObserver adds an observer of the Registry's events. It may be given
// more than once; observers are called in the order given.
func WithObserver(o Observer) Option {
	return func(c *config) {
		if o != nil {
			c.observers = append(c.observers, o)
		}
	}
}

// emit hands e to every observer, recovering from their panics.
func (r *Registry) emit(ctx context.Context, e Event) {
	for _, o := range r.cfg.observers {
		func() {
			defer func() { _ = recover() }()
			o.Observe(ctx, e)
		}()
	}
}

// SlogObserver returns an Observer that writes each event to logger:
// failed authentications and short legacy secrets at Warn, everything else
// at Info, under the
// message "oauthreg" with the event's fields as attributes.
func SlogObserver(logger *slog.Logger) Observer {
	return ObserverFunc(func(ctx context.Context, e Event) {
		level := slog.LevelInfo
		if e.Type == EventAuthFailed || e.Type == EventSecretShortLegacy {
			level = slog.LevelWarn
		}
		if !logger.Enabled(ctx, level) {
			return
		}
		attrs := make([]slog.Attr, 0, 8)
		attrs = append(attrs, slog.String("event", string(e.Type)), slog.String("client_id", e.ClientID))
		if e.Owner != "" {
			attrs = append(attrs, slog.String("owner", e.Owner))
		}
		if e.SecretID != "" {
			attrs = append(attrs, slog.String("secret_id", e.SecretID))
		}
		if e.Actor != "" {
			attrs = append(attrs, slog.String("actor", e.Actor))
		}
		if e.Version != 0 {
			attrs = append(attrs, slog.Int64("version", e.Version))
		}
		if e.Reason != "" {
			attrs = append(attrs, slog.String("reason", string(e.Reason)))
		}
		if e.Method != "" {
			attrs = append(attrs, slog.String("method", string(e.Method)))
		}
		attrs = append(attrs, slog.Time("at", e.Time))
		logger.LogAttrs(ctx, level, "oauthreg", attrs...)
	})
}
