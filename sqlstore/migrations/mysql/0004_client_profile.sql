-- oauthreg schema, version 4, for MySQL 8 and MariaDB 10.6 or later: the
-- client's profile.
--
-- One JSON text column for the client metadata no query filters on (RFC 7591
-- and OpenID Connect registration fields, audience, response modes, token
-- lifetimes per grant, language-tagged members, kept extensions); NULL for a
-- client that sets none of them, which every client stored before version 4 is.
-- MEDIUMTEXT (16 MiB): a client at every limit (a JWK Set, extensions, lists
-- of URIs) exceeds TEXT's 64 KiB.
--
-- MySQL has no ADD COLUMN IF NOT EXISTS and cannot roll DDL back: when this
-- statement fails because the column exists (error 1060, a run interrupted
-- after it), sqlstore.Migrate counts it as done. Other tools must do the
-- same, or check information_schema.columns first.

-- +goose Up

ALTER TABLE oauthreg_clients ADD COLUMN profile MEDIUMTEXT;
