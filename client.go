package oauthreg

import (
	"maps"
	"slices"
	"time"
)

// GrantType is an OAuth 2.0 grant type a client may use at the token
// endpoint (RFC 7591 "grant_types").
type GrantType string

// Grant types of RFC 6749, RFC 7523 and RFC 8628.
const (
	GrantAuthorizationCode GrantType = "authorization_code"
	GrantClientCredentials GrantType = "client_credentials"
	GrantRefreshToken      GrantType = "refresh_token"
	GrantImplicit          GrantType = "implicit"
	GrantPassword          GrantType = "password"
	GrantJWTBearer         GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	GrantSAML2Bearer       GrantType = "urn:ietf:params:oauth:grant-type:saml2-bearer"
	GrantDeviceCode        GrantType = "urn:ietf:params:oauth:grant-type:device_code"
	GrantTokenExchange     GrantType = "urn:ietf:params:oauth:grant-type:token-exchange"
)

// ResponseType is an OAuth 2.0 response type a client may use at the
// authorization endpoint (RFC 7591 "response_types").
type ResponseType string

// Response types of RFC 6749 and OpenID Connect.
const (
	ResponseCode    ResponseType = "code"
	ResponseToken   ResponseType = "token"
	ResponseIDToken ResponseType = "id_token"
	// ResponseNone: OpenID Connect's "none" response type.
	ResponseNone ResponseType = "none"
)

// AuthMethod is how a client authenticates at the token endpoint
// (RFC 7591 "token_endpoint_auth_method").
type AuthMethod string

// Token endpoint authentication methods of RFC 7591 and RFC 8705.
const (
	// AuthNone: a public client, no authentication (RFC 7591).
	AuthNone AuthMethod = "none"
	// AuthClientSecretBasic: HTTP Basic with client_id and secret; the
	// RFC 7591 default for confidential clients.
	AuthClientSecretBasic AuthMethod = "client_secret_basic"
	// AuthClientSecretPost: client_id and client_secret in the form body.
	AuthClientSecretPost AuthMethod = "client_secret_post"
	// AuthClientSecretJWT: a JWT signed with HMAC over the secret
	// (RFC 7523); needs the plaintext, so it requires sealed secrets.
	AuthClientSecretJWT AuthMethod = "client_secret_jwt"
	// AuthPrivateKeyJWT: a JWT signed with the client's private key.
	AuthPrivateKeyJWT AuthMethod = "private_key_jwt"
	// AuthTLSClient: mutual TLS with a PKI certificate (RFC 8705).
	AuthTLSClient AuthMethod = "tls_client_auth"
	// AuthSelfSignedTLSClient: mutual TLS with a self-signed certificate
	// (RFC 8705).
	AuthSelfSignedTLSClient AuthMethod = "self_signed_tls_client_auth"
)

// UsesSecret reports whether the method authenticates with a client secret
// (client_secret_basic, client_secret_post, client_secret_jwt).
func (m AuthMethod) UsesSecret() bool {
	return m.isPassword() || m == AuthClientSecretJWT
}

// isPassword reports whether the method sends the secret itself, which
// Authenticate checks; client_secret_jwt sends a JWT signed with it.
func (m AuthMethod) isPassword() bool {
	return m == AuthClientSecretBasic || m == AuthClientSecretPost
}

// Default token lifetimes, applied by Register when a client leaves them
// zero. Change them per Registry with WithTokenTTLs.
const (
	DefaultAccessTokenTTL  = 24 * time.Hour
	DefaultRefreshTokenTTL = 10 * 24 * time.Hour
)

// Client is an OAuth 2.0 client and its secrets: one aggregate, read and
// written as a whole. Register fills ID, timestamps, Version and Secrets;
// Update changes the metadata; the secret methods of Registry change Secrets.
//
// A Client marshals to JSON with RFC 7591 field names (see MarshalJSON).
// Secret hashes never appear in JSON.
type Client struct {
	// ID is the client_id. Register generates one (a UUIDv7, so IDs sort by
	// creation time) when it is empty.
	ID string
	// Owner is the ID of the organization that owns the client.
	Owner string
	// Name is the human-readable client_name.
	Name string
	// Description is free text for administrators.
	Description string

	// GrantTypes the client may use. Register defaults an empty list to
	// authorization_code for clients with redirect URIs and to
	// client_credentials otherwise.
	GrantTypes []GrantType
	// ResponseTypes the client may use at the authorization endpoint.
	// Register defaults it to "code" when GrantTypes has
	// authorization_code.
	ResponseTypes []ResponseType
	// Scopes the client may request (RFC 6749 scope tokens).
	Scopes []string
	// RedirectURIs registered for the client; matched exactly (see
	// MatchRedirectURI).
	RedirectURIs []string
	// TokenEndpointAuthMethod defaults to client_secret_basic for
	// confidential clients and none for public ones.
	TokenEndpointAuthMethod AuthMethod
	// Public marks a public client (a browser or native app that cannot keep
	// a secret): it authenticates with "none" and has no secrets.
	Public bool

	// AccessTokenTTL and RefreshTokenTTL are the lifetimes of tokens issued
	// to the client. Zero at registration means the Registry's defaults
	// (24 hours and 10 days unless changed with WithTokenTTLs).
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration

	// Disabled clients fail authentication, with their secrets kept.
	Disabled bool

	// SystemTags and UserTags are labels (ZStack keeps both kinds); the
	// library stores them and does not interpret them.
	SystemTags []string
	UserTags   []string
	// Metadata is free key/value data for the embedding server.
	Metadata map[string]string

	// RotationPolicy overrides the Registry's policy for this client when
	// not nil.
	RotationPolicy *RotationPolicy

	// CreatedAt, UpdatedAt and LastUsedAt are set by the Registry.
	// LastUsedAt is the last successful authentication, recorded at most
	// once per WithLastUsedInterval.
	CreatedAt  time.Time
	UpdatedAt  time.Time
	LastUsedAt time.Time

	// Version is the optimistic-concurrency version, set by the Store and
	// increased by every update.
	Version int64

	// Secrets are the client's secrets, oldest first, including revoked
	// and expired ones until they are purged. They hold hashes only.
	Secrets []Secret
}

// Clone returns a deep copy of c that shares no memory with it. Stores use
// it to hand out copies; a nil receiver returns nil.
func (c *Client) Clone() *Client {
	if c == nil {
		return nil
	}
	out := *c
	out.GrantTypes = cloneSlice(c.GrantTypes)
	out.ResponseTypes = cloneSlice(c.ResponseTypes)
	out.Scopes = cloneSlice(c.Scopes)
	out.RedirectURIs = cloneSlice(c.RedirectURIs)
	out.SystemTags = cloneSlice(c.SystemTags)
	out.UserTags = cloneSlice(c.UserTags)
	out.Metadata = maps.Clone(c.Metadata)
	if c.RotationPolicy != nil {
		p := *c.RotationPolicy
		out.RotationPolicy = &p
	}
	out.Secrets = cloneSlice(c.Secrets)
	return &out
}

// cloneSlice copies s exactly (nil stays nil, empty stays empty) with one
// make and copy: cheaper than slices.Clone's append on the hot path.
func cloneSlice[S ~[]E, E any](s S) S {
	if s == nil {
		return nil
	}
	out := make(S, len(s))
	copy(out, s)
	return out
}

// HasGrantType reports whether the client may use grant type g.
func (c *Client) HasGrantType(g GrantType) bool { return slices.Contains(c.GrantTypes, g) }

// HasScope reports whether scope is one of the client's scopes.
func (c *Client) HasScope(scope string) bool { return slices.Contains(c.Scopes, scope) }

// ActiveSecrets returns the secrets that authenticate at time now, oldest
// first.
func (c *Client) ActiveSecrets(now time.Time) []Secret {
	var out []Secret
	for _, s := range c.Secrets {
		if s.ActiveAt(now) {
			out = append(out, s)
		}
	}
	return out
}

// NewestSecret returns the most recently created secret that is active at
// now, and false if there is none.
func (c *Client) NewestSecret(now time.Time) (Secret, bool) {
	for i := len(c.Secrets) - 1; i >= 0; i-- {
		if c.Secrets[i].ActiveAt(now) {
			return c.Secrets[i], true
		}
	}
	return Secret{}, false
}

// Secret returns the secret with the given ID, whatever its state.
func (c *Client) Secret(id string) (Secret, bool) {
	i := c.secretIndex(id)
	if i < 0 {
		return Secret{}, false
	}
	return c.Secrets[i], true
}

func (c *Client) secretIndex(id string) int {
	for i := range c.Secrets {
		if c.Secrets[i].ID == id {
			return i
		}
	}
	return -1
}
