// Package clientauth authenticates the client of an OAuth 2.0 token
// endpoint request against an oauthreg.Registry, by every standard method:
//
//   - client_secret_basic and client_secret_post (RFC 6749 §2.3.1),
//   - client_secret_jwt and private_key_jwt (RFC 7523 §2.2 and §3, OpenID
//     Connect Core §9, with the audience rule of
//     draft-ietf-oauth-rfc7523bis, the IETF draft that updates RFC 7523:
//     an assertion's aud is the server's issuer identifier),
//   - tls_client_auth and self_signed_tls_client_auth (RFC 8705 §2),
//   - none, for public clients.
//
// One call, Authenticator.Authenticate, turns a request into the
// authenticated client and the method it used, or an *Error that
// WriteError answers as RFC 6749 §5.2 says. It works in four steps, each in
// its own file: extract the credentials (credentials.go), decide the one
// method the request uses (method.go), verify them by that method (one file
// per method), then apply the policy (policy.go): the server accepts the
// method, the client is registered for it, and is enabled.
//
// A token endpoint with it:
//
//	auth, err := clientauth.New(reg, clientauth.WithIssuer("https://as.example.com"))
//	...
//	http.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
//		client, _, err := auth.Authenticate(r)
//		if err != nil {
//			clientauth.WriteError(w, err)
//			return
//		}
//		r.ParseForm() // the body is still there
//		// check the grant, issue a token for client
//	})
//
// Assertions (client_secret_jwt, private_key_jwt) must name the server's
// issuer identifier (WithIssuer) as their only audience; WithLegacyAudiences
// also accepts the token endpoint URL as RFC 7523 did. They must expire, may
// not live longer than WithMaxAssertionLifetime, and carry a jti that is
// never accepted twice while the assertion is valid: a ReplayCache
// remembers them (in memory by default; sqlstore's Store shares one between
// replicas). An HMAC alg means client_secret_jwt, checked only with the
// client's secrets (the Registry needs a key ring to keep them sealed);
// any other alg means private_key_jwt, checked only with the client's
// registered public keys, never with a key the token carries, and "none"
// is never accepted.
//
// The package opens no connections: a client that registered a jwks_uri is
// served through the KeyFetcher given to WithKeyFetcher, such as
// NewHTTPKeyFetcher, which refuses non-https URLs and private addresses.
//
// Every outcome goes to the Registry's observers (oauthreg.WithObserver) as
// auth.succeeded or auth.failed with an internal reason; no secret,
// assertion or key is ever put in an event or an error.
package clientauth
