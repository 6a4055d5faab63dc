-- oauthreg schema, version 1, for MySQL 8 and MariaDB 10.6 or later.
--
-- Table and index names start with "oauthreg_", the default table prefix;
-- sqlstore.Migrate replaces that prefix with the one given to
-- sqlstore.WithTablePrefix. To run this file with another migration tool,
-- use it as is or replace "oauthreg_" yourself. MySQL cannot roll back DDL,
-- so every statement is idempotent (IF NOT EXISTS, indexes declared inline).
--
-- IDs are VARBINARY so that they compare in byte order (the _bin collations
-- ignore trailing spaces). Times are unix microseconds (UTC) in BIGINT
-- columns, NULL for the zero time. Durations are nanoseconds. List fields are
-- JSON text, NULL for nil.

-- +goose Up

CREATE TABLE IF NOT EXISTS oauthreg_clients (
    id                         VARBINARY(255) NOT NULL,
    owner                      VARBINARY(255) NOT NULL,
    name                       TEXT           NOT NULL,
    description                TEXT           NOT NULL,
    grant_types                TEXT,
    response_types             TEXT,
    scopes                     TEXT,
    redirect_uris              TEXT,
    token_endpoint_auth_method VARCHAR(64)    NOT NULL,
    is_public                  BOOLEAN        NOT NULL,
    access_token_ttl           BIGINT         NOT NULL,
    refresh_token_ttl          BIGINT         NOT NULL,
    is_disabled                BOOLEAN        NOT NULL,
    system_tags                TEXT,
    user_tags                  TEXT,
    metadata                   MEDIUMTEXT,
    rotation_policy            TEXT,
    created_at                 BIGINT,
    updated_at                 BIGINT,
    last_used_at               BIGINT,
    version                    BIGINT         NOT NULL,
    PRIMARY KEY (id),
    INDEX oauthreg_clients_owner_id_idx (owner, id)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4;

CREATE TABLE IF NOT EXISTS oauthreg_client_secrets (
    client_id    VARBINARY(255) NOT NULL,
    secret_id    VARBINARY(255) NOT NULL,
    ordinal      INT            NOT NULL,
    kind         VARCHAR(32)    NOT NULL,
    hash         TEXT           NOT NULL,
    sealed       TEXT           NOT NULL,
    hint         TEXT           NOT NULL,
    description  TEXT           NOT NULL,
    created_at   BIGINT,
    expires_at   BIGINT,
    revoked_at   BIGINT,
    last_used_at BIGINT,
    PRIMARY KEY (client_id, secret_id),
    INDEX oauthreg_client_secrets_expires_at_idx (expires_at, client_id, secret_id),
    CONSTRAINT oauthreg_client_secrets_client_fk FOREIGN KEY (client_id)
        REFERENCES oauthreg_clients (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4;
