// Package gooauth2 plugs an oauthreg Registry into go-oauth2/oauth2 v4
// (github.com/go-oauth2/oauth2/v4) as its client store, so that go-oauth2's
// manager authenticates clients against oauthreg's hashed, rotatable secrets
// instead of comparing plaintext.
//
//	clients, err := gooauth2.NewClientStore(reg)
//	manager := manage.NewDefaultManager()
//	manager.MustTokenStorage(store.NewMemoryTokenStore())
//	manager.MapClientStorage(clients)
//	srv := server.NewDefaultServer(manager)
//	srv.SetClientInfoHandler(clients.ClientInfoHandler(server.ClientBasicHandler)) // optional, recommended
//	manager.SetValidateURIHandler(gooauth2.ValidateURI)                          // optional, recommended
//	srv.SetClientAuthorizedHandler(clients.ClientAuthorizedHandler())             // the client's grant types
//	srv.SetClientScopeHandler(clients.ClientScopeHandler())                       // its scopes and access token lifetime
//	srv.SetAccessTokenExpHandler(clients.AccessTokenExpHandler())                 // its lifetime at the authorization endpoint
//
// # How a secret is checked
//
// go-oauth2's ClientInfo has GetSecret() string, which its manager compares
// with the presented secret, unless the ClientInfo also implements
// oauth2.ClientPasswordVerifier: then the manager calls VerifyPassword
// instead and never looks at GetSecret. The ClientInfo this package returns
// implements VerifyPassword with Registry.Authenticate, so every rule of
// oauthreg applies: hashed secrets, rotation grace periods, regeneration,
// revocation, expiry, disabled clients, last-used tracking, events.
//
// GetSecret never returns a plaintext or a hash (oauthreg has no plaintext to
// return). For a confidential client it returns a random value, fixed per
// ClientStore, that no client knows, so code that compares GetSecret with a
// presented secret fails closed; see ClientInfo.GetSecret.
//
// VerifyPassword takes no context and returns only a bool. The ClientInfo
// therefore keeps the context of the GetByID call that made it (go-oauth2
// calls both within one request) and the Registry. A store failure during
// VerifyPassword can only be reported as false (invalid_client): it is also
// passed to the handler set with WithErrorHandler, which by default logs it.
//
// # What go-oauth2 does not check
//
// go-oauth2 looks a client up before it sees the secret, so an unknown
// client ID is refused sooner than a known one with a wrong secret; it does
// not authenticate the client on the refresh_token grant; and its default
// redirect URI check is a host-suffix match that an empty domain passes.
// ClientStore.ClientInfoHandler and ValidateURI close these gaps; the README
// lists what remains (grant types and scopes are not enforced).
package gooauth2
