// Package oauthreg keeps the OAuth 2.0 clients of an authorization server and
// their client secrets: registration, lookup, update, listing, secret
// generation, hashing, verification, rotation with a grace period,
// regeneration, revocation and expiry. It has no network layer: your token
// endpoint, admin tool or test calls it.
//
// # Getting started
//
//	reg, err := oauthreg.New(memstore.New()) // or sqlstore for a database
//	client, secret, err := reg.Register(ctx, oauthreg.Client{
//		Owner:  "org-acme",
//		Name:   "billing-service",
//		Scopes: []string{"invoices:read"},
//	})
//	fmt.Println("client secret, shown once:", secret.Reveal())
//
//	// In the token endpoint, on every request:
//	client, err = reg.Authenticate(ctx, clientID, clientSecret)
//	if errors.Is(err, oauthreg.ErrInvalidCredentials) {
//		// 401 invalid_client
//	}
//
// # Secrets
//
// A secret exists in plaintext once: in the PlainSecret that Register,
// RotateSecret or RegenerateSecret returns. PlainSecret prints, logs and
// marshals as "[REDACTED]"; Reveal returns the value. Stores keep only hashes.
//
// Generated secrets look like
//
//	oauthreg_<16-char ID><52 random chars><7-char checksum>
//
// with a configurable prefix (WithSecretPrefix) so secret scanners can find
// leaked ones. They carry 256 random bits, so a single SHA-256 (optionally
// keyed with a pepper, WithPepper) protects them at rest: no key stretching is
// needed and the token endpoint stays fast. The embedded ID means one hash per
// verification, and the checksum rejects typos and garbage before the store is
// read. Secrets a person supplies (AddSecret) are hashed with argon2id at
// OWASP's parameters, with a cap on concurrent argon2 runs; hashes imported
// from other systems (ImportSecret: bcrypt, PBKDF2, argon2) keep working and
// are upgraded to argon2id on their first successful use.
//
// # Rotation
//
// RotateSecret issues a new secret; the older active secrets keep working for
// the RotationPolicy's GracePeriod (never longer than they were going to
// anyway), and beyond MaxActiveSecrets the oldest are revoked at once.
// RegenerateSecret issues a new secret and invalidates every other one at
// once. RevokeSecret invalidates one. Expiry is evaluated against the
// Registry's clock when a secret is used; the library runs no goroutines.
//
// # Failures
//
// Authenticate returns ErrInvalidCredentials for every credentials problem
// (unknown client, wrong, expired or revoked secret, disabled or public
// client), in about the same time, so client IDs cannot be enumerated. Other
// errors are typed too: *ValidationError for bad metadata (with the RFC 7591
// error code), ErrNotFound, ErrAlreadyExists, ErrConflict from stores,
// ErrInvalidConfig from New. Bad input changes nothing.
//
// # Names used in this documentation
//
// The godoc refers to the systems oauthreg was built to serve and to the
// formats it reads:
//
//   - VMware CSP (Cloud Services Platform, VMware's console for cloud
//     service accounts): its OAuth app API regenerates a secret and lets
//     only organization owners, admins and developers do so
//     (DefaultAccessPolicy).
//   - VMware CPN (Cloud Partner Navigator, VMware's partner portal): its
//     secretRotationExpirationInSeconds is RotationPolicy.GracePeriod, its
//     ownerOnlySecretRotation RotationPolicy.OwnerOnlyRotation.
//   - SlashID (an identity service): a caller's organization must be the
//     client's owner or an ancestor of it (Scoped, OrgTree); it names the
//     last-used time last_used.
//   - ZStack (an open-source cloud platform): shows a client's secret again
//     (RevealSecret, with WithKeyRing) and keeps system and user tags.
//   - Ory Hydra (an OAuth 2.0 server in Go) and fosite (Ory's Go library
//     for such servers), Spring Security (Java; hashes written as
//     "{bcrypt}…", "{pbkdf2}…"), passlib (a Python hashing library): their
//     hash encodings import with ImportSecret.
//   - OWASP's Password Storage Cheat Sheet: the argon2id parameters.
//   - RFC 6749 is OAuth 2.0; RFC 7591 and 7592 dynamic client registration
//     and its management; RFC 7523 JWTs as client credentials
//     (client_secret_jwt, private_key_jwt); RFC 8705 client authentication
//     with mutual TLS; RFC 8252 native apps (loopback redirect URIs);
//     RFC 9700 OAuth's security best current practice; RFC 3986 URIs.
//
// README.md's "Words and names used here" says more.
//
// # Concurrency
//
// A Registry is safe for concurrent use, and several may share a Store. A
// client is one aggregate with a version; every change is a read, a change and
// a versioned write, re-applied when another writer got there first, so
// concurrent rotations and updates never lose each other's changes.
package oauthreg
