-- oauthreg schema, version 2, for SQLite: the assertion IDs (jti) clients
-- have used, so that clientauth accepts no client_secret_jwt or
-- private_key_jwt assertion twice while it is valid (RFC 7523 section 3).
-- Store.UseOnce inserts one row per (client_id, jti); the primary key makes
-- the insert the atomic "first use" test, across every process sharing the
-- database. expires_at is unix microseconds; Store.PurgeUsedAssertions
-- removes the rows past it.

-- +goose Up

CREATE TABLE IF NOT EXISTS oauthreg_used_assertions (
    client_id  TEXT    NOT NULL,
    jti        TEXT    NOT NULL,
    expires_at BIGINT  NOT NULL,
    PRIMARY KEY (client_id, jti)
);

CREATE INDEX IF NOT EXISTS oauthreg_used_assertions_expires_at_idx ON oauthreg_used_assertions (expires_at);
