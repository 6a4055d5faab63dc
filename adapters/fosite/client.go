package oauthregfosite

import (
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite"

	"github.com/oauthreg/oauthreg"
)

// hashRefPrefix starts the value Client.GetHashedSecret returns; the client
// ID follows it. It is a reference for Hasher.Compare, never a hash.
const hashRefPrefix = "oauthreg:"

// Client is the fosite view of an oauthreg client, as ClientManager.GetClient
// returns it. It implements fosite.Client, fosite.ClientWithSecretRotation,
// fosite.OpenIDConnectClient and fosite.ClientWithCustomTokenLifespans.
//
// It holds no secret hashes: GetHashedSecret returns a reference that
// Hasher.Compare resolves with Registry.Authenticate. A Client is a snapshot
// taken when fosite asked for it, and is not modified afterwards; it is safe
// for concurrent use.
type Client struct {
	reg           *oauthreg.Client // a copy without Secrets
	hashRef       []byte
	grantTypes    fosite.Arguments
	responseTypes fosite.Arguments
	lifespans     bool
}

var (
	_ fosite.Client                         = (*Client)(nil)
	_ fosite.ClientWithSecretRotation       = (*Client)(nil)
	_ fosite.OpenIDConnectClient            = (*Client)(nil)
	_ fosite.ClientWithCustomTokenLifespans = (*Client)(nil)
)

// newClient builds the fosite view of c, which it takes ownership of.
func newClient(c *oauthreg.Client, lifespans bool) *Client {
	c.Secrets = nil // the hashes stay in the Registry
	fc := &Client{
		reg:           c,
		hashRef:       []byte(hashRefPrefix + c.ID),
		grantTypes:    make(fosite.Arguments, len(c.GrantTypes)),
		responseTypes: make(fosite.Arguments, len(c.ResponseTypes)),
		lifespans:     lifespans,
	}
	for i, g := range c.GrantTypes {
		fc.grantTypes[i] = string(g)
	}
	for i, r := range c.ResponseTypes {
		fc.responseTypes[i] = string(r)
	}
	return fc
}

// Registered returns a copy of the oauthreg client this Client was made from,
// for the metadata fosite has no getter for (owner, name, tags, Metadata).
// Its Secrets are nil.
func (c *Client) Registered() *oauthreg.Client { return c.reg.Clone() }

// GetID returns the client_id.
func (c *Client) GetID() string { return c.reg.ID }

// GetHashedSecret returns "oauthreg:" followed by the client ID: not a hash,
// but the reference Hasher.Compare resolves by calling
// Registry.Authenticate for that client. Only this package's Hasher
// understands it.
func (c *Client) GetHashedSecret() []byte { return c.hashRef }

// GetRotatedHashes returns nil. fosite tries rotated hashes only after
// Compare failed on GetHashedSecret, and that Compare has already checked the
// presented secret against every active secret of the client, including the
// ones still in their grace period after a rotation; trying again would
// only repeat the work.
func (c *Client) GetRotatedHashes() [][]byte { return nil }

// GetRedirectURIs returns the registered redirect URIs.
func (c *Client) GetRedirectURIs() []string { return c.reg.RedirectURIs }

// GetGrantTypes returns the grant types the client may use.
func (c *Client) GetGrantTypes() fosite.Arguments { return c.grantTypes }

// GetResponseTypes returns the response types the client may use.
func (c *Client) GetResponseTypes() fosite.Arguments { return c.responseTypes }

// GetScopes returns the scopes the client may request.
func (c *Client) GetScopes() fosite.Arguments { return c.reg.Scopes }

// IsPublic reports whether the client is public (token endpoint auth method
// none). fosite does not check a secret for a public client.
func (c *Client) IsPublic() bool { return c.reg.Public }

// GetAudience returns nil: oauthreg does not keep an audience per client.
func (c *Client) GetAudience() fosite.Arguments { return nil }

// GetTokenEndpointAuthMethod returns the client's token_endpoint_auth_method
// (client_secret_basic, client_secret_post, none, …). fosite refuses a token
// request that authenticates another way.
func (c *Client) GetTokenEndpointAuthMethod() string {
	return string(c.reg.TokenEndpointAuthMethod)
}

// GetRequestURIs returns nil: oauthreg keeps no request_uris.
func (c *Client) GetRequestURIs() []string { return nil }

// GetJSONWebKeys returns nil: oauthreg keeps no client keys, so fosite
// refuses private_key_jwt client assertions.
func (c *Client) GetJSONWebKeys() *jose.JSONWebKeySet { return nil }

// GetJSONWebKeysURI returns "": oauthreg keeps no jwks_uri.
func (c *Client) GetJSONWebKeysURI() string { return "" }

// GetRequestObjectSigningAlgorithm returns "": no algorithm is registered
// for request objects.
func (c *Client) GetRequestObjectSigningAlgorithm() string { return "" }

// GetTokenEndpointAuthSigningAlgorithm returns "RS256", fosite's own
// default (fosite.DefaultOpenIDConnectClient).
func (c *Client) GetTokenEndpointAuthSigningAlgorithm() string { return "RS256" }

// GetEffectiveLifespan returns the client's own lifetime for the token type
// and grant (oauthreg.Client.TokenLifetime: a per-grant value, else the
// client-wide one), and fallback (fosite's configured lifespan) when the
// client inherits, or when the ClientManager was built with
// WithClientTokenLifespans(false).
func (c *Client) GetEffectiveLifespan(gt fosite.GrantType, tt fosite.TokenType, fallback time.Duration) time.Duration {
	if !c.lifespans {
		return fallback
	}
	var t oauthreg.TokenType
	switch tt {
	case fosite.AccessToken:
		t = oauthreg.TokenAccess
	case fosite.RefreshToken:
		t = oauthreg.TokenRefresh
	case fosite.IDToken:
		t = oauthreg.TokenID
	case fosite.AuthorizeCode:
		t = oauthreg.TokenAuthorizationCode
	default:
		return fallback
	}
	if d, ok := c.reg.TokenLifetime(oauthreg.GrantType(gt), t); ok {
		return d
	}
	return fallback
}
