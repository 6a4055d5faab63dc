package oauthreg

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// clientJSON is the wire form of a Client; the order of its fields is the
// order of the JSON members.
type clientJSON struct {
	ClientID                string         `json:"client_id"`
	ClientIDIssuedAt        int64          `json:"client_id_issued_at,omitempty"`
	ClientName              string         `json:"client_name,omitempty"`
	Description             string         `json:"description,omitempty"`
	RedirectURIs            []string       `json:"redirect_uris"`
	GrantTypes              []GrantType    `json:"grant_types"`
	ResponseTypes           []ResponseType `json:"response_types"`
	Scope                   string         `json:"scope"`
	TokenEndpointAuthMethod AuthMethod     `json:"token_endpoint_auth_method,omitempty"`
	ClientSecretExpiresAt   *int64         `json:"client_secret_expires_at,omitempty"`

	ClientURI                             string          `json:"client_uri,omitempty"`
	LogoURI                               string          `json:"logo_uri,omitempty"`
	TOSURI                                string          `json:"tos_uri,omitempty"`
	PolicyURI                             string          `json:"policy_uri,omitempty"`
	Contacts                              []string        `json:"contacts,omitempty"`
	SoftwareID                            string          `json:"software_id,omitempty"`
	SoftwareVersion                       string          `json:"software_version,omitempty"`
	JWKS                                  json.RawMessage `json:"jwks,omitempty"`
	JWKSURI                               string          `json:"jwks_uri,omitempty"`
	TokenEndpointAuthSigningAlg           string          `json:"token_endpoint_auth_signing_alg,omitempty"`
	TLSClientAuthSubjectDN                string          `json:"tls_client_auth_subject_dn,omitempty"`
	TLSClientAuthSANDNS                   string          `json:"tls_client_auth_san_dns,omitempty"`
	TLSClientAuthSANURI                   string          `json:"tls_client_auth_san_uri,omitempty"`
	TLSClientAuthSANIP                    string          `json:"tls_client_auth_san_ip,omitempty"`
	TLSClientAuthSANEmail                 string          `json:"tls_client_auth_san_email,omitempty"`
	TLSClientCertificateBoundAccessTokens bool            `json:"tls_client_certificate_bound_access_tokens,omitempty"`
	DPoPBoundAccessTokens                 bool            `json:"dpop_bound_access_tokens,omitempty"`
	RequirePushedAuthorizationRequests    bool            `json:"require_pushed_authorization_requests,omitempty"`
	ApplicationType                       string          `json:"application_type,omitempty"`
	IDTokenSignedResponseAlg              string          `json:"id_token_signed_response_alg,omitempty"`
	IDTokenEncryptedResponseAlg           string          `json:"id_token_encrypted_response_alg,omitempty"`
	IDTokenEncryptedResponseEnc           string          `json:"id_token_encrypted_response_enc,omitempty"`
	UserinfoSignedResponseAlg             string          `json:"userinfo_signed_response_alg,omitempty"`
	UserinfoEncryptedResponseAlg          string          `json:"userinfo_encrypted_response_alg,omitempty"`
	UserinfoEncryptedResponseEnc          string          `json:"userinfo_encrypted_response_enc,omitempty"`
	RequestObjectSigningAlg               string          `json:"request_object_signing_alg,omitempty"`
	RequestObjectEncryptionAlg            string          `json:"request_object_encryption_alg,omitempty"`
	RequestObjectEncryptionEnc            string          `json:"request_object_encryption_enc,omitempty"`
	RequestURIs                           []string        `json:"request_uris,omitempty"`
	SubjectType                           string          `json:"subject_type,omitempty"`
	SectorIdentifierURI                   string          `json:"sector_identifier_uri,omitempty"`
	DefaultMaxAge                         int64           `json:"default_max_age,omitempty"`
	RequireAuthTime                       bool            `json:"require_auth_time,omitempty"`
	DefaultACRValues                      []string        `json:"default_acr_values,omitempty"`
	InitiateLoginURI                      string          `json:"initiate_login_uri,omitempty"`
	PostLogoutRedirectURIs                []string        `json:"post_logout_redirect_uris,omitempty"`
	FrontchannelLogoutURI                 string          `json:"frontchannel_logout_uri,omitempty"`
	FrontchannelLogoutSessionRequired     bool            `json:"frontchannel_logout_session_required,omitempty"`
	BackchannelLogoutURI                  string          `json:"backchannel_logout_uri,omitempty"`
	BackchannelLogoutSessionRequired      bool            `json:"backchannel_logout_session_required,omitempty"`

	Owner              string              `json:"owner,omitempty"`
	Public             bool                `json:"public"`
	Disabled           bool                `json:"disabled"`
	AccessTokenTTL     jsonSeconds         `json:"access_token_ttl"`
	RefreshTokenTTL    jsonSeconds         `json:"refresh_token_ttl"`
	Audience           []string            `json:"audience,omitempty"`
	AllowedCORSOrigins []string            `json:"allowed_cors_origins,omitempty"`
	ResponseModes      []ResponseMode      `json:"response_modes,omitempty"`
	RequirePKCE        bool                `json:"require_pkce,omitempty"`
	Lifetimes          tokenLifetimesJSON  `json:"token_lifetimes,omitzero"`
	SystemTags         []string            `json:"system_tags"`
	UserTags           []string            `json:"user_tags"`
	Metadata           map[string]string   `json:"metadata"`
	RotationPolicy     *rotationPolicyJSON `json:"rotation_policy,omitempty"`
	CreatedAt          time.Time           `json:"created_at,omitzero"`
	UpdatedAt          time.Time           `json:"updated_at,omitzero"`
	LastUsed           time.Time           `json:"last_used,omitzero"`
	Version            int64               `json:"version"`
	Secrets            []secretJSON        `json:"secrets"`
}

type rotationPolicyJSON struct {
	GracePeriodSeconds    jsonSeconds `json:"grace_period_seconds"`
	SecretLifetimeSeconds jsonSeconds `json:"secret_lifetime_seconds"`
	MaxActiveSecrets      int         `json:"max_active_secrets"`
	OwnerOnlyRotation     bool        `json:"owner_only_rotation"`
}

// secretJSON lists the members a secret shows. It has no field for the hash
// or the sealed plaintext, so they cannot leak whatever Secret's own tags
// say.
type secretJSON struct {
	ID          string     `json:"id"`
	Kind        SecretKind `json:"kind"`
	Hint        string     `json:"hint,omitempty"`
	Description string     `json:"description,omitempty"`
	CreatedAt   time.Time  `json:"created_at,omitzero"`
	ExpiresAt   time.Time  `json:"expires_at,omitzero"`
	RevokedAt   time.Time  `json:"revoked_at,omitzero"`
	LastUsedAt  time.Time  `json:"last_used_at,omitzero"`
}

// MarshalJSON encodes the client as an RFC 7591 client information response
// (§3.2.1) extended with the library's own fields, ready for an admin API
// to return as is. Secret hashes and sealed secrets never appear. Members,
// in this order:
//
//   - client_id; client_id_issued_at (CreatedAt in Unix seconds, omitted
//     when CreatedAt is zero); client_name and description (omitted when
//     empty).
//   - redirect_uris, grant_types, response_types: always arrays, [] when
//     empty, because RFC 7591 gives an absent member a default ("code" for
//     response_types) that the client may not have.
//   - scope: the scopes as one space-separated string (RFC 6749 §3.3),
//     always present, "" when there are none.
//   - token_endpoint_auth_method (omitted when empty).
//   - client_secret_expires_at: when the client's newest secret that is not
//     revoked stops working, in Unix seconds, or 0 if it never expires
//     (RFC 7591 §3.2.1). The value comes from the stored records, not the
//     clock, so marshalling is deterministic: a newest secret that has
//     already expired reports its past expiry. Omitted when there is no
//     such secret (public clients, clients that authenticate without one,
//     clients whose secrets are all revoked).
//   - owner (omitted when empty); public and disabled (always).
//   - access_token_ttl and refresh_token_ttl: lifetimes in seconds, as
//     JSON numbers (with a decimal fraction only for sub-second lifetimes).
//   - system_tags, user_tags (arrays) and metadata (an object): always
//     present, [] or {} when empty.
//   - rotation_policy, omitted when the client uses the Registry's policy:
//     {"grace_period_seconds", "secret_lifetime_seconds",
//     "max_active_secrets", "owner_only_rotation"}, durations in seconds
//     like the lifetimes above (RotationPolicy's own JSON tags would give
//     nanoseconds).
//   - created_at, updated_at and last_used (the name the SlashID identity
//     service gives LastUsedAt):
//     RFC 3339 times in UTC, with fractional seconds when present; each
//     omitted when zero.
//   - version.
//   - secrets: an array, [] when empty, of {"id", "kind", "hint",
//     "description", "created_at", "expires_at", "revoked_at",
//     "last_used_at"}, oldest first; empty strings and zero times are
//     omitted.
//
// Lists are never null. The value receiver lets both Client and *Client
// marshal this way.
func (c Client) MarshalJSON() ([]byte, error) {
	w := clientJSON{
		ClientID:                c.ID,
		ClientName:              c.Name,
		Description:             c.Description,
		RedirectURIs:            nonNilSlice(c.RedirectURIs),
		GrantTypes:              nonNilSlice(c.GrantTypes),
		ResponseTypes:           nonNilSlice(c.ResponseTypes),
		Scope:                   FormatScope(c.Scopes),
		TokenEndpointAuthMethod: c.TokenEndpointAuthMethod,
		Owner:                   c.Owner,
		Public:                  c.Public,
		Disabled:                c.Disabled,
		AccessTokenTTL:          jsonSeconds(c.AccessTokenTTL),
		RefreshTokenTTL:         jsonSeconds(c.RefreshTokenTTL),

		ClientURI:                             c.ClientURI,
		LogoURI:                               c.LogoURI,
		TOSURI:                                c.TOSURI,
		PolicyURI:                             c.PolicyURI,
		Contacts:                              c.Contacts,
		SoftwareID:                            c.SoftwareID,
		SoftwareVersion:                       c.SoftwareVersion,
		JWKS:                                  c.JWKS,
		JWKSURI:                               c.JWKSURI,
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
		DefaultMaxAge:                         int64(c.DefaultMaxAge / time.Second),
		RequireAuthTime:                       c.RequireAuthTime,
		DefaultACRValues:                      c.DefaultACRValues,
		InitiateLoginURI:                      c.InitiateLoginURI,
		PostLogoutRedirectURIs:                c.PostLogoutRedirectURIs,
		FrontchannelLogoutURI:                 c.FrontchannelLogoutURI,
		FrontchannelLogoutSessionRequired:     c.FrontchannelLogoutSessionRequired,
		BackchannelLogoutURI:                  c.BackchannelLogoutURI,
		BackchannelLogoutSessionRequired:      c.BackchannelLogoutSessionRequired,

		Audience:           c.Audience,
		AllowedCORSOrigins: c.AllowedCORSOrigins,
		ResponseModes:      c.ResponseModes,
		RequirePKCE:        c.RequirePKCE,
		Lifetimes:          c.Lifetimes.jsonView(),
		SystemTags:         nonNilSlice(c.SystemTags),
		UserTags:           nonNilSlice(c.UserTags),
		Metadata:           c.Metadata,
		CreatedAt:          c.CreatedAt.UTC(),
		UpdatedAt:          c.UpdatedAt.UTC(),
		LastUsed:           c.LastUsedAt.UTC(),
		Version:            c.Version,
		Secrets:            make([]secretJSON, 0, len(c.Secrets)),
	}
	if !c.CreatedAt.IsZero() {
		w.ClientIDIssuedAt = c.CreatedAt.Unix()
	}
	if w.Metadata == nil {
		w.Metadata = map[string]string{}
	}
	if p := c.RotationPolicy; p != nil {
		v := p.jsonView()
		w.RotationPolicy = &v
	}
	if !c.Public {
		for i := len(c.Secrets) - 1; i >= 0; i-- {
			if s := c.Secrets[i]; s.RevokedAt.IsZero() {
				var exp int64
				if !s.ExpiresAt.IsZero() {
					exp = s.ExpiresAt.Unix()
				}
				w.ClientSecretExpiresAt = &exp
				break
			}
		}
	}
	for _, s := range c.Secrets {
		w.Secrets = append(w.Secrets, s.jsonView())
	}
	out, err := marshalNoHTMLEscape(w)
	if err != nil {
		return nil, err
	}
	return c.appendExtraMembers(out)
}

// marshalNoHTMLEscape marshals v without escaping <, > and & (common in
// redirect URIs): encoding/json applies the caller's own escaping choice to
// a MarshalJSON result, so json.Marshal still escapes them and an Encoder
// with SetEscapeHTML(false) gets them as they are.
func marshalNoHTMLEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// jsonView is the JSON form of a policy, durations in seconds.
func (p RotationPolicy) jsonView() rotationPolicyJSON {
	return rotationPolicyJSON{
		GracePeriodSeconds:    jsonSeconds(p.GracePeriod),
		SecretLifetimeSeconds: jsonSeconds(p.SecretLifetime),
		MaxActiveSecrets:      p.MaxActiveSecrets,
		OwnerOnlyRotation:     p.OwnerOnlyRotation,
	}
}

// MarshalJSON encodes the policy as it appears in a client's
// "rotation_policy": {"grace_period_seconds", "secret_lifetime_seconds",
// "max_active_secrets", "owner_only_rotation"}, durations in seconds.
func (p RotationPolicy) MarshalJSON() ([]byte, error) { return json.Marshal(p.jsonView()) }

// jsonView is the JSON form of a secret record: no hash, no sealed value.
func (s Secret) jsonView() secretJSON {
	return secretJSON{
		ID:          s.ID,
		Kind:        s.Kind,
		Hint:        s.Hint,
		Description: s.Description,
		CreatedAt:   s.CreatedAt.UTC(),
		ExpiresAt:   s.ExpiresAt.UTC(),
		RevokedAt:   s.RevokedAt.UTC(),
		LastUsedAt:  s.LastUsedAt.UTC(),
	}
}

// MarshalJSON encodes the secret record as it appears in a client's
// "secrets": {"id", "kind", "hint", "description", "created_at",
// "expires_at", "revoked_at", "last_used_at"}, times in UTC, empty members
// omitted. The hash and the sealed value never appear.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.jsonView()) }

// UnmarshalJSON decodes the shape MarshalJSON produces, so an admin API can
// accept an RFC 7591 registration request or a client it returned earlier.
// It replaces every field of c; JSON null leaves c unchanged.
//
// Members are matched by exact name; unknown members are ignored, as RFC
// 7591 §2 asks. Computed members are ignored too: client_secret_expires_at,
// and client_id_issued_at when created_at is present (without it,
// client_id_issued_at sets CreatedAt). Absent, null and empty lists all
// decode to nil slices, and an empty metadata object to a nil map. The scope
// string is split with ParseScope. A rotation_policy member replaces the
// Registry's policy, with zero for the members it leaves out. Secrets decode
// with their ID, kind, hint, description and times only: no hash, so they
// cannot authenticate (and Register refuses a client that has secrets).
//
// A member of the wrong type (a number for client_name, a string for
// access_token_ttl, an unparsable time) or a malformed scope is a
// *ValidationError naming the member, with Code CodeInvalidClientMetadata;
// so is input that is not JSON or not an object. UnmarshalJSON checks types,
// not values: call Validate (or let Register do it) for the rest.
//
// Before decoding anything it bounds the memory the result can take: input
// over MaxClientJSONBytes, with an array or object of more than
// MaxJSONElements elements, more than MaxJSONValues values in all, nesting
// deeper than MaxJSONDepth, or a scope of more than MaxScopes distinct
// scopes is a *ValidationError, so a large body of tiny values cannot
// become a heap many times its size.
func (c *Client) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	if err := boundJSON(data); err != nil {
		return err
	}
	o, err := decodeJSONObject(data, "")
	if err != nil {
		return err
	}
	var out Client
	var scope string
	var issuedAt int64
	var policy map[string]json.RawMessage
	var secrets []json.RawMessage
	o.get("client_id", &out.ID, "a string")
	o.get("client_id_issued_at", &issuedAt, "an integer (seconds since 1970-01-01)")
	o.get("client_name", &out.Name, "a string")
	o.get("description", &out.Description, "a string")
	o.get("redirect_uris", &out.RedirectURIs, "an array of strings")
	o.get("grant_types", &out.GrantTypes, "an array of strings")
	o.get("response_types", &out.ResponseTypes, "an array of strings")
	o.get("scope", &scope, "a string of space-separated scopes")
	o.get("token_endpoint_auth_method", &out.TokenEndpointAuthMethod, "a string")
	o.get("owner", &out.Owner, "a string")
	o.get("public", &out.Public, "true or false")
	o.get("disabled", &out.Disabled, "true or false")
	o.seconds("access_token_ttl", &out.AccessTokenTTL)
	o.seconds("refresh_token_ttl", &out.RefreshTokenTTL)
	o.get("system_tags", &out.SystemTags, "an array of strings")
	o.get("user_tags", &out.UserTags, "an array of strings")
	o.get("metadata", &out.Metadata, "an object whose values are strings")
	o.get("rotation_policy", &policy, "an object")
	o.time("created_at", &out.CreatedAt)
	o.time("updated_at", &out.UpdatedAt)
	o.time("last_used", &out.LastUsedAt)
	o.get("version", &out.Version, "an integer")
	o.get("secrets", &secrets, "an array of objects")
	o.get("client_uri", &out.ClientURI, "a string")
	o.get("logo_uri", &out.LogoURI, "a string")
	o.get("tos_uri", &out.TOSURI, "a string")
	o.get("policy_uri", &out.PolicyURI, "a string")
	o.get("contacts", &out.Contacts, "an array of strings")
	o.get("software_id", &out.SoftwareID, "a string")
	o.get("software_version", &out.SoftwareVersion, "a string")
	o.object("jwks", &out.JWKS)
	o.get("jwks_uri", &out.JWKSURI, "a string")
	o.get("token_endpoint_auth_signing_alg", &out.TokenEndpointAuthSigningAlg, "a string")
	o.get("tls_client_auth_subject_dn", &out.TLSClientAuthSubjectDN, "a string")
	o.get("tls_client_auth_san_dns", &out.TLSClientAuthSANDNS, "a string")
	o.get("tls_client_auth_san_uri", &out.TLSClientAuthSANURI, "a string")
	o.get("tls_client_auth_san_ip", &out.TLSClientAuthSANIP, "a string")
	o.get("tls_client_auth_san_email", &out.TLSClientAuthSANEmail, "a string")
	o.get("tls_client_certificate_bound_access_tokens", &out.TLSClientCertificateBoundAccessTokens, "true or false")
	o.get("dpop_bound_access_tokens", &out.DPoPBoundAccessTokens, "true or false")
	o.get("require_pushed_authorization_requests", &out.RequirePushedAuthorizationRequests, "true or false")
	o.get("application_type", &out.ApplicationType, "a string")
	o.get("id_token_signed_response_alg", &out.IDTokenSignedResponseAlg, "a string")
	o.get("id_token_encrypted_response_alg", &out.IDTokenEncryptedResponseAlg, "a string")
	o.get("id_token_encrypted_response_enc", &out.IDTokenEncryptedResponseEnc, "a string")
	o.get("userinfo_signed_response_alg", &out.UserinfoSignedResponseAlg, "a string")
	o.get("userinfo_encrypted_response_alg", &out.UserinfoEncryptedResponseAlg, "a string")
	o.get("userinfo_encrypted_response_enc", &out.UserinfoEncryptedResponseEnc, "a string")
	o.get("request_object_signing_alg", &out.RequestObjectSigningAlg, "a string")
	o.get("request_object_encryption_alg", &out.RequestObjectEncryptionAlg, "a string")
	o.get("request_object_encryption_enc", &out.RequestObjectEncryptionEnc, "a string")
	o.get("request_uris", &out.RequestURIs, "an array of strings")
	o.get("subject_type", &out.SubjectType, "a string")
	o.get("sector_identifier_uri", &out.SectorIdentifierURI, "a string")
	o.wholeSeconds("default_max_age", &out.DefaultMaxAge)
	o.get("require_auth_time", &out.RequireAuthTime, "true or false")
	o.get("default_acr_values", &out.DefaultACRValues, "an array of strings")
	o.get("initiate_login_uri", &out.InitiateLoginURI, "a string")
	o.get("post_logout_redirect_uris", &out.PostLogoutRedirectURIs, "an array of strings")
	o.get("frontchannel_logout_uri", &out.FrontchannelLogoutURI, "a string")
	o.get("frontchannel_logout_session_required", &out.FrontchannelLogoutSessionRequired, "true or false")
	o.get("backchannel_logout_uri", &out.BackchannelLogoutURI, "a string")
	o.get("backchannel_logout_session_required", &out.BackchannelLogoutSessionRequired, "true or false")
	o.get("audience", &out.Audience, "an array of strings")
	o.get("allowed_cors_origins", &out.AllowedCORSOrigins, "an array of strings")
	o.get("response_modes", &out.ResponseModes, "an array of strings")
	o.get("require_pkce", &out.RequirePKCE, "true or false")
	o.lifetimes("token_lifetimes", &out.Lifetimes)
	o.extraMembers(&out)
	if o.err != nil {
		return o.err
	}
	if out.CreatedAt.IsZero() && issuedAt != 0 {
		if issuedAt < 0 || issuedAt > maxUnixRFC3339 {
			return metadataError("client_id_issued_at", "must be between 0 and %d (seconds since 1970-01-01)", int64(maxUnixRFC3339))
		}
		out.CreatedAt = time.Unix(issuedAt, 0).UTC()
	}
	scopes, serr := ParseScope(scope)
	if serr != nil {
		return serr
	}
	out.Scopes = scopes
	if policy != nil {
		p := &jsonObject{fields: policy, prefix: "rotation_policy."}
		var rp RotationPolicy
		p.seconds("grace_period_seconds", &rp.GracePeriod)
		p.seconds("secret_lifetime_seconds", &rp.SecretLifetime)
		p.get("max_active_secrets", &rp.MaxActiveSecrets, "an integer")
		p.get("owner_only_rotation", &rp.OwnerOnlyRotation, "true or false")
		if p.err != nil {
			return p.err
		}
		out.RotationPolicy = &rp
	}
	for i, raw := range secrets {
		prefix := "secrets[" + strconv.Itoa(i) + "]"
		s, err := decodeJSONObject(raw, prefix)
		if err != nil {
			return err
		}
		s.prefix = prefix + "."
		var rec Secret
		s.get("id", &rec.ID, "a string")
		s.get("kind", &rec.Kind, "a string")
		s.get("hint", &rec.Hint, "a string")
		s.get("description", &rec.Description, "a string")
		s.time("created_at", &rec.CreatedAt)
		s.time("expires_at", &rec.ExpiresAt)
		s.time("revoked_at", &rec.RevokedAt)
		s.time("last_used_at", &rec.LastUsedAt)
		if s.err != nil {
			return s.err
		}
		out.Secrets = append(out.Secrets, rec)
	}
	out.RedirectURIs = nilIfEmpty(out.RedirectURIs)
	out.GrantTypes = nilIfEmpty(out.GrantTypes)
	out.ResponseTypes = nilIfEmpty(out.ResponseTypes)
	out.SystemTags = nilIfEmpty(out.SystemTags)
	out.UserTags = nilIfEmpty(out.UserTags)
	out.Contacts = nilIfEmpty(out.Contacts)
	out.RequestURIs = nilIfEmpty(out.RequestURIs)
	out.DefaultACRValues = nilIfEmpty(out.DefaultACRValues)
	out.PostLogoutRedirectURIs = nilIfEmpty(out.PostLogoutRedirectURIs)
	out.Audience = nilIfEmpty(out.Audience)
	out.AllowedCORSOrigins = nilIfEmpty(out.AllowedCORSOrigins)
	out.ResponseModes = nilIfEmpty(out.ResponseModes)
	if len(out.Metadata) == 0 {
		out.Metadata = nil
	}
	*c = out
	return nil
}

// maxUnixRFC3339 is 9999-12-31T23:59:59Z, the last second RFC 3339 (and
// so MarshalJSON) can express.
const maxUnixRFC3339 = 253402300799

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// jsonObject reads the members of one JSON object, keeping the first error.
type jsonObject struct {
	fields map[string]json.RawMessage
	prefix string // prepended to member names in errors
	err    *ValidationError
}

// decodeJSONObject parses data, which must be a JSON object; field names
// it in errors.
func decodeJSONObject(data []byte, field string) (*jsonObject, *ValidationError) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		if !json.Valid(trimmed) {
			return nil, metadataError(field, "invalid JSON")
		}
		return nil, metadataError(field, "must be a JSON object")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		reason := "invalid JSON"
		if se, ok := err.(*json.SyntaxError); ok {
			reason += " at offset " + strconv.FormatInt(se.Offset, 10)
		}
		return nil, metadataError(field, "%s", reason)
	}
	return &jsonObject{fields: fields}, nil
}

// get decodes member key into dst, which must be a pointer; what describes
// the expected type for the error.
func (o *jsonObject) get(key string, dst any, what string) {
	raw, ok := o.fields[key]
	if o.err != nil || !ok {
		return
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		o.err = metadataError(o.prefix+key, "must be %s", what)
	}
}

// time decodes an RFC 3339 time, converted to UTC.
func (o *jsonObject) time(key string, dst *time.Time) {
	var t time.Time
	o.get(key, &t, "an RFC 3339 time such as \"2024-05-01T12:00:00Z\"")
	if o.err == nil {
		*dst = t.UTC()
	}
}

// seconds decodes a duration given as a JSON number of seconds.
func (o *jsonObject) seconds(key string, dst *time.Duration) {
	raw, ok := o.fields[key]
	if o.err != nil || !ok {
		return
	}
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return
	}
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		o.err = metadataError(o.prefix+key, "must be a number of seconds")
		return
	}
	d, ok := parseSeconds(string(raw))
	if !ok {
		o.err = metadataError(o.prefix+key, "must be a number of seconds between -9223372035 and 9223372035")
		return
	}
	*dst = d
}

// jsonSeconds marshals a duration as a JSON number of seconds.
type jsonSeconds time.Duration

// MarshalJSON writes whole seconds as an integer and sub-second durations
// with up to nine decimals, so the value round-trips exactly.
func (s jsonSeconds) MarshalJSON() ([]byte, error) {
	return []byte(formatSeconds(time.Duration(s))), nil
}

func formatSeconds(d time.Duration) string {
	neg := d < 0
	u := uint64(d)
	if neg {
		u = -u // two's complement: exact even for math.MinInt64
	}
	sec, ns := u/uint64(time.Second), u%uint64(time.Second)
	s := strconv.FormatUint(sec, 10)
	if ns != 0 {
		frac := strconv.FormatUint(ns+uint64(time.Second), 10)[1:] // 9 digits, zero-padded
		s += "." + strings.TrimRight(frac, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// maxJSONSeconds bounds the seconds parseSeconds accepts, so that seconds
// plus any fraction fit a time.Duration.
const maxJSONSeconds = math.MaxInt64/int64(time.Second) - 1

// parseSeconds parses a JSON number literal of seconds into a duration,
// exactly to the nanosecond (further decimals are dropped). Exponent forms
// go through float64.
func parseSeconds(num string) (time.Duration, bool) {
	if strings.ContainsAny(num, "eE") {
		f, err := strconv.ParseFloat(num, 64)
		if err != nil || math.IsNaN(f) || math.Abs(f) > float64(maxJSONSeconds) {
			return 0, false
		}
		return time.Duration(math.Round(f * float64(time.Second))), true
	}
	neg := strings.HasPrefix(num, "-")
	num = strings.TrimPrefix(num, "-")
	intPart, frac, _ := strings.Cut(num, ".")
	sec, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil || sec < 0 || sec > maxJSONSeconds {
		return 0, false
	}
	if len(frac) > 9 {
		frac = frac[:9]
	}
	var ns int64
	if frac != "" {
		ns, err = strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
		if err != nil || ns < 0 {
			return 0, false
		}
	}
	d := time.Duration(sec)*time.Second + time.Duration(ns)
	if neg {
		d = -d
	}
	return d, true
}
