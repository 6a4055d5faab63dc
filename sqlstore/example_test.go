package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/sqlstore"
	_ "modernc.org/sqlite"
)

// A registry kept in an SQLite file, with modernc.org/sqlite (pure Go) and
// the recommended settings in the DSN.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "oauthreg-example")
	defer os.RemoveAll(dir)

	dsn := "file:" + filepath.Join(dir, "oauthreg.db") +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		panic(err)
	}
	defer db.Close()

	store, err := sqlstore.New(db, sqlstore.SQLite)
	if err != nil {
		panic(err)
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil { // idempotent: call it at every start
		panic(err)
	}

	reg, err := oauthreg.New(store)
	if err != nil {
		panic(err)
	}
	client, secret, err := reg.Register(ctx, oauthreg.Client{ID: "billing", Owner: "org-1", Name: "Billing service"})
	if err != nil {
		panic(err)
	}
	fmt.Println("registered", client.ID, "version", client.Version)

	authed, err := reg.Authenticate(ctx, "billing", secret.Reveal())
	fmt.Println("authenticated:", err == nil && authed.ID == "billing")

	_, err = reg.Authenticate(ctx, "billing", "wrong")
	fmt.Println("wrong secret:", errors.Is(err, oauthreg.ErrInvalidCredentials))
	// Output:
	// registered billing version 1
	// authenticated: true
	// wrong secret: true
}

// The Store on its own: optimistic concurrency and keyset pagination.
func ExampleStore() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "oauthreg-example")
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "oauthreg.db")+
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	store, err := sqlstore.New(db, sqlstore.SQLite, sqlstore.WithTablePrefix("auth_"))
	if err != nil {
		panic(err)
	}
	if err := store.Migrate(ctx); err != nil {
		panic(err)
	}

	for _, id := range []string{"crm", "audit", "billing"} {
		if err := store.CreateClient(ctx, &oauthreg.Client{ID: id, Owner: "org-1"}); err != nil {
			panic(err)
		}
	}
	stale, _ := store.GetClient(ctx, "billing")
	fresh, _ := store.GetClient(ctx, "billing")
	fresh.Name = "Billing"
	fmt.Println("update:", store.UpdateClient(ctx, fresh), "now at version", fresh.Version)
	stale.Name = "Invoices"
	fmt.Println("stale update conflicts:", errors.Is(store.UpdateClient(ctx, stale), oauthreg.ErrConflict))

	q := oauthreg.ListQuery{Owner: "org-1", Limit: 2}
	for {
		page, err := store.ListClients(ctx, q)
		if err != nil {
			panic(err)
		}
		for _, c := range page.Clients {
			fmt.Println("listed", c.ID)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	// Output:
	// update: <nil> now at version 2
	// stale update conflicts: true
	// listed audit
	// listed billing
	// listed crm
}
