-- oauthreg schema, version 2, for MySQL 8 and MariaDB 10.6 or later: the
-- assertion IDs (jti) clients have used, so that clientauth accepts no
-- client_secret_jwt or private_key_jwt assertion twice while it is valid
-- (RFC 7523 section 3). Store.UseOnce inserts one row per (client_id, jti);
-- the primary key makes the insert the atomic "first use" test, across every
-- replica sharing the database. expires_at is unix microseconds;
-- Store.PurgeUsedAssertions removes the rows past it. Idempotent, as MySQL
-- cannot roll back DDL.

-- +goose Up

CREATE TABLE IF NOT EXISTS oauthreg_used_assertions (
    client_id  VARBINARY(255) NOT NULL,
    jti        VARBINARY(255) NOT NULL,
    expires_at BIGINT         NOT NULL,
    PRIMARY KEY (client_id, jti),
    INDEX oauthreg_used_assertions_expires_at_idx (expires_at)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4;
