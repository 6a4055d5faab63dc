package oauthregfosite

import (
	"fmt"
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
// fosite.OpenIDConnectClient, fosite.ResponseModeClient and
// fosite.ClientWithCustomTokenLifespans, each getter reading the oauthreg
// field of the same meaning (audience, response modes, JWKS and JWKS URI,
// request URIs and their signing algorithm, token endpoint method and
// signing algorithm, per-grant lifetimes).
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
	responseModes []fosite.ResponseModeType
	jwks          *jose.JSONWebKeySet // parsed from reg.JWKS; nil without one
	lifespans     bool
}

var (
	_ fosite.Client                         = (*Client)(nil)
	_ fosite.ClientWithSecretRotation       = (*Client)(nil)
	_ fosite.OpenIDConnectClient            = (*Client)(nil)
	_ fosite.ResponseModeClient             = (*Client)(nil)
	_ fosite.ClientWithCustomTokenLifespans = (*Client)(nil)
)

// newClient builds the fosite view of c, which it takes ownership of. It
// fails when the client's JWK Set cannot be read (see parseJWKS).
func newClient(c *oauthreg.Client, lifespans bool) (*Client, error) {
	c.Secrets = nil // the hashes stay in the Registry
	jwks, err := parseJWKS(c.JWKS)
	if err != nil {
		return nil, fmt.Errorf("oauthregfosite: client %q: %w", c.ID, err)
	}
	fc := &Client{
		reg:           c,
		hashRef:       []byte(hashRefPrefix + c.ID),
		grantTypes:    make(fosite.Arguments, len(c.GrantTypes)),
		responseTypes: make(fosite.Arguments, len(c.ResponseTypes)),
		responseModes: make([]fosite.ResponseModeType, len(c.ResponseModes)),
		jwks:          jwks,
		lifespans:     lifespans,
	}
	for i, g := range c.GrantTypes {
		fc.grantTypes[i] = string(g)
	}
	for i, r := range c.ResponseTypes {
		fc.responseTypes[i] = string(r)
	}
	for i, m := range c.ResponseModes {
		fc.responseModes[i] = fosite.ResponseModeType(m)
	}
	return fc, nil
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

// GetAudience returns the audiences the client may request tokens for
// (oauthreg.Client.Audience). fosite refuses a requested audience that is
// not among them, at the authorization, token and PAR endpoints alike.
func (c *Client) GetAudience() fosite.Arguments { return c.reg.Audience }

// GetResponseModes returns the response modes the client may request
// (oauthreg.Client.ResponseModes). fosite refuses an explicit response_mode
// that is not among them; without one it uses the response type's default
// mode, whatever the list.
func (c *Client) GetResponseModes() []fosite.ResponseModeType { return c.responseModes }

// GetTokenEndpointAuthMethod returns the client's token_endpoint_auth_method
// (client_secret_basic, client_secret_post, private_key_jwt, none, …).
// fosite refuses a token request that authenticates another way.
func (c *Client) GetTokenEndpointAuthMethod() string {
	return string(c.reg.TokenEndpointAuthMethod)
}

// GetRequestURIs returns the client's request_uris (OpenID Connect request
// objects passed by reference).
func (c *Client) GetRequestURIs() []string { return c.reg.RequestURIs }

// GetJSONWebKeys returns the client's JWK Set (oauthreg.Client.JWKS, parsed
// when fosite looked the client up), against which fosite verifies
// private_key_jwt client assertions and signed request objects; nil when
// the client has none. Only public keys are returned.
func (c *Client) GetJSONWebKeys() *jose.JSONWebKeySet { return c.jwks }

// GetJSONWebKeysURI returns the client's jwks_uri, from which fosite's
// JWKSFetcherStrategy fetches its keys when it has no JWK Set.
func (c *Client) GetJSONWebKeysURI() string { return c.reg.JWKSURI }

// GetRequestObjectSigningAlgorithm returns the client's
// request_object_signing_alg ("" when not registered).
func (c *Client) GetRequestObjectSigningAlgorithm() string { return c.reg.RequestObjectSigningAlg }

// GetTokenEndpointAuthSigningAlgorithm returns the client's
// token_endpoint_auth_signing_alg, or "RS256" when it has none, as
// fosite.DefaultOpenIDConnectClient does. fosite refuses a client
// assertion signed with another algorithm.
func (c *Client) GetTokenEndpointAuthSigningAlgorithm() string {
	if c.reg.TokenEndpointAuthSigningAlg == "" {
		return "RS256"
	}
	return c.reg.TokenEndpointAuthSigningAlg
}

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
