-- oauthreg schema, version 3: every column holds the largest value
-- oauthreg's limits allow (limits.go), once encoded.
--
-- Nothing to change on PostgreSQL: TEXT holds up to 1 GB, IDs included. The
-- version exists so that every engine shares one numbering (on MySQL,
-- version 3 widens the list columns to MEDIUMTEXT).

-- +goose Up
