package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/config"
	"github.com/oauthreg/oauthreg/internal/dbopen"
	"golang.org/x/crypto/bcrypt"
)

// TestSharedConfiguration: the tool reads the server's configuration file
// (--config or $OAUTHREG_CONFIG), so a secret it issues has the server's
// prefix, lifetime and pepper, and a server built on the same file
// authenticates it. The pepper is never printed; a misspelt setting is a
// usage error.
func TestSharedConfiguration(t *testing.T) {
	tl := newTool(t)
	dir := t.TempDir()
	pepper := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{42}, 32))
	if err := os.WriteFile(filepath.Join(dir, "pepper"), []byte("pep-1:"+pepper+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "oauthreg.conf")
	if err := os.WriteFile(conf, []byte("OAUTHREG_DATABASE="+tl.db+"\nOAUTHREG_SECRET_PREFIX=acme_\nOAUTHREG_SECRET_LIFETIME=10d\nOAUTHREG_PEPPER_FILE=pepper\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := tl.create("--config", conf, "--owner", "org-a", "--name", "svc")
	if !strings.HasPrefix(c.ClientSecret, "acme_") {
		t.Errorf("secret %.8s… lacks the configured prefix", c.ClientSecret)
	}
	if c.ExpiresAt == nil || time.Until(time.Unix(*c.ExpiresAt, 0)) < 9*24*time.Hour || time.Until(time.Unix(*c.ExpiresAt, 0)) > 11*24*time.Hour {
		t.Errorf("client_secret_expires_at %v, want in about 10 days", c.ExpiresAt)
	}
	r := tl.with("OAUTHREG_CONFIG="+conf).ok("", "show", c.ClientID)
	if strings.Contains(r.stdout+r.stderr, pepper) {
		t.Error("the tool printed the pepper")
	}

	// The server side: the same file, in-process.
	cfg, err := config.Load(conf, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	opts, err := cfg.Options()
	if err != nil {
		t.Fatal(err)
	}
	store, db, err := dbopen.OpenExisting(context.Background(), cfg.Database)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reg, err := oauthreg.New(store, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Authenticate(context.Background(), c.ClientID, c.ClientSecret); err != nil {
		t.Errorf("a server on the same configuration refuses the tool's secret: %v", err)
	}
	stored, _ := store.GetClient(context.Background(), c.ClientID)
	if !strings.HasPrefix(stored.Secrets[0].Hash.Reveal(), "$sha256-keyed$k=pep-1$") {
		t.Errorf("the tool did not hash with the configured pepper")
	}

	bad := filepath.Join(dir, "bad.conf")
	if err := os.WriteFile(bad, []byte("OAUTHREG_GRACE=1h\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tl.fails(exitUsage, "", []string{"--config", bad, "list"}, "unknown setting")
}

// TestSharedHashCostLimits: the imported-hash limits come from the shared
// configuration too, so the tool refuses to import a hash the server would
// refuse to run.
func TestSharedHashCostLimits(t *testing.T) {
	tl := newTool(t)
	c := tl.create("--name", "migrated")
	hash, err := bcrypt.GenerateFromPassword([]byte("hydra-era-secret"), 11)
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "oauthreg.conf")
	if err := os.WriteFile(conf, []byte("OAUTHREG_DATABASE="+tl.db+"\nOAUTHREG_HASH_MAX_BCRYPT_COST=10\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tl.fails(1, "", []string{"--config", conf, "import-secret", c.ClientID, string(hash)}, "too expensive")
	tl.ok("", "import-secret", c.ClientID, string(hash)) // the default limits allow cost 11
}
