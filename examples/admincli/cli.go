package main

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/dbopen"
	"github.com/oauthreg/oauthreg/sqlstore"
)

const progName = "admincli"

// Exit codes.
const (
	exitOK          = 0   // the command did what it was asked
	exitFailure     = 1   // the operation failed: not found, invalid metadata, secret not valid, database error
	exitUsage       = 2   // bad command line or configuration: unknown command or flag, wrong arguments
	exitInterrupted = 130 // interrupted (Ctrl-C)
)

// usageError is a mistake on the command line or in the configuration
// (exit 2). Its message never contains a secret.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// failure is an operation that did not succeed for a reason already worded
// for the user (exit 1).
type failure struct{ msg string }

func (e *failure) Error() string { return e.msg }

// command is one subcommand.
type command struct {
	name    string
	args    string // positional arguments, for the synopsis
	minArgs int
	maxArgs int
	// extraArgHint is added to the "too many arguments" message.
	extraArgHint string
	summary      string
	details      string
	// noDB: the command does not open the database. createsDB: it may
	// create a missing SQLite file (the others refuse, so a mistyped --db
	// is not an empty registry).
	noDB, createsDB bool
	// setup declares the command's flags on fs and returns the function
	// that runs it.
	setup func(fs *flag.FlagSet) func(s *session, args []string) error
}

// session is one run of one command.
type session struct {
	ctx    context.Context
	opts   *options
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer

	db      *sql.DB
	store   *sqlstore.Store
	reg     *oauthreg.Registry
	keyring *oauthreg.KeyRing

	// clientID and secretID name what the command works on, for error
	// messages.
	clientID, secretID string

	// What the last Authenticate told the observer (verify).
	authReason   oauthreg.FailureReason
	authSecretID string
}

// run runs the command line args (without the program name) and returns the
// exit code. It reads the environment only through env and the terminal
// only through stdin, so tests can call it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) int {
	if env == nil {
		env = func(string) string { return "" }
	}
	opts, err := defaultOptions(configFileArg(args, env), env)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progName, err)
		return exitUsage
	}
	top := flag.NewFlagSet(progName, flag.ContinueOnError)
	top.SetOutput(io.Discard)
	opts.register(top)
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			writeUsage(stdout)
			return exitOK
		}
		fmt.Fprintf(stderr, "%s: %v\nRun '%s help' for usage.\n", progName, err, progName)
		return exitUsage
	}
	rest := top.Args()
	if len(rest) == 0 {
		writeUsage(stderr)
		return exitUsage
	}
	name, rest := rest[0], rest[1:]
	if name == "help" {
		return runHelp(rest, stdout, stderr)
	}
	cmd := lookup(name)
	if cmd == nil {
		fmt.Fprintf(stderr, "%s: unknown command %q\nRun '%s help' for the list of commands.\n", progName, oauthreg.SanitizeInput(name), progName)
		return exitUsage
	}
	fs := flag.NewFlagSet(progName+" "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	runner := cmd.setup(fs)
	opts.register(fs)
	pos, err := parseInterleaved(fs, rest)
	switch {
	case errors.Is(err, flag.ErrHelp):
		writeCommandHelp(stdout, cmd)
		return exitOK
	case err != nil:
		return reportUsage(stderr, cmd, err.Error())
	}
	if err := opts.check(); err != nil {
		return reportUsage(stderr, cmd, err.Error())
	}
	if err := cmd.checkArgs(pos); err != nil {
		return reportUsage(stderr, cmd, err.Error())
	}
	s := &session{ctx: ctx, opts: opts, stdin: stdin, stdout: stdout, stderr: stderr}
	if !cmd.noDB {
		if err := s.open(cmd); err != nil {
			return s.report(cmd, err)
		}
		defer s.close()
	}
	return s.report(cmd, runner(s, pos))
}

// parseInterleaved parses flags that come before, between or after the
// positional arguments (the flag package stops at the first positional one)
// and returns the positional arguments. Everything after "--" is
// positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// checkArgs checks the number of positional arguments. It never repeats
// them: one may be a secret typed where it does not belong.
func (c *command) checkArgs(args []string) error {
	want := c.args
	if want == "" {
		want = "no arguments"
	}
	switch {
	case len(args) < c.minArgs:
		return usagef("missing arguments: want %s", want)
	case c.maxArgs >= 0 && len(args) > c.maxArgs:
		msg := fmt.Sprintf("too many arguments (%d): want %s", len(args), want)
		if c.extraArgHint != "" {
			msg += "; " + c.extraArgHint
		}
		return usagef("%s", msg)
	}
	return nil
}

// open opens the database and builds the Registry.
func (s *session) open(cmd *command) error {
	ring, err := s.opts.keyRing()
	if err != nil {
		return err
	}
	pepper, err := s.opts.pepperOptions()
	if err != nil {
		return err
	}
	// The shared configuration first (limits, token lifetimes, …); the
	// flags' values, which default to it, after it, so that they win.
	regOpts, err := s.opts.cfg.Options()
	if err != nil {
		return usagef("%v", err)
	}
	regOpts = append(regOpts,
		oauthreg.WithRotationPolicy(s.opts.policy()),
		// An administrator's verify is not a use by the client: it must
		// not move "last used", which answers "is the old secret still in
		// use?".
		oauthreg.WithLastUsedInterval(-1),
		oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) {
			switch e.Type {
			case oauthreg.EventAuthFailed:
				s.authReason, s.authSecretID = e.Reason, e.SecretID
			case oauthreg.EventAuthSucceeded:
				s.authReason, s.authSecretID = "", e.SecretID
			}
		})),
	)
	regOpts = append(regOpts, pepper...)
	if s.opts.prefix != "" {
		regOpts = append(regOpts, oauthreg.WithSecretPrefix(s.opts.prefix))
	}
	if ring != nil {
		regOpts = append(regOpts, oauthreg.WithKeyRing(ring))
		s.keyring = ring
	}
	if !cmd.createsDB {
		if path, ok := sqliteFile(s.opts.db); ok {
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				return &failure{fmt.Sprintf("database %s does not exist: register a client with 'create' first, or point --db or $%s at your database", path, envDB)}
			}
		}
	}
	store, db, err := dbopen.Open(s.ctx, s.opts.db)
	if err != nil {
		return err
	}
	reg, err := oauthreg.New(store, regOpts...)
	if err != nil {
		store.Close()
		db.Close()
		return usagef("%s", strings.TrimPrefix(err.Error(), oauthreg.ErrInvalidConfig.Error()+": "))
	}
	s.db, s.store, s.reg = db, store, reg
	return nil
}

func (s *session) close() {
	if s.store != nil {
		s.store.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
}

// sqliteFile returns the file a SQLite DSN names, if it names one.
func sqliteFile(dsn string) (string, bool) {
	if _, _, d, err := dbopen.Parse(dsn); err != nil || d != sqlstore.SQLite {
		return "", false
	}
	p := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "sqlite:")
	p = strings.TrimPrefix(p, "file:")
	p, _, _ = strings.Cut(p, "?")
	if p == "" || strings.HasPrefix(p, ":memory:") {
		return "", false
	}
	return p, true
}

// report prints err and returns the exit code.
func (s *session) report(cmd *command, err error) int {
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return reportUsage(s.stderr, cmd, ue.msg)
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(s.stderr, "%s %s: interrupted\n", progName, cmd.name)
		return exitInterrupted
	}
	fmt.Fprintf(s.stderr, "%s %s: %s\n", progName, cmd.name, s.explain(err))
	return exitFailure
}

func reportUsage(w io.Writer, cmd *command, msg string) int {
	fmt.Fprintf(w, "%s %s: %s\nRun '%s help %s' for usage.\n", progName, cmd.name, msg, progName, cmd.name)
	return exitUsage
}

// explain words a library error for an administrator. The library's
// messages never contain a secret; neither does anything added here.
func (s *session) explain(err error) string {
	var ve *oauthreg.ValidationError
	var f *failure
	switch {
	case errors.As(err, &f):
		return f.msg
	case errors.As(err, &ve):
		field := ve.Field
		if field == "" {
			field = "client metadata"
		}
		return fmt.Sprintf("invalid %s: %s (%s)", field, ve.Reason, ve.Code)
	case errors.Is(err, oauthreg.ErrSecretNotFound):
		return fmt.Sprintf("client %s has no secret %s", s.clientID, s.secretID)
	case errors.Is(err, oauthreg.ErrNotFound):
		return fmt.Sprintf("client %s not found", s.clientID)
	case errors.Is(err, oauthreg.ErrAlreadyExists):
		return fmt.Sprintf("client %s already exists", s.clientID)
	case errors.Is(err, oauthreg.ErrNotRetrievable) && s.keyring == nil:
		return err.Error() + "\n(set $" + envKeyRing + " or --keyring-file to the key ring the auth server seals secrets with; see 'admincli help reveal')"
	case errors.Is(err, oauthreg.ErrInvalidCursor):
		return "invalid --cursor: pass the next cursor a previous list printed, unchanged"
	}
	return err.Error()
}

// lookup finds a command by name.
func lookup(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// listFlag is a repeatable string flag. Each value may be split further
// (comma-separated grant types); an empty value ("--redirect-uri=") clears
// the list, so update can set it to nothing.
type listFlag struct {
	values []string
	split  bool
}

func (l *listFlag) String() string {
	if l == nil {
		return ""
	}
	return strings.Join(l.values, ",")
}

func (l *listFlag) Set(v string) error {
	if v == "" {
		l.values = []string{}
		return nil
	}
	if !l.split {
		l.values = append(l.values, v)
		return nil
	}
	for p := range strings.SplitSeq(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			l.values = append(l.values, p)
		}
	}
	return nil
}

// list returns the values, nil when empty.
func (l *listFlag) list() []string {
	if len(l.values) == 0 {
		return nil
	}
	return slices.Clone(l.values)
}

// listEdit is the three flags update has for one list: --NAME replaces the
// whole list, --add-NAME and --remove-NAME change one element.
type listEdit struct {
	name                 string
	replace, add, remove listFlag
}

func (e *listEdit) register(fs *flag.FlagSet, name, replaceUsage, element string) {
	e.name = name
	fs.Var(&e.replace, name, replaceUsage)
	fs.Var(&e.add, "add-"+name, "add a "+element)
	fs.Var(&e.remove, "remove-"+name, "remove a "+element)
}

// edit returns list changed as the flags say: replaced if --NAME is among
// the flags given, then with the added values it lacks appended and the
// removed ones deleted.
func (e *listEdit) edit(list []string, given map[string]bool) []string {
	if given[e.name] {
		list = e.replace.list()
	}
	for _, v := range e.add.values {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	for _, v := range e.remove.values {
		list = slices.DeleteFunc(list, func(x string) bool { return x == v })
	}
	return list
}

// scopes parses the values of --scope flags (each a space-separated list).
func scopes(l *listFlag) ([]string, error) {
	return oauthreg.ParseScope(strings.Join(l.values, " "))
}

// asTypes converts flag values to one of the library's string types
// (GrantType, ResponseType); nil stays nil.
func asTypes[T ~string](v []string) []T {
	if v == nil {
		return nil
	}
	out := make([]T, len(v))
	for i, g := range v {
		out[i] = T(g)
	}
	return out
}

// metadataFlag collects KEY=VALUE pairs.
type metadataFlag struct{ m map[string]string }

func (f *metadataFlag) String() string { return "" }

func (f *metadataFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok {
		return errors.New("want KEY=VALUE")
	}
	if f.m == nil {
		f.m = map[string]string{}
	}
	f.m[k] = val
	return nil
}

// secretFlags are the options of a secret being issued, added or imported.
type secretFlags struct {
	description string
	expiresIn   duration
}

func (f *secretFlags) register(fs *flag.FlagSet, prefix string) {
	fs.StringVar(&f.description, prefix+"description", "", "`text` describing the secret (who asked for it, where it is deployed)")
	fs.Var(&f.expiresIn, prefix+"expires-in", "the secret expires after this `duration`, e.g. 90d (default: the rotation policy's --secret-lifetime)")
}

func (f *secretFlags) options() []oauthreg.SecretOption {
	var o []oauthreg.SecretOption
	if f.description != "" {
		o = append(o, oauthreg.WithSecretDescription(f.description))
	}
	if f.expiresIn > 0 {
		o = append(o, oauthreg.WithSecretLifetime(time.Duration(f.expiresIn)))
	}
	return o
}

// output writes v as JSON with -o json, or calls table otherwise.
func (s *session) output(v any, table func(w io.Writer) error) error {
	if s.opts.json() {
		return writeJSON(s.stdout, v)
	}
	return table(s.stdout)
}

// outputf writes v as JSON with -o json, or one formatted line otherwise.
func (s *session) outputf(v any, format string, args ...any) error {
	return s.output(v, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, format, args...)
		return err
	})
}

// commands returns the command table, in the order help lists them.
func commands() []*command {
	return []*command{
		{
			name: "create", args: "", maxArgs: 0, createsDB: true,
			summary: "register a client; its first secret is printed once",
			details: `Registers a client and prints it with its first secret, which cannot be
shown again (unless secrets are sealed, see reveal). Unset metadata gets the
library's defaults: client_secret_basic, client_credentials (or
authorization_code with redirect URIs), the registry's token lifetimes.
A public client (--public or --auth-method none) gets no secret.

With -o json it prints the client's RFC 7591 JSON (the format of an OAuth
dynamic client registration response) with client_secret and secret_id added
after client_id.

Example:
  admincli create --owner org-acme --name billing --scope 'invoices:read invoices:write'
  admincli create --owner org-acme --name web --redirect-uri https://app.example/cb --grant-type authorization_code,refresh_token`,
			setup: setupCreate,
		},
		{
			name: "list", args: "", maxArgs: 0,
			summary: "list clients, optionally of one owner, a page at a time",
			details: `Lists clients in ID order (creation order for generated IDs). When there are
more, it prints the cursor of the next page: after the table on stdout, or on
stderr with -o json (stdout is then a JSON array of clients). Pass it back
with --cursor to continue, or use --all to read every page.`,
			setup: setupList,
		},
		{
			name: "show", args: "CLIENT_ID", minArgs: 1, maxArgs: 1,
			summary: "show a client and its secret records (never a secret or a hash)",
			details: `Shows a client's metadata and its secrets' records: ID, kind, the last four
characters (hint), state, creation, expiry and last use. With -o json it
prints the client's RFC 7591 JSON.`,
			setup: setupShow,
		},
		{
			name: "update", args: "CLIENT_ID", minArgs: 1, maxArgs: 1,
			summary: "change a client's metadata; only the flags given change",
			details: `Changes the metadata the flags name and nothing else. A list flag (--scope,
--redirect-uri, --grant-type, --response-type, --system-tag, --user-tag)
replaces the whole list; give it as --flag= (empty) to clear the list. The
--add-* and --remove-* flags change one element. Secrets change only through
rotate, regenerate, revoke, add-secret and import-secret.

Example:
  admincli update CLIENT_ID --name billing-v2 --add-scope invoices:export --disable`,
			setup: setupUpdate,
		},
		{
			name: "delete", args: "CLIENT_ID", minArgs: 1, maxArgs: 1,
			summary: "delete a client and all its secrets",
			details: `Deletes the client and every secret it has. It asks for confirmation when
stdin is a terminal; otherwise (scripts) it needs --yes.`,
			setup: setupDelete,
		},
		{
			name: "rotate", args: "CLIENT_ID", minArgs: 1, maxArgs: 1,
			summary: "issue a new secret; older ones keep working for the grace period",
			details: `Issues a new secret, printed once. The client's older active secrets keep
working until the end of the grace period (--grace-period, default 24h; a
client's own rotation policy wins), so its deployments can switch over; beyond
--max-active-secrets the oldest are revoked at once.`,
			setup: setupIssue("rotate"),
		},
		{
			name: "regenerate", args: "CLIENT_ID", minArgs: 1, maxArgs: 1,
			summary: "issue a new secret; every other secret stops working at once",
			details: `Issues a new secret, printed once, and revokes every other secret of the
client at once, ending any rotation in progress. Use it when a secret leaked.`,
			setup: setupIssue("regenerate"),
		},
		{
			name: "revoke", args: "CLIENT_ID SECRET_ID", minArgs: 2, maxArgs: 2,
			summary: "make one secret stop working at once",
			details: `Revokes one secret (its ID is in 'show'). Revoking a secret that is already
revoked or expired changes nothing.`,
			setup: setupRevoke,
		},
		{
			name: "add-secret", args: "CLIENT_ID", minArgs: 1, maxArgs: 1, extraArgHint: secretArgHint,
			summary: "add a secret you supply, read from stdin or --file",
			details: `Adds a secret whose plaintext you supply (for instance one a client keeps
while it moves from another system), next to the client's active secrets. It
is read from stdin (one line; on a terminal you are prompted without echo) or
from --file, never from the command line. It must be 12 to 512 printable
ASCII characters, and is stored as an argon2id hash.

Example:
  admincli add-secret CLIENT_ID --file ./legacy-secret.txt
  vault read -field=secret kv/legacy | admincli add-secret CLIENT_ID`,
			setup: setupSupplied("secret"),
		},
		{
			name: "import-secret", args: "CLIENT_ID [HASH|-]", minArgs: 1, maxArgs: 2,
			summary: "add a secret by its hash from another system (Hydra, Spring, Authelia, passlib...)",
			details: `Adds a secret from another system by its existing hash, so the client keeps
working through a migration: bcrypt ($2a$, $2b$, $2y$, and {bcrypt} as the
Java framework Spring Security writes it) and $bcrypt-sha256$; PBKDF2 as Ory
Hydra (an OAuth server), passlib (a Python hashing library) or Authelia (an
authentication server) write it; argon2id or argon2i PHC strings
($argon2id$v=19$m=..., Spring's {argon2}); SHA-crypt ($5$, $6$ as crypt(3)
writes them); scrypt ($scrypt$, Spring's {scrypt}); Spring's {sha256} and
{pbkdf2} (at Spring's defaults, or with the --spring-pbkdf2-* flags below);
Spring's {noop} and Authelia's $plaintext$ and $base64$ (plaintexts, hashed on
the way in). The hash comes from the argument (quote it: it contains '$'), or
from stdin or --file when the argument is absent or "-". It is upgraded to
argon2id on its first successful use.

` + springPBKDF2Help + `

Example:
  admincli import-secret CLIENT_ID '$2a$10$...'
  psql -Atc "select secret_hash from old_clients where id='x'" | admincli import-secret CLIENT_ID
  admincli import-secret --spring-pbkdf2-algorithm sha512 --spring-pbkdf2-iterations 1000 \
    --spring-pbkdf2-salt-length 16 --spring-pbkdf2-base64 --spring-pbkdf2-secret-id app-1 CLIENT_ID 'AAEC...'`,
			setup: setupSupplied("hash"),
		},
		{
			name: "verify", args: "CLIENT_ID", minArgs: 1, maxArgs: 1, extraArgHint: secretArgHint,
			summary: "check whether a secret (from stdin or --file) works for a client",
			details: `Authenticates the client with a secret read from stdin or --file, as the
token endpoint would, and says whether it works and which secret matched, or
why it does not (wrong, expired or revoked secret, disabled client...). Exit
status 0 if it works, 1 if not. It does not record a use ("last used" is for
the client's own authentications), but like any successful authentication it
upgrades an outdated hash and seals an unsealed secret when a key ring is set.`,
			setup: setupVerify,
		},
		{
			name: "reveal", args: "CLIENT_ID [SECRET_ID]", minArgs: 1, maxArgs: 2,
			summary: "show a secret again (needs the key ring it is sealed with)",
			details: `Prints the plaintext of an active secret (the newest one unless SECRET_ID is
given). This works only where the auth server keeps secrets sealed under a key
ring (oauthreg.WithKeyRing) and this tool is given the same key ring, through
$OAUTHREG_KEYRING or --keyring-file:

  ID:BASE64KEY[,ID:BASE64KEY...]

The first key is the primary, which seals new secrets; the others only open
secrets sealed under them (keep them until 'reseal' has moved everything to
the primary). A key is 32 random bytes in standard or URL-safe base64; an
entry may name its AEAD as ID:XC20P:BASE64KEY (the default is A256GCM). In a
file, entries may also be on separate lines, and lines starting with # are
comments. 'admincli genkey' prints a new entry.

Without a key ring, reveal fails: the registry keeps only hashes.`,
			setup: setupReveal,
		},
		importCommand,
		{
			name: "expiring", args: "", maxArgs: 0,
			summary: "list the active secrets that expire soon",
			details: `Lists the active secrets, across all clients (or one owner's), that expire
within --within from now, soonest first: the input of an "expiring soon"
notice to their owners.`,
			setup: setupExpiring,
		},
		{
			name: "purge", args: "", maxArgs: 0,
			summary: "remove records of secrets that stopped working long ago",
			details: `Removes the records of secrets that expired or were revoked more than
--older-than ago, so clients' records do not grow with every rotation. Keep a
retention long enough for audits.`,
			setup: setupPurge,
		},
		{
			name: "reseal", args: "", maxArgs: 0,
			summary: "re-seal every sealed secret under the key ring's primary key",
			details: `After a new key is made primary ($OAUTHREG_KEYRING="new:...,old:..."), moves
every secret still sealed under another key to the primary. Safe to interrupt
and run again. When it reports nothing left, the old key can be dropped.`,
			setup: setupReseal,
		},
		{
			name: "genkey", args: "", maxArgs: 0, noDB: true,
			summary: "print a new key ring entry for $OAUTHREG_KEYRING",
			details: `Prints a new key as a key ring entry, ID:BASE64KEY (32 bytes from
crypto/rand). Keep it where you keep the auth server's other secrets, never in
the database.

Example:
  export OAUTHREG_KEYRING=$(admincli genkey --id 2030-01)`,
			setup: setupGenkey,
		},
	}
}

func setupCreate(fs *flag.FlagSet) func(*session, []string) error {
	var (
		id, owner, name, description, authMethod string
		public, disabled                         bool
		accessTTL, refreshTTL                    duration
		scope, redirects, systemTags, userTags   listFlag
		grants                                   = listFlag{split: true}
		responses                                = listFlag{split: true}
		meta                                     metadataFlag
		sf                                       secretFlags
	)
	fs.StringVar(&id, "id", "", "client `ID` (default: a generated UUIDv7)")
	fs.StringVar(&owner, "owner", "", "`ID` of the organization that owns the client")
	fs.StringVar(&name, "name", "", "client `name` (RFC 7591 client_name)")
	fs.StringVar(&description, "description", "", "free `text` for administrators")
	fs.Var(&scope, "scope", "`scopes`, space-separated (repeatable)")
	fs.Var(&redirects, "redirect-uri", "redirect `URI` (repeat for several)")
	fs.Var(&grants, "grant-type", "grant `types`, comma-separated or repeated")
	fs.Var(&responses, "response-type", "response `types`, comma-separated or repeated")
	fs.StringVar(&authMethod, "auth-method", "", "token_endpoint_auth_method: client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt, none...")
	fs.BoolVar(&public, "public", false, "a public client (no secret, auth method none)")
	fs.BoolVar(&disabled, "disabled", false, "register the client disabled")
	fs.Var(&accessTTL, "access-token-ttl", "access token `lifetime` (default: 24h)")
	fs.Var(&refreshTTL, "refresh-token-ttl", "refresh token `lifetime` (default: 10d)")
	fs.Var(&systemTags, "system-tag", "system `tag` (repeatable)")
	fs.Var(&userTags, "user-tag", "user `tag` (repeatable)")
	fs.Var(&meta, "metadata", "`KEY=VALUE` metadata entry (repeatable)")
	sf.register(fs, "secret-")
	return func(s *session, _ []string) error {
		s.clientID = id
		sc, err := scopes(&scope)
		if err != nil {
			return err
		}
		c := oauthreg.Client{
			ID: id, Owner: owner, Name: name, Description: description,
			Scopes: sc, RedirectURIs: redirects.list(),
			GrantTypes: asTypes[oauthreg.GrantType](grants.list()), ResponseTypes: asTypes[oauthreg.ResponseType](responses.list()),
			TokenEndpointAuthMethod: oauthreg.AuthMethod(authMethod), Public: public, Disabled: disabled,
			AccessTokenTTL: time.Duration(accessTTL), RefreshTokenTTL: time.Duration(refreshTTL),
			SystemTags: systemTags.list(), UserTags: userTags.list(), Metadata: meta.m,
		}
		client, secret, err := s.reg.Register(s.ctx, c, sf.options()...)
		if err != nil {
			return err
		}
		if s.opts.json() {
			b, err := clientWithSecret(client, secret)
			if err != nil {
				return err
			}
			return writeJSON(s.stdout, b)
		}
		fmt.Fprintf(s.stdout, "created client %s\n\n", client.ID)
		if err := writeClient(s.stdout, client, time.Now()); err != nil {
			return err
		}
		if !secret.IsZero() {
			fmt.Fprintln(s.stdout)
			writePlainSecret(s.stdout, secretLabel, secret)
		}
		return nil
	}
}

func setupList(fs *flag.FlagSet) func(*session, []string) error {
	var (
		owner, cursor string
		limit         int
		all           bool
	)
	fs.StringVar(&owner, "owner", "", "only the clients of this organization `ID`")
	fs.IntVar(&limit, "limit", oauthreg.DefaultPageSize, fmt.Sprintf("clients per page, 1 to %d", oauthreg.MaxPageSize))
	fs.StringVar(&cursor, "cursor", "", "continue from this `cursor` (printed by the previous page)")
	fs.BoolVar(&all, "all", false, "read every page")
	return func(s *session, _ []string) error {
		if limit < 1 || limit > oauthreg.MaxPageSize {
			return usagef("--limit %d: use 1 to %d", limit, oauthreg.MaxPageSize)
		}
		q := oauthreg.ListQuery{Owner: owner, Cursor: cursor, Limit: limit}
		clients := []*oauthreg.Client{}
		var next string
		for {
			page, err := s.reg.List(s.ctx, q)
			if err != nil {
				return err
			}
			clients = append(clients, page.Clients...)
			next = page.NextCursor
			if !all || next == "" {
				break
			}
			q.Cursor = next
		}
		if s.opts.json() {
			if err := writeJSON(s.stdout, clients); err != nil {
				return err
			}
			if next != "" {
				fmt.Fprintf(s.stderr, "next cursor: %s\n", next)
			}
			return nil
		}
		if len(clients) == 0 {
			fmt.Fprintln(s.stdout, "no clients")
			return nil
		}
		if err := writeClientList(s.stdout, clients, time.Now()); err != nil {
			return err
		}
		if next != "" {
			fmt.Fprintf(s.stdout, "\nnext cursor: %s\n", next)
		}
		return nil
	}
}

func setupShow(*flag.FlagSet) func(*session, []string) error {
	return func(s *session, args []string) error {
		s.clientID = args[0]
		c, err := s.reg.Get(s.ctx, args[0])
		if err != nil {
			return err
		}
		return s.output(c, func(w io.Writer) error { return writeClient(w, c, time.Now()) })
	}
}

func setupUpdate(fs *flag.FlagSet) func(*session, []string) error {
	var (
		owner, name, description, authMethod   string
		enable, disable                        bool
		accessTTL, refreshTTL                  duration
		scope, redirects, systemTags, userTags listEdit
		grants                                 = listFlag{split: true}
		responses                              = listFlag{split: true}
		meta                                   metadataFlag
		rmMeta                                 listFlag
	)
	fs.StringVar(&owner, "owner", "", "move the client to this organization `ID`")
	fs.StringVar(&name, "name", "", "client `name`")
	fs.StringVar(&description, "description", "", "free `text` for administrators")
	scope.register(fs, "scope", "replace the `scopes` (space-separated, repeatable; empty clears)", "`scope`")
	redirects.register(fs, "redirect-uri", "replace the redirect `URIs` (repeatable; empty clears)", "redirect `URI`")
	systemTags.register(fs, "system-tag", "replace the system `tags` (repeatable; empty clears)", "system `tag`")
	userTags.register(fs, "user-tag", "replace the user `tags` (repeatable; empty clears)", "user `tag`")
	fs.Var(&grants, "grant-type", "replace the grant `types` (comma-separated or repeated)")
	fs.Var(&responses, "response-type", "replace the response `types` (comma-separated or repeated)")
	fs.StringVar(&authMethod, "auth-method", "", "token_endpoint_auth_method")
	fs.BoolVar(&enable, "enable", false, "enable the client")
	fs.BoolVar(&disable, "disable", false, "disable the client: authentication fails, secrets are kept")
	fs.Var(&accessTTL, "access-token-ttl", "access token `lifetime`")
	fs.Var(&refreshTTL, "refresh-token-ttl", "refresh token `lifetime`")
	fs.Var(&meta, "metadata", "set a `KEY=VALUE` metadata entry (repeatable)")
	fs.Var(&rmMeta, "remove-metadata", "remove the metadata entry `KEY`")
	updateFlags := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { updateFlags[f.Name] = true })
	return func(s *session, args []string) error {
		s.clientID = args[0]
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) {
			if updateFlags[f.Name] {
				given[f.Name] = true
			}
		})
		if len(given) == 0 {
			return usagef("nothing to change: give at least one flag (see 'admincli help update')")
		}
		if enable && disable {
			return usagef("--enable and --disable contradict each other")
		}
		// A --scope or --add-scope value is a space-separated list: split
		// and check them all before changing anything.
		for _, l := range []*listFlag{&scope.replace, &scope.add} {
			var err error
			if l.values, err = scopes(l); err != nil {
				return err
			}
		}
		c, err := s.reg.Update(s.ctx, args[0], func(c *oauthreg.Client) error {
			if given["owner"] {
				c.Owner = owner
			}
			if given["name"] {
				c.Name = name
			}
			if given["description"] {
				c.Description = description
			}
			c.Scopes = scope.edit(c.Scopes, given)
			c.RedirectURIs = redirects.edit(c.RedirectURIs, given)
			c.SystemTags = systemTags.edit(c.SystemTags, given)
			c.UserTags = userTags.edit(c.UserTags, given)
			if given["grant-type"] {
				c.GrantTypes = asTypes[oauthreg.GrantType](grants.list())
			}
			if given["response-type"] {
				c.ResponseTypes = asTypes[oauthreg.ResponseType](responses.list())
			}
			if given["auth-method"] {
				c.TokenEndpointAuthMethod = oauthreg.AuthMethod(authMethod)
			}
			if enable {
				c.Disabled = false
			}
			if disable {
				c.Disabled = true
			}
			if given["access-token-ttl"] {
				c.AccessTokenTTL = time.Duration(accessTTL)
			}
			if given["refresh-token-ttl"] {
				c.RefreshTokenTTL = time.Duration(refreshTTL)
			}
			if len(meta.m) > 0 || len(rmMeta.values) > 0 {
				m := make(map[string]string, len(c.Metadata)+len(meta.m))
				for k, v := range c.Metadata {
					m[k] = v
				}
				for k, v := range meta.m {
					m[k] = v
				}
				for _, k := range rmMeta.values {
					delete(m, k)
				}
				c.Metadata = m
			}
			return nil
		})
		if err != nil {
			return err
		}
		return s.output(c, func(w io.Writer) error {
			fmt.Fprintf(w, "updated client %s\n\n", c.ID)
			return writeClient(w, c, time.Now())
		})
	}
}

func setupDelete(fs *flag.FlagSet) func(*session, []string) error {
	var yes bool
	fs.BoolVar(&yes, "yes", false, "do not ask for confirmation")
	fs.BoolVar(&yes, "y", false, "same as --yes")
	return func(s *session, args []string) error {
		s.clientID = args[0]
		c, err := s.reg.Get(s.ctx, args[0])
		if err != nil {
			return err
		}
		if !yes {
			what := fmt.Sprintf("delete client %s", c.ID)
			if c.Name != "" {
				what += fmt.Sprintf(" (%s)", clean(c.Name))
			}
			what += " and its " + plural(len(c.Secrets), "secret", "secrets")
			ok, err := s.confirm(what)
			if err != nil {
				return err
			}
			if !ok {
				return &failure{"not deleted"}
			}
		}
		if err := s.reg.Delete(s.ctx, c.ID); err != nil {
			return err
		}
		return s.outputf(map[string]any{"client_id": c.ID, "deleted": true}, "deleted client %s\n", c.ID)
	}
}

// setupIssue is rotate and regenerate.
func setupIssue(verb string) func(fs *flag.FlagSet) func(*session, []string) error {
	return func(fs *flag.FlagSet) func(*session, []string) error {
		var sf secretFlags
		sf.register(fs, "")
		return func(s *session, args []string) error {
			s.clientID = args[0]
			issue := s.reg.RotateSecret
			if verb == "regenerate" {
				issue = s.reg.RegenerateSecret
			}
			p, err := issue(s.ctx, args[0], sf.options()...)
			if err != nil {
				return err
			}
			if s.opts.json() {
				return writeJSON(s.stdout, secretJSON(args[0], p))
			}
			if verb == "regenerate" {
				fmt.Fprintf(s.stdout, "regenerated the secret of client %s: every other secret is revoked\n\n", oauthreg.SanitizeInput(args[0]))
			} else {
				fmt.Fprintf(s.stdout, "rotated the secret of client %s\n\n", oauthreg.SanitizeInput(args[0]))
			}
			writePlainSecret(s.stdout, secretLabel, p)
			if verb != "rotate" {
				return nil
			}
			// Tell what happens to the others: the grace period.
			c, err := s.reg.Get(s.ctx, args[0])
			if err != nil {
				return nil // the secret was issued and printed; this is a courtesy
			}
			now := time.Now()
			var older []oauthreg.Secret
			for _, sec := range c.ActiveSecrets(now) {
				if sec.ID != p.ID() {
					older = append(older, sec)
				}
			}
			if len(older) > 0 {
				fmt.Fprintln(s.stdout, "\nolder secrets still working:")
				return writeSecrets(s.stdout, older, now)
			}
			return nil
		}
	}
}

func setupRevoke(*flag.FlagSet) func(*session, []string) error {
	return func(s *session, args []string) error {
		s.clientID, s.secretID = args[0], args[1]
		if err := s.reg.RevokeSecret(s.ctx, args[0], args[1]); err != nil {
			return err
		}
		state := "revoked"
		if c, err := s.reg.Get(s.ctx, args[0]); err == nil {
			if sec, ok := c.Secret(args[1]); ok {
				state = sec.State(time.Now())
			}
		}
		return s.outputf(map[string]string{"client_id": args[0], "secret_id": args[1], "state": state},
			"secret %s of client %s is %s\n", args[1], args[0], state)
	}
}

// setupSupplied is add-secret ("secret") and import-secret ("hash"): both
// store a value the administrator supplies, a secret or another system's
// hash of one, as a new secret of the client and print its record. Only a
// hash may be the second argument or be typed with echo: a secret never
// comes from the command line.
func setupSupplied(what string) func(fs *flag.FlagSet) func(*session, []string) error {
	hash := what == "hash"
	store, verb := (*oauthreg.Registry).AddSecret, "added"
	fileUsage := "read the secret from this `file` (- for stdin; default stdin)"
	if hash {
		store, verb = (*oauthreg.Registry).ImportSecret, "imported"
		fileUsage = "read the hash from this `file` (- for stdin)"
	}
	return func(fs *flag.FlagSet) func(*session, []string) error {
		var file string
		var sf secretFlags
		var spring springPBKDF2Flags
		fs.StringVar(&file, "file", "", fileUsage)
		sf.register(fs, "")
		if hash {
			spring.register(fs)
		}
		return func(s *session, args []string) error {
			s.clientID = args[0]
			opts := sf.options()
			settings, err := spring.settings()
			if err != nil {
				return err
			}
			if settings != nil {
				opts = append(opts, oauthreg.WithSpringPBKDF2(*settings))
			}
			var value string
			if hash && len(args) == 2 && args[1] != "-" {
				if file != "" {
					return usagef("give the hash as an argument or with --file, not both")
				}
				value = args[1]
			} else {
				v, err := s.readValue(file, what, !hash)
				if err != nil {
					return err
				}
				value = v
			}
			sec, err := store(s.reg, s.ctx, args[0], value, opts...)
			if err != nil {
				return err
			}
			now := time.Now()
			return s.output(recordJSON(args[0], sec, now), func(w io.Writer) error {
				fmt.Fprintf(w, "%s secret %s to client %s\n", verb, sec.ID, oauthreg.SanitizeInput(args[0]))
				return writeSecrets(w, []oauthreg.Secret{sec}, now)
			})
		}
	}
}

func setupVerify(fs *flag.FlagSet) func(*session, []string) error {
	var file string
	fs.StringVar(&file, "file", "", "read the secret from this `file` (- for stdin; default stdin)")
	return func(s *session, args []string) error {
		s.clientID = args[0]
		secret, err := s.readValue(file, "secret", true)
		if err != nil {
			return err
		}
		s.authReason, s.authSecretID = "", ""
		_, err = s.reg.AuthenticateView(s.ctx, "", args[0], secret)
		valid := err == nil
		if err != nil && !errors.Is(err, oauthreg.ErrInvalidCredentials) {
			return err
		}
		result := map[string]any{"client_id": args[0], "valid": valid}
		if s.authSecretID != "" {
			result["secret_id"] = s.authSecretID
		}
		if !valid && s.authReason != "" {
			result["reason"] = string(s.authReason)
		}
		if s.opts.json() {
			if err := writeJSON(s.stdout, result); err != nil {
				return err
			}
		} else if valid {
			fmt.Fprintf(s.stdout, "valid: the secret matches secret %s of client %s\n", s.authSecretID, oauthreg.SanitizeInput(args[0]))
		}
		if !valid {
			msg := fmt.Sprintf("the secret does not authenticate client %s", args[0])
			if s.authReason != "" {
				msg += " (" + reasonText(s.authReason, s.authSecretID) + ")"
			}
			return &failure{msg}
		}
		return nil
	}
}

// reasonText words an authentication failure reason for an administrator.
func reasonText(r oauthreg.FailureReason, secretID string) string {
	sid := ""
	if secretID != "" {
		sid = " " + secretID
	}
	switch r {
	case oauthreg.ReasonMalformed:
		return "malformed: not a secret this registry could have issued, or a typo (checksum mismatch)"
	case oauthreg.ReasonUnknownClient:
		return "no such client"
	case oauthreg.ReasonUnknownSecret:
		return "it matches none of the client's secrets"
	case oauthreg.ReasonWrongSecret:
		return "wrong secret"
	case oauthreg.ReasonUnknownPepper:
		return "secret" + sid + " was hashed under a pepper this configuration does not have: " +
			"if the pepper was replaced, add the old one back as a retired pepper (a further entry of $" + envPepper + " or --pepper-file, after the current one)"
	case oauthreg.ReasonUnknownSpringSecret:
		return "no secret matched, and an imported Spring PBKDF2 hash names an encoder secret this configuration does not have: " +
			"add it to the list $OAUTHREG_SPRING_PBKDF2_SECRETS_FILE names"
	case oauthreg.ReasonExpired:
		return "secret" + sid + " has expired"
	case oauthreg.ReasonRevoked:
		return "secret" + sid + " was revoked"
	case oauthreg.ReasonDisabled:
		return "the client is disabled"
	case oauthreg.ReasonNoSecrets:
		return "the client does not authenticate with a secret"
	}
	return string(r)
}

func setupReveal(*flag.FlagSet) func(*session, []string) error {
	return func(s *session, args []string) error {
		s.clientID = args[0]
		secretID := ""
		if len(args) == 2 {
			secretID = args[1]
		} else {
			c, err := s.reg.Get(s.ctx, args[0])
			if err != nil {
				return err
			}
			newest, ok := c.NewestSecret(time.Now())
			if !ok {
				return &failure{fmt.Sprintf("client %s has no active secret", c.ID)}
			}
			secretID = newest.ID
		}
		s.secretID = secretID
		p, err := s.reg.RevealSecret(s.ctx, args[0], secretID)
		if err != nil {
			return err
		}
		if s.opts.json() {
			return writeJSON(s.stdout, secretJSON(args[0], p))
		}
		writePlainSecret(s.stdout, "client secret: ", p)
		return nil
	}
}

// expiringSecret is one line of expiring: EndsBy is "lifetime" when the
// secret reaches the end of its own lifetime, "rotation" when a newer
// secret replaced it and its grace period ends.
type expiringSecret struct {
	oauthreg.ExpiringSecret
	EndsBy string `json:"ends_by"`
}

// replaced reports whether c holds an unrevoked secret issued after the
// secret id (Client.Secrets is oldest first).
func replaced(c *oauthreg.Client, id string) bool {
	at := slices.IndexFunc(c.Secrets, func(s oauthreg.Secret) bool { return s.ID == id })
	if at < 0 {
		return false
	}
	return slices.ContainsFunc(c.Secrets[at+1:], func(s oauthreg.Secret) bool { return s.RevokedAt.IsZero() })
}

func setupExpiring(fs *flag.FlagSet) func(*session, []string) error {
	within := duration(30 * 24 * time.Hour)
	var owner string
	fs.Var(&within, "within", "list secrets that expire within this `duration` from now")
	fs.StringVar(&owner, "owner", "", "only the secrets of this organization's clients")
	return func(s *session, _ []string) error {
		list, err := s.reg.ExpiringSecrets(s.ctx, time.Duration(within))
		if err != nil {
			return err
		}
		if owner != "" {
			list = slices.DeleteFunc(list, func(e oauthreg.ExpiringSecret) bool { return e.Owner != owner })
		}
		// Why each secret ends: its own lifetime, or a rotation that
		// replaced it (its grace period) — the owner's next step differs.
		out := make([]expiringSecret, 0, len(list))
		for _, e := range list {
			endsBy := "lifetime"
			if c, err := s.reg.Get(s.ctx, e.ClientID); err == nil && replaced(c, e.SecretID) {
				endsBy = "rotation"
			} else if err != nil && !errors.Is(err, oauthreg.ErrNotFound) {
				return err
			}
			out = append(out, expiringSecret{ExpiringSecret: e, EndsBy: endsBy})
		}
		now := time.Now()
		return s.output(out, func(w io.Writer) error {
			if len(out) == 0 {
				_, err := fmt.Fprintf(w, "no active secret expires within %s\n", formatDuration(time.Duration(within)))
				return err
			}
			tw := newTable(w)
			row(tw, "EXPIRES", "IN", "ENDS BY", "CLIENT ID", "OWNER", "SECRET ID", "HINT")
			for _, e := range out {
				hint := "-"
				if e.Hint != "" {
					hint = "…" + clean(e.Hint)
				}
				row(tw, fmtTime(e.ExpiresAt), fmtUntil(e.ExpiresAt, now), e.EndsBy, e.ClientID, orDash(e.Owner), e.SecretID, hint)
			}
			return tw.Flush()
		})
	}
}

func setupPurge(fs *flag.FlagSet) func(*session, []string) error {
	olderThan := duration(30 * 24 * time.Hour)
	fs.Var(&olderThan, "older-than", "remove records of secrets that stopped working more than this `duration` ago")
	return func(s *session, _ []string) error {
		n, err := s.reg.PurgeExpired(s.ctx, time.Duration(olderThan))
		if err != nil {
			return err
		}
		return s.outputf(map[string]int{"purged": n},
			"removed %s that stopped working more than %s ago\n", plural(n, "secret record", "secret records"), formatDuration(time.Duration(olderThan)))
	}
}

func setupReseal(*flag.FlagSet) func(*session, []string) error {
	return func(s *session, _ []string) error {
		if s.keyring == nil {
			return usagef("reseal needs the key ring: set $%s or --keyring-file (see 'admincli help reveal')", envKeyRing)
		}
		n, err := s.reg.Reseal(s.ctx)
		if err != nil {
			return err
		}
		primary := s.keyring.PrimaryID()
		return s.outputf(map[string]any{"resealed": n, "primary_key": primary}, "re-sealed %s under key %s\n", plural(n, "secret", "secrets"), primary)
	}
}

func setupGenkey(fs *flag.FlagSet) func(*session, []string) error {
	var id, alg string
	fs.StringVar(&id, "id", "", "key `ID` (default: today's date, e.g. 2030-01-31)")
	fs.StringVar(&alg, "algorithm", string(oauthreg.AES256GCM), "AEAD: A256GCM or XC20P")
	return func(s *session, _ []string) error {
		if id == "" {
			id = time.Now().UTC().Format(time.DateOnly)
		}
		k, err := oauthreg.GenerateKey(id, oauthreg.KeyAlgorithm(alg))
		if err != nil {
			return usagef("%s", strings.TrimPrefix(err.Error(), oauthreg.ErrInvalidConfig.Error()+": "))
		}
		entry := k.ID + ":"
		if k.Algorithm != oauthreg.AES256GCM {
			entry += string(k.Algorithm) + ":"
		}
		entry += base64.StdEncoding.EncodeToString(k.Secret)
		_, err = fmt.Fprintln(s.stdout, entry)
		return err
	}
}

// plural writes "1 secret" or "3 secrets".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
