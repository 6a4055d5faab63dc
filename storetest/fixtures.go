package storetest

import (
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
		RotationPolicy: &oauthreg.RotationPolicy{
			GracePeriod:       36*time.Hour + time.Millisecond,
			SecretLifetime:    90*24*time.Hour + time.Nanosecond,
			MaxActiveSecrets:  3,
			OwnerOnlyRotation: true,
		},
		CreatedAt:  t0,
		UpdatedAt:  t0.Add(time.Hour + time.Millisecond),
		LastUsedAt: t0.Add(2*time.Hour + 2*time.Millisecond),
		Secrets: []oauthreg.Secret{
			{
				ID:          "s3",
				Kind:        oauthreg.SecretGenerated,
				Hash:        "$sha256$" + strings.Repeat("3a", 32),
				Sealed:      "v1.key-2025.AbCdEf0123456789-_AbCdEf0123456789-_AbCdEf0123456789",
				Hint:        "x9Qa",
				Description: "first secret, being rotated out",
				CreatedAt:   t0,
				ExpiresAt:   t0.Add(24*time.Hour + 5*time.Millisecond),
				LastUsedAt:  t0.Add(2*time.Hour + 2*time.Millisecond),
			},
			{
				ID:          "s1",
				Kind:        oauthreg.SecretSupplied,
				Hash:        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$" + strings.Repeat("h", 43),
				Hint:        "pw-é",
				Description: "supplied, revoked, expiring far in the future",
				CreatedAt:   t0,
				ExpiresAt:   time.Date(2099, time.December, 31, 23, 59, 59, 999_000_000, time.UTC),
				RevokedAt:   t0.Add(3 * time.Hour),
			},
			{
				ID:          "s2",
				Kind:        oauthreg.SecretImported,
				Hash:        "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
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
		Hash:        "$sha256$" + strings.Repeat("0f", 24) + "-" + id,
		Sealed:      "v1.key-2025.sealed-" + id,
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
