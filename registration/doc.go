// Package registration implements OAuth 2.0 Dynamic Client Registration
// (RFC 7591) and its management protocol (RFC 7592) over an
// oauthreg.Registry, without an HTTP layer of its own.
//
// Registration is safe by construction. ParseRequest reads a request body
// into Metadata, which holds only what a client may choose (RFC 7591 §2 and
// OpenID Connect Dynamic Client Registration metadata); the owner, the
// disabled flag, token lifetimes, the rotation policy, the audience, tags and
// every other server-side value are ServerValues, which only the embedding
// server passes to Server.Register. A body such as {"owner":"org-victim"}
// therefore registers nothing but its metadata; such members are listed in
// Request.Ignored, as RFC 7591 §2 asks servers to ignore what they do not
// understand. Duplicate members, bodies over MaxRequestBytes and members of
// the wrong type are invalid_client_metadata.
//
// A registration issues the client's secret (for a confidential client) and
// an RFC 7592 registration access token in one store write. The token is a
// secret like a client secret: the same format, the same hashing, stored
// only as a hash (oauthreg.Client.RegistrationTokenHash), checked in
// constant time by oauthreg.Registry.CheckRegistrationToken. With it the
// client reads (Server.Read), replaces (Server.Update, RFC 7592 §2.2: every
// member left out is cleared) and deletes (Server.Delete) its registration;
// Server.RotateTokenOnUpdate gives it a new token on every update.
//
// A request with neither grant_types nor redirect_uris is refused with
// invalid_redirect_uri unless Server.AllowClientCredentialsDefault lets it
// register a confidential client_credentials client: RFC 7591's default,
// authorization_code, cannot work without a redirect URI, and a machine
// client with a secret should come from a protected endpoint. Software
// statements (RFC 7591 §2.3) are verified by a SoftwareStatementVerifier the
// server supplies, and Server.SoftwareIDs decides which software may
// register. Server.Review sees, and may change or refuse, every
// registration and update before it is stored.
//
// Responses (*Response, RFC 7591 §3.2.1) and errors (*Error, §3.2.2) are
// values with a Write method for net/http. A handler is a few lines:
//
//	func register(w http.ResponseWriter, r *http.Request) {
//		body, _ := io.ReadAll(http.MaxBytesReader(w, r.Body, registration.MaxRequestBytes))
//		req, err := registration.ParseRequest(body)
//		if err != nil {
//			registration.AsError(err).Write(w)
//			return
//		}
//		resp, err := srv.Register(r.Context(), req, registration.ServerValues{Owner: "org-dynamic"})
//		if err != nil {
//			registration.AsError(err).Write(w)
//			return
//		}
//		resp.Write(w, http.StatusCreated)
//	}
//
// examples/registration is a complete endpoint (with discovery, the client
// configuration endpoint and an initial access token), tested with the npm
// package openid-client (the common OAuth and OpenID Connect client library
// for Node.js).
//
// Initial access tokens (RFC 7591 §3) are the embedding server's own
// credentials: check them before calling Register (BearerToken reads the
// header), and set ServerValues from what they say (the owner, say).
package registration
