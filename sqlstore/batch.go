package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/oauthreg/oauthreg"
)

var _ oauthreg.BatchCreator = (*Store)(nil)

// CreateClients stores every client of cs and its secrets, or none of them
// (oauthreg.BatchCreator): one transaction, in which each client is
// inserted as CreateClient inserts it (one statement on PostgreSQL, a
// client row, its secret rows and tag rows elsewhere). A taken ID, or one
// used twice in cs, fails with an error matching oauthreg.ErrAlreadyExists
// and rolls everything back. On success each client's Version is set to 1.
// It refuses more than oauthreg.MaxImportClients clients.
//
// A transaction the database aborted for a transient reason runs again
// whole. When the connection is lost during the COMMIT, the Store rereads
// the clients: all of them there as written (holding this call's secret
// hashes) is a success, none of them there a transaction to run again,
// anything else ErrOutcomeUnknown.
func (s *Store) CreateClients(ctx context.Context, cs []*oauthreg.Client) error {
	if len(cs) == 0 {
		return ctx.Err()
	}
	if len(cs) > oauthreg.MaxImportClients {
		return fmt.Errorf("sqlstore: CreateClients: %d clients; at most %d (oauthreg.MaxImportClients)", len(cs), oauthreg.MaxImportClients)
	}
	args := make([][]any, len(cs))
	seen := make(map[string]struct{}, len(cs))
	for i, c := range cs {
		switch {
		case c == nil:
			return fmt.Errorf("sqlstore: CreateClients: client #%d is nil; nothing was stored", i)
		case c.ID == "":
			return fmt.Errorf("sqlstore: CreateClients: client #%d has an empty ID; nothing was stored", i)
		}
		if _, dup := seen[c.ID]; dup {
			return fmt.Errorf("%w: %q appears twice in the batch; nothing was stored", oauthreg.ErrAlreadyExists, oauthreg.SanitizeInput(c.ID))
		}
		seen[c.ID] = struct{}{}
		if err := checkSecretIDs(c); err != nil {
			return err
		}
		a, err := clientArgs(c, 1)
		if err == nil && s.dialect == Postgres {
			a, err = pgCreateArgs(c, a)
		}
		if err != nil {
			return err
		}
		args[i] = a
	}
	err := s.createOnce(ctx, func() error {
		return s.withTx(ctx, func(tx *sql.Tx) error { return s.createAllIn(ctx, tx, cs, args) })
	}, func(lost error) (bool, error) { return s.settleCreateAll(ctx, cs, lost) })
	if err != nil {
		if errors.Is(err, oauthreg.ErrAlreadyExists) {
			return fmt.Errorf("%w; nothing was stored", err)
		}
		return fmt.Errorf("sqlstore: creating %d clients, nothing was stored unless the outcome is unknown: %w", len(cs), err)
	}
	for _, c := range cs {
		c.Version = 1
	}
	return nil
}

// createAllIn inserts every client of cs in tx, each as createIn does.
func (s *Store) createAllIn(ctx context.Context, tx *sql.Tx, cs []*oauthreg.Client, args [][]any) error {
	for i, c := range cs {
		if err := s.createIn(ctx, tx, c, args[i]); err != nil {
			return err
		}
	}
	return nil
}

// settleCreateAll decides a CreateClients whose COMMIT was lost: every
// client there as written, with a secret hash of this call's own among
// them, is applied; none there is not applied.
func (s *Store) settleCreateAll(ctx context.Context, cs []*oauthreg.Client, lost error) (bool, error) {
	found, same, secrets := 0, 0, false
	for _, c := range cs {
		got, err := s.GetClient(ctx, c.ID)
		switch {
		case errors.Is(err, oauthreg.ErrNotFound):
			continue
		case err != nil:
			return false, outcomeUnknown("rereading the clients failed too", lost)
		}
		found++
		if got.Version == 1 && sameWrite(got, c) {
			same++
			secrets = secrets || len(c.Secrets) > 0
		}
	}
	switch {
	case found == 0:
		return false, nil
	case same == len(cs) && secrets:
		return true, nil
	}
	return false, outcomeUnknown(fmt.Sprintf("%d of the %d clients are there, %d as this call wrote them", found, len(cs), same), lost)
}
