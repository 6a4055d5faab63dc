package oauthreg

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// testPublicJWKS is the EC public key of RFC 7517 Appendix A.1.
const testPublicJWKS = `{"keys":[{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"enc","kid":"1"}]}`

// metadataClient is a valid confidential web client with every issue-9
// field set consistently.
func metadataClient() *Client {
	return &Client{
		ID:                                "c-1",
		GrantTypes:                        []GrantType{GrantAuthorizationCode, GrantRefreshToken},
		ResponseTypes:                     []ResponseType{ResponseCode},
		RedirectURIs:                      []string{"https://app.example.com/cb", "https://app.example.com/cb2"},
		TokenEndpointAuthMethod:           AuthPrivateKeyJWT,
		ClientURI:                         "https://app.example.com/",
		LogoURI:                           "https://app.example.com/logo.png",
		TOSURI:                            "http://app.example.com/tos",
		PolicyURI:                         "https://app.example.com/privacy",
		Contacts:                          []string{"ops@example.com"},
		SoftwareID:                        "4NRB1-0XZABZI9E6-5SM3R",
		SoftwareVersion:                   "2.1",
		Localized:                         map[string]string{"client_name#ja-Jpan-JP": "クライアント名", "logo_uri#fr": "https://app.example.com/fr.png"},
		JWKS:                              json.RawMessage(testPublicJWKS),
		TokenEndpointAuthSigningAlg:       "ES256",
		ApplicationType:                   "web",
		IDTokenSignedResponseAlg:          "RS256",
		IDTokenEncryptedResponseAlg:       "ECDH-ES",
		IDTokenEncryptedResponseEnc:       "A128GCM",
		UserinfoSignedResponseAlg:         "ES256",
		RequestObjectSigningAlg:           "none",
		RequestObjectEncryptionAlg:        "RSA-OAEP-256",
		RequestObjectEncryptionEnc:        "A256GCM",
		RequestURIs:                       []string{"https://app.example.com/req.jwt#Ys7FbD1tW7ZRsK0m"},
		SubjectType:                       "pairwise",
		DefaultMaxAge:                     time.Hour,
		RequireAuthTime:                   true,
		DefaultACRValues:                  []string{"urn:mace:incommon:iap:silver"},
		InitiateLoginURI:                  "https://app.example.com/login",
		PostLogoutRedirectURIs:            []string{"https://app.example.com/bye"},
		FrontchannelLogoutURI:             "https://app.example.com:443/fc",
		FrontchannelLogoutSessionRequired: true,
		BackchannelLogoutURI:              "https://app.example.com/bc",
		BackchannelLogoutSessionRequired:  true,
		Audience:                          []string{"https://api.example.com", "reports"},
		AllowedCORSOrigins:                []string{"https://app.example.com", "http://localhost:3000"},
		ResponseModes:                     []ResponseMode{ResponseModeQuery, ResponseModeFormPostJWT},
		RequirePKCE:                       true,
		Lifetimes:                         TokenLifetimes{AccessToken: time.Hour, Grants: map[GrantType]GrantLifetimes{GrantRefreshToken: {RefreshToken: 30 * 24 * time.Hour}}},
		Extensions:                        map[string]json.RawMessage{"example_extension_parameter": json.RawMessage(`"x"`)},
	}
}

func TestValidateMetadataValid(t *testing.T) {
	if err := metadataClient().Validate(); err != nil {
		t.Fatalf("a valid client: %v", err)
	}
	for name, mutate := range map[string]func(c *Client){
		"jwks_uri instead of jwks": func(c *Client) { c.JWKS, c.JWKSURI = nil, "https://app.example.com/jwks.json" },
		"tls_client_auth with one subject": func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg, c.TLSClientAuthSANDNS = AuthTLSClient, "", "client.example.com"
		},
		"tls_client_auth with an IPv6 SAN": func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg, c.TLSClientAuthSANIP = AuthTLSClient, "", "2001:db8::1"
		},
		"self_signed_tls_client_auth with jwks": func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg = AuthSelfSignedTLSClient, ""
		},
		"client_secret_jwt with HS256": func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg = AuthClientSecretJWT, "HS256"
		},
		"native app with private-use and loopback redirects": func(c *Client) {
			c.ApplicationType = "native"
			c.RedirectURIs = []string{"com.example.app:/cb", "http://127.0.0.1/cb"}
			c.FrontchannelLogoutURI, c.FrontchannelLogoutSessionRequired = "", false
			c.SubjectType = "public"
		},
		"pairwise on several hosts with a sector identifier": func(c *Client) {
			c.RedirectURIs = []string{"https://a.example.com/cb", "https://b.example.com/cb"}
			c.SectorIdentifierURI = "https://app.example.com/sector.json"
			c.FrontchannelLogoutURI = "https://a.example.com/fc"
		},
		"id_token none for the code flow only": func(c *Client) { c.IDTokenSignedResponseAlg = "none" },
		"http back-channel logout for a confidential client": func(c *Client) {
			c.BackchannelLogoutURI = "http://app.example.com/bc"
		},
		"X25519 key for ECDH-ES": func(c *Client) {
			c.JWKS = json.RawMessage(`{"keys":[{"kty":"OKP","crv":"X25519","x":"3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08","alg":"ECDH-ES","use":"enc"}]}`)
		},
		"custom and repeated response modes": func(c *Client) {
			c.ResponseModes = []ResponseMode{"decorated_form_post", ResponseModeQuery, ResponseModeQuery}
		},
		"public keys with alg and key_ops": func(c *Client) {
			c.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"0vx7","e":"AQAB","alg":"PS256","use":"sig","key_ops":["verify"]}],"extra":1}`)
		},
	} {
		c := metadataClient()
		mutate(c)
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateMetadataRules(t *testing.T) {
	const meta, redirect = CodeInvalidClientMetadata, CodeInvalidRedirectURI
	long := func(n int) string { return strings.Repeat("a", n) }
	for _, tc := range []struct {
		name, field, code string
		mutate            func(c *Client)
	}{
		{"jwks and jwks_uri", "jwks", meta, func(c *Client) { c.JWKSURI = "https://app.example.com/jwks.json" }},
		{"jwks not an object", "jwks", meta, func(c *Client) { c.JWKS = json.RawMessage(`[1]`) }},
		{"jwks without keys", "jwks", meta, func(c *Client) { c.JWKS = json.RawMessage(`{"k":[]}`) }},
		{"jwks empty", "jwks", meta, func(c *Client) { c.JWKS = json.RawMessage(`{"keys":[]}`) }},
		{"jwks private RSA", "jwks.keys[0]", meta, func(c *Client) {
			c.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"0vx7","e":"AQAB","d":"X4cT"}]}`)
		}},
		{"jwks private EC", "jwks.keys[1]", meta, func(c *Client) {
			c.JWKS = json.RawMessage(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qY"},{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c"}]}`)
		}},
		{"jwks symmetric", "jwks.keys[0]", meta, func(c *Client) { c.JWKS = json.RawMessage(`{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`) }},
		{"jwks oct without k", "jwks.keys[0]", meta, func(c *Client) { c.JWKS = json.RawMessage(`{"keys":[{"kty":"oct"}]}`) }},
		{"jwks unknown kty", "jwks.keys[0]", meta, func(c *Client) { c.JWKS = json.RawMessage(`{"keys":[{"kty":"DSA"}]}`) }},
		{"jwks missing member", "jwks.keys[0]", meta, func(c *Client) { c.JWKS = json.RawMessage(`{"keys":[{"kty":"EC","crv":"P-256","x":"a"}]}`) }},
		{"jwks bad use", "jwks.keys[0]", meta, func(c *Client) {
			c.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"a","e":"AQAB","use":"both"}]}`)
		}},
		{"jwks private key_ops", "jwks.keys[0]", meta, func(c *Client) {
			c.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"a","e":"AQAB","key_ops":["sign"]}]}`)
		}},
		{"jwks alg none", "jwks.keys[0]", meta, func(c *Client) { c.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"a","e":"AQAB","alg":"none"}]}`) }},
		{"jwks alg HS256", "jwks.keys[0]", meta, func(c *Client) { c.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"a","e":"AQAB","alg":"HS256"}]}`) }},
		{"jwks alg for another kty", "jwks.keys[0]", meta, func(c *Client) {
			c.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"a","e":"AQAB","alg":"ES256"}]}`)
		}},
		{"jwks sig use with a JWE alg", "jwks.keys[0]", meta, func(c *Client) {
			c.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"a","e":"AQAB","alg":"RSA-OAEP","use":"sig"}]}`)
		}},
		{"jwks kid not a string", "jwks.keys[0]", meta, func(c *Client) { c.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"a","e":"AQAB","kid":7}]}`) }},
		{"jwks too large", "jwks", meta, func(c *Client) {
			c.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"` + long(MaxJWKSBytes) + `","e":"AQAB"}]}`)
		}},
		{"jwks too many keys", "jwks", meta, func(c *Client) {
			keys := strings.Repeat(`{"kty":"OKP","crv":"Ed25519","x":"11qY"},`, MaxJWKSKeys+1)
			c.JWKS = json.RawMessage(`{"keys":[` + strings.TrimSuffix(keys, ",") + `]}`)
		}},
		{"jwks_uri http", "jwks_uri", meta, func(c *Client) { c.JWKS, c.JWKSURI = nil, "http://app.example.com/jwks.json" }},
		{"private_key_jwt without keys", "token_endpoint_auth_method", meta, func(c *Client) { c.JWKS = nil }},
		{"self_signed_tls_client_auth without keys", "token_endpoint_auth_method", meta, func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg, c.JWKS = AuthSelfSignedTLSClient, "", nil
		}},
		{"signing alg none", "token_endpoint_auth_signing_alg", meta, func(c *Client) { c.TokenEndpointAuthSigningAlg = "none" }},
		{"signing alg unknown", "token_endpoint_auth_signing_alg", meta, func(c *Client) { c.TokenEndpointAuthSigningAlg = "RS265" }},
		{"private_key_jwt with HS256", "token_endpoint_auth_signing_alg", meta, func(c *Client) { c.TokenEndpointAuthSigningAlg = "HS256" }},
		{"client_secret_jwt with RS256", "token_endpoint_auth_signing_alg", meta, func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg = AuthClientSecretJWT, "RS256"
		}},
		{"tls_client_auth without subject", "token_endpoint_auth_method", meta, func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg = AuthTLSClient, ""
		}},
		{"tls_client_auth with two subjects", "token_endpoint_auth_method", meta, func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg = AuthTLSClient, ""
			c.TLSClientAuthSubjectDN, c.TLSClientAuthSANDNS = "CN=client", "client.example.com"
		}},
		{"subject field for another method", "tls_client_auth_san_email", meta, func(c *Client) { c.TLSClientAuthSANEmail = "a@example.com" }},
		{"bad SAN IP", "tls_client_auth_san_ip", meta, func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg, c.TLSClientAuthSANIP = AuthTLSClient, "", "192.0.2.300"
		}},
		{"bad SAN DNS", "tls_client_auth_san_dns", meta, func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg, c.TLSClientAuthSANDNS = AuthTLSClient, "", "-bad-.example.com"
		}},
		{"bad subject DN", "tls_client_auth_subject_dn", meta, func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg, c.TLSClientAuthSubjectDN = AuthTLSClient, "", "client"
		}},
		{"logo javascript", "logo_uri", meta, func(c *Client) { c.LogoURI = "javascript:alert(1)" }},
		{"client_uri relative", "client_uri", meta, func(c *Client) { c.ClientURI = "/home" }},
		{"policy_uri with userinfo", "policy_uri", meta, func(c *Client) { c.PolicyURI = "https://u:p@app.example.com/" }},
		{"tos_uri with space", "tos_uri", meta, func(c *Client) { c.TOSURI = "https://app.example.com/a b" }},
		{"long logo_uri", "logo_uri", meta, func(c *Client) { c.LogoURI = "https://app.example.com/" + long(MaxURIBytes) }},
		{"empty contact", "contacts[0]", meta, func(c *Client) { c.Contacts = []string{""} }},
		{"too many contacts", "contacts", meta, func(c *Client) { c.Contacts = make([]string, MaxContacts+1) }},
		{"contact with newline", "contacts[0]", meta, func(c *Client) { c.Contacts = []string{"a@example.com\nBcc: x"} }},
		{"long software_id", "software_id", meta, func(c *Client) { c.SoftwareID = long(MaxSoftwareBytes + 1) }},
		{"localized unknown member", "redirect_uris#fr", meta, func(c *Client) { c.Localized = map[string]string{"redirect_uris#fr": "x"} }},
		{"localized bad tag", `"client_name#e n"`, meta, func(c *Client) { c.Localized = map[string]string{"client_name#e n": "x"} }},
		{"localized huge tag", quoteInput("client_name#" + long(5000)), meta, func(c *Client) {
			c.Localized = map[string]string{"client_name#" + long(5000): "x"}
		}},
		{"localized empty tag", "client_name#", meta, func(c *Client) { c.Localized = map[string]string{"client_name#": "x"} }},
		{"localized javascript logo", "logo_uri#fr", meta, func(c *Client) { c.Localized = map[string]string{"logo_uri#fr": "javascript:x"} }},
		{"localized name with control", "client_name#de", meta, func(c *Client) { c.Localized = map[string]string{"client_name#de": "a\x07"} }},
		{"application_type", "application_type", meta, func(c *Client) { c.ApplicationType = "desktop" }},
		{"web implicit localhost", "redirect_uris[0]", redirect, func(c *Client) {
			c.GrantTypes, c.ResponseTypes = []GrantType{GrantImplicit}, []ResponseType{ResponseIDToken}
			c.RedirectURIs = []string{"http://localhost/cb"}
			c.FrontchannelLogoutURI, c.FrontchannelLogoutSessionRequired = "", false
			c.IDTokenSignedResponseAlg = "RS256"
		}},
		{"native http non-loopback is already refused", "redirect_uris[0]", redirect, func(c *Client) {
			c.ApplicationType, c.RedirectURIs = "native", []string{"http://app.example.com/cb"}
		}},
		{"id_token none with implicit", "id_token_signed_response_alg", meta, func(c *Client) {
			c.GrantTypes = []GrantType{GrantAuthorizationCode, GrantImplicit}
			c.ResponseTypes = []ResponseType{"code id_token"}
			c.IDTokenSignedResponseAlg = "none"
		}},
		{"userinfo none", "userinfo_signed_response_alg", meta, func(c *Client) { c.UserinfoSignedResponseAlg = "none" }},
		{"unknown JWS", "request_object_signing_alg", meta, func(c *Client) { c.RequestObjectSigningAlg = "XS256" }},
		{"RSA1_5", "id_token_encrypted_response_alg", meta, func(c *Client) { c.IDTokenEncryptedResponseAlg = "RSA1_5" }},
		{"unknown JWE", "userinfo_encrypted_response_alg", meta, func(c *Client) { c.UserinfoEncryptedResponseAlg = "RSA-OAEP-999" }},
		{"JWS alg as JWE alg", "request_object_encryption_alg", meta, func(c *Client) { c.RequestObjectEncryptionAlg = "RS256" }},
		{"enc without alg", "userinfo_encrypted_response_enc", meta, func(c *Client) { c.UserinfoEncryptedResponseEnc = "A128GCM" }},
		{"unknown enc", "id_token_encrypted_response_enc", meta, func(c *Client) { c.IDTokenEncryptedResponseEnc = "A64GCM" }},
		{"asymmetric encryption without keys", "id_token_encrypted_response_alg", meta, func(c *Client) {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg, c.JWKS = AuthClientSecretBasic, "", nil
		}},
		{"request_uris http", "request_uris[0]", meta, func(c *Client) { c.RequestURIs = []string{"http://app.example.com/r.jwt"} }},
		{"request_uris duplicate", "request_uris[1]", meta, func(c *Client) { c.RequestURIs = []string{"https://a.example/r", "https://a.example/r"} }},
		{"too many request_uris", "request_uris", meta, func(c *Client) { c.RequestURIs = make([]string, MaxRequestURIs+1) }},
		{"subject_type", "subject_type", meta, func(c *Client) { c.SubjectType = "private" }},
		{"sector_identifier_uri http", "sector_identifier_uri", meta, func(c *Client) { c.SectorIdentifierURI = "http://app.example.com/s.json" }},
		{"pairwise on several hosts", "sector_identifier_uri", meta, func(c *Client) {
			c.RedirectURIs = []string{"https://a.example.com/cb", "https://b.example.com/cb"}
			c.FrontchannelLogoutURI = "https://a.example.com/fc"
		}},
		{"negative default_max_age", "default_max_age", meta, func(c *Client) { c.DefaultMaxAge = -time.Second }},
		{"fractional default_max_age", "default_max_age", meta, func(c *Client) { c.DefaultMaxAge = 1500 * time.Millisecond }},
		{"huge default_max_age", "default_max_age", meta, func(c *Client) { c.DefaultMaxAge = MaxDefaultMaxAge + time.Second }},
		{"duplicate acr", "default_acr_values[1]", meta, func(c *Client) { c.DefaultACRValues = []string{"a", "a"} }},
		{"initiate_login_uri http", "initiate_login_uri", meta, func(c *Client) { c.InitiateLoginURI = "http://app.example.com/login" }},
		{"post-logout fragment", "post_logout_redirect_uris[0]", meta, func(c *Client) { c.PostLogoutRedirectURIs = []string{"https://app.example.com/bye#x"} }},
		{"post-logout http", "post_logout_redirect_uris[0]", meta, func(c *Client) { c.PostLogoutRedirectURIs = []string{"http://app.example.com/bye"} }},
		{"too many post-logout", "post_logout_redirect_uris", meta, func(c *Client) {
			c.PostLogoutRedirectURIs = make([]string, MaxPostLogoutRedirectURIs+1)
		}},
		{"front-channel on another origin", "frontchannel_logout_uri", meta, func(c *Client) { c.FrontchannelLogoutURI = "https://evil.example.com/fc" }},
		{"front-channel on another port", "frontchannel_logout_uri", meta, func(c *Client) { c.FrontchannelLogoutURI = "https://app.example.com:8443/fc" }},
		{"front-channel session without URI", "frontchannel_logout_session_required", meta, func(c *Client) { c.FrontchannelLogoutURI = "" }},
		{"back-channel fragment", "backchannel_logout_uri", meta, func(c *Client) { c.BackchannelLogoutURI = "https://app.example.com/bc#x" }},
		{"back-channel http for a public client", "backchannel_logout_uri", meta, func(c *Client) {
			c.Public, c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg = true, AuthNone, ""
			c.BackchannelLogoutURI = "http://app.example.com/bc"
		}},
		{"back-channel session without URI", "backchannel_logout_session_required", meta, func(c *Client) { c.BackchannelLogoutURI = "" }},
		{"empty audience", "audience[0]", meta, func(c *Client) { c.Audience = []string{""} }},
		{"too many audiences", "audience", meta, func(c *Client) { c.Audience = make([]string, MaxAudiences+1) }},
		{"CORS origin with path", "allowed_cors_origins[0]", meta, func(c *Client) { c.AllowedCORSOrigins = []string{"https://app.example.com/x"} }},
		{"CORS origin with trailing slash", "allowed_cors_origins[0]", meta, func(c *Client) { c.AllowedCORSOrigins = []string{"https://app.example.com/"} }},
		{"CORS origin wildcard", "allowed_cors_origins[0]", meta, func(c *Client) { c.AllowedCORSOrigins = []string{"https://*.example.com"} }},
		{"CORS origin null", "allowed_cors_origins[0]", meta, func(c *Client) { c.AllowedCORSOrigins = []string{"null"} }},
		{"bad response mode", "response_modes[1]", meta, func(c *Client) { c.ResponseModes = []ResponseMode{"query", "web message"} }},
		{"long custom response mode", "response_modes[0]", meta, func(c *Client) {
			c.ResponseModes = []ResponseMode{ResponseMode(long(MaxResponseModeBytes + 1))}
		}},
		{"too many response modes", "response_modes", meta, func(c *Client) { c.ResponseModes = make([]ResponseMode, MaxResponseModes+1) }},
		{"negative lifetime", "token_lifetimes.access_token", meta, func(c *Client) { c.Lifetimes.AccessToken = -1 }},
		{"huge lifetime", "token_lifetimes.grants.refresh_token.refresh_token", meta, func(c *Client) {
			c.Lifetimes.Grants[GrantRefreshToken] = GrantLifetimes{RefreshToken: MaxTokenLifetime + 1}
		}},
		{"lifetime of an unknown grant", "token_lifetimes.grants", meta, func(c *Client) { c.Lifetimes.Grants["magic"] = GrantLifetimes{} }},
		{"extension shadowing a member", "extensions", meta, func(c *Client) { c.Extensions["jwks_uri"] = json.RawMessage(`"https://x"`) }},
		{"extension shadowing a localized member", "extensions", meta, func(c *Client) { c.Extensions["client_name#fr"] = json.RawMessage(`"x"`) }},
		{"extension client_secret", "extensions", meta, func(c *Client) { c.Extensions["client_secret"] = json.RawMessage(`"s"`) }},
		{"extension invalid JSON", "example_extension_parameter", meta, func(c *Client) {
			c.Extensions["example_extension_parameter"] = json.RawMessage(`{bad`)
		}},
		{"extension empty value", "x", meta, func(c *Client) { c.Extensions["x"] = nil }},
		{"too many extensions", "extensions", meta, func(c *Client) {
			for i := range MaxExtensions + 1 {
				c.Extensions[strings.Repeat("e", i+1)] = json.RawMessage(`1`)
			}
		}},
		{"extensions too large", "extensions", meta, func(c *Client) {
			c.Extensions["big"] = json.RawMessage(`"` + long(MaxExtensionsBytes) + `"`)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := metadataClient()
			mutate := tc.mutate
			mutate(c)
			err := c.Validate()
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate() = %v, want a ValidationError on %s", err, tc.field)
			}
			if ve.Field != tc.field || ve.Code != tc.code {
				t.Errorf("Validate() = %v (field %q, code %s), want field %q, code %s", err, ve.Field, ve.Code, tc.field, tc.code)
			}
		})
	}
}
