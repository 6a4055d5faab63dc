package memstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/oauthreg/oauthreg"
)

var _ oauthreg.ClientModifier = (*Store)(nil)

// ModifyClient reads the client id, calls change on a decoded copy and
// stores the result as UpdateClient does (oauthreg.ClientModifier). change
// runs without any lock held, so it may be slow, or call the store, without
// holding up other callers; if another writer stored the client in between,
// the store reads it again and calls change again, so ModifyClient never
// returns oauthreg.ErrConflict. It returns an error wrapping
// oauthreg.ErrNotFound if there is no client id (also when it is deleted
// in between), change's own error as is, and a done context's error; in
// each case nothing is stored.
func (s *Store) ModifyClient(ctx context.Context, id string, change func(c *oauthreg.Client) error) (*oauthreg.Client, error) {
	if change == nil {
		return nil, errors.New("memstore: ModifyClient: nil change function")
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.mu.RLock()
		rec := s.clients.get(id)
		s.mu.RUnlock()
		if rec == nil {
			return nil, fmt.Errorf("%w: %q", oauthreg.ErrNotFound, oauthreg.SanitizeInput(id))
		}
		c := rec.Client()
		if err := change(c); err != nil {
			return nil, err
		}
		c.ID, c.Version = rec.ID(), rec.Version()
		stored, err := s.update(ctx, c)
		if !errors.Is(err, oauthreg.ErrConflict) {
			if err != nil {
				return nil, err
			}
			// The stored record, decoded: c with the last-used times
			// only TouchClient writes (ClientRecord.Stored keeps them).
			return stored.Client(), nil
		}
		runtime.Gosched() // let the writer that came between finish
	}
}
