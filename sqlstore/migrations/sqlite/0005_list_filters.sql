-- oauthreg schema, version 5, for SQLite: indexes for list filters and for
-- finding a secret by its ID.
--
-- client_tags holds one row per system or user tag of a client (kind
-- 'system' or 'user'), so that a listing by tag is a range scan of its
-- primary key in client ID order. The tags stay in the clients table as
-- well (system_tags, user_tags): that is what a client is read from; this
-- table is an index the Store keeps in step on every write.

-- +goose Up

CREATE TABLE IF NOT EXISTS oauthreg_client_tags (
    kind      TEXT NOT NULL,
    tag       TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES oauthreg_clients (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, tag, client_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS oauthreg_client_tags_client_idx ON oauthreg_client_tags (client_id);

INSERT OR IGNORE INTO oauthreg_client_tags (kind, tag, client_id)
    SELECT 'system', j.value, c.id FROM oauthreg_clients c, json_each(c.system_tags) j
    WHERE c.system_tags IS NOT NULL;

INSERT OR IGNORE INTO oauthreg_client_tags (kind, tag, client_id)
    SELECT 'user', j.value, c.id FROM oauthreg_clients c, json_each(c.user_tags) j
    WHERE c.user_tags IS NOT NULL;

-- Listing only the disabled (or enabled) clients, in ID order.
CREATE INDEX IF NOT EXISTS oauthreg_clients_disabled_id_idx ON oauthreg_clients (is_disabled, id);

-- Finding the client of a secret from the secret alone (RevokeLeaked).
CREATE INDEX IF NOT EXISTS oauthreg_client_secrets_secret_id_idx ON oauthreg_client_secrets (secret_id);
