package oauthregfosite

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/ory/fosite"
)

// AuthenticationStrategy returns a client authentication strategy for
// fosite.Config's ClientAuthenticationStrategy field. It runs fosite's own
// DefaultClientAuthenticationStrategy (HTTP Basic, client_secret_post, none,
// JWT client assertions) over store, with two changes:
//
//   - A failure of the Registry or its store is answered with server_error
//     (HTTP 500) instead of fosite's invalid_client (401): the client is not
//     at fault, and must not conclude that its secret is wrong.
//   - When the client ID is unknown or the client disabled, it still calls
//     Registry.Authenticate with the presented credentials before answering
//     invalid_client. Without it fosite answers after one store read, much
//     sooner than for a wrong secret, so client IDs could be told apart by
//     timing; with it the Registry burns the same decoy work it does for
//     any unknown client, and its observers see the attempt.
//
// config is the configuration the provider is composed with; the strategy
// reads it at each request, for the JWT assertion path (token URLs, JWKS
// fetcher). store is the storage the provider is composed with: the
// strategy looks clients up there, as fosite's authorization, PAR and
// introspection endpoints do, so a client your storage decorates or
// changes on its way to fosite (an audience, response modes, another
// lifetime) is the same client at every endpoint. A nil store means this
// ClientManager alone, which is right only when the provider is composed
// with the ClientManager itself or with a storage whose GetClient returns
// its clients unchanged.
//
//	config.ClientAuthenticationStrategy = clients.AuthenticationStrategy(config, store)
func (m *ClientManager) AuthenticationStrategy(config fosite.Configurator, store fosite.ClientManager) fosite.ClientAuthenticationStrategy {
	if store == nil {
		store = m
	}
	f := &fosite.Fosite{Store: store, Config: config}
	return func(ctx context.Context, r *http.Request, form url.Values) (fosite.Client, error) {
		client, err := f.DefaultClientAuthenticationStrategy(ctx, r, form)
		if err == nil {
			return client, nil
		}
		var se *storeError
		if errors.As(err, &se) {
			return nil, fosite.ErrServerError.WithWrap(err).WithDebug(err.Error())
		}
		if errors.Is(err, fosite.ErrNotFound) && form.Get("client_assertion_type") == "" && m.reg != nil {
			if id, secret, ok := presentedCredentials(r, form); ok {
				_, _ = m.reg.AuthenticateView(ctx, "", id, secret) // what Hasher.Compare does
			}
		}
		return nil, err
	}
}

// presentedCredentials reads the client ID and secret the way fosite does:
// from HTTP Basic authentication (each part form-urlencoded, RFC 6749
// section 2.3.1), or else from the client_id and client_secret form fields.
func presentedCredentials(r *http.Request, form url.Values) (id, secret string, ok bool) {
	if r != nil {
		if rawID, rawSecret, basic := r.BasicAuth(); basic {
			id, err1 := url.QueryUnescape(rawID)
			secret, err2 := url.QueryUnescape(rawSecret)
			return id, secret, err1 == nil && err2 == nil && id != ""
		}
	}
	id = form.Get("client_id")
	return id, form.Get("client_secret"), id != ""
}
