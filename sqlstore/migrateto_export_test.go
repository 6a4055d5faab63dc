package sqlstore

import "context"

// MigrateTo applies the migrations up to and including version, for
// upgrade tests: a database at an older schema, filled, then migrated
// forward with Migrate.
func MigrateTo(ctx context.Context, s *Store, version int64) error {
	migs, err := loadMigrations(s.dialect, s.prefix)
	if err != nil {
		return err
	}
	var upTo []migration
	for _, m := range migs {
		if m.version <= version {
			upTo = append(upTo, m)
		}
	}
	return s.applyPending(ctx, s.db, upTo)
}
