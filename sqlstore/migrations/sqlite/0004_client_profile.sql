-- oauthreg schema, version 4, for SQLite: the client's profile.
--
-- One JSON text column for the client metadata no query filters on (RFC 7591
-- and OpenID Connect registration fields, audience, response modes, token
-- lifetimes per grant, language-tagged members, kept extensions); NULL for a
-- client that sets none of them, which every client stored before version 4 is.

-- +goose Up

ALTER TABLE oauthreg_clients ADD COLUMN profile TEXT;
