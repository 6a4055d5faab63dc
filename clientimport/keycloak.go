package clientimport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
)

// keycloakBuiltin are the clients Keycloak creates in every realm for its
// own use.
var keycloakBuiltin = []string{"account", "account-console", "admin-cli", "broker", "realm-management", "security-admin-console"}

// keycloakQuiet are the ClientRepresentation members the mapping reads or
// deliberately drops without a warning (bookkeeping: Keycloak's own UUID,
// console display, settings at their defaults).
var keycloakQuiet = []string{"id", "surrogateAuthRequired", "alwaysDisplayInConsole", "notBefore", "nodeReRegistrationTimeout",
	"frontchannelLogout", "fullScopeAllowed", "access", "defaultRoles", "origin", "directGrantsOnly"}

// keycloakQuietAttrs are the client attributes dropped without a warning (display, session timeouts of Keycloak's own sessions, SAML).
var keycloakQuietAttrs = []string{"client.secret.creation.time", "client.secret.rotated.creation.time", "display.on.consent.screen", "consent.screen.text", "client.session.idle.timeout",
	"client.session.max.lifespan", "client.offline.session.idle.timeout", "client.offline.session.max.lifespan", "backchannel.logout.revoke.offline.tokens",
	"exclude.session.state.from.auth.response", "exclude.issuer.from.auth.response", "post.logout.redirect.uris", "use.refresh.tokens",
	"client_credentials.use_refresh_token", "token.response.type.bearer.lower-case", "display.on.consent.screen", "require.pushed.authorization.requests",
	"oauth2.device.authorization.grant.enabled", "oidc.ciba.grant.enabled", "realm_client", "standard.token.exchange.enabled", "saml_idp_initiated_sso_url_name",
	"frontchannel.logout.session.required", "use.jwks.url", "use.jwks.string"}

// parseKeycloak reads a realm export (kc.sh export --realm R --file f: one
// realm object with clients[]), an array of realm objects, or the JSON
// array of clients Keycloak's admin API returns.
func parseKeycloak(buf []byte, o Options) ([]Entry, error) {
	type realm struct {
		Realm   string                       `json:"realm"`
		Clients []map[string]json.RawMessage `json:"clients"`
	}
	var realms []realm
	trimmed := bytes.TrimSpace(buf[:min(len(buf), 64)])
	switch {
	case bytes.HasPrefix(trimmed, []byte("{")):
		if err := checkRealmClients(buf, false); err != nil {
			return nil, err
		}
		var one realm
		if err := json.Unmarshal(buf, &one); err != nil {
			wipeAll(one.Clients) // decoded around a type error
			return nil, fmt.Errorf("%w: a Keycloak realm export is a JSON object with clients[]: %v", ErrExport, err)
		}
		realms = []realm{one}
	case bytes.HasPrefix(trimmed, []byte("[")):
		if err := checkArrayLen(buf); err != nil {
			return nil, err
		}
		var items []json.RawMessage
		if err := json.Unmarshal(buf, &items); err != nil {
			return nil, fmt.Errorf("%w: not a JSON array: %v", ErrExport, err)
		}
		defer clearAll(items)
		// An array of realms if its first item is a realm (it has realm
		// or clients, and no clientId); else an array of clients, each of
		// which is refused if it lacks a clientId, rather than a "realm"
		// with no clients, which would import nothing without a word.
		var probe struct {
			ClientID *string      `json:"clientId"`
			Realm    *string      `json:"realm"`
			Clients  *clientCount `json:"clients"`
		}
		isRealms := len(items) > 0 && json.Unmarshal(items[0], &probe) == nil && probe.ClientID == nil && (probe.Realm != nil || probe.Clients != nil)
		if !isRealms {
			var clients []map[string]json.RawMessage
			if err := json.Unmarshal(buf, &clients); err != nil {
				wipeAll(clients) // decoded around a type error
				return nil, fmt.Errorf("%w: not a JSON array of clients: %v", ErrExport, err)
			}
			realms = []realm{{Clients: clients}}
		} else if err := checkRealmClients(buf, true); err != nil {
			return nil, err
		} else if err := json.Unmarshal(buf, &realms); err != nil {
			for _, rl := range realms {
				wipeAll(rl.Clients) // decoded around a type error
			}
			return nil, fmt.Errorf("%w: not a JSON array of realms: %v", ErrExport, err)
		}
	default:
		return nil, fmt.Errorf("%w: a Keycloak export is a JSON realm object (kc.sh export --realm NAME --file FILE --users skip)", ErrExport)
	}
	var entries []Entry
	for _, rl := range realms {
		for _, m := range rl.Clients {
			entries = append(entries, keycloakEntry(len(entries), rl.Realm, m, o))
			wipe(m)
		}
	}
	return entries, nil
}

func keycloakEntry(i int, realm string, m map[string]json.RawMessage, o Options) Entry {
	e := Entry{Index: i}
	r := newRecord(m, &e)
	id := r.str("clientId")
	e.ClientID = id
	c := &e.Import.Client
	c.ID = id
	c.Owner = realm
	if o.Owner != "" {
		c.Owner = o.Owner
	}
	attrs, rotated := keycloakAttributes(r)
	used := map[string]bool{}
	attr := func(k string) string { used[k] = true; return attrs[k] }
	switch p := r.str("protocol"); {
	case id == "":
		e.refuse(ReasonMissingID, "the client has no clientId")
	case p != "" && p != "openid-connect":
		e.skip(ReasonProtocol, "a %s client; oauthreg keeps OAuth 2.0 / OpenID Connect clients only", q(p))
	case slices.Contains(keycloakBuiltin, id) && !o.IncludeBuiltin:
		e.skip(ReasonBuiltin, "one of Keycloak's built-in clients (import them with the include-builtin option)")
	}
	if bearer, _ := r.boolean("bearerOnly"); bearer {
		e.skip(ReasonBearerOnly, "a bearer-only client (a resource server that requests no tokens)")
	}
	name := r.str("name")
	if strings.HasPrefix(name, "${") {
		e.warn("name", "%s is a Keycloak message key, not a name; not imported", q(name))
		name = ""
	}
	c.Name, c.Description = name, r.str("description")
	if enabled, set := r.boolean("enabled"); set && !enabled {
		c.Disabled = true
	}
	rootURL, baseURL := r.str("rootUrl"), r.str("baseUrl")
	if strings.Contains(rootURL, "${") {
		rootURL = ""
	}
	if u, err := url.Parse(rootURL); err == nil && u.IsAbs() {
		c.ClientURI = rootURL
	} else if strings.HasPrefix(baseURL, "https://") || strings.HasPrefix(baseURL, "http://") {
		c.ClientURI = baseURL
	}
	c.RedirectURIs = keycloakURIs(&e, "redirectUris", r.list("redirectUris"), rootURL)
	if post := attr("post.logout.redirect.uris"); post != "" {
		var uris []string
		for _, u := range strings.Split(post, "##") {
			if u == "+" {
				uris = append(uris, c.RedirectURIs...)
			} else if u != "" {
				uris = append(uris, u)
			}
		}
		c.PostLogoutRedirectURIs = keycloakURIs(&e, "post.logout.redirect.uris", uris, rootURL)
	}
	c.AllowedCORSOrigins = keycloakOrigins(&e, r.list("webOrigins"), c.RedirectURIs)
	keycloakGrants(&e, r, attr)
	scopes := append(r.list("defaultClientScopes"), r.list("optionalClientScopes")...)
	for _, s := range scopes {
		if !slices.Contains(c.Scopes, s) {
			c.Scopes = append(c.Scopes, s)
		}
	}
	if len(r.list("optionalClientScopes")) > 0 {
		e.warn("optionalClientScopes", "default and optional client scopes are both kept as the client's scopes; oauthreg does not tell them apart")
	}
	keycloakAuth(&e, r, attr, rotated, o)
	if s := attr("access.token.lifespan"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			c.Lifetimes.AccessToken = seconds(&e, "access.token.lifespan", float64(n))
		} else if err != nil {
			e.refuse(ReasonMalformed, "attribute access.token.lifespan is not a number of seconds")
		}
	}
	switch pkce := attr("pkce.code.challenge.method"); pkce {
	case "S256":
		c.RequirePKCE = true
	case "plain":
		c.RequirePKCE = true
		e.warn("pkce.code.challenge.method", "Keycloak required PKCE with the plain method; imported as RequirePKCE, the methods accepted are your server's")
	}
	if attr("use.jwks.url") == "true" {
		c.JWKSURI = attr("jwks.url")
	} else {
		used["jwks.url"] = true
	}
	c.TokenEndpointAuthSigningAlg = attr("token.endpoint.auth.signing.alg")
	c.IDTokenSignedResponseAlg = attr("id.token.signed.response.alg")
	c.IDTokenEncryptedResponseAlg = attr("id.token.encrypted.response.alg")
	c.IDTokenEncryptedResponseEnc = attr("id.token.encrypted.response.enc")
	c.UserinfoSignedResponseAlg = attr("user.info.response.signature.alg")
	if alg := attr("request.object.signature.alg"); alg != "any" {
		c.RequestObjectSigningAlg = alg
	}
	c.LogoURI, c.PolicyURI, c.TOSURI = attr("logoUri"), attr("policyUri"), attr("tosUri")
	// Keycloak turns the session-required switches on by default, with or
	// without a logout URL; they mean something only with one.
	c.BackchannelLogoutURI = attr("backchannel.logout.url")
	c.BackchannelLogoutSessionRequired = attr("backchannel.logout.session.required") == "true" && c.BackchannelLogoutURI != ""
	if fc, _ := r.boolean("frontchannelLogout"); fc {
		c.FrontchannelLogoutURI = attr("frontchannel.logout.url")
		c.FrontchannelLogoutSessionRequired = attr("frontchannel.logout.session.required") == "true" && c.FrontchannelLogoutURI != ""
	} else {
		used["frontchannel.logout.url"] = true
	}
	c.TLSClientCertificateBoundAccessTokens = attr("tls.client.certificate.bound.access.tokens") == "true"
	c.DPoPBoundAccessTokens = attr("dpop.bound.access.tokens") == "true"
	c.RequirePushedAuthorizationRequests = attr("require.pushed.authorization.requests") == "true"
	if acr := attr("default.acr.values"); acr != "" {
		c.DefaultACRValues = strings.Split(acr, "##")
	}
	if mappers := r.list2("protocolMappers"); mappers > 0 {
		e.warn("protocolMappers", "%d protocol mappers (the claims Keycloak put in tokens) are not imported: your token issuer must add those claims", mappers)
	}
	if consent, _ := r.boolean("consentRequired"); consent {
		e.warn("consentRequired", "Keycloak asked users for consent; oauthreg keeps no consent setting")
	}
	if authz, _ := r.boolean("authorizationServicesEnabled"); authz {
		e.warn("authorizationServicesEnabled", "Keycloak Authorization Services (resources, policies, permissions) are not imported")
	}
	r.get("authorizationSettings")
	if a := r.str("adminUrl"); a != "" {
		e.warn("adminUrl", "Keycloak's callback URL for admin events (%s) is not imported", q(a))
	}
	var unusedAttrs []string
	for _, k := range sortedKeys(attrs) {
		if !used[k] && !slices.Contains(keycloakQuietAttrs, k) && attrs[k] != "" && attrs[k] != "false" {
			unusedAttrs = append(unusedAttrs, k)
		}
	}
	e.warnDropped("attributes", unusedAttrs)
	e.warnDropped("client", r.unused(append(keycloakQuiet, "attributes", "secret", "clientAuthenticatorType", "redirectUris", "webOrigins")...))
	return e
}

// list2 counts the elements of a JSON array member (of any type).
func (r *record) list2(key string) int {
	v := r.get(key)
	if v == nil {
		return 0
	}
	var items []json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		r.bad(key, "a list")
		return 0
	}
	return len(items)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// keycloakAttributes reads the attributes object (string values), but the
// previous secret a rotation keeps (client.secret.rotated), which it
// returns in a buffer of its own.
func keycloakAttributes(r *record) (attrs map[string]string, rotated []byte) {
	raw := r.object("attributes")
	defer wipe(raw)
	attrs = make(map[string]string, len(raw))
	for k, v := range raw {
		if k == "client.secret.rotated" {
			var err error
			if rotated, err = secretBytes(v); err != nil {
				r.bad("attribute client.secret.rotated", "a string")
			}
			continue
		}
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = strings.Trim(string(v), `"`)
		}
		attrs[k] = s
	}
	return attrs, rotated
}

// keycloakURIs resolves redirect URIs relative to the root URL, as
// Keycloak does, and refuses patterns: oauthreg matches redirect URIs
// exactly (RFC 9700).
func keycloakURIs(e *Entry, field string, uris []string, rootURL string) []string {
	out := make([]string, 0, len(uris))
	for _, u := range uris {
		if strings.Contains(u, "*") {
			e.refuse(ReasonWildcardURI, "%s %s is a pattern; oauthreg matches redirect URIs exactly: list each URI in the export", field, q(u))
			continue
		}
		if strings.HasPrefix(u, "/") {
			if rootURL == "" {
				e.refuse(ReasonMalformed, "%s %s is relative and the client has no rootUrl", field, q(u))
				continue
			}
			u = strings.TrimSuffix(rootURL, "/") + u
		}
		out = append(out, u)
	}
	return out
}

// keycloakOrigins maps webOrigins: "+" stands for the origins of the
// redirect URIs; "*" (any origin) is not carried over.
func keycloakOrigins(e *Entry, origins, redirects []string) []string {
	var out []string
	add := func(o string) {
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	for _, o := range origins {
		switch o {
		case "+":
			for _, ru := range redirects {
				if u, err := url.Parse(ru); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
					add(u.Scheme + "://" + u.Host)
				}
			}
		case "*":
			e.warn("webOrigins", `"*" (every origin) is not carried over: list the origins allowed to call the token endpoint`)
		case "", "-":
		default:
			add(o)
		}
	}
	return out
}

// keycloakGrants maps the flow switches to grant and response types.
func keycloakGrants(e *Entry, r *record, attr func(string) string) {
	c := &e.Import.Client
	standard, set := r.boolean("standardFlowEnabled")
	if !set {
		standard = true // Keycloak's default
	}
	implicit, _ := r.boolean("implicitFlowEnabled")
	direct, _ := r.boolean("directAccessGrantsEnabled")
	service, _ := r.boolean("serviceAccountsEnabled")
	device, _ := r.boolean("oauth2DeviceAuthorizationGrantEnabled")
	device = device || attr("oauth2.device.authorization.grant.enabled") == "true"
	refresh := attr("use.refresh.tokens") != "false"
	add := func(g oauthreg.GrantType) {
		if !slices.Contains(c.GrantTypes, g) {
			c.GrantTypes = append(c.GrantTypes, g)
		}
	}
	if standard {
		add(oauthreg.GrantAuthorizationCode)
		c.ResponseTypes = append(c.ResponseTypes, oauthreg.ResponseCode)
	}
	if implicit {
		add(oauthreg.GrantImplicit)
		c.ResponseTypes = append(c.ResponseTypes, oauthreg.ResponseToken, oauthreg.ResponseIDToken)
	}
	if direct {
		add(oauthreg.GrantPassword)
	}
	if service {
		add(oauthreg.GrantClientCredentials)
	}
	if device {
		add(oauthreg.GrantDeviceCode)
	}
	if attr("standard.token.exchange.enabled") == "true" {
		add(oauthreg.GrantTokenExchange)
	}
	if refresh && (standard || direct || device) {
		add(oauthreg.GrantRefreshToken)
	}
	if attr("oidc.ciba.grant.enabled") == "true" {
		e.warn("oidc.ciba.grant.enabled", "Keycloak allowed CIBA for this client; oauthreg has no CIBA grant type, so it is not imported")
	}
	if len(c.GrantTypes) == 0 {
		e.warn("standardFlowEnabled", "Keycloak enabled no flow for this client; oauthreg gives it its default grant type")
	}
}

// keycloakAuth maps clientAuthenticatorType and the secret.
func keycloakAuth(e *Entry, r *record, attr func(string) string, rotated []byte, o Options) {
	c := &e.Import.Client
	secret, err := secretBytes(r.get("secret"))
	if err != nil {
		e.refuse(ReasonMalformed, "secret is not a string")
	}
	public, _ := r.boolean("publicClient")
	method := r.str("clientAuthenticatorType")
	switch {
	case public:
		c.TokenEndpointAuthMethod = oauthreg.AuthNone
		c.Public = true
	case method == "" || method == "client-secret":
		c.TokenEndpointAuthMethod = oauthreg.AuthClientSecretBasic
	case method == "client-secret-jwt":
		c.TokenEndpointAuthMethod = oauthreg.AuthClientSecretJWT
	case method == "client-jwt":
		c.TokenEndpointAuthMethod = oauthreg.AuthPrivateKeyJWT
		if attr("use.jwks.url") != "true" || attr("jwks.url") == "" {
			attr("jwt.credential.certificate")
			e.refuse(ReasonAuthMethod, "a client-jwt client whose key is a certificate in Keycloak, not a JWK Set URL: publish the key at a URL and set jwks.url, or add the client by hand with its JWK Set")
		}
	case method == "client-x509":
		c.TokenEndpointAuthMethod = oauthreg.AuthTLSClient
		c.TLSClientAuthSubjectDN = attr("x509.subjectdn")
		if attr("x509.allow.regex.pattern.comparison") == "true" {
			e.warn("x509.allow.regex.pattern.comparison", "Keycloak compared the subject DN as a regular expression; oauthreg compares it exactly")
		}
	default:
		e.refuse(ReasonAuthMethod, "clientAuthenticatorType %s has no oauthreg equivalent", q(method))
	}
	if !c.TokenEndpointAuthMethod.UsesSecret() {
		if len(secret) > 0 && !public {
			e.warn("secret", "the client authenticates with %s; its Keycloak secret is not imported", c.TokenEndpointAuthMethod)
		}
		clear(secret)
		clear(rotated)
		attr("client.secret.expiration.time")
		attr("client.secret.rotated.expiration.time")
		return
	}
	if len(secret) == 0 || onlyStars(secret) {
		clear(secret)
		clear(rotated)
		e.refuse(ReasonSecretMissing, "the export holds no secret for this confidential client (the admin console's partial export masks secrets: use kc.sh export)")
		return
	}
	// Keycloak rotates by keeping the previous secret, with its own
	// expiry, next to the new one: the old one first.
	if len(rotated) > 0 {
		until := keycloakEpoch(e, attr("client.secret.rotated.expiration.time"), "client.secret.rotated.expiration.time")
		switch {
		case until.IsZero() || !until.After(o.now()):
			clear(rotated)
			e.warn("client.secret.rotated", "the secret replaced by Keycloak's last rotation is no longer valid; not imported")
		default:
			e.Import.Secrets = append(e.Import.Secrets, oauthreg.SecretImport{Plaintext: rotated, ExpiresAt: until,
				Description: "imported from Keycloak (previous secret, in its rotation grace period)"})
		}
	}
	s := oauthreg.SecretImport{Plaintext: secret, Description: "imported from Keycloak"}
	if exp := keycloakEpoch(e, attr("client.secret.expiration.time"), "client.secret.expiration.time"); !exp.IsZero() {
		if !exp.After(o.now()) {
			e.refuse(ReasonSecretExpired, "the client's secret expired at %s (Keycloak's client.secret.expiration.time)", exp.Format(time.RFC3339))
		}
		s.ExpiresAt = exp
	}
	e.Import.Secrets = append(e.Import.Secrets, s)
}

// keycloakEpoch reads an attribute of epoch seconds; "" and "0" are zero.
func keycloakEpoch(e *Entry, v, field string) time.Time {
	if v == "" || v == "0" {
		return time.Time{}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > 1<<40 {
		e.refuse(ReasonMalformed, "attribute %s is not a time in epoch seconds", field)
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// onlyStars reports whether b is a masked secret ("**********").
func onlyStars(b []byte) bool {
	for _, c := range b {
		if c != '*' {
			return false
		}
	}
	return true
}
