package memstore_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

func Example() {
	ctx := context.Background()
	store := memstore.New() // usually passed to oauthreg.New

	c := &oauthreg.Client{ID: "billing", Owner: "org-1", Name: "Billing service"}
	if err := store.CreateClient(ctx, c); err != nil {
		panic(err)
	}
	fmt.Println("created at version", c.Version)

	// Optimistic concurrency: an update made to a stale version fails.
	stale, _ := store.GetClient(ctx, "billing")
	c.Name = "Billing"
	_ = store.UpdateClient(ctx, c) // version 2
	stale.Name = "Invoices"
	err := store.UpdateClient(ctx, stale)
	fmt.Println("stale update conflicts:", errors.Is(err, oauthreg.ErrConflict))

	_ = store.CreateClient(ctx, &oauthreg.Client{ID: "audit", Owner: "org-1"})
	_ = store.CreateClient(ctx, &oauthreg.Client{ID: "crm", Owner: "org-2"})
	q := oauthreg.ListQuery{Owner: "org-1", Limit: 1}
	for {
		page, err := store.ListClients(ctx, q)
		if err != nil {
			panic(err)
		}
		for _, c := range page.Clients {
			fmt.Println("org-1:", c.ID, "version", c.Version)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}

	_, err = store.GetClient(ctx, "unknown")
	fmt.Println("unknown client:", errors.Is(err, oauthreg.ErrNotFound))
	// Output:
	// created at version 1
	// stale update conflicts: true
	// org-1: audit version 1
	// org-1: billing version 2
	// unknown client: true
}
