// Package oauthregfosite lets an OAuth 2.0 server built with Ory fosite
// (github.com/ory/fosite) authenticate the clients an oauthreg Registry
// keeps. Its import path is github.com/oauthreg/oauthreg/adapters/fosite; it
// is named oauthregfosite so that it does not clash with fosite itself.
//
// It has three parts:
//
//   - ClientManager implements fosite.ClientManager (which is all that
//     fosite.Storage asks for) over an *oauthreg.Registry: GetClient maps an
//     oauthreg.Client to a fosite.Client, and the two client-assertion JTI
//     methods keep a bounded in-memory replay cache.
//   - Hasher implements fosite.Hasher: fosite's client authentication calls
//     its Compare, which calls Registry.AuthenticateView (Authenticate's
//     check, without the copy of the client, which fosite does not need).
//   - ClientManager.AuthenticationStrategy wraps fosite's default client
//     authentication so that a store outage is answered with 500
//     server_error rather than 401 invalid_client, and an unknown client ID
//     costs what a wrong secret does. It is optional.
//
// # Why the hashed secret is a reference
//
// fosite authenticates a client in two steps: GetClient, then
// Hasher.Compare(client.GetHashedSecret(), presentedSecret), and, if that
// fails, Compare against each of GetRotatedHashes. oauthreg's own rules are
// richer than "does this hash match": which secret a generated secret names,
// expiry, revocation, the grace period after a rotation, disabled and public
// clients, hash upgrades, last-used times and events. They all live in
// Registry.Authenticate. So the Client this package hands to fosite carries
// no hash at all: GetHashedSecret returns the reference "oauthreg:" followed
// by the client ID, and Hasher.Compare turns it back into
// Registry.AuthenticateView(ctx, "", clientID, secret). Every oauthreg rule
// applies, exactly as in a server that calls Authenticate itself, and no hash ever
// leaves the Registry. GetRotatedHashes returns nil: Authenticate has already
// tried every active secret, including those in their grace period.
//
// The price is one extra store read per token request (GetClient, then
// Authenticate reads the client again) and that the Hasher only works
// together with this package's clients (set Hasher.Fallback to verify the
// real hashes of clients fosite gets from another store).
//
// # Wiring
//
//	clients := oauthregfosite.New(reg)
//	config := &fosite.Config{GlobalSecret: secret, ClientSecretsHasher: clients.Hasher()}
//	st := &store{storage.NewMemoryStore(), clients}
//	config.ClientAuthenticationStrategy = clients.AuthenticationStrategy(config, st)
//	provider := compose.ComposeAllEnabled(config, st, key)
//
// where store embeds both and sends the three ClientManager methods to
// clients (see the package example).
//
// # What fosite sees of a client
//
// Everything its client interfaces can read: redirect URIs, grant and
// response types, scopes, audience, response modes
// (fosite.ResponseModeClient), the token endpoint method and signing
// algorithm, the JWK Set or jwks_uri (so private_key_jwt works), request
// URIs and their signing algorithm (fosite.OpenIDConnectClient), and the
// token lifetimes per grant (fosite.ClientWithCustomTokenLifespans; a
// client that inherits gets fosite's configured lifespan). With
// AuthenticationStrategy given the provider's storage, the token endpoint
// sees the same client as the authorization, PAR, introspection and
// revocation endpoints.
//
// fosite's own integration tests pass with this adapter as their client
// store and hasher: see the fositesuite directory.
//
// # What does not work
//
// client_secret_jwt is refused: fosite does not support it. fosite has no
// per-client switch for PKCE or pushed authorization requests, so
// Client.RequirePKCE and RequirePushedAuthorizationRequests are not
// enforced through it (fosite's EnforcePKCE and EnforcePushedAuthorize
// settings apply to every client). fosite maps every error of GetClient to
// invalid_client unless AuthenticationStrategy is installed, and does so at
// the authorization and introspection endpoints whatever the strategy.
package oauthregfosite
