package config_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/config"
	"github.com/oauthreg/oauthreg/memstore"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	pepperKey = bytes.Repeat([]byte{7}, 32)
	ringKey   = bytes.Repeat([]byte{9}, 32)
	pepperB64 = base64.StdEncoding.EncodeToString(pepperKey)
	ringB64   = base64.RawURLEncoding.EncodeToString(ringKey)
)

// TestServerAndToolAgree: two programs loading the same file get the same
// Registry configuration; the environment wins over the file; relative key
// file names are relative to the configuration file.
func TestServerAndToolAgree(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "pepper", "# current first\np2:"+pepperB64+"\np1:"+base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))+"\n")
	write(t, dir, "keyring", "k1:XC20P:"+ringB64+"\n")
	cfgPath := write(t, dir, "oauthreg.conf", `
# shared by the token server and the admin tool
OAUTHREG_DATABASE=sqlite:`+filepath.Join(dir, "clients.db")+`
OAUTHREG_SECRET_PREFIX="acme_"
OAUTHREG_GRACE_PERIOD=2d
OAUTHREG_SECRET_LIFETIME=90d
OAUTHREG_MAX_ACTIVE_SECRETS=3
OAUTHREG_OWNER_ONLY_ROTATION=yes
OAUTHREG_ACCESS_TOKEN_LIFETIME=15m
OAUTHREG_PEPPER_FILE=pepper
OAUTHREG_KEYRING_FILE=keyring
OAUTHREG_MAX_CONCURRENT_ARGON2=4
OAUTHREG_LAST_USED_INTERVAL=off
`)
	server, err := config.Load(cfgPath, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	tool, err := config.Load(cfgPath, env(map[string]string{config.EnvGracePeriod: "36h"}))
	if err != nil {
		t.Fatal(err)
	}
	want := oauthreg.RotationPolicy{GracePeriod: 48 * time.Hour, SecretLifetime: 90 * 24 * time.Hour, MaxActiveSecrets: 3, OwnerOnlyRotation: true}
	if server.Rotation != want {
		t.Errorf("rotation %+v, want %+v", server.Rotation, want)
	}
	if tool.Rotation.GracePeriod != 36*time.Hour {
		t.Errorf("the environment did not win: grace %v", tool.Rotation.GracePeriod)
	}
	if server.SecretPrefix != "acme_" || server.AccessTokenLifetime != 15*time.Minute || server.MaxConcurrentArgon2 != 4 ||
		!server.LastUsedIntervalSet || server.LastUsedInterval >= 0 {
		t.Errorf("settings: %+v", server)
	}
	if got := fmt.Sprint(server.PepperIDs(), server.KeyIDs()); got != "[p2 p1] [k1]" {
		t.Errorf("key IDs %s", got)
	}

	// The two programs share clients: what the server registers, the
	// tool authenticates, with the same pepper and prefix.
	store := memstore.New()
	newReg := func(c *config.Config) *oauthreg.Registry {
		opts, err := c.Options()
		if err != nil {
			t.Fatal(err)
		}
		reg, err := oauthreg.New(store, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return reg
	}
	ctx := context.Background()
	client, secret, err := newReg(server).Register(ctx, oauthreg.Client{Owner: "o", Name: "n", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret.Reveal(), "acme_") {
		t.Errorf("secret does not carry the prefix")
	}
	if _, err := newReg(tool).Authenticate(ctx, client.ID, secret.Reveal()); err != nil {
		t.Errorf("the tool cannot authenticate the server's client: %v", err)
	}
	stored, _ := store.GetClient(ctx, client.ID)
	if h := stored.Secrets[0].Hash.Reveal(); !strings.HasPrefix(h, "$sha256-keyed$k=p2$") {
		t.Errorf("hash %.20s… is not peppered with p2", h)
	}
	if _, err := newReg(server).RevealSecret(ctx, client.ID, secret.ID()); err != nil {
		t.Errorf("the key ring is not configured: %v", err)
	}

	d, err := server.ParsedDatabase()
	if err != nil || d.Driver != "sqlite" || d.Path != filepath.Join(dir, "clients.db") {
		t.Errorf("database %+v, %v", d, err)
	}
}

// TestKeysAreNeverShown: no rendering of a Config, and no error, holds
// key material.
func TestKeysAreNeverShown(t *testing.T) {
	c, err := config.Load("", env(map[string]string{
		config.EnvPepper:   "p1:" + pepperB64,
		config.EnvKeyRing:  "k1:" + ringB64,
		config.EnvDatabase: "postgres://app:hunter2hunter2@db.example:5432/oauth?password=alsosecret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "cfg", c)
	for _, out := range []string{c.String(), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), logged.String()} {
		for _, secret := range []string{pepperB64, ringB64, "hunter2", "alsosecret"} {
			if strings.Contains(out, secret) {
				t.Errorf("output shows %q: %s", secret, out)
			}
		}
		if !strings.Contains(out, "p1") || !strings.Contains(out, "k1") || !strings.Contains(out, "db.example") {
			t.Errorf("output does not name the keys and database: %s", out)
		}
	}

	bad := []map[string]string{
		{config.EnvPepper: "p1:" + pepperB64 + "!!"},
		{config.EnvKeyRing: "k1:ROT13:" + ringB64},
		{config.EnvKeyRing: "k1:" + base64.StdEncoding.EncodeToString([]byte("short but secret"))},
	}
	for _, e := range bad {
		c, err := config.Load("", env(e))
		if err == nil {
			_, err = c.Options()
		}
		if err == nil {
			t.Errorf("%v accepted", e)
			continue
		}
		for _, v := range e {
			key := v[strings.LastIndex(v, ":")+1:]
			if strings.Contains(err.Error(), key) {
				t.Errorf("error shows the key: %v", err)
			}
		}
	}
}

func TestLoadRefuses(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct {
		file string
		env  map[string]string
	}{
		"unknown setting":       {"OAUTHREG_GRACE=1h\n", nil},
		"pepper in the file":    {"OAUTHREG_PEPPER=p1:" + pepperB64 + "\n", nil},
		"not NAME=VALUE":        {"OAUTHREG_GRACE_PERIOD\n", nil},
		"set twice":             {"OAUTHREG_GRACE_PERIOD=1h\nOAUTHREG_GRACE_PERIOD=2h\n", nil},
		"bad duration":          {"OAUTHREG_SECRET_LIFETIME=forever\n", nil},
		"negative duration":     {"OAUTHREG_GRACE_PERIOD=-1h\n", nil},
		"bad number":            {"OAUTHREG_MAX_ACTIVE_SECRETS=two\n", nil},
		"bad bool":              {"OAUTHREG_OWNER_ONLY_ROTATION=maybe\n", nil},
		"missing key file":      {"OAUTHREG_PEPPER_FILE=nope\n", nil},
		"empty key file":        {"OAUTHREG_KEYRING_FILE=empty\n", nil},
		"key in env and file":   {"OAUTHREG_PEPPER_FILE=pepper\n", map[string]string{config.EnvPepper: "p1:" + pepperB64}},
		"duplicate key ID":      {"", map[string]string{config.EnvPepper: "p1:" + pepperB64 + ",p1:" + pepperB64}},
		"bad env duration":      {"", map[string]string{config.EnvGracePeriod: "1 day"}},
		"absurd number of days": {"", map[string]string{config.EnvSecretLifetime: "99999999999999999999d"}},
	}
	write(t, dir, "empty", "\n")
	write(t, dir, "pepper", "p1:"+pepperB64)
	for name, c := range cases {
		path := ""
		if c.file != "" {
			path = write(t, dir, "c.conf", c.file)
		}
		if _, err := config.Load(path, env(c.env)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := config.Load(filepath.Join(dir, "missing.conf"), nil); err == nil {
		t.Error("a missing configuration file was accepted")
	}
	big := write(t, dir, "big.conf", strings.Repeat("# filler\n", 200_000))
	if _, err := config.Load(big, nil); err == nil {
		t.Error("a 1.8 MB configuration file was accepted")
	}
}

func TestLoadDefaults(t *testing.T) {
	c, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Rotation != oauthreg.DefaultRotationPolicy || c.Database != "" || len(c.PepperIDs()) != 0 {
		t.Errorf("defaults: %+v", c)
	}
	if _, err := c.ParsedDatabase(); err == nil {
		t.Error("no database, yet ParsedDatabase succeeded")
	}
	opts, err := c.Options()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := oauthreg.New(memstore.New(), opts...); err != nil {
		t.Errorf("the default options do not make a Registry: %v", err)
	}
	c2, _ := config.Load("", env(map[string]string{config.EnvDatabaseAlias: "x.db"}))
	if c2.Database != "x.db" {
		t.Errorf("%s alias: %q", config.EnvDatabaseAlias, c2.Database)
	}
}
