package sqlstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/oauthreg/oauthreg"
)

// The profile column (migration 0002) keeps, as one JSON object, the client
// metadata that no query filters or sorts on: the RFC 7591 and OpenID
// Connect registration fields, the server-side policy of issue 9, the
// language-tagged members and the kept extensions. One column rather than
// forty: the hot read (Authenticate) fetches one more column, NULL for a
// client that sets none of them, so it decodes nothing; and a field added
// later needs no new migration. Durations are nanoseconds, raw JSON (the
// JWK Set, extension values) is kept as a string so that it comes back byte
// for byte.

// storedProfile is the JSON form of the profile column. Empty members are
// left out.
type storedProfile struct {
	ClientURI                             string            `json:"client_uri,omitempty"`
	LogoURI                               string            `json:"logo_uri,omitempty"`
	TOSURI                                string            `json:"tos_uri,omitempty"`
	PolicyURI                             string            `json:"policy_uri,omitempty"`
	Contacts                              []string          `json:"contacts,omitempty"`
	SoftwareID                            string            `json:"software_id,omitempty"`
	SoftwareVersion                       string            `json:"software_version,omitempty"`
	Localized                             map[string]string `json:"localized,omitempty"`
	JWKS                                  *string           `json:"jwks,omitempty"`
	JWKSURI                               string            `json:"jwks_uri,omitempty"`
	TokenEndpointAuthSigningAlg           string            `json:"token_endpoint_auth_signing_alg,omitempty"`
	TLSClientAuthSubjectDN                string            `json:"tls_client_auth_subject_dn,omitempty"`
	TLSClientAuthSANDNS                   string            `json:"tls_client_auth_san_dns,omitempty"`
	TLSClientAuthSANURI                   string            `json:"tls_client_auth_san_uri,omitempty"`
	TLSClientAuthSANIP                    string            `json:"tls_client_auth_san_ip,omitempty"`
	TLSClientAuthSANEmail                 string            `json:"tls_client_auth_san_email,omitempty"`
	TLSClientCertificateBoundAccessTokens bool              `json:"tls_client_certificate_bound_access_tokens,omitempty"`
	DPoPBoundAccessTokens                 bool              `json:"dpop_bound_access_tokens,omitempty"`
	RequirePushedAuthorizationRequests    bool              `json:"require_pushed_authorization_requests,omitempty"`
	ApplicationType                       string            `json:"application_type,omitempty"`
	IDTokenSignedResponseAlg              string            `json:"id_token_signed_response_alg,omitempty"`
	IDTokenEncryptedResponseAlg           string            `json:"id_token_encrypted_response_alg,omitempty"`
	IDTokenEncryptedResponseEnc           string            `json:"id_token_encrypted_response_enc,omitempty"`
	UserinfoSignedResponseAlg             string            `json:"userinfo_signed_response_alg,omitempty"`
	UserinfoEncryptedResponseAlg          string            `json:"userinfo_encrypted_response_alg,omitempty"`
	UserinfoEncryptedResponseEnc          string            `json:"userinfo_encrypted_response_enc,omitempty"`
	RequestObjectSigningAlg               string            `json:"request_object_signing_alg,omitempty"`
	RequestObjectEncryptionAlg            string            `json:"request_object_encryption_alg,omitempty"`
	RequestObjectEncryptionEnc            string            `json:"request_object_encryption_enc,omitempty"`
	RequestURIs                           []string          `json:"request_uris,omitempty"`
	SubjectType                           string            `json:"subject_type,omitempty"`
	SectorIdentifierURI                   string            `json:"sector_identifier_uri,omitempty"`
	DefaultMaxAge                         int64             `json:"default_max_age_ns,omitempty"`
	RequireAuthTime                       bool              `json:"require_auth_time,omitempty"`
	DefaultACRValues                      []string          `json:"default_acr_values,omitempty"`
	InitiateLoginURI                      string            `json:"initiate_login_uri,omitempty"`
	PostLogoutRedirectURIs                []string          `json:"post_logout_redirect_uris,omitempty"`
	FrontchannelLogoutURI                 string            `json:"frontchannel_logout_uri,omitempty"`
	FrontchannelLogoutSessionRequired     bool              `json:"frontchannel_logout_session_required,omitempty"`
	BackchannelLogoutURI                  string            `json:"backchannel_logout_uri,omitempty"`
	BackchannelLogoutSessionRequired      bool              `json:"backchannel_logout_session_required,omitempty"`
	Audience                              []string          `json:"audience,omitempty"`
	AllowedCORSOrigins                    []string          `json:"allowed_cors_origins,omitempty"`
	ResponseModes                         []string          `json:"response_modes,omitempty"`
	RequirePKCE                           bool              `json:"require_pkce,omitempty"`
	Lifetimes                             *storedLifetimes  `json:"lifetimes,omitempty"`
	Extensions                            map[string]string `json:"extensions,omitempty"`
	// RegistrationTokenHash is the hash of the RFC 7592 registration
	// access token (never the token).
	RegistrationTokenHash string `json:"registration_token_hash,omitempty"`
}

// storedLifetimes is oauthreg.TokenLifetimes in nanoseconds.
type storedLifetimes struct {
	AccessToken       int64                           `json:"access_token_ns,omitempty"`
	RefreshToken      int64                           `json:"refresh_token_ns,omitempty"`
	IDToken           int64                           `json:"id_token_ns,omitempty"`
	AuthorizationCode int64                           `json:"authorization_code_ns,omitempty"`
	Grants            map[string]storedGrantLifetimes `json:"grants,omitempty"`
}

type storedGrantLifetimes struct {
	AccessToken  int64 `json:"access_token_ns,omitempty"`
	RefreshToken int64 `json:"refresh_token_ns,omitempty"`
	IDToken      int64 `json:"id_token_ns,omitempty"`
}

// profileValue returns the profile column of c: NULL when c sets none of
// its fields, else the JSON text.
func profileValue(c *oauthreg.Client) (any, error) {
	p := storedProfile{
		ClientURI: c.ClientURI, LogoURI: c.LogoURI, TOSURI: c.TOSURI, PolicyURI: c.PolicyURI,
		Contacts: c.Contacts, SoftwareID: c.SoftwareID, SoftwareVersion: c.SoftwareVersion,
		Localized: c.Localized, JWKSURI: c.JWKSURI,
		TokenEndpointAuthSigningAlg:           c.TokenEndpointAuthSigningAlg,
		TLSClientAuthSubjectDN:                c.TLSClientAuthSubjectDN,
		TLSClientAuthSANDNS:                   c.TLSClientAuthSANDNS,
		TLSClientAuthSANURI:                   c.TLSClientAuthSANURI,
		TLSClientAuthSANIP:                    c.TLSClientAuthSANIP,
		TLSClientAuthSANEmail:                 c.TLSClientAuthSANEmail,
		TLSClientCertificateBoundAccessTokens: c.TLSClientCertificateBoundAccessTokens,
		DPoPBoundAccessTokens:                 c.DPoPBoundAccessTokens,
		RequirePushedAuthorizationRequests:    c.RequirePushedAuthorizationRequests,
		ApplicationType:                       c.ApplicationType,
		IDTokenSignedResponseAlg:              c.IDTokenSignedResponseAlg,
		IDTokenEncryptedResponseAlg:           c.IDTokenEncryptedResponseAlg,
		IDTokenEncryptedResponseEnc:           c.IDTokenEncryptedResponseEnc,
		UserinfoSignedResponseAlg:             c.UserinfoSignedResponseAlg,
		UserinfoEncryptedResponseAlg:          c.UserinfoEncryptedResponseAlg,
		UserinfoEncryptedResponseEnc:          c.UserinfoEncryptedResponseEnc,
		RequestObjectSigningAlg:               c.RequestObjectSigningAlg,
		RequestObjectEncryptionAlg:            c.RequestObjectEncryptionAlg,
		RequestObjectEncryptionEnc:            c.RequestObjectEncryptionEnc,
		RequestURIs:                           c.RequestURIs,
		SubjectType:                           c.SubjectType,
		SectorIdentifierURI:                   c.SectorIdentifierURI,
		DefaultMaxAge:                         int64(c.DefaultMaxAge),
		RequireAuthTime:                       c.RequireAuthTime,
		DefaultACRValues:                      c.DefaultACRValues,
		InitiateLoginURI:                      c.InitiateLoginURI,
		PostLogoutRedirectURIs:                c.PostLogoutRedirectURIs,
		FrontchannelLogoutURI:                 c.FrontchannelLogoutURI,
		FrontchannelLogoutSessionRequired:     c.FrontchannelLogoutSessionRequired,
		BackchannelLogoutURI:                  c.BackchannelLogoutURI,
		BackchannelLogoutSessionRequired:      c.BackchannelLogoutSessionRequired,
		Audience:                              c.Audience,
		AllowedCORSOrigins:                    c.AllowedCORSOrigins,
		RequirePKCE:                           c.RequirePKCE,
	}
	if len(c.JWKS) > 0 {
		s := string(c.JWKS)
		p.JWKS = &s
	}
	for _, m := range c.ResponseModes {
		p.ResponseModes = append(p.ResponseModes, string(m))
	}
	if l := c.Lifetimes; !l.IsZero() {
		p.Lifetimes = &storedLifetimes{
			AccessToken: int64(l.AccessToken), RefreshToken: int64(l.RefreshToken),
			IDToken: int64(l.IDToken), AuthorizationCode: int64(l.AuthorizationCode),
		}
		for g, gl := range l.Grants {
			if p.Lifetimes.Grants == nil {
				p.Lifetimes.Grants = make(map[string]storedGrantLifetimes, len(l.Grants))
			}
			p.Lifetimes.Grants[string(g)] = storedGrantLifetimes{
				AccessToken: int64(gl.AccessToken), RefreshToken: int64(gl.RefreshToken), IDToken: int64(gl.IDToken),
			}
		}
	}
	p.RegistrationTokenHash = c.RegistrationTokenHash
	for k, v := range c.Extensions {
		if p.Extensions == nil {
			p.Extensions = make(map[string]string, len(c.Extensions))
		}
		p.Extensions[k] = string(v)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: encoding client profile: %w", err)
	}
	if string(b) == "{}" {
		return nil, nil
	}
	return string(b), nil
}

// setProfile fills the profile fields of c from the column (nothing when
// it is NULL).
func setProfile(c *oauthreg.Client, raw []byte, valid bool) error {
	if !valid || len(raw) == 0 {
		return nil
	}
	var p storedProfile
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("sqlstore: malformed profile column: %w", err)
	}
	c.ClientURI, c.LogoURI, c.TOSURI, c.PolicyURI = p.ClientURI, p.LogoURI, p.TOSURI, p.PolicyURI
	c.Contacts, c.SoftwareID, c.SoftwareVersion = p.Contacts, p.SoftwareID, p.SoftwareVersion
	c.Localized, c.JWKSURI = p.Localized, p.JWKSURI
	if p.JWKS != nil {
		c.JWKS = json.RawMessage(*p.JWKS)
	}
	c.TokenEndpointAuthSigningAlg = p.TokenEndpointAuthSigningAlg
	c.TLSClientAuthSubjectDN = p.TLSClientAuthSubjectDN
	c.TLSClientAuthSANDNS = p.TLSClientAuthSANDNS
	c.TLSClientAuthSANURI = p.TLSClientAuthSANURI
	c.TLSClientAuthSANIP = p.TLSClientAuthSANIP
	c.TLSClientAuthSANEmail = p.TLSClientAuthSANEmail
	c.TLSClientCertificateBoundAccessTokens = p.TLSClientCertificateBoundAccessTokens
	c.DPoPBoundAccessTokens = p.DPoPBoundAccessTokens
	c.RequirePushedAuthorizationRequests = p.RequirePushedAuthorizationRequests
	c.ApplicationType = p.ApplicationType
	c.IDTokenSignedResponseAlg = p.IDTokenSignedResponseAlg
	c.IDTokenEncryptedResponseAlg = p.IDTokenEncryptedResponseAlg
	c.IDTokenEncryptedResponseEnc = p.IDTokenEncryptedResponseEnc
	c.UserinfoSignedResponseAlg = p.UserinfoSignedResponseAlg
	c.UserinfoEncryptedResponseAlg = p.UserinfoEncryptedResponseAlg
	c.UserinfoEncryptedResponseEnc = p.UserinfoEncryptedResponseEnc
	c.RequestObjectSigningAlg = p.RequestObjectSigningAlg
	c.RequestObjectEncryptionAlg = p.RequestObjectEncryptionAlg
	c.RequestObjectEncryptionEnc = p.RequestObjectEncryptionEnc
	c.RequestURIs = p.RequestURIs
	c.SubjectType = p.SubjectType
	c.SectorIdentifierURI = p.SectorIdentifierURI
	c.DefaultMaxAge = time.Duration(p.DefaultMaxAge)
	c.RequireAuthTime = p.RequireAuthTime
	c.DefaultACRValues = p.DefaultACRValues
	c.InitiateLoginURI = p.InitiateLoginURI
	c.PostLogoutRedirectURIs = p.PostLogoutRedirectURIs
	c.FrontchannelLogoutURI = p.FrontchannelLogoutURI
	c.FrontchannelLogoutSessionRequired = p.FrontchannelLogoutSessionRequired
	c.BackchannelLogoutURI = p.BackchannelLogoutURI
	c.BackchannelLogoutSessionRequired = p.BackchannelLogoutSessionRequired
	c.Audience = p.Audience
	c.AllowedCORSOrigins = p.AllowedCORSOrigins
	for _, m := range p.ResponseModes {
		c.ResponseModes = append(c.ResponseModes, oauthreg.ResponseMode(m))
	}
	c.RequirePKCE = p.RequirePKCE
	if l := p.Lifetimes; l != nil {
		c.Lifetimes = oauthreg.TokenLifetimes{
			AccessToken: time.Duration(l.AccessToken), RefreshToken: time.Duration(l.RefreshToken),
			IDToken: time.Duration(l.IDToken), AuthorizationCode: time.Duration(l.AuthorizationCode),
		}
		for g, gl := range l.Grants {
			if c.Lifetimes.Grants == nil {
				c.Lifetimes.Grants = make(map[oauthreg.GrantType]oauthreg.GrantLifetimes, len(l.Grants))
			}
			c.Lifetimes.Grants[oauthreg.GrantType(g)] = oauthreg.GrantLifetimes{
				AccessToken: time.Duration(gl.AccessToken), RefreshToken: time.Duration(gl.RefreshToken), IDToken: time.Duration(gl.IDToken),
			}
		}
	}
	c.RegistrationTokenHash = p.RegistrationTokenHash
	for k, v := range p.Extensions {
		if c.Extensions == nil {
			c.Extensions = make(map[string]json.RawMessage, len(p.Extensions))
		}
		c.Extensions[k] = json.RawMessage(v)
	}
	return nil
}

// profileStrings returns every text of c's profile, for the UTF-8 check
// (JSON would replace invalid bytes silently).
func profileStrings(c *oauthreg.Client) []string {
	out := []string{
		c.ClientURI, c.LogoURI, c.TOSURI, c.PolicyURI, c.SoftwareID, c.SoftwareVersion, string(c.JWKS), c.JWKSURI,
		c.TokenEndpointAuthSigningAlg, c.TLSClientAuthSubjectDN, c.TLSClientAuthSANDNS, c.TLSClientAuthSANURI,
		c.TLSClientAuthSANIP, c.TLSClientAuthSANEmail, c.ApplicationType,
		c.IDTokenSignedResponseAlg, c.IDTokenEncryptedResponseAlg, c.IDTokenEncryptedResponseEnc,
		c.UserinfoSignedResponseAlg, c.UserinfoEncryptedResponseAlg, c.UserinfoEncryptedResponseEnc,
		c.RequestObjectSigningAlg, c.RequestObjectEncryptionAlg, c.RequestObjectEncryptionEnc,
		c.SubjectType, c.SectorIdentifierURI, c.InitiateLoginURI, c.FrontchannelLogoutURI, c.BackchannelLogoutURI,
	}
	for _, l := range [][]string{c.Contacts, c.RequestURIs, c.DefaultACRValues, c.PostLogoutRedirectURIs, c.Audience, c.AllowedCORSOrigins} {
		out = append(out, l...)
	}
	for _, m := range c.ResponseModes {
		out = append(out, string(m))
	}
	for g := range c.Lifetimes.Grants {
		out = append(out, string(g))
	}
	for k, v := range c.Localized {
		out = append(out, k, v)
	}
	for k, v := range c.Extensions {
		out = append(out, k, string(v))
	}
	return append(out, c.RegistrationTokenHash)
}
