-- oauthreg schema, version 3: every column holds the largest value
-- oauthreg's limits allow (limits.go), once encoded.
--
-- TEXT holds 64 KiB. The list columns keep JSON, in which '<', '>' and '&'
-- take six bytes each, so 100 tags of 255 bytes, 100 redirect URIs of 2,000
-- bytes or 1,000 scopes of 255 bytes can need up to 1.6 MB. MEDIUMTEXT holds
-- 16 MiB, more than the largest encoded client (MaxClientJSONBytes, 2 MiB,
-- six times over for the worst escaping). Every other column is bounded well
-- below its type: IDs and owner at 255 bytes (VARBINARY(255)), name at
-- 1,000, description at 10,000, a secret's hash at 2,048, sealed value at
-- 4,096, hint at 64 and description at 1,000 bytes.
--
-- MODIFY only widens, so no value changes, and repeating a statement after
-- a failed run does nothing (MySQL cannot roll back DDL).

-- +goose Up

ALTER TABLE oauthreg_clients
    MODIFY grant_types    MEDIUMTEXT,
    MODIFY response_types MEDIUMTEXT,
    MODIFY scopes         MEDIUMTEXT,
    MODIFY redirect_uris  MEDIUMTEXT,
    MODIFY system_tags    MEDIUMTEXT,
    MODIFY user_tags      MEDIUMTEXT,
    MODIFY metadata       MEDIUMTEXT,
    MODIFY rotation_policy MEDIUMTEXT;
