package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

// ClientAtLimits returns a valid confidential client with every field and
// count at its limit at once (see oauthreg's limits.go): a client ID of
// MaxClientIDBytes starting with id, MaxRedirectURIs redirect URIs of
// MaxURIBytes, MaxScopes scopes of MaxScopeBytes, MaxTags tags of
// MaxTagBytes in each list, MaxMetadataEntries metadata entries with keys
// and values at their limits, and MaxStoredSecrets secret records whose ID,
// hint, description, hash and sealed value are at their limits (the newest
// MaxActiveSecretsCeiling active, the others revoked).
//
// Its strings are chosen to be as large as possible once a store encodes
// them: '<', '>', '&' and '"' (six or two bytes each in JSON with HTML
// escaping), two-byte UTF-8 letters and line breaks, so a column sized for
// the raw limit but not for its encoding is caught. Validate accepts it, and
// its JSON stays below MaxClientJSONBytes. Every call returns a fresh
// client.
func ClientAtLimits(id string) *oauthreg.Client {
	t0 := BaseTime()
	c := &oauthreg.Client{
		ID:                      pad(id+"-", "~", oauthreg.MaxClientIDBytes),
		Owner:                   pad("org-", "ö", oauthreg.MaxOwnerBytes),
		Name:                    pad("name ", `"<&>`, oauthreg.MaxClientNameBytes),
		Description:             pad("description\n", "é\n\"<", oauthreg.MaxDescriptionBytes),
		GrantTypes:              []oauthreg.GrantType{oauthreg.GrantAuthorizationCode, oauthreg.GrantClientCredentials, oauthreg.GrantRefreshToken},
		ResponseTypes:           []oauthreg.ResponseType{oauthreg.ResponseCode},
		TokenEndpointAuthMethod: oauthreg.AuthClientSecretBasic,
		AccessTokenTTL:          time.Hour,
		RefreshTokenTTL:         24 * time.Hour,
		Metadata:                make(map[string]string, oauthreg.MaxMetadataEntries),
		RotationPolicy: &oauthreg.RotationPolicy{
			GracePeriod:      time.Hour,
			MaxActiveSecrets: oauthreg.MaxActiveSecretsCeiling,
		},
		CreatedAt: t0,
		UpdatedAt: t0,
	}
	for i := range oauthreg.MaxRedirectURIs {
		c.RedirectURIs = append(c.RedirectURIs, pad(fmt.Sprintf("https://app.example.com/cb/%03d?q=", i), "&", oauthreg.MaxURIBytes))
	}
	for i := range oauthreg.MaxScopes {
		c.Scopes = append(c.Scopes, pad(fmt.Sprintf("scope:%04d:", i), "<&>", oauthreg.MaxScopeBytes))
	}
	for i := range oauthreg.MaxTags {
		c.SystemTags = append(c.SystemTags, pad(fmt.Sprintf("sys-%03d ", i), `<&>"`, oauthreg.MaxTagBytes))
		c.UserTags = append(c.UserTags, pad(fmt.Sprintf("user-%03d ", i), "ü<", oauthreg.MaxTagBytes))
	}
	for i := range oauthreg.MaxMetadataEntries {
		key := pad(fmt.Sprintf("key-%03d-", i), "<&>", oauthreg.MaxMetadataKeyBytes)
		c.Metadata[key] = pad(fmt.Sprintf("value-%03d\n", i), `<&>"`, oauthreg.MaxMetadataValueBytes)
	}
	for i := range oauthreg.MaxStoredSecrets {
		s := oauthreg.Secret{
			ID:          pad(fmt.Sprintf("s%03d-", i), "_", oauthreg.MaxSecretIDBytes),
			Kind:        oauthreg.SecretSupplied,
			Hash:        oauthreg.Conceal(pad(fmt.Sprintf("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ%03d$", i), "h", oauthreg.MaxSecretHashBytes)),
			Sealed:      oauthreg.Conceal(pad(fmt.Sprintf("v1.key-2025.%03d.", i), "S", oauthreg.MaxSealedSecretBytes)),
			Hint:        pad(fmt.Sprintf("%03d", i), "é", oauthreg.MaxSecretHintBytes),
			Description: pad(fmt.Sprintf("secret %03d\n", i), `"<&>`, oauthreg.MaxSecretDescriptionBytes),
			CreatedAt:   t0.Add(time.Duration(i) * time.Millisecond),
		}
		if i < oauthreg.MaxStoredSecrets-oauthreg.MaxActiveSecretsCeiling {
			s.RevokedAt = t0.Add(time.Second)
		}
		c.Secrets = append(c.Secrets, s)
	}
	setRegistrationAtLimits(c)
	return c
}

// setRegistrationAtLimits sets the registration metadata and policy fields
// of issue 9 at their limits. The client authenticates with tls_client_auth
// so that a subject field can be set (one only, as RFC 8705 requires); its
// jwks is set, so jwks_uri (exclusive with it) is not.
func setRegistrationAtLimits(c *oauthreg.Client) {
	const host = "https://app.example.com/"
	c.TokenEndpointAuthMethod = oauthreg.AuthTLSClient
	c.TLSClientAuthSubjectDN = pad("CN=client,O=", "é", oauthreg.MaxTLSSubjectBytes)
	c.ClientURI = pad(host+"client?q=", "&", oauthreg.MaxURIBytes)
	c.LogoURI = pad(host+"logo?q=", "&", oauthreg.MaxURIBytes)
	c.TOSURI = pad(host+"tos?q=", "&", oauthreg.MaxURIBytes)
	c.PolicyURI = pad(host+"policy?q=", "&", oauthreg.MaxURIBytes)
	for i := range oauthreg.MaxContacts {
		c.Contacts = append(c.Contacts, pad(fmt.Sprintf("contact-%02d ", i), `"<&>`, oauthreg.MaxContactBytes))
	}
	c.SoftwareID = pad("software-", "<&>", oauthreg.MaxSoftwareBytes)
	c.SoftwareVersion = pad("v", "é", oauthreg.MaxSoftwareBytes)
	c.Localized = make(map[string]string, oauthreg.MaxLocalizedMembers)
	for i := range oauthreg.MaxLocalizedMembers {
		tag := pad(fmt.Sprintf("x-%02d-", i), "abcdefg-", oauthreg.MaxLanguageTagBytes-1) + "z"
		if i%2 == 0 {
			c.Localized["client_name#"+tag] = pad(fmt.Sprintf("name %02d ", i), "é", oauthreg.MaxClientNameBytes)
		} else {
			c.Localized["logo_uri#"+tag] = pad(fmt.Sprintf(host+"logo/%02d?q=", i), "&", oauthreg.MaxURIBytes)
		}
	}
	c.JWKS = jwksAtLimits()
	c.ApplicationType = "web"
	c.IDTokenSignedResponseAlg = "RS256"
	c.IDTokenEncryptedResponseAlg = "ECDH-ES+A256KW"
	c.IDTokenEncryptedResponseEnc = "A256CBC-HS512"
	c.UserinfoSignedResponseAlg = "ES256"
	c.UserinfoEncryptedResponseAlg = "RSA-OAEP-256"
	c.UserinfoEncryptedResponseEnc = "A256GCM"
	c.RequestObjectSigningAlg = "PS512"
	c.RequestObjectEncryptionAlg = "RSA-OAEP-512"
	c.RequestObjectEncryptionEnc = "A192GCM"
	for i := range oauthreg.MaxRequestURIs {
		c.RequestURIs = append(c.RequestURIs, pad(fmt.Sprintf(host+"request/%02d?q=", i), "&", oauthreg.MaxURIBytes))
	}
	c.SubjectType = "pairwise"
	c.SectorIdentifierURI = pad(host+"sector?q=", "&", oauthreg.MaxURIBytes)
	c.DefaultMaxAge = oauthreg.MaxDefaultMaxAge
	c.RequireAuthTime = true
	for i := range oauthreg.MaxACRValues {
		c.DefaultACRValues = append(c.DefaultACRValues, pad(fmt.Sprintf("acr-%02d ", i), `"<&>`, oauthreg.MaxACRValueBytes))
	}
	c.InitiateLoginURI = pad(host+"login?q=", "&", oauthreg.MaxURIBytes)
	for i := range oauthreg.MaxPostLogoutRedirectURIs {
		c.PostLogoutRedirectURIs = append(c.PostLogoutRedirectURIs, pad(fmt.Sprintf(host+"bye/%02d?q=", i), "&", oauthreg.MaxURIBytes))
	}
	c.FrontchannelLogoutURI = pad(host+"fc?q=", "&", oauthreg.MaxURIBytes)
	c.FrontchannelLogoutSessionRequired = true
	c.BackchannelLogoutURI = pad(host+"bc?q=", "&", oauthreg.MaxURIBytes)
	c.BackchannelLogoutSessionRequired = true
	c.TLSClientCertificateBoundAccessTokens = true
	c.DPoPBoundAccessTokens = true
	c.RequirePushedAuthorizationRequests = true
	for i := range oauthreg.MaxAudiences {
		c.Audience = append(c.Audience, pad(fmt.Sprintf("audience-%02d ", i), `"<&>`, oauthreg.MaxURIBytes))
	}
	for i := range oauthreg.MaxCORSOrigins {
		c.AllowedCORSOrigins = append(c.AllowedCORSOrigins, pad(fmt.Sprintf("https://origin-%02d-", i), "a", oauthreg.MaxOriginBytes-len(".example"))+".example")
	}
	c.ResponseModes = []oauthreg.ResponseMode{
		oauthreg.ResponseModeQuery, oauthreg.ResponseModeFragment, oauthreg.ResponseModeFormPost,
		oauthreg.ResponseModeQueryJWT, oauthreg.ResponseModeFragmentJWT, oauthreg.ResponseModeFormPostJWT, oauthreg.ResponseModeJWT,
	}
	c.RequirePKCE = true
	max := oauthreg.MaxTokenLifetime
	c.Lifetimes = oauthreg.TokenLifetimes{AccessToken: max, RefreshToken: max, IDToken: max, AuthorizationCode: max,
		Grants: map[oauthreg.GrantType]oauthreg.GrantLifetimes{}}
	for _, g := range []oauthreg.GrantType{oauthreg.GrantAuthorizationCode, oauthreg.GrantClientCredentials, oauthreg.GrantRefreshToken,
		oauthreg.GrantImplicit, oauthreg.GrantPassword, oauthreg.GrantJWTBearer, oauthreg.GrantSAML2Bearer, oauthreg.GrantDeviceCode,
		oauthreg.GrantTokenExchange} {
		c.Lifetimes.Grants[g] = oauthreg.GrantLifetimes{AccessToken: max, RefreshToken: max, IDToken: max - time.Nanosecond}
	}
	// MaxExtensions members whose names and values fill MaxExtensionsBytes.
	c.Extensions = make(map[string]json.RawMessage, oauthreg.MaxExtensions)
	per := oauthreg.MaxExtensionsBytes / oauthreg.MaxExtensions
	for i := range oauthreg.MaxExtensions {
		name := pad(fmt.Sprintf("ext_%02d_", i), "n", oauthreg.MaxExtensionNameBytes)
		size := per - len(name)
		if i == 0 {
			size += oauthreg.MaxExtensionsBytes - per*oauthreg.MaxExtensions
		}
		c.Extensions[name] = json.RawMessage(`{"v":"` + pad("", "é", size-len(`{"v":""}`)) + `"}`)
	}
}

// jwksAtLimits returns a JWK Set of MaxJWKSKeys public keys, exactly
// MaxJWKSBytes long.
func jwksAtLimits() json.RawMessage {
	key := func(i int, x string) string {
		return fmt.Sprintf(`{"kty":"OKP","crv":"Ed25519","use":"sig","kid":"k%03d","x":"%s"}`, i, x)
	}
	const open, sep, closing = `{"keys":[`, ",", `]}`
	fixed := len(open) + len(closing) + (oauthreg.MaxJWKSKeys-1)*len(sep)
	for i := range oauthreg.MaxJWKSKeys {
		fixed += len(key(i, ""))
	}
	room := oauthreg.MaxJWKSBytes - fixed
	var b strings.Builder
	b.WriteString(open)
	for i := range oauthreg.MaxJWKSKeys {
		if i > 0 {
			b.WriteString(sep)
		}
		n := room / oauthreg.MaxJWKSKeys
		if i == 0 {
			n += room % oauthreg.MaxJWKSKeys
		}
		b.WriteString(key(i, strings.Repeat("A", n)))
	}
	b.WriteString(closing)
	return json.RawMessage(b.String())
}

// pad returns prefix followed by as many copies of filler (then single
// bytes of "x") as make it exactly n bytes long.
func pad(prefix, filler string, n int) string {
	copies := 0
	if n > len(prefix) {
		copies = (n - len(prefix)) / len(filler)
	}
	s := prefix + strings.Repeat(filler, copies)
	if len(s) < n {
		s += strings.Repeat("x", n-len(s))
	}
	return s
}

// LimitViolation is one way to take a client just over one limit.
type LimitViolation struct {
	// Name describes the violation for a test's name.
	Name string
	// Field is the ValidationError.Field validation must report.
	Field string
	// Code is the ValidationError.Code validation must report.
	Code string
	// Apply takes a client made by ClientAtLimits one step over the limit.
	Apply func(c *oauthreg.Client)
	// ViaUpdate is true when Registry.Update can attempt the change (it
	// touches neither the ID nor the secrets).
	ViaUpdate bool
}

// LimitViolations returns, for each limit of limits.go, a change that takes
// a client made by ClientAtLimits one byte or one element over it. Validate
// must refuse each with a *ValidationError naming Field.
func LimitViolations() []LimitViolation {
	meta, redirect := oauthreg.CodeInvalidClientMetadata, oauthreg.CodeInvalidRedirectURI
	// The key ClientAtLimits gives its first metadata entry.
	firstKey := func(*oauthreg.Client) string { return pad("key-000-", "<&>", oauthreg.MaxMetadataKeyBytes) }
	return []LimitViolation{
		{"ClientIDBytes", "client_id", meta, func(c *oauthreg.Client) { c.ID += "x" }, false},
		{"OwnerBytes", "owner", meta, func(c *oauthreg.Client) { c.Owner += "x" }, true},
		{"ClientNameBytes", "client_name", meta, func(c *oauthreg.Client) { c.Name += "x" }, true},
		{"DescriptionBytes", "description", meta, func(c *oauthreg.Client) { c.Description += "x" }, true},
		{"RedirectURIs", "redirect_uris", redirect, func(c *oauthreg.Client) {
			c.RedirectURIs = append(c.RedirectURIs, "https://app.example.com/one-too-many")
		}, true},
		{"URIBytes", "redirect_uris[0]", redirect, func(c *oauthreg.Client) { c.RedirectURIs[0] += "x" }, true},
		{"Scopes", "scope", meta, func(c *oauthreg.Client) { c.Scopes = append(c.Scopes, "one-too-many") }, true},
		{"ScopeBytes", "scope", meta, func(c *oauthreg.Client) { c.Scopes[0] += "x" }, true},
		{"SystemTags", "system_tags", meta, func(c *oauthreg.Client) { c.SystemTags = append(c.SystemTags, "one-too-many") }, true},
		{"SystemTagBytes", "system_tags[0]", meta, func(c *oauthreg.Client) { c.SystemTags[0] += "x" }, true},
		{"UserTags", "user_tags", meta, func(c *oauthreg.Client) { c.UserTags = append(c.UserTags, "one-too-many") }, true},
		{"UserTagBytes", "user_tags[0]", meta, func(c *oauthreg.Client) { c.UserTags[0] += "x" }, true},
		{"MetadataEntries", "metadata", meta, func(c *oauthreg.Client) { c.Metadata["one-too-many"] = "" }, true},
		{"MetadataKeyBytes", "metadata", meta, func(c *oauthreg.Client) {
			k := firstKey(c)
			c.Metadata[k+"x"] = c.Metadata[k]
			delete(c.Metadata, k)
		}, true},
		{"MetadataValueBytes", "metadata", meta, func(c *oauthreg.Client) { k := firstKey(c); c.Metadata[k] += "x" }, true},
		{"ActiveSecretsCeiling", "rotation_policy", meta, func(c *oauthreg.Client) {
			c.RotationPolicy.MaxActiveSecrets = oauthreg.MaxActiveSecretsCeiling + 1
		}, true},
		{"StoredSecrets", "secrets", meta, func(c *oauthreg.Client) {
			s := c.Secrets[0]
			s.ID = "one-too-many"
			c.Secrets = append(c.Secrets, s)
		}, false},
		{"SecretIDBytes", "secrets[0].id", meta, func(c *oauthreg.Client) { c.Secrets[0].ID += "x" }, false},
		{"SecretHintBytes", "secrets[0].hint", meta, func(c *oauthreg.Client) { c.Secrets[0].Hint += "x" }, false},
		{"SecretDescriptionBytes", "secrets[0].description", meta, func(c *oauthreg.Client) { c.Secrets[0].Description += "x" }, false},
		{"SecretHashBytes", "secrets[0].hash", meta, func(c *oauthreg.Client) { c.Secrets[0].Hash = oauthreg.Conceal(c.Secrets[0].Hash.Reveal() + "x") }, false},
		{"SealedSecretBytes", "secrets[0].sealed", meta, func(c *oauthreg.Client) { c.Secrets[0].Sealed = oauthreg.Conceal(c.Secrets[0].Sealed.Reveal() + "x") }, false},
		{"ContactBytes", "contacts[0]", meta, func(c *oauthreg.Client) { c.Contacts[0] += "x" }, true},
		{"Contacts", "contacts", meta, func(c *oauthreg.Client) { c.Contacts = append(c.Contacts, "one-too-many") }, true},
		{"SoftwareBytes", "software_id", meta, func(c *oauthreg.Client) { c.SoftwareID += "x" }, true},
		{"LocalizedMembers", "localized", meta, func(c *oauthreg.Client) { c.Localized["client_name#zz"] = "x" }, true},
		{"LanguageTagBytes", "client_name#" + strings.Repeat("a-", oauthreg.MaxLanguageTagBytes/2) + "ab", meta, func(c *oauthreg.Client) {
			for k := range c.Localized {
				delete(c.Localized, k) // stay at MaxLocalizedMembers
				break
			}
			c.Localized["client_name#"+strings.Repeat("a-", oauthreg.MaxLanguageTagBytes/2)+"ab"] = "x"
		}, true},
		{"JWKSBytes", "jwks", meta, func(c *oauthreg.Client) {
			c.JWKS = append(append(json.RawMessage{}, c.JWKS[:len(c.JWKS)-1]...), ' ', '}')
		}, true},
		{"JWKSKeys", "jwks", meta, func(c *oauthreg.Client) {
			keys := strings.Repeat(`{"kty":"OKP","crv":"Ed25519","x":"A"},`, oauthreg.MaxJWKSKeys+1)
			c.JWKS = json.RawMessage(`{"keys":[` + strings.TrimSuffix(keys, ",") + `]}`)
		}, true},
		{"TLSSubjectBytes", "tls_client_auth_subject_dn", meta, func(c *oauthreg.Client) { c.TLSClientAuthSubjectDN += "x" }, true},
		{"RequestURIs", "request_uris", meta, func(c *oauthreg.Client) {
			c.RequestURIs = append(c.RequestURIs, "https://app.example.com/one-too-many")
		}, true},
		{"RequestURIBytes", "request_uris[0]", meta, func(c *oauthreg.Client) { c.RequestURIs[0] += "x" }, true},
		{"PostLogoutRedirectURIs", "post_logout_redirect_uris", meta, func(c *oauthreg.Client) {
			c.PostLogoutRedirectURIs = append(c.PostLogoutRedirectURIs, "https://app.example.com/one-too-many")
		}, true},
		{"LogoURIBytes", "logo_uri", meta, func(c *oauthreg.Client) { c.LogoURI += "x" }, true},
		{"ACRValues", "default_acr_values", meta, func(c *oauthreg.Client) { c.DefaultACRValues = append(c.DefaultACRValues, "one-too-many") }, true},
		{"ACRValueBytes", "default_acr_values[0]", meta, func(c *oauthreg.Client) { c.DefaultACRValues[0] += "x" }, true},
		{"Audiences", "audience", meta, func(c *oauthreg.Client) { c.Audience = append(c.Audience, "one-too-many") }, true},
		{"AudienceBytes", "audience[0]", meta, func(c *oauthreg.Client) { c.Audience[0] += "x" }, true},
		{"CORSOrigins", "allowed_cors_origins", meta, func(c *oauthreg.Client) {
			c.AllowedCORSOrigins = append(c.AllowedCORSOrigins, "https://one-too-many.example")
		}, true},
		{"OriginBytes", "allowed_cors_origins[0]", meta, func(c *oauthreg.Client) {
			c.AllowedCORSOrigins[0] = "https://a" + c.AllowedCORSOrigins[0][len("https://"):]
		}, true},
		{"Extensions", "extensions", meta, func(c *oauthreg.Client) { c.Extensions["one_too_many"] = json.RawMessage(`1`) }, true},
		{"ExtensionNameBytes", "extensions", meta, func(c *oauthreg.Client) {
			c.Extensions = map[string]json.RawMessage{strings.Repeat("n", oauthreg.MaxExtensionNameBytes+1): json.RawMessage(`1`)}
		}, true},
		{"ExtensionsBytes", "extensions", meta, func(c *oauthreg.Client) {
			for k, v := range c.Extensions {
				c.Extensions[k] = append(v[:len(v):len(v)], ' ')
				break
			}
		}, true},
		{"TokenLifetime", "token_lifetimes.access_token", meta, func(c *oauthreg.Client) { c.Lifetimes.AccessToken++ }, true},
		{"GrantTokenLifetime", "token_lifetimes.grants.client_credentials.refresh_token", meta, func(c *oauthreg.Client) {
			g := c.Lifetimes.Grants[oauthreg.GrantClientCredentials]
			g.RefreshToken++
			c.Lifetimes.Grants[oauthreg.GrantClientCredentials] = g
		}, true},
		{"DefaultMaxAge", "default_max_age", meta, func(c *oauthreg.Client) { c.DefaultMaxAge += time.Second }, true},
		{"ClientJSONBytes", "", meta, func(c *oauthreg.Client) {
			// Every field within its own limit, but control characters
			// take six bytes each in JSON.
			for k := range c.Metadata {
				c.Metadata[k] = strings.Repeat("\x01", oauthreg.MaxMetadataValueBytes)
			}
		}, true},
	}
}

// testLimits checks that a client at every limit round-trips, and that the
// Registry refuses one just over any limit without changing the store.
func (s suite) testLimits(t *testing.T) {
	s.run(t, "ClientAtEveryLimitRoundTrips", func(t *testing.T, st oauthreg.Store) {
		c := ClientAtLimits("limits")
		if err := c.Validate(); err != nil {
			t.Fatalf("the fixture is invalid: %v", err)
		}
		want := c.Clone()
		if err := st.CreateClient(t.Context(), c); err != nil {
			t.Fatalf("CreateClient of a client at every limit: %v", err)
		}
		checkStored(t, st, withVersion(want, 1), "a client at every limit")
		page, err := st.ListClients(t.Context(), oauthreg.ListQuery{})
		if err != nil {
			t.Fatalf("ListClients with a client at every limit: %v", err)
		}
		if len(page.Clients) != 1 {
			t.Fatalf("ListClients returned %d clients, want the one at every limit", len(page.Clients))
		}
		if d := Diff(withVersion(want, 1), page.Clients[0]); len(d) > 0 {
			t.Errorf("ListClients returned the client at every limit changed:\n\t%s", joinLines(d))
		}
		c.Name = strings.Repeat("N", oauthreg.MaxClientNameBytes)
		want = c.Clone()
		if err := st.UpdateClient(t.Context(), c); err != nil {
			t.Fatalf("UpdateClient of a client at every limit: %v", err)
		}
		checkStored(t, st, withVersion(want, 2), "a client at every limit after UpdateClient")
		if err := st.DeleteClient(t.Context(), c.ID); err != nil {
			t.Fatalf("DeleteClient of a client at every limit: %v", err)
		}
	})

	s.run(t, "OverAnyLimitIsRefused", func(t *testing.T, st oauthreg.Store) {
		reg, _ := newRegistry(t, st)
		base := ClientAtLimits("over")
		base.Secrets = nil
		registered, _ := mustRegister(t, reg, *base)
		for _, v := range LimitViolations() {
			c := ClientAtLimits("over-" + v.Name)
			v.Apply(c)
			if v.ViaUpdate || v.Field == "client_id" {
				c.Secrets = nil
				_, _, err := reg.Register(t.Context(), *c)
				checkLimitError(t, err, v, "Register")
				if got, err := st.GetClient(t.Context(), c.ID); err == nil {
					t.Errorf("%s: Register refused the client but stored %q", v.Name, got.ID)
				}
			}
			if !v.ViaUpdate {
				continue
			}
			before := mustGet(t, st, registered.ID)
			_, err := reg.Update(t.Context(), registered.ID, func(u *oauthreg.Client) error {
				v.Apply(u)
				return nil
			})
			checkLimitError(t, err, v, "Update")
			checkStored(t, st, before, v.Name+": the client after a refused Update")
		}
	})
}

// checkLimitError requires err to be a *ValidationError for v.
func checkLimitError(t *testing.T, err error, v LimitViolation, call string) {
	t.Helper()
	var ve *oauthreg.ValidationError
	switch {
	case err == nil:
		t.Errorf("%s: %s accepted a client over the limit", v.Name, call)
	case !errors.As(err, &ve):
		t.Errorf("%s: %s returned %T %v, want a *oauthreg.ValidationError", v.Name, call, err, err)
	case ve.Field != v.Field || ve.Code != v.Code:
		t.Errorf("%s: %s returned Field %q Code %q, want Field %q Code %q (%v)", v.Name, call, ve.Field, ve.Code, v.Field, v.Code, err)
	}
}
