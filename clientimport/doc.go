// Package clientimport moves the OAuth 2.0 clients of another
// authorization server into an oauthreg registry, with their secrets: Ory
// Hydra, Keycloak and Spring Authorization Server. It reads the export
// each of them produces (Parse), maps every client to an oauthreg.Client
// and the secrets it keeps, and imports them all or none
// (Run, on top of oauthreg.Registry.ImportClients): a dry run first, a
// Report of what was refused and why, and nothing half-imported.
//
//	entries, err := clientimport.Parse(clientimport.Keycloak, file, clientimport.Options{})
//	report, err := clientimport.Run(ctx, reg, clientimport.Keycloak, entries, clientimport.RunOptions{DryRun: true})
//
// The admin CLI in examples/admincli wraps this as its import command.
//
// # Outcomes
//
// Every client of the export gets one Outcome. Skipped clients (Keycloak's
// built-in clients, SAML clients, bearer-only clients) are not imported
// and do not stop the others. A Refused client stops the whole import:
// nothing is stored until the export is fixed (or the client removed from
// it), and the Reason says why: malformed values, a Keycloak redirect URI
// pattern, an authentication method oauthreg cannot hold, an expired
// secret, a missing or masked Keycloak secret, and everything the
// Registry refuses (metadata against the RFCs or a limit, an ID already
// taken, a hash it cannot verify or that is costlier than its
// HashCostLimits, a plaintext that breaks AddSecret's rules). Warnings
// name the fields dropped on the way in. Messages quote export values
// only through oauthreg.SanitizeInput.
//
// Secrets: hashes (Hydra's PBKDF2 or bcrypt, Spring's {bcrypt}, {pbkdf2},
// {scrypt}, {sha256}, {argon2} or bare bcrypt) are imported as they are,
// and upgraded to argon2id by the Registry on their first successful use.
// Plaintexts (Keycloak keeps its client secrets in plaintext; Spring's
// {noop}) are read into buffers of their own, never into Go strings,
// hashed with argon2id by the Registry, and overwritten with zeros; the
// buffer holding the export is zeroed too. The admin API of Hydra never
// returns secrets: its clients are imported without one. Spring's {pbkdf2}
// hashes are taken as one of Pbkdf2PasswordEncoder's two defaults unless
// RunOptions.SpringPBKDF2 gives the encoder's own settings; without them a
// custom hash is refused for its length or, at a default's length,
// imported and never verified.
//
// Every client keeps its client_id. CreatedAt is the time of the import
// (the other server's creation and update times are not kept: a client
// never used here would otherwise look stale at once), and LastUsedAt is
// empty.
//
// # Ory Hydra
//
// Input: the rows of Hydra v2's hydra_client table as one JSON array,
//
//	psql -At -c "select json_agg(t) from hydra_client t" > hydra.json
//
// (its list columns are JSON text, read as lists), or the JSON array that
// Hydra's admin API returns for GET /admin/clients (no secrets).
//
//	id / client_id              → ID
//	client_name                 → Name
//	client_secret (a hash)      → one imported secret
//	client_secret_expires_at    → its expiry, when not 0 (Hydra always writes 0)
//	redirect_uris, grant_types,
//	response_types, audience,
//	contacts, request_uris,
//	post_logout_redirect_uris,
//	allowed_cors_origins        → the lists of the same names
//	scope (space-separated)     → Scopes
//	owner                       → Owner (Options.Owner when empty)
//	policy_uri, tos_uri,
//	client_uri, logo_uri,
//	subject_type,
//	sector_identifier_uri,
//	jwks_uri, jwks              → the fields of the same names ({} and {"keys":[]} are no JWKS)
//	token_endpoint_auth_method  → TokenEndpointAuthMethod (empty: client_secret_basic, Hydra's default; none makes the client public)
//	token_endpoint_auth_signing_alg, request_object_signing_alg,
//	userinfo_signed_response_alg ("none" is the default, plain JSON)
//	frontchannel_/backchannel_logout_uri and _session_required
//	metadata                    → Metadata (members that are not strings as their JSON text, with a warning)
//	<grant>_grant_<token>_lifespan → Lifetimes.Grants[grant] (nanoseconds in the table, "1h0m0s" in the API)
//
// Dropped with a warning: skip_consent, access_token_strategy, the
// registration access token (Hydra's own hash: issue a new one with
// RotateRegistrationToken), and any column this mapping does not know.
// Dropped quietly: nid, pk, pk_deprecated, created_at, updated_at,
// skip_logout_consent.
//
// # Keycloak
//
// Input: a realm export,
//
//	kc.sh export --realm acme --file acme.json --users skip
//
// (one realm object with clients[]; the users are not read, and a realm
// with many would pass MaxExportBytes). An array of realm objects, or the
// array of clients of the admin API GET /admin/realms/{realm}/clients, is
// read too. The admin console's partial export masks secrets as
// "**********": such clients are refused (ReasonSecretMissing).
//
//	clientId                      → ID
//	realm                         → Owner (unless Options.Owner is set)
//	name, description             → Name ("${…}" message keys dropped), Description
//	enabled false                 → Disabled
//	protocol saml                 → skipped (ReasonProtocol)
//	bearerOnly                    → skipped (ReasonBearerOnly)
//	account, account-console,
//	admin-cli, broker,
//	realm-management,
//	security-admin-console        → skipped (ReasonBuiltin) unless Options.IncludeBuiltin
//	publicClient                  → Public, method none
//	clientAuthenticatorType
//	  client-secret (default)     → client_secret_basic (Authenticate also accepts client_secret_post)
//	  client-secret-jwt           → client_secret_jwt (the Registry needs a key ring)
//	  client-jwt                  → private_key_jwt with attribute jwks.url (use.jwks.url true); a certificate instead is refused
//	  client-x509                 → tls_client_auth with attribute x509.subjectdn
//	secret (PLAINTEXT)            → one secret, hashed with argon2id; its expiry from client.secret.expiration.time
//	client.secret.rotated         → a second, earlier secret until client.secret.rotated.expiration.time (dropped once that has passed)
//	redirectUris                  → RedirectURIs; relative ones resolved against rootUrl; a pattern with * is refused (ReasonWildcardURI):
//	                                oauthreg matches redirect URIs exactly, list each one in the export
//	webOrigins                    → AllowedCORSOrigins; "+" is the origins of the redirect URIs; "*" dropped with a warning
//	standardFlowEnabled           → authorization_code (+ response type code)
//	implicitFlowEnabled           → implicit (+ token, id_token)
//	directAccessGrantsEnabled     → password
//	serviceAccountsEnabled        → client_credentials
//	oauth2.device.authorization.grant.enabled → device_code
//	standard.token.exchange.enabled → token-exchange
//	                                refresh_token with any of the user flows, unless use.refresh.tokens is false
//	defaultClientScopes,
//	optionalClientScopes          → Scopes (both: oauthreg has no optional scopes; warned)
//	rootUrl (or an absolute baseUrl) → ClientURI
//	attributes access.token.lifespan → Lifetimes.AccessToken
//	pkce.code.challenge.method    → RequirePKCE (S256 or plain)
//	post.logout.redirect.uris     → PostLogoutRedirectURIs ("##"-separated, "+" is the redirect URIs)
//	token.endpoint.auth.signing.alg, id.token.signed.response.alg,
//	id.token.encrypted.response.alg/enc, user.info.response.signature.alg,
//	request.object.signature.alg ("any" is empty) → the algorithm fields
//	backchannel.logout.url, frontchannel.logout.url (with frontchannelLogout) and their session switches
//	tls.client.certificate.bound.access.tokens, dpop.bound.access.tokens,
//	require.pushed.authorization.requests, default.acr.values, logoUri, policyUri, tosUri
//
// Dropped with a warning: protocolMappers (the claims Keycloak added to
// tokens), consentRequired, authorizationServicesEnabled, adminUrl, CIBA,
// and every other attribute set to something other than "" or "false".
// Dropped quietly: Keycloak's internal id, display and console settings,
// Keycloak's own session timeouts.
//
// # Spring Authorization Server
//
// Input: the rows of the oauth2_registered_client table
// (oauth2-registered-client-schema.sql), as a JSON array,
//
//	psql -At -c "select json_agg(t) from oauth2_registered_client t" > spring.json
//
// or as CSV with a header row (Options.Format CSV),
//
//	psql -c "\copy oauth2_registered_client to 'spring.csv' csv header"
//
//	client_id                     → ID (id, the row's key, is dropped)
//	client_name                   → Name (unless it is the row's id, Spring's default)
//	client_secret                 → one secret: a hash as it is, {noop}<plaintext> hashed with argon2id
//	client_secret_expires_at      → its expiry
//	client_authentication_methods → one method: client_secret_basic, then client_secret_post,
//	                                client_secret_jwt, private_key_jwt, tls_client_auth,
//	                                self_signed_tls_client_auth, none (the first present; the others warned)
//	authorization_grant_types     → GrantTypes (response type code with authorization_code)
//	redirect_uris, post_logout_redirect_uris, scopes (comma-separated) → the lists
//	client_settings               → require-proof-key → RequirePKCE; jwk-set-url → JWKSURI;
//	                                token-endpoint-authentication-signing-algorithm;
//	                                x509-certificate-subject-dn → TLSClientAuthSubjectDN;
//	                                require-authorization-consent dropped with a warning
//	token_settings                → access-, refresh-token- and authorization-code-time-to-live → Lifetimes;
//	                                id-token-signature-algorithm → IDTokenSignedResponseAlg;
//	                                x509-certificate-bound-access-tokens; reuse-refresh-tokens and
//	                                access-token-format dropped (token issuance is the server's)
//
// Durations are Jackson's seconds with a fraction (["java.time.Duration",
// 300.000000000]); times without a zone are UTC.
//
// # What is left to do by hand
//
// Redirect URI patterns (list each URI), Hydra clients exported through
// the admin API (issue new secrets), Keycloak client-jwt clients keyed by a
// certificate (publish a JWK Set URL), claims and protocol mappers, consent
// settings, and the token formats and lifetimes the old server applied to
// all clients (set them on the Registry: WithTokenLifetimes).
package clientimport
