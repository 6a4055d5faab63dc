-- oauthreg schema, version 5, for MySQL 8 and MariaDB 10.6 or later:
-- indexes for list filters and for finding a secret by its ID.
--
-- client_tags holds one row per system or user tag of a client (kind
-- 'system' or 'user'), so that a listing by tag is a range scan of its
-- primary key in client ID order. The tags stay in the clients table as
-- well (system_tags, user_tags): that is what a client is read from; this
-- table is an index the Store keeps in step on every write. Tags are
-- VARBINARY (byte order, no PAD SPACE) of at most 1020 bytes.
--
-- MySQL has no CREATE INDEX IF NOT EXISTS: sqlstore.Migrate treats error
-- 1061 (duplicate key name) as "already done", so a failed run can be
-- repeated. Another tool must do the same, or drop the index first.

-- +goose Up

CREATE TABLE IF NOT EXISTS oauthreg_client_tags (
    kind      VARCHAR(8)      NOT NULL,
    tag       VARBINARY(1020) NOT NULL,
    client_id VARBINARY(255)  NOT NULL,
    PRIMARY KEY (kind, tag, client_id),
    INDEX oauthreg_client_tags_client_idx (client_id),
    CONSTRAINT oauthreg_client_tags_client_fk FOREIGN KEY (client_id)
        REFERENCES oauthreg_clients (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4;

INSERT IGNORE INTO oauthreg_client_tags (kind, tag, client_id)
    SELECT 'system', CAST(j.tag AS BINARY), c.id FROM oauthreg_clients c,
    JSON_TABLE(c.system_tags, '$[*]' COLUMNS (tag VARCHAR(1020) PATH '$')) AS j
    WHERE c.system_tags IS NOT NULL;

INSERT IGNORE INTO oauthreg_client_tags (kind, tag, client_id)
    SELECT 'user', CAST(j.tag AS BINARY), c.id FROM oauthreg_clients c,
    JSON_TABLE(c.user_tags, '$[*]' COLUMNS (tag VARCHAR(1020) PATH '$')) AS j
    WHERE c.user_tags IS NOT NULL;

-- Listing only the disabled (or enabled) clients, in ID order.
CREATE INDEX oauthreg_clients_disabled_id_idx ON oauthreg_clients (is_disabled, id);

-- Finding the client of a secret from the secret alone (RevokeLeaked).
CREATE INDEX oauthreg_client_secrets_secret_id_idx ON oauthreg_client_secrets (secret_id);
