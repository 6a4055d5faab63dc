// Package migrationcheck holds the tests that run sqlstore's migration files
// with the migration tools users have — github.com/pressly/goose/v3 and
// ariga.io/atlas — on every SQL engine the machine offers, and check that
// they do exactly what sqlstore.Migrate does. It is a module of its own so
// that those tools never become requirements of github.com/oauthreg/oauthreg.
//
// Every migration file, present and future, is covered: the tests read the
// directories, not a list. A file that goose cannot run, that applies
// differently under goose, atlas and Migrate, or whose atlas.sum entry is
// stale fails them. After adding or changing a migration, regenerate the
// atlas.sum files with
//
//	go generate ./sqlstore
//
// from the repository root (it runs ./atlassum).
package migrationcheck
