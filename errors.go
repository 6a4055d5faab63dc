package oauthreg

import "errors"

// ErrInvalidCredentials is the one error Authenticate returns for every
// authentication failure: unknown client, malformed secret, wrong secret,
// expired or revoked secret, disabled client, public client. The reason is
// deliberately not told to the caller, so a token endpoint cannot leak which
// client IDs exist; an HTTP layer answers it with RFC 6749 "invalid_client".
var ErrInvalidCredentials = errors.New("oauthreg: invalid client credentials")

// ErrSecretsNotUsed is returned when a secret operation (rotate, regenerate,
// add, import) targets a client that does not authenticate with a secret: a
// public client (method none) or one using private_key_jwt or mutual TLS.
var ErrSecretsNotUsed = errors.New("oauthreg: client does not authenticate with a secret")

// ErrInvalidSecret is returned by AddSecret when the plaintext supplied by an
// administrator is unusable (too short, too long, or with characters outside
// RFC 6749's VSCHAR range). Nothing is stored.
var ErrInvalidSecret = errors.New("oauthreg: invalid client secret")

// ErrTooManySecrets is returned by AddSecret and ImportSecret when adding one
// more active secret would exceed the client's RotationPolicy.MaxActiveSecrets.
// Revoke a secret first, or use RotateSecret, which retires old secrets.
var ErrTooManySecrets = errors.New("oauthreg: too many active secrets")

// ErrSecretNotFound is returned by RevokeSecret when the client has no secret
// with the given ID.
var ErrSecretNotFound = errors.New("oauthreg: secret not found")

// ErrUnsupportedHash is returned by ImportSecret when the encoded hash is not
// in a format the library can verify (bcrypt, PBKDF2 in Hydra's or passlib's
// encoding, argon2id/argon2i PHC strings, or the library's own encodings), or
// when its parameters are malformed or out of range. Nothing is stored.
var ErrUnsupportedHash = errors.New("oauthreg: unsupported or malformed secret hash")

// ErrInvalidUpdate is returned by Update when the mutation function changed a
// field that Update does not own: the ID, the secrets, the creation time, the
// version or the timestamps. Use the secret methods to change secrets.
var ErrInvalidUpdate = errors.New("oauthreg: update changed a read-only field")

// ErrInvalidConfig is returned by New when an option is invalid (a nil
// store, a secret prefix with characters outside RFC 3986's unreserved set,
// an empty pepper, a negative duration).
var ErrInvalidConfig = errors.New("oauthreg: invalid configuration")

// ErrSecretNotRecognized is the one error RevokeLeaked returns for a value
// it cannot act on: not a generated secret, a bad checksum, a secret ID no
// client holds, or a value that does not match the stored hash. Like
// ErrInvalidCredentials it does not say which, and every case costs about
// the same, so a reporter learns nothing about secrets it does not hold.
var ErrSecretNotRecognized = errors.New("oauthreg: secret not recognized")

// ErrUnsupportedStore is returned by a call that needs an optional Store
// interface the Registry's Store does not implement (for RevokeLeaked,
// SecretLocator).
var ErrUnsupportedStore = errors.New("oauthreg: the store does not support this operation")
