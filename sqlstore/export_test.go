package sqlstore

import "context"

// MigrateUpTo applies the migrations up to version last only, so upgrade
// tests can fill a database at an earlier schema.
func (s *Store) MigrateUpTo(ctx context.Context, last int64) error { return s.migrateUpTo(ctx, last) }
