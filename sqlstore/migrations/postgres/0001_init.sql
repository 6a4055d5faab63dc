-- oauthreg schema, version 1, for PostgreSQL.
--
-- Table and index names start with "oauthreg_", the default table prefix;
-- sqlstore.Migrate replaces that prefix with the one given to
-- sqlstore.WithTablePrefix. To run this file with another migration tool,
-- use it as is or replace "oauthreg_" yourself. The tables are created in
-- the first schema of the connection's search_path.
--
-- IDs use COLLATE "C" so that they compare in byte order. Times are unix
-- microseconds (UTC) in BIGINT columns, NULL for the zero time. Durations are
-- nanoseconds. List fields are JSON text, NULL for nil.

-- +goose Up

CREATE TABLE IF NOT EXISTS oauthreg_clients (
    id                         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    owner                      TEXT COLLATE "C" NOT NULL,
    name                       TEXT    NOT NULL,
    description                TEXT    NOT NULL,
    grant_types                TEXT,
    response_types             TEXT,
    scopes                     TEXT,
    redirect_uris              TEXT,
    token_endpoint_auth_method TEXT    NOT NULL,
    is_public                  BOOLEAN NOT NULL,
    access_token_ttl           BIGINT  NOT NULL,
    refresh_token_ttl          BIGINT  NOT NULL,
    is_disabled                BOOLEAN NOT NULL,
    system_tags                TEXT,
    user_tags                  TEXT,
    metadata                   TEXT,
    rotation_policy            TEXT,
    created_at                 BIGINT,
    updated_at                 BIGINT,
    last_used_at               BIGINT,
    version                    BIGINT  NOT NULL
);

CREATE INDEX IF NOT EXISTS oauthreg_clients_owner_id_idx ON oauthreg_clients (owner, id);

CREATE TABLE IF NOT EXISTS oauthreg_client_secrets (
    client_id    TEXT COLLATE "C" NOT NULL REFERENCES oauthreg_clients (id) ON DELETE CASCADE,
    secret_id    TEXT COLLATE "C" NOT NULL,
    ordinal      INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    sealed       TEXT    NOT NULL,
    hint         TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    created_at   BIGINT,
    expires_at   BIGINT,
    revoked_at   BIGINT,
    last_used_at BIGINT,
    PRIMARY KEY (client_id, secret_id)
);

CREATE INDEX IF NOT EXISTS oauthreg_client_secrets_expires_at_idx
    ON oauthreg_client_secrets (expires_at, client_id, secret_id)
    WHERE revoked_at IS NULL;
