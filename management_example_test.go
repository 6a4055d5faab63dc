package oauthreg_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oauthreg/oauthreg"
)

// A secret-scanning service found a client secret in public code: revoke
// it from the secret alone.
func ExampleRegistry_RevokeLeaked() {
	ctx := context.Background()
	reg := newExampleRegistry()
	c, leaked, _ := reg.Register(ctx, oauthreg.Client{Name: "ci-bot", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}})

	found, err := reg.RevokeLeaked(ctx, leaked.Reveal())
	fmt.Println(err, found.ClientID == c.ID, found.Revoked)
	_, err = reg.Authenticate(ctx, c.ID, leaked.Reveal())
	fmt.Println("still works:", err == nil)
	_, err = reg.RevokeLeaked(ctx, "oauthreg_not-a-real-secret")
	fmt.Println(errors.Is(err, oauthreg.ErrSecretNotRecognized))
	// Output:
	// <nil> true true
	// still works: false
	// true
}

// VMware CPN's rotation to a secret the caller chose, with the old one kept
// for ten minutes.
func ExampleRegistry_RotateSecretTo() {
	ctx := context.Background()
	reg := newExampleRegistry()
	c, old, _ := reg.Register(ctx, oauthreg.Client{Name: "partner", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}})

	rec, err := reg.RotateSecretTo(ctx, c.ID, "Partner-Chosen-Secret-2030", 10*time.Minute)
	fmt.Println(err, rec.Kind)
	_, errOld := reg.Authenticate(ctx, c.ID, old.Reveal())
	_, errNew := reg.Authenticate(ctx, c.ID, "Partner-Chosen-Secret-2030")
	fmt.Println("old works:", errOld == nil, "new works:", errNew == nil)
	// Output:
	// <nil> supplied
	// old works: true new works: true
}

// The stale, enabled production clients, a page at a time.
func ExampleListQuery() {
	ctx := context.Background()
	reg := newExampleRegistry()
	for _, name := range []string{"billing", "reports", "legacy"} {
		_, _, _ = reg.Register(ctx, oauthreg.Client{Name: name, UserTags: []string{"env:prod"},
			GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}})
	}
	q := oauthreg.ListQuery{UserTag: "env:prod", Disabled: oauthreg.OnlyEnabled,
		NotUsedSince: exampleNow.Add(time.Hour), Limit: 2}
	for {
		page, err := reg.List(ctx, q)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, c := range page.Clients {
			fmt.Println(c.Name)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	// Unordered output:
	// billing
	// reports
	// legacy
}
