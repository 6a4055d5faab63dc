// Command expiryjob is the housekeeping job an operator runs once a day: it
// tells the owners of secrets that expire soon (ExpiringSecrets), removes
// the records of secrets that stopped working long ago (PurgeExpired), and
// the expired entries of the assertion replay cache that clientauth keeps
// in the database (sqlstore's PurgeUsedAssertions).
//
// The library runs no goroutines of its own; this is the call an admin job
// makes, from cron, a Kubernetes CronJob or a ticker in your server:
//
//	go run ./examples/expiryjob -db ./clients.db -within 720h -retention 720h
//
// Notifications go to stdout here; replace notify with your mailer or chat
// webhook.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/dbopen"
)

func main() {
	dsn := flag.String("db", envOr("OAUTHREG_DB", "oauthreg.db"), "database: a SQLite file path, a postgres:// URL or a mysql:// DSN")
	within := flag.Duration("within", 30*24*time.Hour, "warn about secrets expiring within this duration")
	retention := flag.Duration("retention", 30*24*time.Hour, "remove records of secrets that stopped working more than this long ago")
	flag.Parse()

	ctx := context.Background()
	store, db, err := dbopen.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "expiryjob:", err)
		os.Exit(1)
	}
	defer db.Close()
	reg, err := oauthreg.New(store)
	if err == nil {
		err = run(ctx, reg, os.Stdout, *within, *retention)
	}
	if err == nil {
		err = purgeUsedAssertions(ctx, store, os.Stdout, time.Now())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "expiryjob:", err)
		os.Exit(1)
	}
}

// notification is one message to a client's owner.
type notification struct {
	Owner, ClientID, SecretID, Hint string
	ExpiresAt                       time.Time
}

// run warns about secrets expiring within the window, then purges.
func run(ctx context.Context, reg *oauthreg.Registry, out io.Writer, within, retention time.Duration) error {
	soon, err := reg.ExpiringSecrets(ctx, within)
	if err != nil {
		return err
	}
	for _, s := range soon {
		notify(out, notification{Owner: s.Owner, ClientID: s.ClientID, SecretID: s.SecretID, Hint: s.Hint, ExpiresAt: s.ExpiresAt})
	}
	fmt.Fprintf(out, "%d secrets expire within %v\n", len(soon), within)

	purged, err := reg.PurgeExpired(ctx, retention)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d old secret records purged (retention %v)\n", purged, retention)
	return nil
}

// assertionPurger is what sqlstore's Store offers for clientauth's replay
// cache.
type assertionPurger interface {
	PurgeUsedAssertions(ctx context.Context, before time.Time) (int64, error)
}

// purgeUsedAssertions removes the client assertion IDs whose assertions
// expired before now: they can no longer be replayed, so remembering them
// only takes space.
func purgeUsedAssertions(ctx context.Context, p assertionPurger, out io.Writer, now time.Time) error {
	n, err := p.PurgeUsedAssertions(ctx, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d expired client assertion IDs purged\n", n)
	return nil
}

// notify stands for a mail or a chat message to the owning organization.
func notify(out io.Writer, n notification) {
	fmt.Fprintf(out, "to %s: the secret %s (…%s) of client %s expires on %s; rotate it before then\n",
		n.Owner, n.SecretID, n.Hint, n.ClientID, n.ExpiresAt.Format(time.DateTime))
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
