package config_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/config"
	"github.com/oauthreg/oauthreg/memstore"
)

// TestEveryRegistryOptionIsConfigurable: the settings added for
// HashCostLimits, the slow-hash share and memory, the cursor key and the
// ID token and authorization code lifetimes reach the Registry.
func TestEveryRegistryOptionIsConfigurable(t *testing.T) {
	dir := t.TempDir()
	cursorKey := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	write(t, dir, "cursor", cursorKey+"\n")
	path := write(t, dir, "oauthreg.conf", `
OAUTHREG_ID_TOKEN_LIFETIME=30m
OAUTHREG_AUTHORIZATION_CODE_LIFETIME=2m
OAUTHREG_HASH_MAX_PBKDF2_ITERATIONS=600000
OAUTHREG_HASH_MAX_BCRYPT_COST=10
OAUTHREG_HASH_MAX_ARGON2_MEMORY=32MiB
OAUTHREG_HASH_MAX_ARGON2_TIME=4
OAUTHREG_HASH_MAX_ARGON2_THREADS=2
OAUTHREG_SLOW_HASH_SHARE=1
OAUTHREG_SLOW_HASH_MEMORY="256 MiB"
OAUTHREG_CURSOR_KEY_FILE=cursor
`)
	c, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := oauthreg.HashCostLimits{PBKDF2SHA256Iterations: 600_000, BcryptCost: 10, Argon2MemoryKiB: 32 << 10, Argon2Time: 4, Argon2Threads: 2}
	if c.HashCostLimits != want {
		t.Errorf("HashCostLimits %+v, want %+v", c.HashCostLimits, want)
	}
	if c.SlowHashShare != 1 || c.SlowHashMemory != 256<<20 || c.IDTokenLifetime != 30*time.Minute || c.AuthorizationCodeLifetime != 2*time.Minute {
		t.Errorf("settings %+v", c)
	}
	if s := fmt.Sprintf("%v", c); strings.Contains(s, cursorKey) || !strings.Contains(s, "cursor_key=true") {
		t.Errorf("String %q: shows the cursor key, or not that one is set", s)
	}

	store := memstore.New()
	// org-b has a sub-organization, so its listings scan and seal cursors.
	tree := oauthreg.WithOrgTree(oauthreg.MapOrgTree{"team-b": "org-b"})
	newReg := func(c *config.Config) *oauthreg.Registry {
		t.Helper()
		opts, err := c.Options()
		if err != nil {
			t.Fatal(err)
		}
		reg, err := oauthreg.New(store, append(opts, tree)...)
		if err != nil {
			t.Fatal(err)
		}
		return reg
	}
	reg := newReg(c)
	ctx := context.Background()

	// The bcrypt cap: cost 11 is refused here, accepted by default.
	hash, err := bcrypt.GenerateFromPassword([]byte("imported-secret-of-another-server"), 11)
	if err != nil {
		t.Fatal(err)
	}
	client, _, err := reg.Register(ctx, oauthreg.Client{Owner: "org-a", Name: "imported"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.ImportSecret(ctx, client.ID, string(hash)); !errors.Is(err, oauthreg.ErrHashTooExpensive) {
		t.Errorf("bcrypt cost 11 with OAUTHREG_HASH_MAX_BCRYPT_COST=10: %v, want ErrHashTooExpensive", err)
	}
	defaults, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newReg(defaults).ImportSecret(ctx, client.ID, string(hash)); err != nil {
		t.Errorf("bcrypt cost 11 with the default limits: %v", err)
	}

	// The lifetimes.
	if got := reg.EffectiveTokenLifetime(client, oauthreg.GrantAuthorizationCode, oauthreg.TokenID); got != 30*time.Minute {
		t.Errorf("ID token lifetime %v, want 30m", got)
	}
	if got := reg.EffectiveTokenLifetime(client, oauthreg.GrantAuthorizationCode, oauthreg.TokenAuthorizationCode); got != 2*time.Minute {
		t.Errorf("authorization code lifetime %v, want 2m", got)
	}

	// The cursor key: a second replica with the same configuration
	// accepts the first one's cursor; one with its own random key does not.
	for i := range 3 {
		if _, _, err := reg.Register(ctx, oauthreg.Client{ID: fmt.Sprintf("b-%d", i), Owner: "team-b"}); err != nil {
			t.Fatal(err)
		}
	}
	alice := oauthreg.UserPrincipal("alice", "org-b", oauthreg.RoleOrgOwner)
	page, err := reg.As(alice).List(ctx, oauthreg.ListQuery{Limit: 1})
	if err != nil || page.NextCursor == "" {
		t.Fatalf("first page: %+v, %v", page, err)
	}
	if _, err := newReg(c).As(alice).List(ctx, oauthreg.ListQuery{Limit: 1, Cursor: page.NextCursor}); err != nil {
		t.Errorf("a replica with the same cursor key refused the cursor: %v", err)
	}
	if _, err := newReg(defaults).As(alice).List(ctx, oauthreg.ListQuery{Limit: 1, Cursor: page.NextCursor}); !errors.Is(err, oauthreg.ErrInvalidCursor) {
		t.Errorf("a replica without the cursor key: %v, want ErrInvalidCursor", err)
	}
}

// TestHashSettingsRefused: limits the library refuses, sizes it cannot
// read, and a cursor key in the file or of the wrong length, fail with a
// message naming the setting and never showing a key.
func TestHashSettingsRefused(t *testing.T) {
	dir := t.TempDir()
	shortKey := base64.StdEncoding.EncodeToString([]byte("sixteen byte key"))
	write(t, dir, "short", shortKey)
	for name, c := range map[string]struct {
		file string
		env  map[string]string
		want string
	}{
		"decimal unit":            {"OAUTHREG_HASH_MAX_ARGON2_MEMORY=64MB\n", nil, "OAUTHREG_HASH_MAX_ARGON2_MEMORY"},
		"not whole KiB":           {"OAUTHREG_HASH_MAX_ARGON2_MEMORY=1000\n", nil, "whole KiB"},
		"over 4 TiB":              {"OAUTHREG_SLOW_HASH_MEMORY=5TiB\n", nil, "OAUTHREG_SLOW_HASH_MEMORY"},
		"bcrypt cost over 31":     {"OAUTHREG_HASH_MAX_BCRYPT_COST=32\n", nil, "0 to 31"},
		"threads over 255":        {"", map[string]string{config.EnvHashMaxArgon2Threads: "256"}, "0 to 255"},
		"negative share":          {"OAUTHREG_SLOW_HASH_SHARE=-1\n", nil, "OAUTHREG_SLOW_HASH_SHARE"},
		"cursor key in the file":  {"OAUTHREG_CURSOR_KEY=" + shortKey + "\n", nil, "OAUTHREG_CURSOR_KEY_FILE"},
		"short cursor key":        {"OAUTHREG_CURSOR_KEY_FILE=short\n", nil, "32 random bytes"},
		"cursor key not base64":   {"", map[string]string{config.EnvCursorKey: "not base64!"}, "$OAUTHREG_CURSOR_KEY"},
		"cursor key in both":      {"OAUTHREG_CURSOR_KEY_FILE=short\n", map[string]string{config.EnvCursorKey: shortKey}, "keep one"},
		"argon2 below the writer": {"OAUTHREG_HASH_MAX_ARGON2_MEMORY=8MiB\n", nil, "below what the library writes"},
		"pbkdf2 below the writer": {"OAUTHREG_HASH_MAX_PBKDF2_ITERATIONS=999\n", nil, "PBKDF2SHA256Iterations"},
		"slow-hash memory tiny":   {"OAUTHREG_SLOW_HASH_MEMORY=1MiB\n", nil, "WithSlowHashMemory"},
	} {
		path := ""
		if c.file != "" {
			path = write(t, dir, "c.conf", c.file)
		}
		cfg, err := config.Load(path, env(c.env))
		if err == nil {
			// Limits the library refuses surface at New, as ErrInvalidConfig.
			var opts []oauthreg.Option
			if opts, err = cfg.Options(); err == nil {
				_, err = oauthreg.New(memstore.New(), opts...)
				if err != nil && !errors.Is(err, oauthreg.ErrInvalidConfig) {
					t.Errorf("%s: %v, want ErrInvalidConfig", name, err)
				}
			}
		}
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want it to say %q", name, err, c.want)
		}
		if strings.Contains(err.Error(), shortKey) {
			t.Errorf("%s: the error shows the key: %v", name, err)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "1048576": 1 << 20, "64MiB": 64 << 20, "64mib": 64 << 20, "512 MiB": 512 << 20,
		"1GiB": 1 << 30, "65536KiB": 64 << 20, "4TiB": 4 << 40, "10B": 10,
	} {
		if got, err := config.ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "-1MiB", "1.5GiB", "64MB", "64 M", "4097GiB", "99999999999999999999", "1e9"} {
		if got, err := config.ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}

// TestPepperHMACReachesTheRegistry: OAUTHREG_PEPPER_HMAC keeps a server of
// this release writing the $hmac-sha256$ hashes an older one reads, for a
// rolling upgrade; without it hashes are $sha256-keyed$.
func TestPepperHMACReachesTheRegistry(t *testing.T) {
	for setting, want := range map[string]string{"yes": "$hmac-sha256$k=p1$", "": "$sha256-keyed$k=p1$"} {
		c, err := config.Load("", env(map[string]string{config.EnvPepper: "p1:" + pepperB64, config.EnvPepperHMAC: setting}))
		if err != nil {
			t.Fatal(err)
		}
		opts, err := c.Options()
		if err != nil {
			t.Fatal(err)
		}
		reg, err := oauthreg.New(memstore.New(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		client, _, err := reg.Register(t.Context(), oauthreg.Client{Owner: "o"})
		if err != nil {
			t.Fatal(err)
		}
		if h := client.Secrets[0].Hash.Reveal(); !strings.HasPrefix(h, want) {
			t.Errorf("OAUTHREG_PEPPER_HMAC=%q: the hash is %q…, want %s…", setting, h[:strings.LastIndex(h, "$")+1], want)
		}
	}
}
