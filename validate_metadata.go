package oauthreg

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
)

// This file validates the registration metadata and server-side policy of
// issue 9: RFC 7591 §2 descriptive fields, keys and client authentication
// (RFC 7591, RFC 8705), OpenID Connect Dynamic Client Registration 1.0 §2,
// the OpenID Connect logout specifications, and the policy fields. Every
// rule names the field with its JSON member name; redirect-like URIs other
// than redirect_uris report CodeInvalidClientMetadata, as RFC 7591 reserves
// invalid_redirect_uri for redirect_uris.

// uriRule says what a URI-valued field accepts.
type uriRule struct {
	// https: only https (else http and https, for pages shown to users).
	https bool
	// httpForConfidential: http is also accepted when the client is
	// confidential (OpenID Connect Back-Channel Logout 1.0 §2.2).
	httpForConfidential bool
	// fragment: a fragment is allowed (request_uris carry a hash there).
	fragment bool
}

// checkURIField checks one URI-valued metadata field: at most MaxURIBytes
// of URI characters, absolute, http or https per rule, with a host, no
// user information, no fragment unless allowed.
func checkURIField(field, uri string, rule uriRule, c *Client) *ValidationError {
	if uri == "" {
		return metadataError(field, "must not be empty")
	}
	if len(uri) > MaxURIBytes {
		return metadataError(field, "must be at most %d bytes (got %d)", MaxURIBytes, len(uri))
	}
	for i := 0; i < len(uri); i++ {
		if !isURIChar(uri[i]) {
			return metadataError(field, "contains %s at offset %d, which a URI cannot hold (percent-encode it)", describeByte(uri[i]), i)
		}
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme == "" || u.Opaque != "" || u.Host == "" {
		return metadataError(field, "must be an absolute URL such as https://client.example.com/path")
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "https":
	case scheme == "http" && rule.https && rule.httpForConfidential && !c.Public:
	case scheme == "http" && rule.https && rule.httpForConfidential:
		return metadataError(field, "must use https (http is allowed only for confidential clients)")
	case scheme == "http" && rule.https:
		return metadataError(field, "must use https")
	case scheme == "http":
	default:
		return metadataError(field, "must be an http or https URL (got scheme %s)", quoteInput(scheme))
	}
	switch {
	case u.User != nil:
		return metadataError(field, "must not contain user information (user:password@)")
	case strings.Contains(u.Host, "*"):
		return metadataError(field, "must not contain a wildcard")
	case strings.Contains(u.Host, "%"):
		return metadataError(field, "must not contain percent-encoding or an IPv6 zone in its host")
	case !rule.fragment && strings.IndexByte(uri, '#') >= 0:
		return metadataError(field, "must not contain a fragment")
	}
	return nil
}

// checkURIList checks a list of URIs: at most max, each per rule, no
// duplicates.
func checkURIList(field string, list []string, max int, rule uriRule, c *Client) *ValidationError {
	if len(list) > max {
		return metadataError(field, "at most %d are allowed (got %d)", max, len(list))
	}
	for i, u := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := checkURIField(f, u, rule, c); err != nil {
			return err
		}
		if j := slices.Index(list[:i], u); j >= 0 {
			return metadataError(f, "duplicate of %s[%d]", field, j)
		}
	}
	return nil
}

// checkTextList checks a list of single-line texts: at most max entries,
// each non-empty and at most maxBytes, no duplicates.
func checkTextList(field string, list []string, max, maxBytes int) *ValidationError {
	if len(list) > max {
		return metadataError(field, "at most %d are allowed (got %d)", max, len(list))
	}
	for i, s := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		if s == "" {
			return metadataError(f, "must not be empty")
		}
		if err := checkText(f, s, maxBytes, textSingleLine); err != nil {
			return err
		}
		if j := slices.Index(list[:i], s); j >= 0 {
			return metadataError(f, "duplicate of %s[%d]", field, j)
		}
	}
	return nil
}

// checkDescriptive checks the RFC 7591 §2 descriptive fields and their
// language-tagged variants.
func checkDescriptive(c *Client, _ validateOptions) *ValidationError {
	for _, f := range []struct{ name, value string }{
		{"client_uri", c.ClientURI}, {"logo_uri", c.LogoURI}, {"tos_uri", c.TOSURI}, {"policy_uri", c.PolicyURI},
	} {
		if f.value == "" {
			continue
		}
		if err := checkURIField(f.name, f.value, uriRule{}, c); err != nil {
			return err
		}
	}
	if err := checkTextList("contacts", c.Contacts, MaxContacts, MaxContactBytes); err != nil {
		return err
	}
	if err := checkText("software_id", c.SoftwareID, MaxSoftwareBytes, textSingleLine); err != nil {
		return err
	}
	if err := checkText("software_version", c.SoftwareVersion, MaxSoftwareBytes, textSingleLine); err != nil {
		return err
	}
	if len(c.Localized) > MaxLocalizedMembers {
		return metadataError("localized", "at most %d language-tagged members are allowed (got %d)", MaxLocalizedMembers, len(c.Localized))
	}
	for _, k := range sortedKeys(c.Localized) {
		base, ok := localizedBase(k)
		if !ok {
			return metadataError(quoteMember(k), "is not a language-tagged variant of client_name, client_uri, logo_uri, tos_uri or policy_uri (RFC 7591 §2.2)")
		}
		if err := checkLanguageTag(k, k[len(base)+1:]); err != nil {
			return err
		}
		v := c.Localized[k]
		if base == "client_name" {
			if err := checkText(k, v, MaxClientNameBytes, textSingleLine); err != nil {
				return err
			}
			continue
		}
		if err := checkURIField(k, v, uriRule{}, c); err != nil {
			return err
		}
	}
	return nil
}

// quoteMember names an untrusted member name in a Field: as it is when it
// is short, plain ASCII; else through the sanitizer (bounded, escaped).
func quoteMember(name string) string {
	if len(name) > 64 {
		return quoteInput(name)
	}
	for i := 0; i < len(name); i++ {
		if b := name[i]; b <= 0x20 || b >= 0x7f || b == '"' || b == '\\' {
			return quoteInput(name)
		}
	}
	return name
}

// checkLanguageTag checks the BCP 47 tag of a localized member loosely:
// 1 to MaxLanguageTagBytes ASCII letters, digits and hyphens, in subtags of
// 1 to 8 characters.
func checkLanguageTag(member, tag string) *ValidationError {
	field := quoteMember(member)
	if tag == "" || len(tag) > MaxLanguageTagBytes {
		return metadataError(field, "the language tag after '#' must be 1 to %d characters (BCP 47, such as \"ja-Jpan-JP\")", MaxLanguageTagBytes)
	}
	for sub := range strings.SplitSeq(tag, "-") {
		if sub == "" || len(sub) > 8 {
			return metadataError(field, "the language tag after '#' must be BCP 47 subtags of 1 to 8 characters separated by '-'")
		}
		for i := 0; i < len(sub); i++ {
			b := sub[i]
			if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9') {
				return metadataError(field, "the language tag after '#' may hold only ASCII letters, digits and '-'")
			}
		}
	}
	return nil
}

// checkKeysAndAuth checks the client's keys and what its authentication
// method needs (RFC 7591 §2, RFC 7523, RFC 8705).
func checkKeysAndAuth(c *Client, opts validateOptions) *ValidationError {
	if len(c.JWKS) > 0 && c.JWKSURI != "" {
		return metadataError("jwks", "jwks and jwks_uri must not both be set (RFC 7591 §2): register the keys by value or by reference")
	}
	if len(c.JWKS) > 0 {
		if err := checkKeySetStructure("jwks", c.JWKS); err != nil {
			return err
		}
		if opts.KeySets != nil {
			if err := opts.KeySets.ValidateKeySet(c.JWKS); err != nil {
				return metadataError("jwks", "%s", SanitizeInput(err.Error()))
			}
		}
	}
	if c.JWKSURI != "" {
		if err := checkURIField("jwks_uri", c.JWKSURI, uriRule{https: true}, c); err != nil {
			return err
		}
	}
	hasKeys := len(c.JWKS) > 0 || c.JWKSURI != ""
	m := c.TokenEndpointAuthMethod
	switch {
	case m == AuthPrivateKeyJWT && !hasKeys:
		return metadataError("token_endpoint_auth_method", "private_key_jwt needs the client's public keys: register jwks or jwks_uri (RFC 7523)")
	case m == AuthSelfSignedTLSClient && !hasKeys:
		return metadataError("token_endpoint_auth_method", "self_signed_tls_client_auth needs the client's certificates: register them in jwks or jwks_uri, as x5c members (RFC 8705 §2.2)")
	}
	if alg := c.TokenEndpointAuthSigningAlg; alg != "" {
		const field = "token_endpoint_auth_signing_alg"
		switch {
		case alg == "none":
			return metadataError(field, `must not be "none" (RFC 8414 §2): the assertion must be signed`)
		case !isKnownJWSAlg(alg):
			return metadataError(field, "unknown JWS algorithm %s", quoteInput(alg))
		case m == AuthPrivateKeyJWT && !isAsymmetricAlg(alg):
			return metadataError(field, "private_key_jwt needs an asymmetric algorithm such as RS256, PS256, ES256 or EdDSA (got %q)", alg)
		case m == AuthClientSecretJWT && isAsymmetricAlg(alg):
			return metadataError(field, "client_secret_jwt signs with the secret: use HS256, HS384 or HS512 (got %q)", alg)
		}
	}
	return checkTLSClientAuth(c)
}

// checkTLSClientAuth: a tls_client_auth client names exactly one subject
// field (RFC 8705 §2.1.2); other clients name none.
func checkTLSClientAuth(c *Client) *ValidationError {
	fields := []struct{ name, value string }{
		{"tls_client_auth_subject_dn", c.TLSClientAuthSubjectDN},
		{"tls_client_auth_san_dns", c.TLSClientAuthSANDNS},
		{"tls_client_auth_san_uri", c.TLSClientAuthSANURI},
		{"tls_client_auth_san_ip", c.TLSClientAuthSANIP},
		{"tls_client_auth_san_email", c.TLSClientAuthSANEmail},
	}
	var set []string
	for _, f := range fields {
		if f.value == "" {
			continue
		}
		set = append(set, f.name)
		if err := checkText(f.name, f.value, MaxTLSSubjectBytes, textSingleLine); err != nil {
			return err
		}
		switch f.name {
		case "tls_client_auth_subject_dn":
			if !strings.Contains(f.value, "=") {
				return metadataError(f.name, `must be a distinguished name such as "CN=client,O=Example" (RFC 4514)`)
			}
		case "tls_client_auth_san_dns":
			if !isDNSName(f.value) {
				return metadataError(f.name, "must be a DNS name such as client.example.com")
			}
		case "tls_client_auth_san_uri":
			if u, err := url.Parse(f.value); err != nil || u.Scheme == "" {
				return metadataError(f.name, "must be an absolute URI")
			}
		case "tls_client_auth_san_ip":
			if _, err := netip.ParseAddr(f.value); err != nil || strings.Contains(f.value, "%") {
				return metadataError(f.name, "must be an IPv4 or IPv6 address such as 192.0.2.1 or 2001:db8::1")
			}
		case "tls_client_auth_san_email":
			if at := strings.IndexByte(f.value, '@'); at <= 0 || at == len(f.value)-1 || strings.ContainsAny(f.value, " <>") {
				return metadataError(f.name, "must be an e-mail address such as client@example.com")
			}
		}
	}
	switch {
	case c.TokenEndpointAuthMethod == AuthTLSClient && len(set) != 1:
		return metadataError("token_endpoint_auth_method",
			"tls_client_auth needs exactly one of tls_client_auth_subject_dn, tls_client_auth_san_dns, tls_client_auth_san_uri, tls_client_auth_san_ip and tls_client_auth_san_email (RFC 8705 §2.1.2; got %d)", len(set))
	case c.TokenEndpointAuthMethod != AuthTLSClient && len(set) > 0:
		return metadataError(set[0], "applies only to tls_client_auth clients (the method is %q)", c.TokenEndpointAuthMethod)
	}
	return nil
}

// isDNSName reports whether s is a DNS host name: labels of 1 to 63
// letters, digits and hyphens (not at either end), at most 253 bytes; a
// leading "*." wildcard label is allowed, as certificates carry them.
func isDNSName(s string) bool {
	s = strings.TrimPrefix(s, "*.")
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			b := label[i]
			if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-') {
				return false
			}
		}
	}
	return true
}

// checkOpenIDConnect checks the fields of OpenID Connect Dynamic Client
// Registration 1.0 §2.
func checkOpenIDConnect(c *Client, _ validateOptions) *ValidationError {
	hasKeys := len(c.JWKS) > 0 || c.JWKSURI != ""
	switch c.ApplicationType {
	case "", "web", "native":
	default:
		return metadataError("application_type", `must be "web" or "native" (got %s)`, quoteInput(c.ApplicationType))
	}
	if c.ApplicationType == "web" && c.HasGrantType(GrantImplicit) {
		// OIDC Registration §2: web clients of the implicit grant register
		// https redirect URIs, never localhost. Only for a client that says
		// it is a web client: an empty application_type (a plain OAuth
		// client) gets the OAuth rules alone.
		for i, u := range c.RedirectURIs {
			p, err := url.Parse(u)
			if err == nil && (!strings.EqualFold(p.Scheme, "https") || isLoopbackHost(p.Hostname())) {
				return redirectError(fmt.Sprintf("redirect_uris[%d]", i),
					`a web client of the implicit grant must use https redirect URIs, not localhost (OpenID Connect Registration §2, application_type "web")`)
			}
		}
	}
	if c.ApplicationType == "native" {
		// OIDC Registration §2 with RFC 8252 §7: a native app redirects to a
		// private-use scheme, the loopback interface, or a claimed https URL.
		for i, u := range c.RedirectURIs {
			p, err := url.Parse(u)
			if err == nil && strings.EqualFold(p.Scheme, "http") && !isLoopbackIP(p.Hostname()) && !strings.EqualFold(p.Hostname(), "localhost") {
				return redirectError(fmt.Sprintf("redirect_uris[%d]", i), "a native client uses a private-use scheme, https, or http on the loopback interface (RFC 8252 §7)")
			}
		}
	}

	// Signing and encryption algorithms.
	type algField struct {
		name, value string
		jwe         bool
		allowNone   bool
	}
	returnsIDToken := false
	for _, rt := range c.ResponseTypes {
		if set, _ := parseResponseType(rt); set&rtIDToken != 0 {
			returnsIDToken = true
		}
	}
	for _, f := range []algField{
		// OIDC Core §2 / Registration §2: "none" only when no ID token comes
		// from the authorization endpoint.
		{"id_token_signed_response_alg", c.IDTokenSignedResponseAlg, false, !returnsIDToken},
		{"userinfo_signed_response_alg", c.UserinfoSignedResponseAlg, false, false},
		{"request_object_signing_alg", c.RequestObjectSigningAlg, false, true},
		{"id_token_encrypted_response_alg", c.IDTokenEncryptedResponseAlg, true, false},
		{"userinfo_encrypted_response_alg", c.UserinfoEncryptedResponseAlg, true, false},
		{"request_object_encryption_alg", c.RequestObjectEncryptionAlg, true, false},
	} {
		switch {
		case f.value == "":
		case f.value == "none" && f.allowNone:
		case f.value == "none":
			return metadataError(f.name, `must not be "none" here (OpenID Connect Registration §2)`)
		case f.jwe && f.value == "RSA1_5":
			return metadataError(f.name, "RSA1_5 is refused: RSAES-PKCS1-v1_5 is open to padding-oracle attacks; use RSA-OAEP-256 or ECDH-ES")
		case f.jwe && !isKnownJWEAlg(f.value):
			return metadataError(f.name, "unknown JWE algorithm %s", quoteInput(f.value))
		case !f.jwe && !isKnownJWSAlg(f.value):
			return metadataError(f.name, "unknown JWS algorithm %s", quoteInput(f.value))
		}
	}
	// The server encrypts ID tokens and UserInfo responses to the client's
	// public key; a request object encrypted with an asymmetric algorithm
	// is encrypted to the server's key, which needs nothing of the client.
	for _, f := range []struct{ name, alg string }{
		{"id_token_encrypted_response_alg", c.IDTokenEncryptedResponseAlg},
		{"userinfo_encrypted_response_alg", c.UserinfoEncryptedResponseAlg},
	} {
		if isAsymmetricAlg(f.alg) && !hasKeys {
			return metadataError(f.name, "%s encrypts to the client's public key: register jwks or jwks_uri", f.alg)
		}
	}
	for _, f := range []struct{ name, enc, algName, alg string }{
		{"id_token_encrypted_response_enc", c.IDTokenEncryptedResponseEnc, "id_token_encrypted_response_alg", c.IDTokenEncryptedResponseAlg},
		{"userinfo_encrypted_response_enc", c.UserinfoEncryptedResponseEnc, "userinfo_encrypted_response_alg", c.UserinfoEncryptedResponseAlg},
		{"request_object_encryption_enc", c.RequestObjectEncryptionEnc, "request_object_encryption_alg", c.RequestObjectEncryptionAlg},
	} {
		switch {
		case f.enc == "":
		case !isKnownJWEEnc(f.enc):
			return metadataError(f.name, "unknown JWE encryption %s; use one of %s", quoteInput(f.enc), strings.Join(jweEncryptions, ", "))
		case f.alg == "":
			return metadataError(f.name, "needs %s too (OpenID Connect Registration §2)", f.algName)
		}
	}

	if err := checkURIList("request_uris", c.RequestURIs, MaxRequestURIs, uriRule{https: true, fragment: true}, c); err != nil {
		return err
	}
	switch c.SubjectType {
	case "", "public", "pairwise":
	default:
		return metadataError("subject_type", `must be "public" or "pairwise" (got %s)`, quoteInput(c.SubjectType))
	}
	if c.SectorIdentifierURI != "" {
		if err := checkURIField("sector_identifier_uri", c.SectorIdentifierURI, uriRule{https: true}, c); err != nil {
			return err
		}
	} else if c.SubjectType == "pairwise" {
		// OIDC Core §8.1: without a sector identifier the sector is the
		// redirect URIs' host, which must then be one host.
		var hosts []string
		for _, u := range c.RedirectURIs {
			if p, err := url.Parse(u); err == nil && p.Host != "" && !slices.Contains(hosts, strings.ToLower(p.Hostname())) {
				hosts = append(hosts, strings.ToLower(p.Hostname()))
			}
		}
		if len(hosts) > 1 {
			return metadataError("sector_identifier_uri", "a pairwise client whose redirect URIs are on several hosts (%d) must register a sector_identifier_uri (OpenID Connect Core §8.1)", len(hosts))
		}
	}
	switch {
	case c.DefaultMaxAge < 0:
		return metadataError("default_max_age", "must not be negative (got %v)", c.DefaultMaxAge)
	case c.DefaultMaxAge > MaxDefaultMaxAge:
		return metadataError("default_max_age", "must be at most %v (got %v)", MaxDefaultMaxAge, c.DefaultMaxAge)
	case c.DefaultMaxAge%time.Second != 0:
		return metadataError("default_max_age", "must be a whole number of seconds (got %v)", c.DefaultMaxAge)
	}
	if err := checkTextList("default_acr_values", c.DefaultACRValues, MaxACRValues, MaxACRValueBytes); err != nil {
		return err
	}
	if c.InitiateLoginURI != "" {
		if err := checkURIField("initiate_login_uri", c.InitiateLoginURI, uriRule{https: true}, c); err != nil {
			return err
		}
	}
	return checkLogout(c)
}

// checkLogout checks the OpenID Connect logout fields: RP-Initiated Logout
// 1.0 §3.1, Front-Channel Logout 1.0 §2, Back-Channel Logout 1.0 §2.2.
func checkLogout(c *Client) *ValidationError {
	if len(c.PostLogoutRedirectURIs) > MaxPostLogoutRedirectURIs {
		return metadataError("post_logout_redirect_uris", "at most %d are allowed (got %d)", MaxPostLogoutRedirectURIs, len(c.PostLogoutRedirectURIs))
	}
	for i, u := range c.PostLogoutRedirectURIs {
		field := fmt.Sprintf("post_logout_redirect_uris[%d]", i)
		if err := checkRedirectURI(field, u); err != nil {
			// The same rules as redirect URIs; RFC 7591's
			// invalid_redirect_uri names redirect_uris only.
			err.Code = CodeInvalidClientMetadata
			return err
		}
		if j := slices.Index(c.PostLogoutRedirectURIs[:i], u); j >= 0 {
			return metadataError(field, "duplicate of post_logout_redirect_uris[%d]", j)
		}
	}
	if u := c.FrontchannelLogoutURI; u != "" {
		const field = "frontchannel_logout_uri"
		if err := checkURIField(field, u, uriRule{}, c); err != nil {
			return err
		}
		// Front-Channel Logout §2: same scheme, host and port as a
		// registered redirect URI.
		p, _ := url.Parse(u)
		same := false
		for _, r := range c.RedirectURIs {
			if q, err := url.Parse(r); err == nil && sameOrigin(p, q) {
				same = true
				break
			}
		}
		if !same {
			return metadataError(field, "must have the scheme, host and port of one of the redirect URIs (OpenID Connect Front-Channel Logout §2)")
		}
	} else if c.FrontchannelLogoutSessionRequired {
		return metadataError("frontchannel_logout_session_required", "needs frontchannel_logout_uri")
	}
	if u := c.BackchannelLogoutURI; u != "" {
		if err := checkURIField("backchannel_logout_uri", u, uriRule{https: true, httpForConfidential: true}, c); err != nil {
			return err
		}
	} else if c.BackchannelLogoutSessionRequired {
		return metadataError("backchannel_logout_session_required", "needs backchannel_logout_uri")
	}
	return nil
}

// sameOrigin compares the scheme, host and effective port of two URLs.
func sameOrigin(a, b *url.URL) bool {
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if strings.EqualFold(u.Scheme, "http") {
			return "80"
		}
		return "443"
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// checkPolicy checks the server-side policy fields.
func checkPolicy(c *Client, _ validateOptions) *ValidationError {
	if err := checkTextList("audience", c.Audience, MaxAudiences, MaxURIBytes); err != nil {
		return err
	}
	if len(c.AllowedCORSOrigins) > MaxCORSOrigins {
		return metadataError("allowed_cors_origins", "at most %d are allowed (got %d)", MaxCORSOrigins, len(c.AllowedCORSOrigins))
	}
	for i, o := range c.AllowedCORSOrigins {
		field := fmt.Sprintf("allowed_cors_origins[%d]", i)
		if len(o) > MaxOriginBytes {
			return metadataError(field, "must be at most %d bytes (got %d)", MaxOriginBytes, len(o))
		}
		if err := checkURIField(field, o, uriRule{}, c); err != nil {
			return err
		}
		if u, _ := url.Parse(o); u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(o, "?") {
			return metadataError(field, "must be an origin, scheme://host[:port], with no path, query or fragment (got %s)", quoteInput(o))
		}
		if j := slices.Index(c.AllowedCORSOrigins[:i], o); j >= 0 {
			return metadataError(field, "duplicate of allowed_cors_origins[%d]", j)
		}
	}
	// A repeated response mode is harmless (the list is a set) and fosite's
	// own fixtures repeat them, so it is kept; the count is bounded.
	if len(c.ResponseModes) > MaxResponseModes {
		return metadataError("response_modes", "at most %d are allowed (got %d)", MaxResponseModes, len(c.ResponseModes))
	}
	// Besides the ResponseMode constants, a server may implement its own
	// modes (fosite's custom response mode handlers do): any name of
	// letters, digits, '.', '_' and '-' up to MaxResponseModeBytes.
	for i, m := range c.ResponseModes {
		if !isKnownResponseMode(m) && !isResponseModeName(string(m)) {
			return metadataError(fmt.Sprintf("response_modes[%d]", i),
				"response mode %s is neither query, fragment, form_post, query.jwt, fragment.jwt, form_post.jwt, jwt nor a custom name of at most %d letters, digits, '.', '_' and '-'",
				quoteInput(string(m)), MaxResponseModeBytes)
		}
	}
	return nil
}

// checkExtensions checks the kept unknown members: names that are not
// members oauthreg knows, valid JSON values, and the limits.
func checkExtensions(c *Client, _ validateOptions) *ValidationError {
	if len(c.Extensions) > MaxExtensions {
		return metadataError("extensions", "at most %d unknown members are kept (got %d)", MaxExtensions, len(c.Extensions))
	}
	total := 0
	for _, k := range sortedKeys(c.Extensions) {
		if k == "" {
			return metadataError("extensions", "a member name must not be empty")
		}
		if err := checkText("extensions", k, MaxExtensionNameBytes, textSingleLine); err != nil {
			err.Reason = "member name " + quoteInput(k) + ": " + err.Reason
			return err
		}
		if _, loc := localizedBase(k); IsKnownMember(k) || loc {
			return metadataError("extensions", "member %s is one oauthreg knows: set its field instead", quoteInput(k))
		}
		v := c.Extensions[k]
		if !jsonValid(v) {
			return metadataError(quoteMember(k), "must be valid JSON")
		}
		total += len(k) + len(v)
	}
	if total > MaxExtensionsBytes {
		return metadataError("extensions", "unknown members take at most %d bytes together (got %d)", MaxExtensionsBytes, total)
	}
	return nil
}

// isResponseModeName reports whether s can name a custom response mode.
func isResponseModeName(s string) bool {
	if s == "" || len(s) > MaxResponseModeBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '.' || b == '_' || b == '-') {
			return false
		}
	}
	return true
}
