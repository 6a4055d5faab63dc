package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
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
