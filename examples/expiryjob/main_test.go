package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/dbopen"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

func TestExpiryJob(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{SecretLifetime: 90 * 24 * time.Hour, GracePeriod: time.Hour}))
	ctx := context.Background()
	soon, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "org-soon" })
	kit.Clock.Advance(80 * 24 * time.Hour)
	later, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "org-later" })
	if _, err := kit.RotateSecret(ctx, later.ID); err != nil { // the old one ends in an hour
		t.Fatal(err)
	}
	kit.Clock.Advance(2 * time.Hour)

	var out bytes.Buffer
	if err := run(ctx, kit.Registry, &out, 30*24*time.Hour, 0); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "to org-soon:") || !strings.Contains(s, soon.ID) || strings.Contains(s, "to org-later") {
		t.Fatalf("notifications:\n%s", s)
	}
	if !strings.Contains(s, "1 secret expires within 30d (1 by lifetime, 0 after a rotation's grace period)") || !strings.Contains(s, "1 old secret record purged") {
		t.Fatalf("summary:\n%s", s)
	}
}

// TestGraceEndingsAreToldApart: a secret ending because a rotation
// replaced it is reported as such, not as one reaching its lifetime.
func TestGraceEndingsAreToldApart(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: 48 * time.Hour, MaxActiveSecrets: 2}))
	ctx := context.Background()
	c, old := kit.ConfidentialClient(t)
	if _, err := kit.RotateSecret(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, kit.Registry, &out, 7*24*time.Hour, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "the old secret "+old.ID()) || !strings.Contains(s, "replaced by a rotation") ||
		!strings.Contains(s, "(0 by lifetime, 1 after a rotation's grace period)") || !strings.Contains(s, "0 old secret records purged") {
		t.Fatalf("output:\n%s", s)
	}
}

// TestRefusesAMissingDatabase: pointed at a file that does not exist, the
// job fails naming it and creates nothing; usage errors exit 2.
func TestRefusesAMissingDatabase(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "typo.db")
	var stdout, stderr bytes.Buffer
	noEnv := func(string) string { return "" }
	if code := realMain(context.Background(), []string{"-db", missing}, noEnv, &stdout, &stderr); code != 1 {
		t.Errorf("exit %d, want 1; stderr %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), missing) || !strings.Contains(stderr.String(), "does not exist") {
		t.Errorf("stderr %q does not name the missing file", stderr.String())
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("the job created the database file")
	}
	for _, args := range [][]string{{"-bogus"}, {"extra"}, {"-within", "forever"}, {}} {
		stderr.Reset()
		if code := realMain(context.Background(), args, noEnv, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
	env := map[string]string{"OAUTHREG_DATABASE": "sqlite:" + missing}
	stderr.Reset()
	if code := realMain(context.Background(), nil, func(k string) string { return env[k] }, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), missing) {
		t.Errorf("from the environment: exit %d, stderr %s", code, stderr.String())
	}
}

// TestPurgeUsedAssertions: the job removes the replay cache's expired
// entries and keeps the live ones.
func TestPurgeUsedAssertions(t *testing.T) {
	ctx := context.Background()
	store, db, err := dbopen.Open(ctx, filepath.Join(t.TempDir(), "clients.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	for i, exp := range []time.Time{now.Add(-time.Hour), now.Add(-time.Second), now.Add(time.Hour)} {
		if _, err := store.UseOnce(ctx, "client", fmt.Sprint("jti-", i), exp); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := purgeUsedAssertions(ctx, store, &out, now); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 expired client assertion IDs purged") {
		t.Errorf("output %q", out.String())
	}
	if first, err := store.UseOnce(ctx, "client", "jti-2", now.Add(time.Hour)); first || err != nil {
		t.Errorf("the live entry was purged (first=%v, err=%v)", first, err)
	}
}
