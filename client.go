package oauthreg

import (
	"encoding/json"
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

	// AccessTokenTTL and RefreshTokenTTL are the client-wide access and
	// refresh token lifetimes, zero for "inherit the Registry's default".
	//
	// Deprecated: use Lifetimes.AccessToken and Lifetimes.RefreshToken,
	// and Registry.EffectiveTokenLifetime for the value in force. Register
	// and Update keep each alias equal to its Lifetimes member: a value set
	// (or, in Update, changed) only in the alias is moved into Lifetimes.
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration

	// Disabled clients fail authentication, with their secrets kept.
	Disabled bool

	// --- Descriptive metadata (RFC 7591 §2) ---

	// ClientURI is the client's home page (client_uri), shown to users.
	ClientURI string
	// LogoURI is the client's logo (logo_uri), shown on consent screens.
	LogoURI string
	// TOSURI is the client's terms of service (tos_uri).
	TOSURI string
	// PolicyURI is the client's privacy policy (policy_uri).
	PolicyURI string
	// Contacts are ways to reach the people responsible for the client,
	// usually e-mail addresses (contacts).
	Contacts []string
	// SoftwareID identifies the client software across all its
	// registrations (software_id, often a UUID chosen by its developer).
	SoftwareID string
	// SoftwareVersion is the version of that software (software_version).
	SoftwareVersion string
	// Localized holds the language-tagged variants of human-readable
	// members (RFC 7591 §2.2). A key is the full JSON member name with its
	// BCP 47 tag, such as "client_name#ja-Jpan-JP" or "logo_uri#fr"; the
	// member before the '#' is one of client_name, client_uri, logo_uri,
	// tos_uri and policy_uri.
	Localized map[string]string

	// --- Keys and client authentication ---

	// JWKS is the client's JSON Web Key Set (jwks), a JSON object
	// {"keys": [...]} of public keys only; nil when there is none. It and
	// JWKSURI are mutually exclusive. private_key_jwt and
	// self_signed_tls_client_auth clients need one of them.
	JWKS json.RawMessage
	// JWKSURI is an https URL the client publishes its JWK Set at
	// (jwks_uri), for clients that rotate their keys themselves.
	JWKSURI string
	// TokenEndpointAuthSigningAlg is the JWS algorithm the client signs its
	// private_key_jwt or client_secret_jwt assertions with
	// (token_endpoint_auth_signing_alg); empty accepts any the server
	// supports. Never "none".
	TokenEndpointAuthSigningAlg string
	// TLSClientAuthSubjectDN and the four TLSClientAuthSAN* fields say which
	// certificate a tls_client_auth client presents (RFC 8705 §2.1.2):
	// exactly one of them is set for such a client. SubjectDN is an
	// RFC 4514 distinguished name; the others match one subject
	// alternative name entry of type dNSName, uniformResourceIdentifier,
	// iPAddress or rfc822Name.
	TLSClientAuthSubjectDN string
	TLSClientAuthSANDNS    string
	TLSClientAuthSANURI    string
	TLSClientAuthSANIP     string
	TLSClientAuthSANEmail  string
	// TLSClientCertificateBoundAccessTokens asks for access tokens bound
	// to the client's TLS certificate (RFC 8705 §3.4).
	TLSClientCertificateBoundAccessTokens bool
	// DPoPBoundAccessTokens says the client always uses DPoP, so the
	// server refuses its token requests without a DPoP proof (RFC 9449
	// §5.2).
	DPoPBoundAccessTokens bool
	// RequirePushedAuthorizationRequests says the client's authorization
	// requests must come through the PAR endpoint (RFC 9126 §6).
	RequirePushedAuthorizationRequests bool

	// --- OpenID Connect Dynamic Client Registration 1.0 §2 ---

	// ApplicationType is "web" (the default when empty) or "native"; it
	// decides which redirect URIs are acceptable.
	ApplicationType string
	// IDTokenSignedResponseAlg, IDTokenEncryptedResponseAlg and
	// IDTokenEncryptedResponseEnc are the JWS and JWE algorithms of the ID
	// tokens issued to the client (empty: the server's default, no
	// encryption).
	IDTokenSignedResponseAlg    string
	IDTokenEncryptedResponseAlg string
	IDTokenEncryptedResponseEnc string
	// UserinfoSignedResponseAlg, UserinfoEncryptedResponseAlg and
	// UserinfoEncryptedResponseEnc do the same for UserInfo responses
	// (empty: plain JSON).
	UserinfoSignedResponseAlg    string
	UserinfoEncryptedResponseAlg string
	UserinfoEncryptedResponseEnc string
	// RequestObjectSigningAlg, RequestObjectEncryptionAlg and
	// RequestObjectEncryptionEnc are the algorithms the client's request
	// objects must use (empty: any the server supports, unencrypted).
	RequestObjectSigningAlg    string
	RequestObjectEncryptionAlg string
	RequestObjectEncryptionEnc string
	// RequestURIs are the request_uri values the client may use, https
	// URLs (request_uris).
	RequestURIs []string
	// SubjectType is "public" or "pairwise" (empty: the server's default).
	SubjectType string
	// SectorIdentifierURI is an https URL of a JSON array holding the
	// client's redirect URIs; its host is the sector of pairwise subject
	// identifiers (sector_identifier_uri).
	SectorIdentifierURI string
	// DefaultMaxAge is the default maximum authentication age
	// (default_max_age, whole seconds in JSON); zero means not set.
	DefaultMaxAge time.Duration
	// RequireAuthTime asks for the auth_time claim in every ID token.
	RequireAuthTime bool
	// DefaultACRValues are the default requested Authentication Context
	// Class References, most preferred first.
	DefaultACRValues []string
	// InitiateLoginURI is the https URL a third party can use to start a
	// login at the client (initiate_login_uri).
	InitiateLoginURI string
	// PostLogoutRedirectURIs are where the client may ask to be sent after
	// an RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0),
	// matched exactly like RedirectURIs.
	PostLogoutRedirectURIs []string
	// FrontchannelLogoutURI is rendered in an iframe at logout (OpenID
	// Connect Front-Channel Logout 1.0); FrontchannelLogoutSessionRequired
	// asks for the iss and sid query parameters on it.
	FrontchannelLogoutURI             string
	FrontchannelLogoutSessionRequired bool
	// BackchannelLogoutURI receives logout tokens (OpenID Connect
	// Back-Channel Logout 1.0); BackchannelLogoutSessionRequired asks for
	// the sid claim in them.
	BackchannelLogoutURI             string
	BackchannelLogoutSessionRequired bool

	// --- Server-side policy (never settable by a registration request) ---

	// Audience lists the audiences (resource servers) the client may
	// request tokens for; empty means the server's default.
	Audience []string
	// AllowedCORSOrigins are the web origins ("https://app.example.com")
	// allowed to call the token endpoint from a browser for this client.
	AllowedCORSOrigins []string
	// ResponseModes the client may use (response_mode); empty means the
	// server's defaults for its response types.
	ResponseModes []ResponseMode
	// RequirePKCE makes the client's authorization code flows require
	// PKCE (RFC 7636), whatever the server's default.
	RequirePKCE bool
	// Lifetimes are the client's own token lifetimes, client-wide and per
	// grant type; a zero member inherits (see TokenLifetime and
	// Registry.EffectiveTokenLifetime).
	Lifetimes TokenLifetimes

	// --- Unknown metadata ---

	// Extensions keeps, verbatim, the JSON members oauthreg does not know
	// (RFC 7591 §2 lets a server ignore them; this one keeps and returns
	// them). A key is the member name, its value the member's JSON. Names
	// of known members are refused.
	Extensions map[string]json.RawMessage

	// SystemTags and UserTags are labels (ZStack keeps both kinds); the
	// library stores them and does not interpret them.
	SystemTags []string
	UserTags   []string
	// Metadata is free key/value data for the embedding server.
	Metadata map[string]string

	// RotationPolicy overrides the Registry's policy for this client when
	// not nil.
	RotationPolicy *RotationPolicy

	// RegistrationTokenHash is the hash of the client's RFC 7592
	// registration access token (WithRegistrationToken,
	// RotateRegistrationToken), in the encoding of a generated secret's
	// hash; empty when the client has none. The token itself is never
	// stored, and the hash never appears in JSON. Update refuses to change
	// it.
	RegistrationTokenHash string

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
	// One allocation holds the copy and, when they fit, its most common
	// slices: a typical client costs one allocation instead of one per
	// slice.
	b := &cloneBlock{c: *c}
	out := &b.c
	out.GrantTypes = cloneInto(b.grants[:], c.GrantTypes)
	out.ResponseTypes = cloneInto(b.responseTypes[:], c.ResponseTypes)
	out.Scopes = cloneInto(b.scopes[:], c.Scopes)
	out.RedirectURIs = cloneInto(b.redirectURIs[:], c.RedirectURIs)
	out.SystemTags = cloneSlice(c.SystemTags)
	out.UserTags = cloneSlice(c.UserTags)
	out.Metadata = maps.Clone(c.Metadata)
	out.Contacts = cloneSlice(c.Contacts)
	out.Localized = maps.Clone(c.Localized)
	out.JWKS = cloneSlice(c.JWKS)
	out.RequestURIs = cloneSlice(c.RequestURIs)
	out.DefaultACRValues = cloneSlice(c.DefaultACRValues)
	out.PostLogoutRedirectURIs = cloneSlice(c.PostLogoutRedirectURIs)
	out.Audience = cloneSlice(c.Audience)
	out.AllowedCORSOrigins = cloneSlice(c.AllowedCORSOrigins)
	out.ResponseModes = cloneSlice(c.ResponseModes)
	out.Lifetimes.Grants = maps.Clone(c.Lifetimes.Grants)
	if c.Extensions != nil {
		out.Extensions = make(map[string]json.RawMessage, len(c.Extensions))
		for k, v := range c.Extensions {
			out.Extensions[k] = cloneSlice(v)
		}
	}
	if c.RotationPolicy != nil {
		p := *c.RotationPolicy
		out.RotationPolicy = &p
	}
	out.Secrets = cloneInto(b.secrets[:], c.Secrets)
	return out
}

// cloneBlock is what Clone allocates: the copy, and room for the slices
// most clients have, sized so the whole block fits the 1,536-byte size
// class of Go's allocator. A longer slice gets its own allocation.
type cloneBlock struct {
	c             Client
	secrets       [1]Secret
	grants        [1]GrantType
	responseTypes [1]ResponseType
	scopes        [4]string
	redirectURIs  [2]string
}

// cloneInto copies s like cloneSlice, into room when it fits. The result's
// capacity is its length, so an append by its owner reallocates instead of
// writing past it into the block.
func cloneInto[S ~[]E, E any](room []E, s S) S {
	if s == nil || len(s) > len(room) {
		return cloneSlice(s)
	}
	n := copy(room, s)
	return S(room[:n:n])
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
