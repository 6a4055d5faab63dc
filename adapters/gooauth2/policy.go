package gooauth2

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-oauth2/oauth2/v4"
	"github.com/go-oauth2/oauth2/v4/server"

	"github.com/oauthreg/oauthreg"
)

// The handlers in this file map the client policy oauthreg keeps onto the
// hooks go-oauth2's server offers. go-oauth2 has no hook for a client's
// refresh token or authorization code lifetime (its manager sets those per
// grant type, for every client), its audience, response modes, PKCE
// requirement, keys or OpenID Connect metadata, so those fields of
// oauthreg.Client stay unused here.
//
//	srv.SetClientAuthorizedHandler(clients.ClientAuthorizedHandler())
//	srv.SetClientScopeHandler(clients.ClientScopeHandler())
//	srv.SetAccessTokenExpHandler(clients.AccessTokenExpHandler())

// grantOf maps go-oauth2's grant types to oauthreg's.
func grantOf(gt oauth2.GrantType) oauthreg.GrantType {
	if gt == oauth2.Implicit {
		return oauthreg.GrantImplicit
	}
	return oauthreg.GrantType(gt)
}

// ClientAuthorizedHandler returns a server.ClientAuthorizedHandler that
// allows a grant type only to a client whose GrantTypes list it, and no
// grant to a disabled or unknown client. go-oauth2 calls it at the
// authorization endpoint (authorization_code, or implicit for
// response_type=token) and at the token endpoint.
func (s *ClientStore) ClientAuthorizedHandler() server.ClientAuthorizedHandler {
	return func(clientID string, gt oauth2.GrantType) (bool, error) {
		// go-oauth2 passes no context to this hook.
		c, err := s.client(context.Background(), clientID)
		if c == nil {
			return false, err
		}
		return c.HasGrantType(grantOf(gt)), nil
	}
}

// ClientScopeHandler returns a server.ClientScopeHandler that allows a
// request only when every scope it asks for is one of the client's Scopes
// (a request without a scope is allowed). It also sets the request's access
// token lifetime to the one in force for the client and the grant of the
// request (Registry.EffectiveTokenLifetime), which go-oauth2's manager then
// uses for the token it issues: this is the only hook go-oauth2 calls for
// the client_credentials and password grants before issuing a token.
func (s *ClientStore) ClientScopeHandler() server.ClientScopeHandler {
	return func(tgr *oauth2.TokenGenerateRequest) (bool, error) {
		ctx := context.Background()
		if tgr.Request != nil {
			ctx = tgr.Request.Context()
		}
		c, err := s.client(ctx, tgr.ClientID)
		if c == nil {
			return false, err
		}
		for scope := range strings.FieldsSeq(tgr.Scope) {
			if !slices.Contains(c.Scopes, scope) {
				return false, nil
			}
		}
		if d := s.reg.EffectiveTokenLifetime(c, grantOfRequest(tgr.Request), oauthreg.TokenAccess); d > 0 {
			tgr.AccessTokenExp = d
		}
		return true, nil
	}
}

// AccessTokenExpHandler returns a server.AccessTokenExpHandler for the
// authorization endpoint: the access token lifetime in force for the
// client of the request (its client_id parameter) and its grant (implicit
// for response_type=token, else authorization_code). go-oauth2 stores it
// with the authorization code and uses it when the code is exchanged.
func (s *ClientStore) AccessTokenExpHandler() server.AccessTokenExpHandler {
	return func(w http.ResponseWriter, r *http.Request) (time.Duration, error) {
		c, err := s.client(r.Context(), r.FormValue("client_id"))
		if c == nil {
			return 0, err
		}
		return s.reg.EffectiveTokenLifetime(c, grantOfRequest(r), oauthreg.TokenAccess), nil
	}
}

// grantOfRequest names the grant a go-oauth2 request is for: its
// grant_type at the token endpoint, implicit or authorization_code at the
// authorization endpoint.
func grantOfRequest(r *http.Request) oauthreg.GrantType {
	if r == nil {
		return ""
	}
	if gt := r.FormValue("grant_type"); gt != "" {
		return oauthreg.GrantType(gt)
	}
	if r.FormValue("response_type") == string(oauth2.Token) {
		return oauthreg.GrantImplicit
	}
	return oauthreg.GrantAuthorizationCode
}

// client reads an enabled client, or returns nil: with a nil error when the
// client is unknown or disabled (go-oauth2 then refuses the request), with
// the error (also passed to the error handler) when the store failed.
func (s *ClientStore) client(ctx context.Context, id string) (*oauthreg.Client, error) {
	c, err := s.reg.Get(ctx, id)
	switch {
	case errors.Is(err, oauthreg.ErrNotFound):
		return nil, nil
	case err != nil:
		s.onError(ctx, id, err)
		return nil, err
	case c.Disabled:
		return nil, nil
	}
	return c, nil
}
