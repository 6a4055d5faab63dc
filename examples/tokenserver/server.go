package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
)

// Realm is the realm of the WWW-Authenticate challenge the token endpoint
// sends with a 401.
const Realm = "oauthreg tokenserver"

// maxFormBytes bounds a request body: token requests are a few hundred bytes.
const maxFormBytes = 64 << 10

// Server is an OAuth 2.0 token endpoint (RFC 6749 §3.2) for the
// client_credentials grant, on top of an oauthreg.Registry. It serves
//
//	POST /token        client_credentials grant (RFC 6749 §4.4)
//	POST /introspect   token introspection (RFC 7662), for the client a token was issued to
//
// Clients authenticate through package clientauth by the method their
// registration's TokenEndpointAuthMethod says, and with one method only:
// client_secret_basic (HTTP Basic, the client ID and secret each
// form-encoded first, RFC 6749 §2.3.1), client_secret_post (client_id and
// client_secret in the form body), client_secret_jwt or private_key_jwt (a
// signed assertion whose aud is the issuer, RFC 7523), or mutual TLS
// (RFC 8705) when served over TLS with client certificates.
//
// Access tokens are opaque random strings that live, in memory, for the
// client's access token lifetime (Registry.EffectiveTokenLifetime). Disabling a client or rotating its secret does not
// revoke tokens already issued; a restart forgets them all.
//
// A Server is safe for concurrent use.
type Server struct {
	// Log receives the errors a client is not told about (store failures).
	// NewServer sets it to slog.Default().
	Log *slog.Logger

	reg  *oauthreg.Registry
	auth *clientauth.Authenticator
	now  func() time.Time
	mux  *http.ServeMux

	mu      sync.Mutex
	tokens  map[string]issuedToken
	sweepAt int // prune expired tokens when the map grows to this size
}

// issuedToken is what the server remembers about an access token.
type issuedToken struct {
	clientID string
	scope    string
	issued   time.Time
	expires  time.Time
}

// NewServer returns a token endpoint that authenticates clients with reg
// through a clientauth.Authenticator made with opts (give it at least
// clientauth.WithIssuer for client_secret_jwt and private_key_jwt, and
// clientauth.WithReplayCache with a shared store when several servers run),
// and reads the time from now (time.Now when nil). Give it the clock the
// Registry uses, so that tokens and secrets expire on the same time line.
func NewServer(reg *oauthreg.Registry, now func() time.Time, opts ...clientauth.Option) (*Server, error) {
	if now == nil {
		now = time.Now
	}
	auth, err := clientauth.New(reg, append([]clientauth.Option{clientauth.WithClock(now), clientauth.WithRealm(Realm)}, opts...)...)
	if err != nil {
		return nil, err
	}
	s := &Server{Log: slog.Default(), reg: reg, auth: auth, now: now, tokens: make(map[string]issuedToken), sweepAt: 1024}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/token", s.handleToken)
	s.mux.HandleFunc("/introspect", s.handleIntrospect)
	return s, nil
}

// ServeHTTP serves /token and /introspect.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// tokenResponse is the successful response of RFC 6749 §5.1.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope,omitempty"`
}

// handleToken issues an access token for the client_credentials grant.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	form, oerr := readForm(w, r)
	if oerr != nil {
		s.writeError(w, oerr)
		return
	}
	// Whether the server supports a grant type says nothing about any
	// client, so it is checked before authentication.
	switch grant := form.Get("grant_type"); grant {
	case "":
		s.writeError(w, errInvalidRequest("grant_type is missing"))
		return
	case string(oauthreg.GrantClientCredentials):
	default:
		s.writeError(w, &oauthError{Status: http.StatusBadRequest, Code: "unsupported_grant_type",
			Description: "this server supports the client_credentials grant only"})
		return
	}
	client, err := s.authenticateClient(r)
	if err != nil {
		clientauth.WriteError(w, err)
		return
	}
	if !client.HasGrantType(oauthreg.GrantClientCredentials) {
		s.writeError(w, &oauthError{Status: http.StatusBadRequest, Code: "unauthorized_client",
			Description: "the client is not allowed to use the client_credentials grant"})
		return
	}
	scopes, oerr := grantedScopes(client, form.Get("scope"))
	if oerr != nil {
		s.writeError(w, oerr)
		return
	}

	// expires_in is in whole seconds; the token lives exactly that long.
	// The lifetime in force is the client's own for this grant, else the
	// Registry's default; the floor of one second only guards sub-second
	// lifetimes.
	ttl := s.reg.EffectiveTokenLifetime(client, oauthreg.GrantClientCredentials, oauthreg.TokenAccess)
	ttl = max(ttl.Truncate(time.Second), time.Second)
	now := s.now()
	token := newToken()
	scope := oauthreg.FormatScope(scopes)
	s.remember(token, issuedToken{clientID: client.ID, scope: scope, issued: now, expires: now.Add(ttl)})
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken: token,
		TokenType:   "Bearer",
		ExpiresIn:   int64(ttl / time.Second),
		Scope:       scope,
	})
}

// grantedScopes returns the scopes to grant: the requested ones, which must
// all be the client's, or all of the client's when none was requested.
func grantedScopes(c *oauthreg.Client, requested string) ([]string, *oauthError) {
	scopes, err := c.GrantScopes(requested)
	if err != nil {
		return nil, &oauthError{Status: http.StatusBadRequest, Code: "invalid_scope",
			Description: "the requested scope is malformed or exceeds the scope granted to the client"}
	}
	return scopes, nil
}

// introspection is the response of RFC 7662 §2.2.
type introspection struct {
	Active    bool   `json:"active"`
	ClientID  string `json:"client_id,omitempty"`
	Scope     string `json:"scope,omitempty"`
	TokenType string `json:"token_type,omitempty"`
	IssuedAt  int64  `json:"iat,omitempty"`
	ExpiresAt int64  `json:"exp,omitempty"`
}

// handleIntrospect tells an authenticated client whether a token it was
// issued is still active. Other clients' tokens are reported inactive, so a
// client learns nothing about tokens that are not its own.
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	form, oerr := readForm(w, r)
	if oerr != nil {
		s.writeError(w, oerr)
		return
	}
	client, err := s.authenticateClient(r)
	if err != nil {
		clientauth.WriteError(w, err)
		return
	}
	token := form.Get("token")
	if token == "" {
		s.writeError(w, errInvalidRequest("token is missing"))
		return
	}
	s.mu.Lock()
	t, ok := s.tokens[token]
	s.mu.Unlock()
	if !ok || t.clientID != client.ID || !s.now().Before(t.expires) {
		writeJSON(w, http.StatusOK, introspection{Active: false})
		return
	}
	writeJSON(w, http.StatusOK, introspection{
		Active: true, ClientID: t.clientID, Scope: t.scope, TokenType: "Bearer",
		IssuedAt: t.issued.Unix(), ExpiresAt: t.expires.Unix(),
	})
}

// authenticateClient authenticates the client of a request with
// clientauth: one method per request, the one the client registered
// (client_secret_basic, client_secret_post, client_secret_jwt,
// private_key_jwt, mTLS, or none for a public client). The body is read
// again by clientauth and left readable.
func (s *Server) authenticateClient(r *http.Request) (*oauthreg.Client, error) {
	client, _, err := s.auth.Authenticate(r)
	if err != nil {
		var ce *clientauth.Error
		if errors.As(err, &ce) && ce.Status >= http.StatusInternalServerError {
			s.Log.ErrorContext(r.Context(), "tokenserver: authenticating a client", "err", ce.Err)
		}
		return nil, err
	}
	return client, nil
}

// readForm checks that r is a POST with an application/x-www-form-urlencoded
// body and returns the body's parameters, each present at most once
// (RFC 6749 §3.2). The query string is ignored.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, *oauthError) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return nil, &oauthError{Status: http.StatusMethodNotAllowed, Code: "invalid_request", Description: "use POST"}
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, errInvalidRequest("the body must be application/x-www-form-urlencoded")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFormBytes))
	if err != nil {
		return nil, errInvalidRequest("the body is too large or could not be read")
	}
	r.Body = io.NopCloser(bytes.NewReader(body)) // clientauth reads it too
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errInvalidRequest("the body is not a valid form")
	}
	for _, v := range form {
		if len(v) > 1 {
			return nil, errInvalidRequest("a parameter is repeated")
		}
	}
	return form, nil
}

// remember records an issued token, pruning expired ones now and then so the
// map does not grow without bound.
func (s *Server) remember(token string, t issuedToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.tokens) >= s.sweepAt {
		for k, v := range s.tokens {
			if !t.issued.Before(v.expires) {
				delete(s.tokens, k)
			}
		}
		s.sweepAt = max(2*len(s.tokens), 1024)
	}
	s.tokens[token] = t
}

// newToken returns an opaque access token: 256 bits from crypto/rand,
// base64url without padding.
func newToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand's documented guarantee since Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// oauthError is an error response of RFC 6749 §5.2.
type oauthError struct {
	Status      int    `json:"-"`
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func errInvalidRequest(desc string) *oauthError {
	return &oauthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: desc}
}

func (s *Server) writeError(w http.ResponseWriter, e *oauthError) {
	writeJSON(w, e.Status, e)
}

// writeJSON writes v with the headers RFC 6749 §5.1 requires of every
// response that may carry a token or credentials.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
