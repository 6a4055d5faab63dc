// Package memstore is an in-memory oauthreg.Store: the default for tests and
// for single-process servers that do not need their clients to survive a
// restart.
//
// A Store is safe for concurrent use. It keeps each client as an
// oauthreg.ClientRecord: a small header that authentication reads, and the
// rest of the client encoded in one byte slice, a few hundred bytes and a
// handful of pointers per client, so that neither the heap nor the garbage
// collector's work grows with everything a client holds. It never hands out
// its own records: CreateClient and UpdateClient encode the client they are
// given, and every read decodes a new one, so callers may modify what they
// pass and what they get. ViewClient hands the Registry a read-only view of
// a record instead: an authentication checks the record's header and
// decodes the record once.
// Times keep their instant to the nanosecond (it is the SQL stores that
// round them), and come back in UTC.
//
// Lookups by ID cost one map access. Listings are keyset-paginated over an
// index kept sorted by ID (and one per owner), so a page costs the same
// whether it is the first or the thousandth, and adding or deleting a client
// never sorts anything.
package memstore

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/maphash"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/oauthreg/oauthreg"
)

// Store is an in-memory oauthreg.Store. Create one with New; the zero value
// is also an empty Store ready to use. A Store must not be copied after first
// use.
type Store struct {
	mu sync.RWMutex
	// clients holds the records by ID. Records are immutable: writers
	// put a new one in place of the old. That lets readers decode a record
	// after releasing the lock.
	clients records
	// all holds every ID; byOwner the IDs of each non-empty owner. An
	// owner's entry is removed when its last client goes.
	all     idIndex
	byOwner map[string]*idIndex
	// byTag holds the IDs of the clients with each system and user tag,
	// disabled the IDs of the disabled clients, bySecret the clients that
	// hold each secret ID (see index.go). Their entries go with the last
	// client.
	byTag    map[tagKey]*idIndex
	disabled idIndex
	bySecret secretIndex
	// seed hashes an unknown ID to the record read in its place (see
	// ViewClient).
	seed maphash.Seed
}

var (
	_ oauthreg.Store            = (*Store)(nil)
	_ oauthreg.VersionedDeleter = (*Store)(nil)
	_ oauthreg.SecretLocator    = (*Store)(nil)
	_ oauthreg.BatchCreator     = (*Store)(nil)
)

// New returns an empty Store.
func New() *Store {
	s := &Store{}
	s.init()
	return s
}

// init makes the maps of a zero Store; the caller holds the write lock.
func (s *Store) init() {
	if s.byOwner == nil {
		s.byOwner = make(map[string]*idIndex)
		s.byTag = make(map[tagKey]*idIndex)
		s.seed = maphash.MakeSeed()
	}
}

// errNilClient and errEmptyID reject input a caller cannot have meant.
var (
	errNilClient = errors.New("memstore: nil client")
	errEmptyID   = errors.New("memstore: client ID is empty")
	// errUnstorableID: an ID no SQL engine could hold either (see
	// storableID); every store refuses it alike.
	errUnstorableID = errors.New("memstore: client ID is not valid UTF-8 without NUL bytes")
)

// storableID reports whether id is valid UTF-8 without NUL, as every Store
// keeps IDs (PostgreSQL cannot hold anything else as text). Such an ID is
// never stored, so it is simply not found.
func storableID(id string) bool {
	return utf8.ValidString(id) && strings.IndexByte(id, 0) < 0
}

// CreateClient stores an encoded copy of c (oauthreg.ClientRecord) with
// Version 1 and sets c.Version to 1.
// It returns an error wrapping oauthreg.ErrAlreadyExists if the ID is taken
// (IDs are compared byte for byte: "a" and "A" are different clients), and an
// error for a nil client or an empty ID. A context that is already done makes
// it return the context's error and store nothing.
func (s *Store) CreateClient(ctx context.Context, c *oauthreg.Client) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkNew(c); err != nil {
		return err
	}
	rec := oauthreg.NewClientRecord(c).Stored(1, nil)
	// The record holds the ID string the map and the indexes share.
	id := rec.ID()

	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if s.clients.get(id) != nil {
		return fmt.Errorf("%w: %q", oauthreg.ErrAlreadyExists, oauthreg.SanitizeInput(id))
	}
	if err := s.room(1); err != nil {
		return err
	}
	s.insert(rec, c)
	c.Version = 1
	return nil
}

// checkNew refuses a client CreateClient cannot store whatever the store
// holds.
func checkNew(c *oauthreg.Client) error {
	switch {
	case c == nil:
		return errNilClient
	case c.ID == "":
		return errEmptyID
	case !storableID(c.ID):
		return errUnstorableID
	}
	return nil
}

// insert adds rec, the record of c and not in the store, and indexes it;
// the caller holds the write lock.
func (s *Store) insert(rec *oauthreg.ClientRecord, c *oauthreg.Client) {
	id := rec.ID() // the string the map, the indexes and the record share
	s.clients.put(rec)
	s.all.insert(id)
	s.indexOwner(c.Owner, id)
	s.indexFilters(id, nil, c)
}

// GetClient returns a deep copy of the client with its secrets.
//
// An unknown ID costs what a known one does: the same lookup, and a copy
// of a decoy record dropped (see ViewClient), so that the time of a read
// does not tell which client IDs exist; it yields the bare sentinel
// oauthreg.ErrNotFound, without the ID in the message. errors.Is works as
// usual; callers that want the ID in the message add it (Registry.Get
// does). A context that is already done makes it return the context's
// error.
func (s *Store) GetClient(ctx context.Context, id string) (*oauthreg.Client, error) {
	rec, found, err := s.read(ctx, id)
	if err != nil {
		return nil, err
	}
	c := rec.Client()
	if !found {
		runtime.KeepAlive(c)
		return nil, oauthreg.ErrNotFound
	}
	return c, nil
}

// ViewClient returns a read-only view of the stored record of the client
// (oauthreg.ClientViewer), without copying or decoding it: records are
// never modified once stored, so the view stays a consistent snapshot.
//
// An unknown ID yields the bare sentinel oauthreg.ErrNotFound together
// with a view of a decoy: another client's record, picked by a keyed hash
// of the ID (a random seed per store), which the Registry checks and
// decodes in its place and then drops, so that a miss reads one record
// among many, as a hit does, and costs what a hit costs. The view is the
// zero view when the store is empty. A context that is already done yields
// the context's error and the zero view.
func (s *Store) ViewClient(ctx context.Context, id string) (oauthreg.ClientView, error) {
	rec, found, err := s.read(ctx, id)
	if err != nil {
		return oauthreg.ClientView{}, err
	}
	if !found {
		return oauthreg.ViewOf(rec), oauthreg.ErrNotFound
	}
	return oauthreg.ViewOf(rec), nil
}

// read returns the record of id and true, or a decoy (nil when the store
// is empty) and false: the same lookup and reads either way.
func (s *Store) read(ctx context.Context, id string) (*oauthreg.ClientRecord, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	s.mu.RLock()
	var h uint64
	if s.clients.len() > 0 { // else the seed may not be made yet
		h = maphash.String(s.seed, id)
	}
	rec, found := s.clients.lookup(id, h)
	s.mu.RUnlock()
	return rec, found, nil
}

// room returns an error when n more clients would pass the store's limit;
// the caller holds the write lock.
func (s *Store) room(n int) error {
	if s.clients.len()+n > maxRecords {
		return fmt.Errorf("memstore: the store holds %d clients, the most it can hold is %d", s.clients.len(), maxRecords)
	}
	return nil
}

// UpdateClient replaces the stored client with a deep copy of c if the stored
// Version equals c.Version; the stored copy gets Version c.Version+1 and so
// does c. It returns an error wrapping oauthreg.ErrConflict, leaving the store
// and c unchanged, if the versions differ, and one wrapping
// oauthreg.ErrNotFound if there is no client with ID c.ID. A context that is
// already done makes it return the context's error and change nothing.
func (s *Store) UpdateClient(ctx context.Context, c *oauthreg.Client) error {
	_, err := s.update(ctx, c)
	return err
}

// update is UpdateClient, returning the record it stored: c with the
// stored client's last-used times (ClientRecord.Stored).
func (s *Store) update(ctx context.Context, c *oauthreg.Client) (*oauthreg.ClientRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c == nil {
		return nil, errNilClient
	}
	enc := oauthreg.NewClientRecord(c)

	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.clients.get(c.ID)
	switch {
	case old == nil:
		return nil, fmt.Errorf("%w: %q", oauthreg.ErrNotFound, oauthreg.SanitizeInput(c.ID))
	case old.Version() != c.Version:
		return nil, fmt.Errorf("%w: client %q is at version %d, the update was made to version %d",
			oauthreg.ErrConflict, oauthreg.SanitizeInput(c.ID), old.Version(), c.Version)
	}
	rec := enc.Stored(old.Version()+1, old)
	id := old.ID()
	s.clients.put(rec)
	if c.Owner != old.Owner() {
		s.unindexOwner(old.Owner(), id)
		s.indexOwner(c.Owner, id)
	}
	s.indexFilters(id, old.Client(), c)
	c.Version = rec.Version()
	return rec, nil
}

// DeleteClient removes a client and its secrets. It returns an error wrapping
// oauthreg.ErrNotFound if there is no such client. A context that is already
// done makes it return the context's error and delete nothing.
func (s *Store) DeleteClient(ctx context.Context, id string) error {
	return s.deleteClient(ctx, id, -1)
}

// DeleteClientAt is DeleteClient only if the stored Version is version; it
// returns an error wrapping oauthreg.ErrConflict, deleting nothing, if it is
// not (oauthreg.VersionedDeleter).
func (s *Store) DeleteClientAt(ctx context.Context, id string, version int64) error {
	return s.deleteClient(ctx, id, version)
}

// deleteClient deletes id, at any version when version is negative.
func (s *Store) deleteClient(ctx context.Context, id string, version int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.clients.get(id)
	if rec == nil {
		return fmt.Errorf("%w: %q", oauthreg.ErrNotFound, oauthreg.SanitizeInput(id))
	}
	if version >= 0 && rec.Version() != version {
		return fmt.Errorf("%w: client %q is at version %d, the delete was made at version %d",
			oauthreg.ErrConflict, oauthreg.SanitizeInput(id), rec.Version(), version)
	}
	id = rec.ID() // the string the indexes hold
	s.clients.remove(id)
	s.all.remove(id)
	s.unindexOwner(rec.Owner(), id)
	s.indexFilters(id, rec.Client(), nil)
	return nil
}

// ListClients returns one page of clients, with their secrets, ordered by ID
// in byte order, only those that pass q's filters (q.Matches). Every page but
// the last holds exactly q.EffectiveLimit() clients; the last page has an
// empty NextCursor.
//
// The page is read from the narrowest index the query allows (a tag, the
// owner, the disabled clients, else all IDs) from the cursor on; the other
// filters are checked on each client, so a page costs its matches plus the
// non-matching clients between them, however deep it is.
//
// The cursor is the base64url encoding of the last ID on the page: the next
// page starts after that ID, so clients added or deleted in between never
// make another client be skipped or listed twice. A cursor that does not
// decode yields an error wrapping oauthreg.ErrInvalidCursor. A page costs
// O(log n + limit) however deep it is.
func (s *Store) ListClients(ctx context.Context, q oauthreg.ListQuery) (oauthreg.ClientPage, error) {
	if err := ctx.Err(); err != nil {
		return oauthreg.ClientPage{}, err
	}
	after, err := decodeCursor(q.Cursor)
	if err != nil {
		return oauthreg.ClientPage{}, err
	}
	limit := q.EffectiveLimit()

	var page oauthreg.ClientPage
	s.mu.RLock()
	if idx := s.driver(q); idx != nil {
		page.Clients = make([]*oauthreg.Client, 0, min(limit, idx.len()))
		for id := range idx.after(after) {
			c := s.clients.get(id).Client()
			if !q.Matches(c) {
				continue
			}
			if len(page.Clients) == limit {
				page.NextCursor = encodeCursor(page.Clients[limit-1].ID)
				break
			}
			page.Clients = append(page.Clients, c)
		}
	}
	s.mu.RUnlock()
	if page.Clients == nil {
		page.Clients = []*oauthreg.Client{}
	}
	return page, nil
}

// ClientsWithSecret returns the IDs of the clients holding a secret record
// with ID secretID, in byte order (oauthreg.SecretLocator): one map lookup.
func (s *Store) ClientsWithSecret(ctx context.Context, secretID string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	ids := s.bySecret.ids(secretID)
	s.mu.RUnlock()
	return ids[:min(len(ids), oauthreg.MaxSecretLocatorResults)], nil
}

// TouchClient sets the LastUsedAt of client clientID, and of its secret
// secretID, to at, without changing the client's Version. It returns an error
// wrapping oauthreg.ErrNotFound if the client does not exist. An unknown
// secretID is not an error: the client's LastUsedAt is still set. A context
// that is already done makes it return the context's error and change
// nothing.
func (s *Store) TouchClient(ctx context.Context, clientID, secretID string, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.clients.get(clientID)
	if old == nil {
		return fmt.Errorf("%w: %q", oauthreg.ErrNotFound, oauthreg.SanitizeInput(clientID))
	}
	// Records are immutable: a new header, sharing the old record's
	// encoded part, which a touch does not change.
	s.clients.put(old.Touched(secretID, at))
	return nil
}

// SecretsExpiring returns the secrets, across all clients, that are not
// revoked and whose ExpiresAt lies in (after, notAfter], ordered by ExpiresAt,
// then client ID, then secret ID. Secrets that never expire are left out. It
// looks at every secret of every client, so it is meant for an admin job, not
// for a request path. A context that is already done makes it return the
// context's error.
func (s *Store) SecretsExpiring(ctx context.Context, after, notAfter time.Time) ([]oauthreg.ExpiringSecret, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []oauthreg.ExpiringSecret
	s.mu.RLock()
	for _, rec := range s.clients.all() {
		c := rec.Client()
		for _, sec := range c.Secrets {
			if sec.ExpiresAt.IsZero() || !sec.RevokedAt.IsZero() ||
				!sec.ExpiresAt.After(after) || sec.ExpiresAt.After(notAfter) {
				continue
			}
			out = append(out, oauthreg.ExpiringSecret{
				ClientID:  c.ID,
				Owner:     c.Owner,
				SecretID:  sec.ID,
				Hint:      sec.Hint,
				ExpiresAt: sec.ExpiresAt,
			})
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b oauthreg.ExpiringSecret) int {
		return cmp.Or(a.ExpiresAt.Compare(b.ExpiresAt),
			strings.Compare(a.ClientID, b.ClientID),
			strings.Compare(a.SecretID, b.SecretID))
	})
	return out, nil
}

// indexOwner adds id to owner's index; the caller holds the write lock.
func (s *Store) indexOwner(owner, id string) {
	if owner == "" {
		return
	}
	idx := s.byOwner[owner]
	if idx == nil {
		idx = new(idIndex)
		s.byOwner[owner] = idx
	}
	idx.insert(id)
}

// unindexOwner removes id from owner's index; the caller holds the write lock.
func (s *Store) unindexOwner(owner, id string) {
	idx := s.byOwner[owner]
	if idx == nil {
		return
	}
	idx.remove(id)
	if idx.len() == 0 {
		delete(s.byOwner, owner)
	}
}

// encodeCursor returns the cursor of a page ending with the client lastID.
func encodeCursor(lastID string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(lastID))
}

// decodeCursor returns the ID a cursor continues after, "" for the first page.
func decodeCursor(cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) == 0 || !storableID(string(b)) {
		return "", fmt.Errorf("%w: %q is not a memstore cursor", oauthreg.ErrInvalidCursor, oauthreg.SanitizeInput(cursor))
	}
	return string(b), nil
}
