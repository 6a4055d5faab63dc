package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/registration"
)

// endpoint serves dynamic client registration (RFC 7591) at /register, the
// client configuration endpoint (RFC 7592) at /register/{client_id}, the
// authorization server metadata a client discovers them from (RFC 8414 and
// OpenID Connect Discovery), and a client_credentials token endpoint so a
// registered client can use its secret at once.
type endpoint struct {
	issuer string
	reg    *oauthreg.Registry
	srv    *registration.Server
	// initialToken, when not empty, is the initial access token (RFC 7591
	// §3) a registration request must present as a Bearer token.
	initialToken string
}

func newEndpoint(issuer string, reg *oauthreg.Registry, initialToken string) *endpoint {
	e := &endpoint{issuer: strings.TrimSuffix(issuer, "/"), reg: reg, initialToken: initialToken}
	e.srv = &registration.Server{
		Registry:  reg,
		ClientURI: func(id string) string { return e.issuer + "/register/" + url.PathEscape(id) },
		// Machine clients may register without redirect URIs only when
		// the endpoint is protected by an initial access token.
		AllowClientCredentialsDefault: initialToken != "",
		RotateTokenOnUpdate:           true,
	}
	return e
}

func (e *endpoint) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", e.discovery)
	mux.HandleFunc("GET /.well-known/openid-configuration", e.discovery)
	mux.HandleFunc("POST /register", e.register)
	mux.HandleFunc("GET /register/{id}", e.read)
	mux.HandleFunc("PUT /register/{id}", e.update)
	mux.HandleFunc("DELETE /register/{id}", e.delete)
	mux.HandleFunc("POST /token", e.token)
	return mux
}

func (e *endpoint) discovery(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"issuer":                                e.issuer,
		"registration_endpoint":                 e.issuer + "/register",
		"token_endpoint":                        e.issuer + "/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"grant_types_supported":                 []string{"client_credentials", "authorization_code", "refresh_token"},
		"response_types_supported":              []string{"code"},
	})
}

// readRequest reads and parses a registration or update body.
func readRequest(w http.ResponseWriter, r *http.Request) (*registration.Request, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, registration.MaxRequestBytes))
	if err != nil {
		(&registration.Error{Code: registration.CodeInvalidClientMetadata, Status: http.StatusRequestEntityTooLarge,
			Description: "the request body is too large"}).Write(w)
		return nil, false
	}
	req, err := registration.ParseRequest(body)
	if err != nil {
		registration.AsError(err).Write(w)
		return nil, false
	}
	return req, true
}

func (e *endpoint) register(w http.ResponseWriter, r *http.Request) {
	if e.initialToken != "" {
		tok, ok := registration.BearerToken(r)
		if !ok || subtle.ConstantTimeCompare([]byte(tok), []byte(e.initialToken)) != 1 {
			registration.AsError(oauthreg.ErrInvalidCredentials).Write(w)
			return
		}
	}
	req, ok := readRequest(w, r)
	if !ok {
		return
	}
	// What only this server decides: every dynamically registered client
	// belongs to one organization and is labelled as such.
	resp, err := e.srv.Register(r.Context(), req, registration.ServerValues{
		Owner: "dynamic", SystemTags: []string{"registered:dynamic"},
	})
	if err != nil {
		registration.AsError(err).Write(w)
		return
	}
	resp.Write(w, http.StatusCreated)
}

func (e *endpoint) read(w http.ResponseWriter, r *http.Request) {
	tok, _ := registration.BearerToken(r)
	resp, err := e.srv.Read(r.Context(), r.PathValue("id"), tok)
	if err != nil {
		registration.AsError(err).Write(w)
		return
	}
	resp.Write(w, http.StatusOK)
}

func (e *endpoint) update(w http.ResponseWriter, r *http.Request) {
	tok, _ := registration.BearerToken(r)
	req, ok := readRequest(w, r)
	if !ok {
		return
	}
	resp, err := e.srv.Update(r.Context(), r.PathValue("id"), tok, req)
	if err != nil {
		registration.AsError(err).Write(w)
		return
	}
	resp.Write(w, http.StatusOK)
}

func (e *endpoint) delete(w http.ResponseWriter, r *http.Request) {
	tok, _ := registration.BearerToken(r)
	if err := e.srv.Delete(r.Context(), r.PathValue("id"), tok); err != nil {
		registration.AsError(err).Write(w)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// token is a minimal client_credentials token endpoint: it authenticates
// the client with the method it registered and returns an opaque token.
func (e *endpoint) token(w http.ResponseWriter, r *http.Request) {
	id, secret, basic := r.BasicAuth()
	method := oauthreg.AuthClientSecretBasic
	if basic {
		// RFC 6749 §2.3.1: form-encoded before Basic encoding.
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret, method = r.PostFormValue("client_id"), r.PostFormValue("client_secret"), oauthreg.AuthClientSecretPost
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	if r.PostFormValue("grant_type") != "client_credentials" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"unsupported_grant_type"}`)
		return
	}
	c, err := e.reg.AuthenticateWith(r.Context(), method, id, secret)
	if errors.Is(err, oauthreg.ErrInvalidCredentials) {
		w.Header().Set("WWW-Authenticate", `Basic realm="token"`)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"invalid_client"}`)
		return
	}
	if err != nil || !c.HasGrantType(oauthreg.GrantClientCredentials) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"unauthorized_client"}`)
		return
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": base64.RawURLEncoding.EncodeToString(b[:]), "token_type": "Bearer", "expires_in": 3600,
	})
}
