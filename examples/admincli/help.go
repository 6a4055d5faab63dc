package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/oauthreg/oauthreg"
)

// globalHelp documents the global flags and the environment; keep it in
// step with options.register.
const globalHelp = `Global flags (before or after the command):
  --db DSN, --dsn DSN      database: a SQLite file path, a postgres:// URL or a
                           mysql:// DSN (default $OAUTHREG_DB, else ./oauthreg.db;
                           only create makes a missing SQLite file)
  -o FORMAT, --output      table (default) or json
  --keyring-file FILE      key ring for sealed secrets, instead of $OAUTHREG_KEYRING
  --pepper-file FILE       pepper of generated secrets' hashes, instead of $OAUTHREG_PEPPER
  --secret-prefix PREFIX   prefix of generated secrets (default $OAUTHREG_SECRET_PREFIX,
                           else the library's "oauthreg_")
  --grace-period D         rotation: how long older secrets keep working (default
                           $OAUTHREG_GRACE_PERIOD, else 24h)
  --secret-lifetime D      how long new secrets live, 0 for ever (default
                           $OAUTHREG_SECRET_LIFETIME, else 0)
  --max-active-secrets N   active secrets per client, 0 for no cap (default
                           $OAUTHREG_MAX_ACTIVE_SECRETS, else 2)

  The key ring, pepper, prefix and rotation policy must be the auth server's:
  the registry keeps them in its configuration, not in the database. Durations
  are Go durations with optional days: 720h, 30d, 1d12h.

Key ring ($OAUTHREG_KEYRING or --keyring-file):
  ID:BASE64KEY[,ID:BASE64KEY...]      the first key is primary (seals new secrets);
                                      the others only open what they sealed
  A key is 32 random bytes, standard or URL-safe base64; ID:XC20P:BASE64KEY picks
  XChaCha20-Poly1305 instead of the default AES-256-GCM. In a file, entries may
  be on separate lines and # starts a comment. 'admincli genkey' makes one.
  With a key ring, new secrets are also kept sealed, so reveal can show them.
  $OAUTHREG_PEPPER has the same form (ID:BASE64KEY, at least 16 bytes; the
  first is current, the others retired).

Exit status:
  0    success
  1    the operation failed: client or secret not found, invalid metadata,
       secret not valid (verify), not retrievable (reveal), database error
  2    usage error: unknown command or flag, missing or extra arguments,
       invalid flag value or configuration
  130  interrupted
`

// writeUsage prints the overview.
func writeUsage(w io.Writer) {
	fmt.Fprintf(w, `%[1]s manages the OAuth 2.0 clients and client secrets of an oauthreg registry.

Usage:
  %[1]s [global flags] COMMAND [flags] [arguments]
  %[1]s help [COMMAND]     (or %[1]s COMMAND -h)

Commands:
`, progName)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, globalHelp)
}

// writeCommandHelp prints one command's help, with its own flags only.
func writeCommandHelp(w io.Writer, c *command) {
	synopsis := progName + " " + c.name
	fs := flag.NewFlagSet(synopsis, flag.ContinueOnError)
	c.setup(fs)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		synopsis += " [flags]"
	}
	if c.args != "" {
		synopsis += " " + c.args
	}
	fmt.Fprintf(w, "Usage: %s\n\n%s.\n\n%s\n", synopsis, upperFirst(c.summary), c.details)
	if hasFlags {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	fmt.Fprintf(w, "\nGlobal flags (--db, -o json, --keyring-file...): see '%s help'.\n", progName)
}

// runHelp is the help command.
func runHelp(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		writeUsage(stdout)
		return exitOK
	case 1:
		if c := lookup(args[0]); c != nil {
			writeCommandHelp(stdout, c)
			return exitOK
		}
		fmt.Fprintf(stderr, "%s help: unknown command %q\nRun '%s help' for the list of commands.\n", progName, oauthreg.SanitizeInput(args[0]), progName)
		return exitUsage
	}
	fmt.Fprintf(stderr, "%s help: want at most one command name\n", progName)
	return exitUsage
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
