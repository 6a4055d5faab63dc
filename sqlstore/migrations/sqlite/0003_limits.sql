-- oauthreg schema, version 3: every column holds the largest value
-- oauthreg's limits allow (limits.go), once encoded.
--
-- Nothing to change on SQLite: TEXT has no declared length (a value may be
-- up to SQLITE_MAX_LENGTH, 1e9 bytes by default). The version exists so that
-- every engine shares one numbering (on MySQL, version 3 widens the list
-- columns to MEDIUMTEXT).

-- +goose Up
