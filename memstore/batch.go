package memstore

import (
	"context"
	"fmt"

	"github.com/oauthreg/oauthreg"
)

// CreateClients stores the records of every client of cs, or none of them
// (oauthreg.BatchCreator): it checks them all, and that no ID is taken or
// used twice in cs, under one write lock, then inserts them all, so no
// reader ever sees part of the batch. On success each client's Version is
// set to 1. It refuses more than oauthreg.MaxImportClients clients.
func (s *Store) CreateClients(ctx context.Context, cs []*oauthreg.Client) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(cs) > oauthreg.MaxImportClients {
		return fmt.Errorf("memstore: CreateClients: %d clients; at most %d (oauthreg.MaxImportClients)", len(cs), oauthreg.MaxImportClients)
	}
	recs := make([]*oauthreg.ClientRecord, len(cs))
	seen := make(map[string]struct{}, len(cs))
	for i, c := range cs {
		if err := checkNew(c); err != nil {
			return fmt.Errorf("%w (client #%d; nothing was stored)", err, i)
		}
		if _, dup := seen[c.ID]; dup {
			return fmt.Errorf("%w: %q appears twice in the batch; nothing was stored", oauthreg.ErrAlreadyExists, oauthreg.SanitizeInput(c.ID))
		}
		seen[c.ID] = struct{}{}
		recs[i] = oauthreg.NewClientRecord(c).Stored(1, nil)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	for _, rec := range recs {
		if s.clients.get(rec.ID()) != nil {
			return fmt.Errorf("%w: %q; nothing was stored", oauthreg.ErrAlreadyExists, oauthreg.SanitizeInput(rec.ID()))
		}
	}
	if err := s.room(len(recs)); err != nil {
		return err
	}
	for i, rec := range recs {
		s.insert(rec, cs[i])
	}
	for _, c := range cs {
		c.Version = 1
	}
	return nil
}
