-- oauthreg schema, version 4, for PostgreSQL: the client's profile.
--
-- One JSON text column (text, not jsonb, so that the JWK Set and extension
-- values come back byte for byte) for the client metadata no query filters
-- on (RFC 7591 and OpenID Connect registration fields, audience, response
-- modes, token lifetimes per grant, language-tagged members, kept
-- extensions); NULL for a client that sets none of them, which every client
-- stored before version 4 is. Adding a nullable column without a default
-- rewrites no rows.

-- +goose Up

ALTER TABLE oauthreg_clients ADD COLUMN IF NOT EXISTS profile TEXT;
