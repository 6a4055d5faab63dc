package main

import (
	"bytes"
	"context"
	"fmt"
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
	if !strings.Contains(s, "1 secrets expire within") || !strings.Contains(s, "1 old secret records purged") {
		t.Fatalf("summary:\n%s", s)
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
