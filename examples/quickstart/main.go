// Command quickstart walks through oauthreg's main calls: it registers a
// client, authenticates it, rotates its secret with a grace period, shows the
// old secret working inside the grace period and refused after it, and
// regenerates the secret after a (pretend) leak.
//
// It keeps its clients in a SQLite file (in the temporary directory unless
// -db or $OAUTHREG_DB says otherwise; a postgres:// or mysql:// DSN works
// too), and runs on its own clock so that a 24-hour grace period passes in an
// instant:
//
//	go run ./examples/quickstart
//	go run ./examples/quickstart -db ./clients.db
//	go run ./examples/quickstart -db 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/config"
	"github.com/oauthreg/oauthreg/internal/dbopen"
)

func main() {
	dsn := flag.String("db", defaultDB(os.Getenv), "database `address`: a SQLite file path, postgres://, mysql://, … (default $OAUTHREG_DATABASE or $OAUTHREG_DB, else a file of yours in the temp dir)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "quickstart: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	ctx := context.Background()
	store, db, err := dbopen.Open(ctx, *dsn)
	if err == nil {
		defer db.Close()
		fmt.Printf("store: %v database %s\n\n", store.Dialect(), dbopen.Describe(*dsn))
		err = run(ctx, os.Stdout, store)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// defaultDB is the configured database (package config's
// OAUTHREG_DATABASE, or OAUTHREG_DB), else a SQLite file in the temporary
// directory named after the user, so that two users of one machine do not
// share (or fail on) one file.
func defaultDB(getenv func(string) string) string {
	if cfg, err := config.Load("", getenv); err == nil && cfg.Database != "" {
		return cfg.Database
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("oauthreg-quickstart-%d.db", os.Getuid()))
}

// run tells the story on store.
func run(ctx context.Context, out io.Writer, store oauthreg.Store) error {
	// A clock we can move forward, so the grace period passes in an instant.
	now := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	reg, err := oauthreg.New(store,
		oauthreg.WithClock(clock),
		oauthreg.WithSecretPrefix("quickstart_"),
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{
			GracePeriod:      24 * time.Hour, // the old secret keeps working this long after a rotation
			MaxActiveSecrets: 2,
		}))
	if err != nil {
		return err
	}

	// 1. Register a confidential client. Its first secret comes back once.
	client, secret, err := reg.Register(ctx, oauthreg.Client{
		Owner:      "org-acme",
		Name:       "billing-service",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		Scopes:     []string{"invoices:read", "invoices:write"},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "registered client %s (%s), auth method %s\n", client.ID, client.Name, client.TokenEndpointAuthMethod)
	fmt.Fprintf(out, "  client secret, shown once, store it now: %s\n", secret.Reveal())
	fmt.Fprintf(out, "  the registry keeps only its hash; printing it gives %v\n", secret)

	check := func(label string, s oauthreg.PlainSecret) {
		_, err := reg.Authenticate(ctx, client.ID, s.Reveal())
		switch {
		case err == nil:
			fmt.Fprintf(out, "  %-40s accepted\n", label)
		case errors.Is(err, oauthreg.ErrInvalidCredentials):
			fmt.Fprintf(out, "  %-40s refused (invalid_client)\n", label)
		default:
			fmt.Fprintf(out, "  %-40s error: %v\n", label, err)
		}
	}

	// 2. Authenticate, as a token endpoint does on every request.
	fmt.Fprintln(out, "\nauthenticate:")
	check("first secret", secret)

	// 3. Rotate: a new secret; the old one lives on for the grace period.
	now = now.Add(time.Hour)
	rotated, err := reg.RotateSecret(ctx, client.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nrotated at %s: new secret %s (hint …%s); old secret valid for 24h more\n",
		now.Format(time.DateTime), rotated.ID(), rotated.Reveal()[len(rotated.Reveal())-4:])
	fmt.Fprintf(out, "  new client secret, shown once: %s\n", rotated.Reveal())
	check("old secret, right after rotation", secret)
	check("new secret", rotated)

	now = now.Add(23*time.Hour + 59*time.Minute)
	fmt.Fprintf(out, "\n23h59m later (%s):\n", now.Format(time.DateTime))
	check("old secret, 1 minute before grace ends", secret)

	now = now.Add(time.Minute)
	fmt.Fprintf(out, "\n24h after the rotation (%s):\n", now.Format(time.DateTime))
	check("old secret, grace period over", secret)
	check("new secret", rotated)

	// 4. Regenerate after a leak: every other secret stops working at once.
	regenerated, err := reg.RegenerateSecret(ctx, client.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nregenerated (say the secret leaked): new secret %s\n", regenerated.ID())
	fmt.Fprintf(out, "  new client secret, shown once: %s\n", regenerated.Reveal())
	check("leaked secret", rotated)
	check("regenerated secret", regenerated)

	// 5. What an admin sees: the secrets with their state, never their hash.
	c, err := reg.Get(ctx, client.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nclient %s, version %d, secrets:\n", c.ID, c.Version)
	for _, s := range c.Secrets {
		fmt.Fprintf(out, "  %s  …%s  created %s  %s\n", s.ID, s.Hint, s.CreatedAt.Format(time.DateTime), s.State(now))
	}
	return nil
}
