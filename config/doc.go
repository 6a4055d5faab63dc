// Package config reads everything an oauthreg.Registry needs from one place —
// a configuration file and the environment — so that a token server, its
// admin tool and its housekeeping job built on the same configuration
// cannot disagree on the secret prefix, the rotation policy, the token
// lifetimes, the pepper, the key ring, the limits or the database.
//
// # Format
//
// The file holds one setting per line, NAME=VALUE, with the same names as
// the environment variables; blank lines and lines starting with '#' are
// ignored, and a value may be quoted with '"' or '\”. A variable set in
// the environment wins over the file. Unknown OAUTHREG_ names in the file
// are an error (a misspelt setting must not be silently ignored).
//
//	OAUTHREG_DATABASE              where the clients are (see ParseDatabase); OAUTHREG_DB is an alias
//	OAUTHREG_SECRET_PREFIX         prefix of generated secrets (oauthreg.WithSecretPrefix)
//	OAUTHREG_GRACE_PERIOD          rotation policy: how long older secrets keep working after a rotation
//	OAUTHREG_SECRET_LIFETIME       rotation policy: how long a new secret lives (0: no expiry)
//	OAUTHREG_MAX_ACTIVE_SECRETS    rotation policy: active secrets per client (0: no cap)
//	OAUTHREG_OWNER_ONLY_ROTATION   rotation policy: true to keep clients from rotating their own secret
//	OAUTHREG_ACCESS_TOKEN_LIFETIME default access token lifetime
//	OAUTHREG_REFRESH_TOKEN_LIFETIME default refresh token lifetime
//	OAUTHREG_PEPPER_FILE           file holding the pepper list (below)
//	OAUTHREG_PEPPER_HMAC           true while servers of a release before $sha256-keyed$ share
//	                               the store: peppered hashes stay $hmac-sha256$
//	                               (oauthreg.WithHMACPepperHashes)
//	OAUTHREG_KEYRING_FILE          file holding the key ring (below)
//	OAUTHREG_MAX_CONCURRENT_ARGON2 cap on concurrent argon2/bcrypt/PBKDF2 runs
//	OAUTHREG_LAST_USED_INTERVAL    how often last-used times are written per client
//	OAUTHREG_MAX_UPDATE_ATTEMPTS   how often a conflicting change is re-applied
//	OAUTHREG_GENERATED_SECRETS_ONLY true to refuse anything but generated secrets cheaply
//	OAUTHREG_ID_TOKEN_LIFETIME     default ID token lifetime
//	OAUTHREG_AUTHORIZATION_CODE_LIFETIME default authorization code lifetime
//	OAUTHREG_SLOW_HASH_SHARE       slow-hash slots one client, one owner, or all unknown
//	                               client IDs together may hold (oauthreg.WithSlowHashShare)
//	OAUTHREG_SLOW_HASH_MEMORY      memory all slow-hash runs may hold at once, a size
//	                               (oauthreg.WithSlowHashMemory)
//	OAUTHREG_CURSOR_KEY_FILE       file holding the key of scoped listings' cursors (below)
//	OAUTHREG_SPRING_PBKDF2_SECRETS_FILE file holding the secrets of Spring Pbkdf2PasswordEncoders (below)
//
// How expensive an imported hash may be to verify (oauthreg.HashCostLimits;
// ImportSecret refuses a dearer one, and a stored one over them is never
// run; a setting left out keeps oauthreg.DefaultHashCostLimits):
//
//	OAUTHREG_HASH_MAX_PBKDF2_ITERATIONS PBKDF2 iterations, counted as HMAC-SHA-256, and
//	                                    SHA-crypt rounds by the same budget (default 1300000)
//	OAUTHREG_HASH_MAX_BCRYPT_COST       bcrypt and bcrypt-sha256 cost, 4 to 16 (default 14)
//	OAUTHREG_HASH_MAX_ARGON2_MEMORY     argon2's m (and scrypt's memory), a size (default 64MiB)
//	OAUTHREG_HASH_MAX_ARGON2_TIME       argon2's t, passes (default 10)
//	OAUTHREG_HASH_MAX_ARGON2_THREADS    argon2's p, lanes, at most 255 (default 4)
//
// Durations are Go durations with an optional leading number of days:
// "720h", "30d", "1d12h", "90m". Sizes are bytes or a whole number of KiB,
// MiB, GiB or TiB: "64MiB", "1GiB" (see ParseSize). Booleans are true/false
// (also 1/0, yes/no). A setting left out keeps the library's default;
// a value the library refuses (a limit below what it writes itself, say)
// is an error wrapping oauthreg.ErrInvalidConfig from oauthreg.New.
//
// # Key material
//
// Peppers and key rings are never read from a command line and never
// printed. They come from a file named by OAUTHREG_PEPPER_FILE /
// OAUTHREG_KEYRING_FILE, or from the environment variables OAUTHREG_PEPPER /
// OAUTHREG_KEYRING themselves (not from the configuration file, which is
// often less protected than the key files). The format is a list of
// entries, separated by commas or new lines, the first one being the
// primary:
//
//	ID:BASE64KEY                 a pepper (later entries: retired peppers that still verify)
//	ID:BASE64KEY or ID:ALG:BASE64KEY  a key ring key; ALG is A256GCM (default) or XC20P
//
// The secrets of Spring Security Pbkdf2PasswordEncoders whose hashes were
// imported with oauthreg.WithSpringPBKDF2 (its SecretID naming one) are a
// list of ID:BASE64SECRET entries too (the base64 of the secret's UTF-8
// bytes), from the file OAUTHREG_SPRING_PBKDF2_SECRETS_FILE names or
// $OAUTHREG_SPRING_PBKDF2_SECRETS (oauthreg.WithSpringPBKDF2Secret). The
// hashes name their secret by ID and never hold it: give every server and
// admin tool the same list at every start.
//
// The cursor key (oauthreg.WithCursorKey) is one key without an ID: 32
// random bytes in base64 (head -c 32 /dev/urandom | base64), from the file
// OAUTHREG_CURSOR_KEY_FILE names or $OAUTHREG_CURSOR_KEY. Give every
// replica the same one, so that a scoped listing's next page can be served
// by any of them.
//
// Config's String, Format and LogValue show which keys are configured by
// ID only; errors name an entry by position and ID, never its key.
package config
