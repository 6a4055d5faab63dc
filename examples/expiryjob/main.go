// Command expiryjob is the housekeeping job an operator runs once a day: it
// tells the owners of secrets that expire soon (ExpiringSecrets), removes
// the records of secrets that stopped working long ago (PurgeExpired), and
// the expired entries of the assertion replay cache that clientauth keeps
// in the database (sqlstore's PurgeUsedAssertions).
//
// The library runs no goroutines of its own; this is the call an admin job
// makes, from cron, a Kubernetes CronJob or a ticker in your server:
//
//	go run ./examples/expiryjob -db ./clients.db -within 30d -retention 30d
//	go run ./examples/expiryjob -config /etc/oauthreg.conf
//
// It reads the same configuration as the token server and the admin tool
// (package config: -config or $OAUTHREG_CONFIG, and the environment); -db
// overrides the configured database. It never creates a database: pointed
// at a SQLite file that does not exist, it says so instead of reporting on
// an empty new one. Usage errors exit with status 2, failures with 1.
//
// Notifications go to stdout here; replace notify with your mailer or chat
// webhook.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/config"
	"github.com/oauthreg/oauthreg/internal/dbopen"
)

func main() {
	os.Exit(realMain(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// durationFlag is a flag.Value read by config.ParseDuration ("30d", "720h").
type durationFlag time.Duration

func (d *durationFlag) String() string { return config.FormatDuration(time.Duration(*d)) }
func (d *durationFlag) Set(s string) error {
	v, err := config.ParseDuration(s)
	*d = durationFlag(v)
	return err
}

// realMain runs the job and returns the exit status: 0, 1 for a failure,
// 2 for a usage error.
func realMain(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("expiryjob", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", getenv(config.EnvConfigFile), "configuration `file` (package config; default $"+config.EnvConfigFile+")")
	addr := fs.String("db", "", "database `address` (a SQLite file path, postgres://, mysql://, …); default: the configuration's "+config.EnvDatabase)
	within := durationFlag(30 * 24 * time.Hour)
	retention := durationFlag(30 * 24 * time.Hour)
	fs.Var(&within, "within", "warn about secrets expiring within this `duration` (e.g. 30d, 720h)")
	fs.Var(&retention, "retention", "remove records of secrets that stopped working more than this `duration` ago")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "expiryjob: unexpected arguments %q\n", fs.Args())
		return 2
	}
	cfg, err := config.Load(*configPath, getenv)
	if err != nil {
		fmt.Fprintln(stderr, "expiryjob:", err)
		return 2
	}
	if *addr != "" {
		cfg.Database = *addr
	}
	if cfg.Database == "" {
		fmt.Fprintf(stderr, "expiryjob: no database: give -db or set %s\n", config.EnvDatabase)
		return 2
	}
	opts, err := cfg.Options()
	if err != nil {
		fmt.Fprintln(stderr, "expiryjob:", err)
		return 2
	}
	store, db, err := dbopen.OpenExisting(ctx, cfg.Database)
	if err != nil {
		fmt.Fprintln(stderr, "expiryjob:", err)
		return 1
	}
	defer db.Close()
	reg, err := oauthreg.New(store, opts...)
	if err == nil {
		err = run(ctx, reg, stdout, time.Duration(within), time.Duration(retention))
	}
	if err == nil {
		err = purgeUsedAssertions(ctx, store, stdout, time.Now())
	}
	if err != nil {
		fmt.Fprintln(stderr, "expiryjob:", err)
		return 1
	}
	return 0
}

// notification is one message to a client's owner.
type notification struct {
	Owner, ClientID, SecretID, Hint string
	ExpiresAt                       time.Time
	// Replaced is true when the secret ends because a newer one replaced
	// it (a rotation's grace period), false when it reaches the end of its
	// own lifetime.
	Replaced bool
}

// run warns about secrets expiring within the window, then purges.
func run(ctx context.Context, reg *oauthreg.Registry, out io.Writer, within, retention time.Duration) error {
	soon, err := reg.ExpiringSecrets(ctx, within)
	if err != nil {
		return err
	}
	replaced := 0
	for _, s := range soon {
		n := notification{Owner: s.Owner, ClientID: s.ClientID, SecretID: s.SecretID, Hint: s.Hint, ExpiresAt: s.ExpiresAt}
		if c, err := reg.Get(ctx, s.ClientID); err == nil {
			n.Replaced = hasNewerSecret(c, s.SecretID)
		} else if !errors.Is(err, oauthreg.ErrNotFound) {
			return err
		}
		if n.Replaced {
			replaced++
		}
		notify(out, n)
	}
	fmt.Fprintf(out, "%s within %s (%d by lifetime, %d after a rotation's grace period)\n",
		plural(len(soon), "secret expires", "secrets expire"), config.FormatDuration(within), len(soon)-replaced, replaced)

	purged, err := reg.PurgeExpired(ctx, retention)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s purged (retention %s)\n", plural(purged, "old secret record", "old secret records"), config.FormatDuration(retention))
	return nil
}

// hasNewerSecret reports whether c has an unrevoked secret issued after
// the secret id: then id ends because it was replaced.
func hasNewerSecret(c *oauthreg.Client, id string) bool {
	// Client.Secrets is in issue order, oldest first.
	at := -1
	for i, s := range c.Secrets {
		if s.ID == id {
			at = i
		}
	}
	if at < 0 {
		return false
	}
	for _, s := range c.Secrets[at+1:] {
		if s.RevokedAt.IsZero() {
			return true
		}
	}
	return false
}

// plural writes "1 secret expires" or "3 secrets expire".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
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
	fmt.Fprintf(out, "%s purged\n", plural(int(n), "expired client assertion ID", "expired client assertion IDs"))
	return nil
}

// notify stands for a mail or a chat message to the owning organization.
func notify(out io.Writer, n notification) {
	if n.Replaced {
		fmt.Fprintf(out, "to %s: the old secret %s (…%s) of client %s stops working on %s (it was replaced by a rotation); move every deployment to the new secret\n",
			n.Owner, n.SecretID, n.Hint, n.ClientID, n.ExpiresAt.Format(time.DateTime))
		return
	}
	fmt.Fprintf(out, "to %s: the secret %s (…%s) of client %s expires on %s; rotate it before then\n",
		n.Owner, n.SecretID, n.Hint, n.ClientID, n.ExpiresAt.Format(time.DateTime))
}
