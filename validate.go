package oauthreg

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Error codes of RFC 7591 §3.2.2, carried by ValidationError.Code. An HTTP
// layer that implements dynamic client registration sends them as the
// "error" member of its 400 response.
const (
	// CodeInvalidClientMetadata: the value of one of the client metadata
	// fields is invalid, or fields contradict each other.
	CodeInvalidClientMetadata = "invalid_client_metadata"
	// CodeInvalidRedirectURI: one of the redirect URIs is invalid, or a
	// client that needs redirect URIs has none.
	CodeInvalidRedirectURI = "invalid_redirect_uri"
)

// ErrInvalidClientMetadata matches (with errors.Is) every *ValidationError,
// whatever its Code: client metadata that Register or Update refuses, a
// malformed scope, or JSON that UnmarshalJSON cannot read. A redirect URI is
// client metadata too, so invalid redirect URIs match it as well as
// ErrInvalidRedirectURI. To choose the RFC 7591 error code for a response,
// read ValidationError.Code rather than testing sentinels in order.
var ErrInvalidClientMetadata = errors.New("oauthreg: invalid client metadata")

// ErrInvalidRedirectURI matches (with errors.Is) the *ValidationError values
// whose Code is CodeInvalidRedirectURI: a redirect URI that is not absolute,
// has a fragment, user information, a wildcard or a forbidden scheme, uses
// plain http for a host that is not the loopback interface, or a client
// whose grant types need a redirect URI and that has none.
var ErrInvalidRedirectURI = errors.New("oauthreg: invalid redirect URI")

// ValidationError describes the first problem found in a client's metadata.
// Validate, Register, Update, ValidateRedirectURI, ValidateScopeToken,
// ParseScope and Client.UnmarshalJSON return it (possibly wrapped); get it
// back with errors.As:
//
//	var ve *oauthreg.ValidationError
//	if errors.As(err, &ve) {
//		// ve.Code is the RFC 7591 "error", ve.Error() a fine
//		// "error_description".
//	}
type ValidationError struct {
	// Field names the offending field with its RFC 7591 JSON name (or the
	// name Client.MarshalJSON uses for the library's extensions), with an
	// index for list elements: "client_name", "grant_types[0]",
	// "redirect_uris[1]", "scope", "token_endpoint_auth_method",
	// "metadata", "rotation_policy", ... It is empty when the problem is
	// not about one field (JSON that is not an object).
	Field string
	// Code is the RFC 7591 §3.2.2 error code: CodeInvalidClientMetadata or
	// CodeInvalidRedirectURI.
	Code string
	// Reason says, in English, what is wrong and usually how to fix it.
	Reason string
}

// Error returns a message such as
// "oauthreg: invalid redirect URI: redirect_uris[1]: must not contain a fragment (RFC 6749 §3.1.2)".
func (e *ValidationError) Error() string {
	prefix := ErrInvalidClientMetadata.Error()
	if e.Code == CodeInvalidRedirectURI {
		prefix = ErrInvalidRedirectURI.Error()
	}
	if e.Field == "" {
		return prefix + ": " + e.Reason
	}
	return prefix + ": " + e.Field + ": " + e.Reason
}

// Is makes errors.Is(err, ErrInvalidClientMetadata) true for every
// ValidationError and errors.Is(err, ErrInvalidRedirectURI) true for those
// with Code CodeInvalidRedirectURI.
func (e *ValidationError) Is(target error) bool {
	switch target {
	case ErrInvalidClientMetadata:
		return true
	case ErrInvalidRedirectURI:
		return e.Code == CodeInvalidRedirectURI
	}
	return false
}

func metadataError(field, format string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Code: CodeInvalidClientMetadata, Reason: fmt.Sprintf(format, args...)}
}

func redirectError(field, format string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Code: CodeInvalidRedirectURI, Reason: fmt.Sprintf(format, args...)}
}

// validateOptions carries what validation needs to know about the Registry.
type validateOptions struct {
	// SecretsRetrievable is true when the Registry keeps secrets sealed
	// under a key ring, so it can recover a plaintext (needed to verify
	// client_secret_jwt assertions, which are HMACs keyed by the secret).
	SecretsRetrievable bool
	// KeySets is the Registry's key set validator (WithKeySetValidator),
	// nil for none: the structural check alone.
	KeySets KeySetValidator
}

// Validate checks c as it would be stored, after Register has applied its
// defaults, and returns the first problem as a *ValidationError (nil if
// there is none). Register and Update run the same checks; call Validate
// yourself to check a client built by hand or decoded from JSON before
// handing it to the Registry, or in an admin UI.
//
// Validate assumes secrets can be recovered (a key ring is configured), so it
// accepts client_secret_jwt; a Registry without a key ring refuses that
// method at Register and Update. Validate checks a JWK Set's structure only;
// a Registry configured WithKeySetValidator also parses its keys.
//
// The rules, with the Field reported:
//
//   - client_id: not empty, at most 255 bytes, RFC 6749 VSCHAR only
//     (printable ASCII, 0x20-0x7E).
//   - owner: at most 255 bytes; client_name: at most 1000 bytes;
//     description: at most 10000 bytes. All valid UTF-8 without NUL; owner
//     and client_name without control or bidirectional-override characters
//     (client_name is shown on consent screens), description may contain
//     tabs and line breaks.
//   - grant_types: at least one, each a known GrantType, no duplicates.
//     refresh_token cannot be the only grant: it needs a grant that issues
//     the first refresh token (anything but implicit).
//   - response_types: each "none" or a space-separated combination of
//     "code", "token" and "id_token" (OpenID Connect's "code id_token" and
//     so on, in any order), no duplicates. RFC 7591 §2.1 consistency: a
//     response type with "code" needs the authorization_code grant and
//     authorization_code needs such a response type; one with "token" or
//     "id_token" needs the implicit grant and implicit needs such a
//     response type; "none" needs authorization_code or implicit.
//   - token_endpoint_auth_method: one of the AuthMethod constants, "none"
//     exactly when the client is Public. Public clients may not use the
//     client_credentials or password grants and hold no secrets (Field
//     "secrets").
//   - redirect_uris (code invalid_redirect_uri): at most 100, each valid for
//     ValidateRedirectURI, no duplicates; at least one when the client uses
//     authorization_code or implicit.
//   - scope: at most 1000 scopes, each an RFC 6749 §3.3 scope-token (see
//     ValidateScopeToken) of at most 255 bytes, no duplicates.
//   - access_token_ttl, refresh_token_ttl: not negative (zero inherits the
//     Registry's default).
//   - rotation_policy: RotationPolicy.Validate when set.
//   - system_tags, user_tags: at most 100 each, each non-empty, at most 255
//     bytes, valid UTF-8 without control characters.
//   - metadata: at most 100 entries; keys non-empty, at most 255 bytes,
//     without control characters; values at most 4096 bytes, valid UTF-8
//     without NUL.
//   - secrets: at most MaxStoredSecrets records, each with an ID of at most
//     255 bytes, a hint of at most 64, a description of at most 1000, a
//     hash of at most 2048 and a sealed value of at most 4096.
//   - client_uri, logo_uri, tos_uri, policy_uri: absolute http or https
//     URLs without user information (so no javascript: on a consent
//     screen); contacts, software_id, software_version: single-line text
//     within their limits; localized members: a variant of client_name,
//     client_uri, logo_uri, tos_uri or policy_uri with a BCP 47 tag, checked
//     like the member it varies.
//   - jwks and jwks_uri: not both; jwks_uri https; jwks a JSON object with
//     1 to MaxJWKSKeys keys, each RSA, EC or OKP, without private or
//     symmetric members (under any spelling), with a "use" of sig or enc, and
//     an "alg", if any, that is an asymmetric algorithm fit for the key (see
//     KeySetValidator for the deep check a Registry can add).
//   - token_endpoint_auth_method: private_key_jwt and
//     self_signed_tls_client_auth need jwks or jwks_uri; tls_client_auth
//     needs exactly one tls_client_auth_* subject field (a DN with '=', a
//     DNS name, an absolute URI, an IP address, an e-mail address), and
//     other methods none; token_endpoint_auth_signing_alg is a known JWS
//     algorithm, never "none", asymmetric for private_key_jwt and HMAC for
//     client_secret_jwt.
//   - application_type: "", "web" or "native"; a "web" client of the
//     implicit grant has https, non-loopback redirect URIs (Code
//     invalid_redirect_uri); a "native" one private-use, https or loopback
//     ones.
//   - *_signed_response_alg and request_object_signing_alg: known JWS
//     algorithms; "none" only for request objects and, without an ID token
//     from the authorization endpoint, for ID tokens; *_encryption_alg and
//     *_encrypted_response_alg known JWE algorithms (not RSA1_5), *_enc
//     known encryptions that need their alg; an ID token or UserInfo
//     encrypted with an asymmetric algorithm needs jwks or jwks_uri.
//   - request_uris, sector_identifier_uri, initiate_login_uri: https
//     (request_uris may carry a fragment); subject_type "", "public" or
//     "pairwise"; a pairwise client whose redirect URIs span several hosts
//     needs a sector_identifier_uri (OpenID Connect Core §8.1);
//     default_max_age whole seconds, 0 to MaxDefaultMaxAge;
//     default_acr_values single-line text.
//   - post_logout_redirect_uris: the redirect URI rules (Code
//     invalid_client_metadata); frontchannel_logout_uri on the scheme, host
//     and port of a redirect URI; backchannel_logout_uri https (http for a
//     confidential client), no fragment; each *_session_required needs its
//     URI.
//   - audience: single-line entries; allowed_cors_origins: origins
//     (scheme://host[:port], nothing more); response_modes: at most
//     MaxResponseModes ResponseMode constants or custom names (letters,
//     digits, '.', '_', '-'; repeats allowed);
//     token_lifetimes: 0 (inherit) to MaxTokenLifetime, grants of known
//     grant types. No duplicates in the other lists.
//   - extensions: at most MaxExtensions members, names that are not members
//     oauthreg knows, values valid JSON, MaxExtensionsBytes in all.
//   - the whole client: its JSON encoding (MarshalJSON) at most
//     MaxClientJSONBytes (Field "").
//
// Every number above is a constant of limits.go. Validate does not check
// timestamps, Version or the contents of the secrets' records, which the
// Registry sets.
func (c *Client) Validate() error {
	if err := validateClient(c, validateOptions{SecretsRetrievable: true}); err != nil {
		return err
	}
	return nil
}

// validateClient is Validate with the Registry's capabilities. It returns
// nil or a *ValidationError; the explicit nil check keeps a typed nil out of
// the error interface.
func validateClient(c *Client, opts validateOptions) error {
	if err := checkClient(c, opts); err != nil {
		return err
	}
	return nil
}

func checkClient(c *Client, opts validateOptions) *ValidationError {
	if c == nil {
		return metadataError("", "no client (nil)")
	}
	checks := []func(*Client, validateOptions) *ValidationError{
		checkIdentity,
		checkAuthMethod,
		checkGrantTypes,
		checkResponseTypes,
		checkRedirectURIs,
		checkScopes,
		checkLifetimes,
		checkTagsAndMetadata,
		checkDescriptive,
		checkKeysAndAuth,
		checkOpenIDConnect,
		checkPolicy,
		checkExtensions,
		checkSecretRecords,
		checkEncodedSize,
	}
	for _, check := range checks {
		if err := check(c, opts); err != nil {
			return err
		}
	}
	return nil
}

func checkIdentity(c *Client, _ validateOptions) *ValidationError {
	if err := clientIDProblem(c.ID); err != nil {
		return err
	}
	if err := checkText("owner", c.Owner, MaxOwnerBytes, textSingleLine); err != nil {
		return err
	}
	if err := checkText("client_name", c.Name, MaxClientNameBytes, textSingleLine); err != nil {
		return err
	}
	return checkText("description", c.Description, MaxDescriptionBytes, textMultiLine)
}

// textKind says which characters checkText lets through.
type textKind int

const (
	// textSingleLine: no control characters and no bidirectional
	// overrides (labels, names shown to users).
	textSingleLine textKind = iota
	// textMultiLine: tabs and line breaks allowed, other control
	// characters and bidirectional overrides refused.
	textMultiLine
	// textFree: anything but NUL (opaque values).
	textFree
)

// checkText bounds s and keeps it storable: every Store must be able to keep
// it (PostgreSQL text refuses NUL and invalid UTF-8).
func checkText(field, s string, maxBytes int, kind textKind) *ValidationError {
	if len(s) > maxBytes {
		return metadataError(field, "must be at most %d bytes (got %d)", maxBytes, len(s))
	}
	if !utf8.ValidString(s) {
		return metadataError(field, "must be valid UTF-8")
	}
	for _, r := range s {
		switch {
		case r == 0:
			return metadataError(field, "must not contain NUL characters")
		case kind == textFree:
		case r == '\t' || r == '\n' || r == '\r':
			if kind == textSingleLine {
				return metadataError(field, "must not contain control characters such as tabs or line breaks")
			}
		case unicode.IsControl(r):
			return metadataError(field, "must not contain control characters (found %U)", r)
		case isBidiControl(r):
			return metadataError(field, "must not contain bidirectional control characters (found %U), which can disguise text", r)
		}
	}
	return nil
}

// isBidiControl reports the Unicode bidirectional embedding, override and
// isolate characters, which can make displayed text read differently from
// what it is.
func isBidiControl(r rune) bool {
	return r == '\u061c' || r == '\u200e' || r == '\u200f' ||
		(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

func isKnownAuthMethod(m AuthMethod) bool {
	switch m {
	case AuthNone, AuthClientSecretBasic, AuthClientSecretPost, AuthClientSecretJWT,
		AuthPrivateKeyJWT, AuthTLSClient, AuthSelfSignedTLSClient:
		return true
	}
	return false
}

func checkAuthMethod(c *Client, opts validateOptions) *ValidationError {
	const field = "token_endpoint_auth_method"
	m := c.TokenEndpointAuthMethod
	switch {
	case m == "":
		return metadataError(field, `must be set ("none" for public clients; Register defaults it to %q for confidential ones)`, AuthClientSecretBasic)
	case !isKnownAuthMethod(m):
		return metadataError(field, "unknown method %s; use one of none, client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt, tls_client_auth, self_signed_tls_client_auth", quoteInput(string(m)))
	case c.Public && m != AuthNone:
		return metadataError(field, "public clients cannot authenticate and must use %q (got %s)", AuthNone, quoteInput(string(m)))
	case !c.Public && m == AuthNone:
		return metadataError(field, "%q is only for public clients: mark the client Public or choose a method confidential clients authenticate with", AuthNone)
	case m == AuthClientSecretJWT && !opts.SecretsRetrievable:
		return metadataError(field, "client_secret_jwt needs the secret's plaintext as an HMAC key to verify assertions, "+
			"and secrets are kept only as hashes: configure a key ring so secrets are also kept sealed, "+
			"or choose client_secret_basic, client_secret_post or private_key_jwt")
	case c.Public && len(c.Secrets) > 0:
		return metadataError("secrets", "public clients must not have secrets (found %d)", len(c.Secrets))
	}
	return nil
}

func isKnownGrantType(g GrantType) bool {
	switch g {
	case GrantAuthorizationCode, GrantClientCredentials, GrantRefreshToken, GrantImplicit,
		GrantPassword, GrantJWTBearer, GrantSAML2Bearer, GrantDeviceCode, GrantTokenExchange:
		return true
	}
	return false
}

func checkGrantTypes(c *Client, _ validateOptions) *ValidationError {
	if len(c.GrantTypes) == 0 {
		return metadataError("grant_types", "must list at least one grant type")
	}
	issuesRefresh := false
	for i, g := range c.GrantTypes {
		field := fmt.Sprintf("grant_types[%d]", i)
		if !isKnownGrantType(g) {
			return metadataError(field, "unknown grant type %s", quoteInput(string(g)))
		}
		if j := slices.Index(c.GrantTypes[:i], g); j >= 0 {
			return metadataError(field, "duplicate of grant_types[%d] (%s)", j, quoteInput(string(g)))
		}
		switch {
		case c.Public && g == GrantClientCredentials:
			return metadataError(field, "public clients cannot use client_credentials: that grant relies on client authentication alone (RFC 6749 §4.4)")
		case c.Public && g == GrantPassword:
			return metadataError(field, "public clients cannot use the password grant (RFC 9700 §2.4 forbids it altogether)")
		case g != GrantRefreshToken && g != GrantImplicit:
			issuesRefresh = true
		}
	}
	if c.HasGrantType(GrantRefreshToken) && !issuesRefresh {
		return metadataError("grant_types", "refresh_token needs another grant type that issues the first refresh token (such as authorization_code or device_code); implicit never issues one")
	}
	return nil
}

// Parts of a response type value, as a bit set.
const (
	rtCode = 1 << iota
	rtToken
	rtIDToken
	rtNone
)

// parseResponseType splits a response type value into its parts: "none"
// alone, or a space-separated set of code, token and id_token.
func parseResponseType(rt ResponseType) (int, string) {
	if rt == "none" {
		return rtNone, ""
	}
	if rt == "" {
		return 0, "must not be empty"
	}
	set := 0
	for part := range strings.SplitSeq(string(rt), " ") {
		var bit int
		switch part {
		case string(ResponseCode):
			bit = rtCode
		case string(ResponseToken):
			bit = rtToken
		case string(ResponseIDToken):
			bit = rtIDToken
		case "none":
			return 0, `"none" cannot be combined with other response types`
		case "":
			return 0, "must separate its parts with single spaces"
		default:
			return 0, fmt.Sprintf(`unknown response type %s; use "code", "token", "id_token", a space-separated combination of them, or "none"`, quoteInput(string(rt)))
		}
		if set&bit != 0 {
			return 0, fmt.Sprintf("repeats %s", quoteInput(part))
		}
		set |= bit
	}
	return set, ""
}

func checkResponseTypes(c *Client, _ validateOptions) *ValidationError {
	hasCode := c.HasGrantType(GrantAuthorizationCode)
	hasImplicit := c.HasGrantType(GrantImplicit)
	var sets []int
	anyCode, anyToken := false, false
	for i, rt := range c.ResponseTypes {
		field := fmt.Sprintf("response_types[%d]", i)
		set, problem := parseResponseType(rt)
		if problem != "" {
			return metadataError(field, "%s", problem)
		}
		if j := slices.Index(sets, set); j >= 0 {
			return metadataError(field, "duplicate of response_types[%d] (%s)", j, quoteInput(string(c.ResponseTypes[j])))
		}
		sets = append(sets, set)
		switch {
		case set&rtCode != 0 && !hasCode:
			return metadataError(field, "response type %q needs the authorization_code grant type (RFC 7591 §2.1)", rt)
		case set&(rtToken|rtIDToken) != 0 && !hasImplicit:
			return metadataError(field, "response type %q needs the implicit grant type (RFC 7591 §2.1)", rt)
		case set == rtNone && !hasCode && !hasImplicit:
			return metadataError(field, `response type "none" is for clients of the authorization endpoint: it needs the authorization_code or implicit grant type`)
		}
		anyCode = anyCode || set&rtCode != 0
		anyToken = anyToken || set&(rtToken|rtIDToken) != 0
	}
	switch {
	case hasCode && !anyCode:
		return metadataError("response_types", `the authorization_code grant type needs a response type containing "code" (RFC 7591 §2.1)`)
	case hasImplicit && !anyToken:
		return metadataError("response_types", `the implicit grant type needs a response type containing "token" or "id_token" (RFC 7591 §2.1)`)
	}
	return nil
}

func checkRedirectURIs(c *Client, _ validateOptions) *ValidationError {
	if len(c.RedirectURIs) > MaxRedirectURIs {
		return redirectError("redirect_uris", "at most %d redirect URIs are allowed (got %d)", MaxRedirectURIs, len(c.RedirectURIs))
	}
	for i, u := range c.RedirectURIs {
		field := fmt.Sprintf("redirect_uris[%d]", i)
		if err := checkRedirectURI(field, u); err != nil {
			return err
		}
		if j := slices.Index(c.RedirectURIs[:i], u); j >= 0 {
			return redirectError(field, "duplicate of redirect_uris[%d]", j)
		}
	}
	if len(c.RedirectURIs) == 0 {
		for _, g := range []GrantType{GrantAuthorizationCode, GrantImplicit} {
			if c.HasGrantType(g) {
				return redirectError("redirect_uris", "the %s grant type needs at least one redirect URI", g)
			}
		}
	}
	return nil
}

func checkScopes(c *Client, _ validateOptions) *ValidationError {
	if len(c.Scopes) > MaxScopes {
		return metadataError("scope", "at most %d scopes are allowed (got %d)", MaxScopes, len(c.Scopes))
	}
	// A set, not a scan of the earlier scopes: a client may have a thousand.
	seen := make(map[string]struct{}, len(c.Scopes))
	for _, s := range c.Scopes {
		if err := checkScopeToken(s); err != nil {
			return err
		}
		if len(s) > MaxScopeBytes {
			return metadataError("scope", "scope %s is longer than %d bytes", quoteInput(s), MaxScopeBytes)
		}
		if _, dup := seen[s]; dup {
			return metadataError("scope", "scope %s is listed twice", quoteInput(s))
		}
		seen[s] = struct{}{}
	}
	return nil
}

func checkLifetimes(c *Client, _ validateOptions) *ValidationError {
	// Lifetimes first: Register and Update make the deprecated aliases
	// mirror it, so a value out of range is reported under its own name.
	if err := checkTokenLifetimes("token_lifetimes", c.Lifetimes); err != nil {
		return err
	}
	switch {
	case c.AccessTokenTTL < 0:
		return metadataError("access_token_ttl", "must not be negative (got %v)", c.AccessTokenTTL)
	case c.RefreshTokenTTL < 0:
		return metadataError("refresh_token_ttl", "must not be negative (got %v)", c.RefreshTokenTTL)
	case c.AccessTokenTTL > MaxTokenLifetime:
		return metadataError("access_token_ttl", "must be at most %v (got %v)", MaxTokenLifetime, c.AccessTokenTTL)
	case c.RefreshTokenTTL > MaxTokenLifetime:
		return metadataError("refresh_token_ttl", "must be at most %v (got %v)", MaxTokenLifetime, c.RefreshTokenTTL)
	}
	if c.RotationPolicy != nil {
		if err := c.RotationPolicy.Validate(); err != nil {
			reason := err.Error()
			reason = strings.TrimPrefix(reason, ErrInvalidConfig.Error()+": ")
			reason = strings.TrimPrefix(reason, "rotation policy: ")
			return metadataError("rotation_policy", "%s", reason)
		}
	}
	return nil
}

// checkTokenLifetimes checks every lifetime of l is between zero (inherit)
// and MaxTokenLifetime, and that Grants names known grant types; field
// prefixes the reported Field.
func checkTokenLifetimes(field string, l TokenLifetimes) *ValidationError {
	check := func(name string, d time.Duration) *ValidationError {
		switch {
		case d < 0:
			return metadataError(field+"."+name, "must not be negative (got %v); zero inherits the default", d)
		case d > MaxTokenLifetime:
			return metadataError(field+"."+name, "must be at most %v (got %v)", MaxTokenLifetime, d)
		}
		return nil
	}
	for _, tt := range []TokenType{TokenAccess, TokenRefresh, TokenID, TokenAuthorizationCode} {
		if err := check(string(tt), l.clientWide(tt)); err != nil {
			return err
		}
	}
	for _, g := range sortedKeys(l.Grants) {
		if !isKnownGrantType(g) {
			return metadataError(field+".grants", "unknown grant type %s", quoteInput(string(g)))
		}
		for _, tt := range []TokenType{TokenAccess, TokenRefresh, TokenID} {
			if err := check("grants."+string(g)+"."+string(tt), l.Grants[g].lifetime(tt)); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkTagsAndMetadata(c *Client, _ validateOptions) *ValidationError {
	for _, list := range []struct {
		name string
		tags []string
	}{{"system_tags", c.SystemTags}, {"user_tags", c.UserTags}} {
		if len(list.tags) > MaxTags {
			return metadataError(list.name, "at most %d tags are allowed (got %d)", MaxTags, len(list.tags))
		}
		for i, t := range list.tags {
			field := fmt.Sprintf("%s[%d]", list.name, i)
			if t == "" {
				return metadataError(field, "must not be empty")
			}
			if err := checkText(field, t, MaxTagBytes, textSingleLine); err != nil {
				return err
			}
		}
	}
	if len(c.Metadata) > MaxMetadataEntries {
		return metadataError("metadata", "at most %d entries are allowed (got %d)", MaxMetadataEntries, len(c.Metadata))
	}
	// Sorted keys make "the first problem" the same on every call.
	keys := make([]string, 0, len(c.Metadata))
	for k := range c.Metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "" {
			return metadataError("metadata", "keys must not be empty")
		}
		if err := checkText("metadata", k, MaxMetadataKeyBytes, textSingleLine); err != nil {
			err.Reason = "key " + quoteInput(k) + ": " + err.Reason
			return err
		}
		if err := checkText("metadata", c.Metadata[k], MaxMetadataValueBytes, textFree); err != nil {
			err.Reason = "value of " + quoteInput(k) + ": " + err.Reason
			return err
		}
	}
	return nil
}

// checkSecretRecords bounds the secret records, which the Registry fills
// and a decoded client may carry: every store must be able to hold them.
func checkSecretRecords(c *Client, _ validateOptions) *ValidationError {
	if len(c.Secrets) > MaxStoredSecrets {
		return metadataError("secrets", "at most %d secret records are kept (got %d)", MaxStoredSecrets, len(c.Secrets))
	}
	for i := range c.Secrets {
		s := &c.Secrets[i]
		prefix := fmt.Sprintf("secrets[%d].", i)
		for _, f := range []struct {
			name, value string
			max         int
		}{
			{"id", s.ID, MaxSecretIDBytes},
			{"hint", s.Hint, MaxSecretHintBytes},
			{"description", s.Description, MaxSecretDescriptionBytes},
			{"hash", s.Hash.Reveal(), MaxSecretHashBytes},
			{"sealed", s.Sealed.Reveal(), MaxSealedSecretBytes},
		} {
			if len(f.value) > f.max {
				// The hash and sealed value are never echoed, not even
				// shortened.
				return metadataError(prefix+f.name, "must be at most %d bytes (got %d)", f.max, len(f.value))
			}
		}
	}
	return nil
}

// checkEncodedSize bounds the client as a whole. It runs last, so a single
// field over its own limit is reported by name first.
func checkEncodedSize(c *Client, _ validateOptions) *ValidationError {
	data, err := c.MarshalJSON()
	if err != nil {
		return metadataError("", "cannot be encoded as JSON: %v", err)
	}
	if len(data) > MaxClientJSONBytes {
		return metadataError("", "the client's JSON encoding is %d bytes; at most %d are allowed (MaxClientJSONBytes)", len(data), MaxClientJSONBytes)
	}
	return nil
}

// ValidateScopeToken reports whether s is one scope as RFC 6749 §3.3 defines
// it: one or more printable ASCII characters other than space, double quote
// and backslash (scope-token = 1*( %x21 / %x23-5B / %x5D-7E )). It returns
// nil or a *ValidationError with Field "scope".
//
// It checks syntax only; which scopes exist is for the embedding server to
// decide.
func ValidateScopeToken(s string) error {
	if err := checkScopeToken(s); err != nil {
		return err
	}
	return nil
}

func checkScopeToken(s string) *ValidationError {
	if s == "" {
		return metadataError("scope", "a scope must not be empty")
	}
	for i := 0; i < len(s); i++ {
		if !isScopeTokenChar(s[i]) {
			return metadataError("scope", `scope %s contains %s at offset %d; scopes use printable ASCII except space, '"' and '\' (RFC 6749 §3.3)`,
				quoteInput(s), describeByte(s[i]), i)
		}
	}
	return nil
}

func isScopeTokenChar(b byte) bool {
	return b == 0x21 || (b >= 0x23 && b <= 0x5b) || (b >= 0x5d && b <= 0x7e)
}

// describeByte names a byte for an error message.
func describeByte(b byte) string {
	switch {
	case b == ' ':
		return "a space"
	case b < 0x20 || b == 0x7f:
		return fmt.Sprintf("control character 0x%02X", b)
	case b >= 0x80:
		return fmt.Sprintf("non-ASCII byte 0x%02X", b)
	default:
		return fmt.Sprintf("%q", b)
	}
}
