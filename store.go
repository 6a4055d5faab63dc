package oauthreg

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors every Store returns (possibly wrapped), so callers and the
// Registry can test for them with errors.Is.
var (
	// ErrNotFound: no client with that ID.
	ErrNotFound = errors.New("oauthreg: client not found")
	// ErrAlreadyExists: CreateClient with an ID that is taken.
	ErrAlreadyExists = errors.New("oauthreg: client already exists")
	// ErrConflict: UpdateClient with a Version that is not the stored one,
	// because another writer changed the client in between. Re-read the
	// client, re-apply the change and try again; Registry.Update does this
	// for you.
	ErrConflict = errors.New("oauthreg: client was changed concurrently (version conflict)")
)

// Store keeps clients. A client is one aggregate: its secrets are stored and
// changed together with it, so a rotation is one atomic UpdateClient.
//
// Implementations must be safe for concurrent use, must never hand out a
// pointer to their own state (callers may modify what they get), must keep
// times to at least the microsecond and the order of Client.Secrets, must
// return errors that wrap the sentinels below (and ctx.Err() for a done
// context), and must pass the conformance suite in package storetest. Secrets reach a Store only
// as hashes; a Store never sees a plaintext.
//
// Most users never call a Store directly: they pass one to New and use the
// Registry.
//
// Wrapping a Store: the Registry also uses optional interfaces when the
// Store has them (ClientViewer on the authentication path, ClientModifier
// for every change of a client, SecretLocator, VersionedDeleter,
// BatchCreator). A wrapper that embeds another Store inherits those
// methods, so overriding GetClient alone does not intercept Authenticate's
// reads (ViewClient is promoted past it). Override the optional methods
// too, or wrap without embedding and implement exactly the interfaces you
// forward.
type Store interface {
	// CreateClient stores a new client. It sets c.Version to 1 on success.
	// It returns ErrAlreadyExists if the ID is taken. IDs and owners are
	// compared as exact bytes ("a", "A" and "a " are three clients); an
	// empty ID, and one that is not valid UTF-8 or holds a NUL byte, is
	// refused. The other methods answer such an ID with ErrNotFound.
	CreateClient(ctx context.Context, c *Client) error

	// GetClient returns a copy of the client with its secrets, or
	// ErrNotFound. It is on the authentication hot path; it may return the
	// bare sentinel (callers add the ID to messages). It should cost the
	// same whether the client exists or not (read and decode a decoy on a
	// miss), or the time of Authenticate tells which client IDs exist;
	// memstore and sqlstore do.
	GetClient(ctx context.Context, id string) (*Client, error)

	// UpdateClient replaces the stored client and its secrets, if and only if
	// the stored Version equals c.Version. On success the stored version is
	// c.Version+1 and c.Version is set to it. It returns ErrConflict if the
	// versions differ and ErrNotFound if the client does not exist.
	//
	// Last-used times are written only by TouchClient: UpdateClient keeps the
	// stored LastUsedAt of the client and of every secret still present
	// (a new secret starts with none), whatever c holds, so an update made
	// from a copy read before an authentication does not undo its record.
	UpdateClient(ctx context.Context, c *Client) error

	// DeleteClient removes a client and its secrets, or returns ErrNotFound.
	DeleteClient(ctx context.Context, id string) error

	// ListClients returns one page of clients ordered by ID (byte order),
	// optionally only those of one owner. Pages are keyset-paginated: a
	// client added or removed while a caller pages through never causes
	// another client to be skipped or listed twice.
	ListClients(ctx context.Context, q ListQuery) (ClientPage, error)

	// TouchClient records that secretID of clientID was used at time at: it
	// sets the client's and the secret's LastUsedAt without changing the
	// client's Version (a concurrent update must not fail because of it). It
	// returns ErrNotFound if the client does not exist; an unknown secretID is
	// not an error (the secret may have been revoked in between) and may or
	// may not move the client's LastUsedAt.
	TouchClient(ctx context.Context, clientID, secretID string, at time.Time) error

	// SecretsExpiring returns the secrets, across all clients, that are not
	// revoked and whose ExpiresAt lies in the half-open interval (after,
	// notAfter], ordered by ExpiresAt, then client ID, then secret ID.
	// Secrets that never expire are not included.
	SecretsExpiring(ctx context.Context, after, notAfter time.Time) ([]ExpiringSecret, error)
}

// VersionedDeleter is an optional Store interface: DeleteClientAt deletes a
// client only if its stored Version is version, and returns ErrConflict
// (changing nothing) if it is not, or ErrNotFound. Scoped deletes use it, so
// a client moved out of the principal's reach between the access check and
// the delete is not deleted; with a Store that lacks it, the check and the
// delete are two steps. memstore and sqlstore implement it.
type VersionedDeleter interface {
	DeleteClientAt(ctx context.Context, id string, version int64) error
}

// BatchCreator is an optional Store interface: CreateClients stores every
// client of cs, or none of them, in one atomic write (Registry.ImportClients
// uses it). Each client is checked and stored as CreateClient would; on
// success each is stored at Version 1 and its Version set to 1. If any ID
// is taken, or two clients of cs share an ID, it returns an error wrapping
// ErrAlreadyExists (naming the ID) and stores nothing; any other refusal
// (a nil client, an empty or unstorable ID, more than MaxImportClients
// clients, a done context) stores nothing either. An empty cs does nothing.
// memstore (under one lock) and sqlstore (in one transaction) implement it,
// and storetest checks it for every store that does.
type BatchCreator interface {
	CreateClients(ctx context.Context, cs []*Client) error
}

// SecretLocator is an optional Store interface: ClientsWithSecret returns
// the IDs of the clients that hold a secret record with the given secret ID
// (in any state), in byte order, at most MaxSecretLocatorResults of them, or
// none. Secret IDs are 80 random bits, so in practice there is one client or
// none; the list allows for copies made between stores. It answers from an
// index, never a scan: Registry.RevokeLeaked calls it with IDs taken from
// untrusted input. memstore and sqlstore implement it, and storetest checks
// it for every store that does.
type SecretLocator interface {
	ClientsWithSecret(ctx context.Context, secretID string) ([]string, error)
}

// MaxSecretLocatorResults bounds what SecretLocator.ClientsWithSecret
// returns.
const MaxSecretLocatorResults = 8

// ListQuery selects a page of clients for Store.ListClients and
// Registry.List. Every filter that is set must hold (they combine with AND);
// the zero value lists every client. Whatever the filters, clients come in
// ID order and pages are keyset-paginated, so a deep page costs what the
// first one does. Matches says exactly which clients a query selects.
//
// memstore and sqlstore read a page from the narrowest index the query
// allows (a tag, the owner, the disabled clients) and check the other
// filters on each client they meet: a page costs its matches and the
// clients skipped between them. A combination that almost no client passes
// (a common tag, enabled, unused for a year) may scan the whole tag or
// owner before its last page; on 100,000 clients about 0.3 s per page on
// PostgreSQL and MySQL.
type ListQuery struct {
	// Owner, if not empty, keeps only clients whose Owner equals it.
	Owner string
	// SystemTag, if not empty, keeps only clients with that exact string
	// among their SystemTags (system tags as the ZStack cloud platform keeps
	// them).
	SystemTag string
	// UserTag, if not empty, keeps only clients with that exact string
	// among their UserTags.
	UserTag string
	// NamePrefix, if not empty, keeps only clients whose Name starts with
	// it, compared byte for byte (case-sensitive). A prefix that is not
	// valid UTF-8 (half a character) matches nothing.
	NamePrefix string
	// Disabled, if not nil, keeps only clients whose Disabled equals
	// *Disabled (use OnlyDisabled and OnlyEnabled).
	Disabled *bool
	// NotUsedSince, if not zero, keeps only stale clients: those whose
	// LastUsedAt is before it, and those never used (zero LastUsedAt)
	// that were created before it. A client registered after NotUsedSince
	// and not used yet is not stale.
	NotUsedSince time.Time
	// Cursor is ClientPage.NextCursor from the previous page, or empty for
	// the first page. It is opaque: pass it back unchanged, with the same
	// filters.
	Cursor string
	// Limit is the page size. Zero means DefaultPageSize; values above
	// MaxPageSize are reduced to it.
	Limit int
}

// OnlyDisabled and OnlyEnabled are the values of ListQuery.Disabled that
// keep only disabled, or only enabled, clients.
var (
	OnlyDisabled = func() *bool { b := true; return &b }()
	OnlyEnabled  = func() *bool { b := false; return &b }()
)

// Matches reports whether c passes every filter of q (the cursor and the
// limit aside). It is the definition the stores implement, and what a
// store without indexes may use to filter.
func (q ListQuery) Matches(c *Client) bool {
	switch {
	case q.Owner != "" && c.Owner != q.Owner,
		q.SystemTag != "" && !slices.Contains(c.SystemTags, q.SystemTag),
		q.UserTag != "" && !slices.Contains(c.UserTags, q.UserTag),
		q.NamePrefix != "" && (!strings.HasPrefix(c.Name, q.NamePrefix) || !utf8.ValidString(q.NamePrefix)),
		q.Disabled != nil && c.Disabled != *q.Disabled:
		return false
	}
	return q.NotUsedSince.IsZero() || c.StaleAt(q.NotUsedSince)
}

// StaleAt reports whether c was not used since t: its LastUsedAt is before
// t, or it was never used and was created before t.
func (c *Client) StaleAt(t time.Time) bool {
	if !c.LastUsedAt.IsZero() {
		return c.LastUsedAt.Before(t)
	}
	return c.CreatedAt.Before(t)
}

// Page size bounds for ListQuery.Limit.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// EffectiveLimit returns the page size a Store must use for q: Limit bounded
// to [1, MaxPageSize], with DefaultPageSize for zero or negative values.
func (q ListQuery) EffectiveLimit() int {
	switch {
	case q.Limit <= 0:
		return DefaultPageSize
	case q.Limit > MaxPageSize:
		return MaxPageSize
	default:
		return q.Limit
	}
}

// ClientPage is one page of a client listing.
type ClientPage struct {
	// Clients on this page, in ID order.
	Clients []*Client
	// NextCursor continues the listing; it is empty on the last page.
	NextCursor string
}

// ExpiringSecret names a secret that will expire, as returned by
// Store.SecretsExpiring and Registry.ExpiringSecrets.
type ExpiringSecret struct {
	ClientID  string    `json:"client_id"`
	Owner     string    `json:"owner,omitempty"`
	SecretID  string    `json:"secret_id"`
	Hint      string    `json:"hint,omitempty"`
	ExpiresAt time.Time `json:"expires_at"`
}

// ErrUnavailable is wrapped by a Store's error when the backend could not
// serve the call for a transient reason: a database too busy or contended,
// a lost connection, a server shutting down or refusing connections, after
// the Store's own retries. Retry later, or answer 503. Nothing was changed,
// unless the error also says that the outcome of a write is unknown (the
// connection was lost after the write was sent and the Store could not
// settle it, sqlstore.ErrOutcomeUnknown): then re-read before repeating the
// change. sqlstore's ErrRetriesExhausted and ErrOutcomeUnknown wrap it.
var ErrUnavailable = errors.New("oauthreg: store temporarily unavailable")

// ErrInvalidCursor is returned by ListClients when ListQuery.Cursor was not
// produced by the same store (or was altered).
var ErrInvalidCursor = errors.New("oauthreg: invalid list cursor")
