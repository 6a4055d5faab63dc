package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientimport"
)

// importCommand is the import command's entry in the command table.
var importCommand = &command{
	name: "import", args: "FILE|-", minArgs: 1, maxArgs: 1, createsDB: true,
	summary: "move every client of another server (Hydra, Keycloak, Spring) in, all or nothing",
	details: `Reads an export of another authorization server's clients from FILE (or
stdin for -) and imports every client with its secrets, all or nothing: if
any client is refused, nothing is written and the exit status is 1. Run it
with --dry-run first: the same checks and the same report, nothing written.
The report lists each client as imported (would_import in a dry run),
skipped (not meant to move: Keycloak's built-in and SAML clients,
bearer-only clients) or refused, with the reason, and the fields that were
dropped on the way in. With -o json it prints the report as JSON.

--from names the server the export comes from:
  hydra     the rows of Ory Hydra's hydra_client table:
              psql -At -c "select json_agg(t) from hydra_client t" > hydra.json
            or the JSON of Hydra's admin API GET /admin/clients (which holds no
            secrets: those clients are imported without one)
  keycloak  a realm export: kc.sh export --realm NAME --file realm.json --users skip
            (client secrets are plaintext there: they are hashed on the way in)
  spring    the rows of Spring Authorization Server's oauth2_registered_client:
              psql -At -c "select json_agg(t) from oauth2_registered_client t"
            or, with --format csv,
              psql -c "\copy oauth2_registered_client to 'spring.csv' csv header"

Hashes (bcrypt, PBKDF2, Spring's {bcrypt}, {pbkdf2}...) are imported as they
are and upgraded to argon2id on first use; plaintexts (Keycloak, Spring's
{noop}) are hashed with argon2id. A dry run into a database file that does
not exist yet creates it, empty.

` + springPBKDF2Help + `

With them, every {pbkdf2} hash of the export is read with these settings
(one DelegatingPasswordEncoder ID is one encoder); its other hashes ({bcrypt},
{pbkdf2@SpringSecurity_v5_8}...) are read as without them.

Example:
  admincli import --from keycloak --dry-run acme-realm.json
  admincli import --from keycloak acme-realm.json
  admincli -o json import --from spring --format csv spring.csv
  admincli import --from spring --spring-pbkdf2-algorithm sha256 \
    --spring-pbkdf2-iterations 600000 --spring-pbkdf2-salt-length 16 spring.json`,
	setup: setupImport,
}

func setupImport(fs *flag.FlagSet) func(*session, []string) error {
	var from, format, owner string
	var dryRun, includeBuiltin, allowShort bool
	var spring springPBKDF2Flags
	fs.StringVar(&from, "from", "", "the `server` the export comes from: hydra, keycloak or spring (required)")
	fs.StringVar(&format, "format", "json", "the export's `format`: json, or csv (spring only)")
	fs.BoolVar(&dryRun, "dry-run", false, "check everything, write nothing")
	fs.StringVar(&owner, "owner", "", "the `owner` of clients whose export names none (Keycloak: default the realm's name)")
	fs.BoolVar(&includeBuiltin, "include-builtin", false, "import Keycloak's built-in clients instead of skipping them")
	fs.BoolVar(&allowShort, "allow-short-secrets", false, "accept plaintext secrets shorter than 12 characters (each is reported as a weak legacy secret)")
	spring.register(fs)
	return func(s *session, args []string) error {
		src := clientimport.Source(from)
		switch {
		case from == "":
			return usagef("--from is required: hydra, keycloak or spring")
		case !slices.Contains(clientimport.Sources, src):
			return usagef("--from %q: want hydra, keycloak or spring", oauthreg.SanitizeInput(from))
		case format != "json" && format != "csv":
			return usagef("--format %q: want json or csv", oauthreg.SanitizeInput(format))
		case format == "csv" && src != clientimport.Spring:
			return usagef("--format csv: only a Spring export can be CSV")
		case includeBuiltin && src != clientimport.Keycloak:
			return usagef("--include-builtin: only Keycloak has built-in clients")
		}
		settings, err := spring.settings()
		switch {
		case err != nil:
			return err
		case settings != nil && src != clientimport.Spring:
			return usagef("--spring-pbkdf2-*: only a Spring export has {pbkdf2} hashes")
		}
		in := s.stdin
		if args[0] != "-" {
			f, err := os.Open(args[0])
			if err != nil {
				return &failure{fmt.Sprintf("reading the export: %v", err)}
			}
			defer f.Close()
			in = f
		}
		entries, err := clientimport.Parse(src, in, clientimport.Options{Format: clientimport.Format(format), Owner: owner, IncludeBuiltin: includeBuiltin})
		if err != nil {
			return &failure{err.Error()}
		}
		rep, err := clientimport.Run(s.ctx, s.reg, src, entries, clientimport.RunOptions{DryRun: dryRun, AllowShortLegacySecrets: allowShort,
			SpringPBKDF2: settings})
		if rep == nil {
			return err
		}
		if oerr := s.output(rep, func(w io.Writer) error { return writeImportReport(w, rep) }); oerr != nil {
			return oerr
		}
		if errors.Is(err, clientimport.ErrRefused) {
			them := "those clients"
			if rep.Refused == 1 {
				them = "that client"
			}
			return &failure{fmt.Sprintf("%s refused: nothing was written; fix the export (or remove %s from it) and run it again",
				plural(rep.Refused, "client", "clients"), them)}
		}
		return err
	}
}

// writeImportReport prints one row per client, its warnings indented
// below it, and a summary.
func writeImportReport(w io.Writer, rep *clientimport.Report) error {
	tw := newTable(w)
	row(tw, "CLIENT_ID", "STATUS", "SECRETS", "REASON")
	for _, o := range rep.Clients {
		reason := "-"
		if o.Reason != "" {
			reason = string(o.Reason) + ": " + o.Message
		}
		row(tw, orDash(o.ClientID), string(o.Status), fmt.Sprint(o.Secrets), clean(reason))
		for _, wn := range o.Warnings {
			row(tw, "", "", "", clean("note, "+wn.Field+": "+wn.Message))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	counts := map[clientimport.Status]int{}
	for _, o := range rep.Clients {
		counts[o.Status]++
	}
	var parts []string
	for _, st := range []clientimport.Status{clientimport.Imported, clientimport.WouldImport, clientimport.Accepted,
		clientimport.Skipped, clientimport.Refused} {
		if n := counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ReplaceAll(string(st), "_", " ")))
		}
	}
	summary := strings.Join(parts, ", ")
	switch {
	case summary == "":
		summary = "the export holds no client"
	case rep.Refused > 0:
		summary += "; nothing was written"
	case rep.DryRun:
		summary += "; dry run, nothing was written"
	case !rep.Atomic && rep.Written:
		summary += " (one by one: the store has no batch write)"
	}
	_, err := fmt.Fprintf(w, "%s from %s: %s\n", plural(len(rep.Clients), "client", "clients"), rep.Source, summary)
	return err
}
