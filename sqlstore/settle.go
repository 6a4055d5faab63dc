package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"syscall"

	"github.com/oauthreg/oauthreg"
)

// ErrOutcomeUnknown is returned (wrapped, with the driver's error) when the
// connection was lost after a write was sent and the Store cannot tell
// whether it was applied. It also matches oauthreg.ErrUnavailable.
//
// The Store settles a lost write itself where the database proves the
// outcome: it rereads the client. The change provably was not applied (the
// client is still at the version the change was based on; for a create,
// there is no such client; for a delete, the client is still there): the
// Store sends it again, which can never apply it twice (the primary key and
// the version guard it). Another writer's change is there instead: the
// call fails with ErrConflict or ErrAlreadyExists as it would have anyway.
// The client is gone after a delete: success. A created client holds this
// call's own secret hashes: success.
//
// ErrOutcomeUnknown remains when the reread fails too (the database is
// still unreachable), when other writers changed the client beyond the
// version this change would have made, and when the client holds exactly
// this change (another writer may have made the same change from the same
// version, and a success would be a guess). Re-read the client before
// deciding to repeat the change: blindly repeating a rotation, say, could
// issue two secrets.
var ErrOutcomeUnknown = errors.New("sqlstore: connection lost after a write was sent; its outcome is unknown")

// outcomeUnknownError is the failure of a write that reached the server,
// or may have, before the connection was lost: the write may have been
// applied. retry does not run it again; writeOnce settles it.
type outcomeUnknownError struct{ err error }

func (e *outcomeUnknownError) Error() string { return e.err.Error() }
func (e *outcomeUnknownError) Unwrap() error { return e.err }

// sent returns err, the failure of a write statement run on its own (in
// autocommit) or of a COMMIT, marked as of unknown outcome when it is a
// lost connection that may have come after the server applied the write.
// A failure that proves the statement never left (notSent) is left as it
// is: running it again is safe.
func sent(err error) error {
	if err == nil || classify(err) != classUnavailable || notSent(err) {
		return err
	}
	return &outcomeUnknownError{err}
}

// notSent reports whether err proves that the statement never reached the
// server: database/sql's driver.ErrBadConn (which drivers return only
// then), an error that says so itself (pgconn's SafeToRetry), a refused
// connection, or a server refusing new connections.
func notSent(err error) bool {
	return walk(err, func(e error) bool {
		if e == driver.ErrBadConn || e == syscall.ECONNREFUSED {
			return true
		}
		if r, ok := e.(interface{ SafeToRetry() bool }); ok && r.SafeToRetry() {
			return true
		}
		if se, ok := e.(interface{ SQLState() string }); ok {
			switch se.SQLState() {
			case "57P03", "08001", "08004":
				return true
			}
		}
		return false
	})
}

// writeOnce runs write, a change sent through retry, and settles a failure
// whose outcome is unknown (the connection was lost after the change was
// sent) by asking settle, which rereads the client: applied (the change is
// in the database, written by this call: success), not applied (it
// provably is not: write runs again, at most s.maxAttempts times), or an
// error that decides the call. A change is never applied twice: creates
// are guarded by the primary key, updates and versioned deletes by the
// version, and a repeated delete deletes nothing.
func (s *Store) writeOnce(ctx context.Context, write func(again bool) error, settle func(lost error) (applied bool, err error)) error {
	for attempt := 1; ; attempt++ {
		err := write(attempt > 1)
		var unknown *outcomeUnknownError
		if !errors.As(err, &unknown) {
			return err
		}
		applied, serr := settle(unknown.err)
		switch {
		case serr != nil:
			return serr
		case applied:
			return nil
		case ctx.Err() != nil:
			return fmt.Errorf("%w (after a lost connection, nothing was changed: %w)", ctx.Err(), unknown.err)
		case attempt >= s.maxAttempts:
			return fmt.Errorf("sqlstore: database unavailable, nothing was changed (%d attempts, %w): %w", attempt, oauthreg.ErrUnavailable, unknown.err)
		}
	}
}

// createOnce runs create, an insert of new clients, through writeOnce. On
// a repeat after a lost connection, ErrAlreadyExists may be the lost
// attempt's own insert: settle decides it.
func (s *Store) createOnce(ctx context.Context, create func() error, settle func(lost error) (applied bool, err error)) error {
	return s.writeOnce(ctx, func(again bool) error {
		err := create()
		if again && errors.Is(err, oauthreg.ErrAlreadyExists) {
			return &outcomeUnknownError{err} // perhaps by the lost attempt
		}
		return err
	}, settle)
}

// outcomeUnknown is the error of a write whose outcome could not be
// settled: cause says why (the reread failed, or other writers changed the
// client since), lost is the lost connection.
func outcomeUnknown(cause string, lost error) error {
	return fmt.Errorf("%w (%w): %s: %w", ErrOutcomeUnknown, oauthreg.ErrUnavailable, cause, lost)
}

// settleCreate decides a CreateClient of c whose outcome is unknown.
func (s *Store) settleCreate(ctx context.Context, c *oauthreg.Client, lost error) (bool, error) {
	got, err := s.GetClient(ctx, c.ID)
	switch {
	case errors.Is(err, oauthreg.ErrNotFound):
		return false, nil
	case err != nil:
		return false, outcomeUnknown("rereading the client failed too", lost)
	case got.Version == 1 && sameWrite(got, c) && len(c.Secrets) > 0:
		// Its secrets' hashes are this call's own (random secrets,
		// salted hashes): no other creator wrote this row.
		return true, nil
	case got.Version == 1 && !sameWrite(got, c):
		return false, fmt.Errorf("%w: %q", oauthreg.ErrAlreadyExists, oauthreg.SanitizeInput(c.ID))
	case got.Version == 1:
		return false, outcomeUnknown("the client holds exactly what this call wrote, but another creator may have written it", lost)
	}
	return false, outcomeUnknown(fmt.Sprintf("the client was created and changed since (now at version %d)", got.Version), lost)
}

// settleUpdate decides an UpdateClient of c (still at the version it was
// based on) whose outcome is unknown.
func (s *Store) settleUpdate(ctx context.Context, c *oauthreg.Client, lost error) (bool, error) {
	got, err := s.GetClient(ctx, c.ID)
	switch {
	case errors.Is(err, oauthreg.ErrNotFound):
		return false, notFound(c.ID)
	case err != nil:
		return false, outcomeUnknown("rereading the client failed too", lost)
	case got.Version == c.Version:
		return false, nil
	case got.Version == c.Version+1 && !sameWrite(got, c):
		// Another writer made that version: this change was not applied.
		return false, conflict(c, got.Version)
	case got.Version == c.Version+1:
		// The client holds exactly this change at the version it would
		// have made; but another writer may have made the same change
		// from the same version, and then this one was not applied
		// (think of two increments of a counter). Success would be a
		// guess.
		return false, outcomeUnknown("the client holds exactly this change, but another writer may have made it", lost)
	}
	return false, outcomeUnknown(fmt.Sprintf("other writers moved the client to version %d since", got.Version), lost)
}

// settleDelete decides a delete of client id (at version, or any version
// when version is 0) whose outcome is unknown: a client that is gone is
// deleted, whoever deleted it.
func (s *Store) settleDelete(ctx context.Context, id string, version int64, lost error) (bool, error) {
	got, err := s.GetClient(ctx, id)
	switch {
	case errors.Is(err, oauthreg.ErrNotFound):
		return true, nil
	case err != nil:
		return false, outcomeUnknown("rereading the client failed too", lost)
	case version != 0 && got.Version != version:
		return false, fmt.Errorf("%w: client %q is no longer at version %d", oauthreg.ErrConflict, oauthreg.SanitizeInput(id), version)
	}
	return false, nil
}

// sameWrite reports whether stored, as read back, holds what written was
// written with: every column and every secret, but the last-used times
// (written only by TouchClient) and the version.
func sameWrite(stored, written *oauthreg.Client) bool {
	a, errA := clientArgs(stored, 0)
	b, errB := clientArgs(written, 0)
	if errA != nil || errB != nil || len(a) != len(b) {
		return false
	}
	for i, col := range strings.Split(clientColumns, ", ") {
		if col == "last_used_at" || col == "version" {
			continue
		}
		if !reflect.DeepEqual(emptyAsNil(a[i]), emptyAsNil(b[i])) {
			return false
		}
	}
	if len(stored.Secrets) != len(written.Secrets) {
		return false
	}
	for i := range stored.Secrets {
		x, y := stored.Secrets[i], written.Secrets[i]
		x.LastUsedAt = y.LastUsedAt
		for _, t := range [][2]any{
			{timeValue(x.CreatedAt), timeValue(y.CreatedAt)}, {timeValue(x.ExpiresAt), timeValue(y.ExpiresAt)},
			{timeValue(x.RevokedAt), timeValue(y.RevokedAt)},
		} {
			if t[0] != t[1] {
				return false
			}
		}
		x.CreatedAt, x.ExpiresAt, x.RevokedAt = y.CreatedAt, y.ExpiresAt, y.RevokedAt
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// emptyAsNil maps the encodings of an empty list or map to nil, which a
// store may return for them.
func emptyAsNil(v any) any {
	if v == "[]" || v == "{}" {
		return nil
	}
	return v
}
