package oauthregfosite

import (
	"time"

	"github.com/ory/fosite"

	"github.com/oauthreg/oauthreg"
)

// SecretClient is the fosite view of a client registered for
// client_secret_basic or client_secret_post that ClientManager.GetClient
// returns when built with WithEitherSecretMethod(true). It has every getter
// of Client except the OpenID Connect ones (fosite.OpenIDConnectClient), so
// that fosite accepts the secret in the Authorization header or in the form
// alike, as it does for a fosite.DefaultClient; oauthreg's
// Registry.Authenticate still checks it. Without those getters fosite also
// refuses OpenID Connect request objects from the client, which needs keys
// or a request_uri to send them anyway.
type SecretClient struct {
	fosite.Client // the *Client; only fosite.Client's methods are promoted
	c             *Client
}

var (
	_ fosite.ClientWithSecretRotation       = SecretClient{}
	_ fosite.ResponseModeClient             = SecretClient{}
	_ fosite.ClientWithCustomTokenLifespans = SecretClient{}
)

// GetRotatedHashes is Client.GetRotatedHashes.
func (s SecretClient) GetRotatedHashes() [][]byte { return s.c.GetRotatedHashes() }

// GetResponseModes is Client.GetResponseModes.
func (s SecretClient) GetResponseModes() []fosite.ResponseModeType { return s.c.GetResponseModes() }

// GetEffectiveLifespan is Client.GetEffectiveLifespan.
func (s SecretClient) GetEffectiveLifespan(gt fosite.GrantType, tt fosite.TokenType, fallback time.Duration) time.Duration {
	return s.c.GetEffectiveLifespan(gt, tt, fallback)
}

// Registered is Client.Registered.
func (s SecretClient) Registered() *oauthreg.Client { return s.c.Registered() }

// eitherSecretMethod reports whether the client authenticates with a secret
// sent as a password (client_secret_basic or client_secret_post) and uses
// none of the OpenID Connect client features fosite reads through
// fosite.OpenIDConnectClient, so that it can be served as a SecretClient.
func (c *Client) eitherSecretMethod() bool {
	r := c.reg
	switch r.TokenEndpointAuthMethod {
	case oauthreg.AuthClientSecretBasic, oauthreg.AuthClientSecretPost:
	default:
		return false
	}
	return len(r.JWKS) == 0 && r.JWKSURI == "" && len(r.RequestURIs) == 0 &&
		r.RequestObjectSigningAlg == "" && r.TokenEndpointAuthSigningAlg == ""
}
