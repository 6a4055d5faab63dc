package sqlstore_test

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// TestUpgradeFromV1 fills a database at schema version 1 the way a release
// of that version wrote it (raw rows in its layout, lists near the 64 KiB
// that MySQL's TEXT held), migrates it to the current schema, and checks
// that every value reads back unchanged and that a client at every limit of
// limits.go then fits.
func TestUpgradeFromV1(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		ctx := t.Context()
		db := e.Open(t)
		s, err := sqlstore.New(db, e.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.MigrateUpTo(ctx, 1); err != nil {
			t.Fatalf("migrating to version 1: %v", err)
		}
		want := insertV1Client(t, db, e.Dialect)
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("migrating from version 1: %v", err)
		}
		got, err := s.GetClient(ctx, want.ID)
		if err != nil {
			t.Fatalf("GetClient after the upgrade: %v", err)
		}
		if d := storetest.Diff(want, got); len(d) > 0 {
			t.Fatalf("the upgrade changed a client written at version 1:\n\t%s", strings.Join(d, "\n\t"))
		}
		big := storetest.ClientAtLimits("after-upgrade")
		wantBig := big.Clone()
		if err := s.CreateClient(ctx, big); err != nil {
			t.Fatalf("CreateClient of a client at every limit after the upgrade: %v", err)
		}
		gotBig, err := s.GetClient(ctx, big.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantBig.Version = 1
		if d := storetest.Diff(wantBig, gotBig); len(d) > 0 {
			t.Fatalf("a client at every limit after the upgrade:\n\t%s", strings.Join(d, "\n\t"))
		}
		var versions int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM oauthreg_schema_migrations").Scan(&versions); err != nil {
			t.Fatal(err)
		}
		if versions < 2 {
			t.Fatalf("%d versions recorded after the upgrade, want at least 2", versions)
		}
	})
}

// insertV1Client writes one client and two secrets with the column layout of
// schema version 1, and returns the client they encode. Its lists are as
// large as MySQL's TEXT columns of version 1 could hold, and its rotation
// policy allows more active secrets than today's ceiling: an upgrade must
// keep such a value as it is.
func insertV1Client(t *testing.T, db *sql.DB, d sqlstore.Dialect) *oauthreg.Client {
	t.Helper()
	t0 := time.Date(2025, 3, 14, 15, 9, 26, 535_000_000, time.UTC)
	var scopes, redirects []string
	for i := range 230 {
		scopes = append(scopes, fmt.Sprintf("scope:%03d:%s", i, strings.Repeat("s", 250)))
	}
	for i := range 30 {
		redirects = append(redirects, fmt.Sprintf("https://app.example.com/cb/%02d?%s", i, strings.Repeat("q", 1900)))
	}
	c := &oauthreg.Client{
		ID:                      "v1-client",
		Owner:                   "org-v1",
		Name:                    "written by version 1 ✓",
		Description:             "line one\nline two",
		GrantTypes:              []oauthreg.GrantType{oauthreg.GrantAuthorizationCode, oauthreg.GrantRefreshToken},
		ResponseTypes:           []oauthreg.ResponseType{oauthreg.ResponseCode},
		Scopes:                  scopes,
		RedirectURIs:            redirects,
		TokenEndpointAuthMethod: oauthreg.AuthClientSecretBasic,
		AccessTokenTTL:          time.Hour + time.Nanosecond,
		RefreshTokenTTL:         48 * time.Hour,
		SystemTags:              []string{"zone=a"},
		UserTags:                []string{"team ü"},
		Metadata:                map[string]string{"k": `v "quoted" <&>`},
		RotationPolicy:          &oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 64},
		CreatedAt:               t0,
		UpdatedAt:               t0.Add(time.Second),
		LastUsedAt:              t0.Add(time.Minute),
		Version:                 3,
		Secrets: []oauthreg.Secret{
			{ID: "s-b", Kind: oauthreg.SecretGenerated, Hash: oauthreg.Conceal("$sha256$" + strings.Repeat("ab", 32)), Hint: "wxyz", CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)},
			{ID: "s-a", Kind: oauthreg.SecretImported, Hash: oauthreg.Conceal("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"), Description: "imported", CreatedAt: t0.Add(time.Second), RevokedAt: t0.Add(time.Hour)},
		},
	}
	list := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	micros := func(tm time.Time) any {
		if tm.IsZero() {
			return nil
		}
		return tm.UnixMicro()
	}
	policy := fmt.Sprintf(`{"grace_period_ns":%d,"secret_lifetime_ns":0,"max_active_secrets":64,"owner_only_rotation":false}`, int64(time.Hour))
	exec(t, db, d, "INSERT INTO oauthreg_clients (id, owner, name, description, grant_types, response_types, scopes, redirect_uris, "+
		"token_endpoint_auth_method, is_public, access_token_ttl, refresh_token_ttl, is_disabled, system_tags, user_tags, metadata, "+
		"rotation_policy, created_at, updated_at, last_used_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		c.ID, c.Owner, c.Name, c.Description, list(c.GrantTypes), list(c.ResponseTypes), list(c.Scopes), list(c.RedirectURIs),
		string(c.TokenEndpointAuthMethod), false, int64(c.AccessTokenTTL), int64(c.RefreshTokenTTL), false,
		list(c.SystemTags), list(c.UserTags), list(c.Metadata), policy, micros(c.CreatedAt), micros(c.UpdatedAt), micros(c.LastUsedAt), c.Version)
	for i, s := range c.Secrets {
		exec(t, db, d, "INSERT INTO oauthreg_client_secrets (client_id, ordinal, secret_id, kind, hash, sealed, hint, description, "+
			"created_at, expires_at, revoked_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			c.ID, i, s.ID, string(s.Kind), s.Hash.Reveal(), s.Sealed.Reveal(), s.Hint, s.Description, micros(s.CreatedAt), micros(s.ExpiresAt), micros(s.RevokedAt), micros(s.LastUsedAt))
	}
	return c
}

// exec runs query, written with '?' placeholders, on any dialect.
func exec(t *testing.T, db *sql.DB, d sqlstore.Dialect, query string, args ...any) {
	t.Helper()
	if d == sqlstore.Postgres {
		var b strings.Builder
		n := 0
		for _, r := range query {
			if r == '?' {
				n++
				b.WriteString("$" + strconv.Itoa(n))
				continue
			}
			b.WriteRune(r)
		}
		query = b.String()
	}
	if _, err := db.ExecContext(t.Context(), query, args...); err != nil {
		t.Fatalf("writing a version 1 row: %v", err)
	}
}

// TestMigrateRefusesNonStrictMySQL: a MySQL session that would cut an
// oversized value instead of refusing it is refused by Migrate. Only this
// test's own sessions get the lax sql_mode (a DSN parameter); the server's
// global setting is left alone.
func TestMigrateRefusesNonStrictMySQL(t *testing.T) {
	e := testdb.Engines()[2]
	e.Require(t)
	for _, tc := range []struct {
		mode   string
		strict bool
	}{
		{"'NO_ENGINE_SUBSTITUTION'", false},
		{"''", false},
		{"'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'", true},
		{"'STRICT_ALL_TABLES'", true},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			db := sql.OpenDB(testdb.MySQLWithSession(t, map[string]string{"sql_mode": tc.mode}))
			t.Cleanup(func() { db.Close() })
			s, err := sqlstore.New(db, sqlstore.MySQL)
			if err != nil {
				t.Fatal(err)
			}
			err = s.Migrate(t.Context())
			if tc.strict {
				if err != nil {
					t.Fatalf("Migrate with sql_mode %s: %v", tc.mode, err)
				}
				return
			}
			if !errors.Is(err, oauthreg.ErrInvalidConfig) {
				t.Fatalf("Migrate with sql_mode %s returned %v, want an error wrapping ErrInvalidConfig", tc.mode, err)
			}
			var tables int
			if err := db.QueryRowContext(t.Context(),
				"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'oauthreg_clients'").Scan(&tables); err != nil {
				t.Fatal(err)
			}
			if tables != 0 {
				t.Fatal("Migrate refused the session but created the tables")
			}
		})
	}
}
