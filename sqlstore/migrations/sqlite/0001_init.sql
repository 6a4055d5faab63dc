-- oauthreg schema, version 1, for SQLite.
--
-- Table and index names start with "oauthreg_", the default table prefix;
-- sqlstore.Migrate replaces that prefix with the one given to
-- sqlstore.WithTablePrefix. To run this file with another migration tool,
-- use it as is or replace "oauthreg_" yourself.
--
-- Times are unix microseconds (UTC) in INTEGER columns, NULL for the zero
-- time. Durations are nanoseconds. List fields are JSON text, NULL for nil.

-- +goose Up

CREATE TABLE IF NOT EXISTS oauthreg_clients (
    id                         TEXT    NOT NULL PRIMARY KEY,
    owner                      TEXT    NOT NULL,
    name                       TEXT    NOT NULL,
    description                TEXT    NOT NULL,
    grant_types                TEXT,
    response_types             TEXT,
    scopes                     TEXT,
    redirect_uris              TEXT,
    token_endpoint_auth_method TEXT    NOT NULL,
    is_public                  INTEGER NOT NULL,
    access_token_ttl           INTEGER NOT NULL,
    refresh_token_ttl          INTEGER NOT NULL,
    is_disabled                INTEGER NOT NULL,
    system_tags                TEXT,
    user_tags                  TEXT,
    metadata                   TEXT,
    rotation_policy            TEXT,
    created_at                 INTEGER,
    updated_at                 INTEGER,
    last_used_at               INTEGER,
    version                    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS oauthreg_clients_owner_id_idx ON oauthreg_clients (owner, id);

CREATE TABLE IF NOT EXISTS oauthreg_client_secrets (
    client_id    TEXT    NOT NULL REFERENCES oauthreg_clients (id) ON DELETE CASCADE,
    secret_id    TEXT    NOT NULL,
    ordinal      INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    sealed       TEXT    NOT NULL,
    hint         TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    created_at   INTEGER,
    expires_at   INTEGER,
    revoked_at   INTEGER,
    last_used_at INTEGER,
    PRIMARY KEY (client_id, secret_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS oauthreg_client_secrets_expires_at_idx
    ON oauthreg_client_secrets (expires_at, client_id, secret_id)
    WHERE revoked_at IS NULL;
