package storetest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
)

// BaseTime returns the fixed instant the suite's fixtures are built around:
// 2025-03-14 15:09:26.535 UTC, a whole number of milliseconds. Tests of other
// stores can use it to get the same, reproducible times.
func BaseTime() time.Time {
	return time.Date(2025, time.March, 14, 15, 9, 26, 535_000_000, time.UTC)
}

// NewClient returns a new confidential client with the given ID in which
// every field is set to a distinctive value, except Public, Disabled and
// Version, which are left zero. It has three secrets, deliberately not in ID
// order, two of them with the same CreatedAt (as with a fake clock), so a
// store that sorts secrets instead of keeping their order is caught. Each
// call returns a fresh client that shares nothing with any other.
//
// The strings hold what naive storage gets wrong: non-ASCII letters, quotes,
// backslashes, commas and spaces inside list elements, SQL syntax, an empty
// metadata value. Every time is a whole number of milliseconds.
func NewClient(id string) *oauthreg.Client {
	t0 := BaseTime()
	return &oauthreg.Client{
		ID:          id,
		Owner:       "org-Ünïcødé-1",
		Name:        `Ünïcødé client ✓ "quoted", with comma`,
		Description: "line one\nline two\t'single' \"double\" \\backslash%_; DROP TABLE clients; --",
		GrantTypes: []oauthreg.GrantType{
			oauthreg.GrantRefreshToken, oauthreg.GrantAuthorizationCode, oauthreg.GrantClientCredentials,
		},
		ResponseTypes: []oauthreg.ResponseType{oauthreg.ResponseIDToken, oauthreg.ResponseCode},
		Scopes:        []string{"write", "read", "admin:all", "https://api.example.com/scope"},
		RedirectURIs: []string{
			"https://b.example.com/cb?x=1&y=%2F",
			"http://127.0.0.1/callback",
			"com.example.app:/oauth2redirect",
		},
		TokenEndpointAuthMethod: oauthreg.AuthClientSecretPost,
		AccessTokenTTL:          90*time.Minute + 1500*time.Millisecond + 7*time.Nanosecond,
		RefreshTokenTTL:         10*24*time.Hour + 3*time.Microsecond,
		SystemTags:              []string{"zone=b", "zone=a", "with space"},
		UserTags:                []string{"team, with comma", "env:prod", "ключ"},
		Metadata: map[string]string{
			"tenant": "acme",
			"empty":  "",
			"ключ":   "значение",
			"json":   `{"a":[1,2],"b":"c"}`,
		},
		ClientURI:       "https://client.example.com/ünïcødé?a=1&b='x'",
		LogoURI:         "https://client.example.com/logo.png",
		TOSURI:          "https://client.example.com/tos",
		PolicyURI:       "https://client.example.com/privacy",
		Contacts:        []string{"ops@example.com", `"Quoted, Name" <sec@example.com>`},
		SoftwareID:      "4NRB1-0XZABZI9E6-5SM3R",
		SoftwareVersion: "2.1.0-β",
		Localized: map[string]string{
			"client_name#ja-Jpan-JP": "クライアント名",
			"logo_uri#fr":            "https://client.example.com/logo-fr.png",
		},
		// Whitespace and member order as a client sent them: stores keep
		// the bytes, not a re-encoding.
		JWKS: json.RawMessage(`{ "keys": [ {"kty":"EC", "crv":"P-256", "kid":"k1", "use":"sig",` +
			` "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"} ] }`),
		JWKSURI:                               "https://client.example.com/jwks.json",
		TokenEndpointAuthSigningAlg:           "ES256",
		TLSClientAuthSubjectDN:                `CN=client\, "quoted",O=Ünïcødé`,
		TLSClientAuthSANDNS:                   "client.example.com",
		TLSClientAuthSANURI:                   "spiffe://example.com/client",
		TLSClientAuthSANIP:                    "2001:db8::1",
		TLSClientAuthSANEmail:                 "client@example.com",
		TLSClientCertificateBoundAccessTokens: true,
		DPoPBoundAccessTokens:                 true,
		RequirePushedAuthorizationRequests:    true,
		ApplicationType:                       "native",
		IDTokenSignedResponseAlg:              "RS256",
		IDTokenEncryptedResponseAlg:           "RSA-OAEP",
		IDTokenEncryptedResponseEnc:           "A128CBC-HS256",
		UserinfoSignedResponseAlg:             "ES384",
		UserinfoEncryptedResponseAlg:          "ECDH-ES+A128KW",
		UserinfoEncryptedResponseEnc:          "A256GCM",
		RequestObjectSigningAlg:               "PS256",
		RequestObjectEncryptionAlg:            "RSA-OAEP-256",
		RequestObjectEncryptionEnc:            "A128GCM",
		RequestURIs:                           []string{"https://client.example.com/req/1.jwt#frag", "https://client.example.com/req/2.jwt"},
		SubjectType:                           "pairwise",
		SectorIdentifierURI:                   "https://client.example.com/sector.json",
		DefaultMaxAge:                         3600 * time.Second,
		RequireAuthTime:                       true,
		DefaultACRValues:                      []string{"urn:mace:incommon:iap:silver", "acr with space"},
		InitiateLoginURI:                      "https://client.example.com/login",
		PostLogoutRedirectURIs:                []string{"https://client.example.com/bye", "http://127.0.0.1/bye"},
		FrontchannelLogoutURI:                 "https://client.example.com/fc",
		FrontchannelLogoutSessionRequired:     true,
		BackchannelLogoutURI:                  "https://client.example.com/bc",
		BackchannelLogoutSessionRequired:      true,
		Audience:                              []string{"https://api.example.com", "urn:other"},
		AllowedCORSOrigins:                    []string{"https://client.example.com", "http://localhost:3000"},
		ResponseModes:                         []oauthreg.ResponseMode{oauthreg.ResponseModeFormPost, oauthreg.ResponseModeQuery},
		RequirePKCE:                           true,
		Lifetimes: oauthreg.TokenLifetimes{
			AccessToken:       time.Hour + 7*time.Nanosecond,
			RefreshToken:      30 * 24 * time.Hour,
			IDToken:           15 * time.Minute,
			AuthorizationCode: 5*time.Minute + time.Millisecond,
			Grants: map[oauthreg.GrantType]oauthreg.GrantLifetimes{
				oauthreg.GrantClientCredentials: {AccessToken: 10 * time.Minute},
				oauthreg.GrantRefreshToken:      {AccessToken: 20 * time.Minute, RefreshToken: 60 * 24 * time.Hour, IDToken: 1500 * time.Millisecond},
			},
		},
		Extensions: map[string]json.RawMessage{
			"example_extension_parameter": json.RawMessage(`"example_value"`),
			"nested":                      json.RawMessage(`{"a": [1, 2.50, null, true], "b": "<&> \u00e9 é"}`),
		},
		RotationPolicy: &oauthreg.RotationPolicy{
			GracePeriod:       36*time.Hour + time.Millisecond,
			SecretLifetime:    90*24*time.Hour + time.Nanosecond,
			MaxActiveSecrets:  3,
			OwnerOnlyRotation: true,
		},
		RegistrationTokenHash: "$sha256$" + strings.Repeat("Rt", 21) + "w",
		CreatedAt:             t0,
		UpdatedAt:             t0.Add(time.Hour + time.Millisecond),
		LastUsedAt:            t0.Add(2*time.Hour + 2*time.Millisecond),
		Secrets: []oauthreg.Secret{
			{
				ID:          "s3",
				Kind:        oauthreg.SecretGenerated,
				Hash:        oauthreg.Conceal("$sha256$" + strings.Repeat("3a", 32)),
				Sealed:      oauthreg.Conceal("v1.key-2025.AbCdEf0123456789-_AbCdEf0123456789-_AbCdEf0123456789"),
				Hint:        "x9Qa",
				Description: "first secret, being rotated out",
				CreatedAt:   t0,
				ExpiresAt:   t0.Add(24*time.Hour + 5*time.Millisecond),
				LastUsedAt:  t0.Add(2*time.Hour + 2*time.Millisecond),
			},
			{
				ID:          "s1",
				Kind:        oauthreg.SecretSupplied,
				Hash:        oauthreg.Conceal("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$" + strings.Repeat("h", 43)),
				Hint:        "pw-é",
				Description: "supplied, revoked, expiring far in the future",
				CreatedAt:   t0,
				ExpiresAt:   time.Date(2099, time.December, 31, 23, 59, 59, 999_000_000, time.UTC),
				RevokedAt:   t0.Add(3 * time.Hour),
			},
			{
				ID:          "s2",
				Kind:        oauthreg.SecretImported,
				Hash:        oauthreg.Conceal("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"),
				Hint:        "lhWy",
				Description: "imported bcrypt hash, never expires",
				CreatedAt:   t0.Add(time.Hour),
				LastUsedAt:  t0.Add(90 * time.Minute),
			},
		},
	}
}

// NewSecret returns a generated secret with the given ID, created at
// created, with every field but ExpiresAt, RevokedAt and LastUsedAt set. Its
// hash is derived from the ID, so secrets with different IDs differ.
func NewSecret(id string, created time.Time) oauthreg.Secret {
	return oauthreg.Secret{
		ID:          id,
		Kind:        oauthreg.SecretGenerated,
		Hash:        oauthreg.Conceal("$sha256$" + strings.Repeat("0f", 24) + "-" + id),
		Sealed:      oauthreg.Conceal("v1.key-2025.sealed-" + id),
		Hint:        hint(id),
		Description: "secret " + id,
		CreatedAt:   created,
	}
}

// hint returns the last four runes of s, or s.
func hint(s string) string {
	r := []rune(s)
	return string(r[max(0, len(r)-4):])
}
