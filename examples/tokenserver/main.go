// Command tokenserver is a small OAuth 2.0 token endpoint built on oauthreg
// and its clientauth package: the client_credentials grant, with every
// client authentication method (client_secret_basic, client_secret_post,
// client_secret_jwt, private_key_jwt; mTLS when served over TLS), scopes checked against the client's, and tokens that
// live for the client's access token lifetime. It also answers token introspection
// (RFC 7662) so you can see what a token stands for.
//
// It reads the shared configuration of package config (-config or
// $OAUTHREG_CONFIG, and the OAUTHREG_* environment), the same file the admin
// tool and the expiry job read, so they agree on the prefix, the rotation
// policy, the pepper and the key ring. It keeps its clients in the database
// that -db, the configuration or $OAUTHREG_DB names, else in a SQLite file
// of its user's in the temporary directory. Every refused authentication is
// logged with its internal reason. Usage and configuration errors exit 2.
// On its first start it registers a demo client and prints its ID and
// secret, once:
//
//	go run ./examples/tokenserver
//	go run ./examples/tokenserver -addr 127.0.0.1:9000 -db ./clients.db
//	go run ./examples/tokenserver -new-demo-secret   # lost the secret? get a new one
//	go run ./examples/tokenserver -db memory:          # clients in memory, forgotten at exit
//
// Then, in another terminal (curl -u sends the ID and secret as they are,
// which is right for them: they hold no character that form-encoding
// changes):
//
//	curl -s -u "tokenserver-demo:$CLIENT_SECRET" -d grant_type=client_credentials -d scope=read http://127.0.0.1:8080/token
//	curl -s -u "tokenserver-demo:$CLIENT_SECRET" -d token=$ACCESS_TOKEN http://127.0.0.1:8080/introspect
//
// For a load test, -load-clients N -load-secrets FILE registers N more
// clients and writes their IDs and plaintext secrets to FILE (see
// loadclients.go; scripts/load.sh uses it).
//
// The endpoint itself is the Server type in server.go; this file only wires
// flags, the database and the demo client.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
	shared "github.com/oauthreg/oauthreg/config"
	"github.com/oauthreg/oauthreg/internal/dbopen"
	"github.com/oauthreg/oauthreg/memstore"
)

// memoryDB is the -db value that keeps the clients in memory (memstore):
// nothing survives the process.
const memoryDB = "memory:"

// The demo client main registers on first start.
const (
	demoClientID = "tokenserver-demo"
	demoTokenTTL = time.Hour
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := start(ctx, os.Args[1:], os.Getenv, os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err == nil {
		err = a.serve(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tokenserver:", err)
		var ue *usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake on the command line or in the configuration:
// the program exits with status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// config is what the command line says.
type config struct {
	configFile    string // the shared configuration file (package config)
	dsn           string // database address; "" for the configuration's
	addr          string // listen address
	newDemoSecret bool   // regenerate the demo client's secret
	loadClients   int    // register this many load-test clients
	loadSecrets   string // and write their IDs and secrets to this file
}

// parseFlags reads the command line; getenv supplies $OAUTHREG_DB and
// $OAUTHREG_CONFIG. Its errors are usage errors.
func parseFlags(args []string, getenv func(string) string) (config, error) {
	cfg := config{configFile: getenv(shared.EnvConfigFile)}
	fs := flag.NewFlagSet("tokenserver", flag.ContinueOnError)
	fs.StringVar(&cfg.configFile, "config", cfg.configFile, "shared configuration `file` (package config: prefix, rotation policy, pepper, key ring, database; default $"+shared.EnvConfigFile+")")
	fs.StringVar(&cfg.dsn, "db", "", "database `address` (a SQLite file path, postgres://, mysql://, …, or "+memoryDB+" for clients kept in memory only); default: the configuration's, $OAUTHREG_DB, or a file in the temp dir")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.BoolVar(&cfg.newDemoSecret, "new-demo-secret", false, "regenerate the demo client's secret and print it (the old one stops working)")
	fs.IntVar(&cfg.loadClients, "load-clients", 0, fmt.Sprintf("for a load test: register `N` more clients (at most %d) and write their IDs and plaintext secrets to the -load-secrets file", maxLoadClients))
	fs.StringVar(&cfg.loadSecrets, "load-secrets", "", "the `file` -load-clients writes (created, mode 0600; it must not exist): test fixtures in plaintext, delete it after the test")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config{}, err
		}
		return config{}, &usageError{err}
	}
	if fs.NArg() > 0 {
		return config{}, &usageError{fmt.Errorf("unexpected arguments %q", fs.Args())}
	}
	if err := checkLoadFlags(cfg); err != nil {
		return config{}, &usageError{err}
	}
	return cfg, nil
}

// defaultDB is the database when neither -db nor the configuration names
// one: a file in the temporary directory, per user.
func defaultDB() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("oauthreg-tokenserver-%d.db", os.Getuid()))
}

// app is a started token server.
type app struct {
	reg *oauthreg.Registry
	srv *http.Server
	ln  net.Listener
	db  *sql.DB // nil when the clients are in memory
}

// start parses args, opens the database, registers the demo client if it
// does not exist yet (printing its secret to out), and starts listening.
// Call serve to serve.
func start(ctx context.Context, args []string, getenv func(string) string, out io.Writer) (*app, error) {
	cfg, err := parseFlags(args, getenv)
	if err != nil {
		return nil, err
	}
	settings, err := shared.Load(cfg.configFile, getenv)
	if err != nil {
		return nil, &usageError{err}
	}
	regOpts, err := settings.Options()
	if err != nil {
		return nil, &usageError{err}
	}
	if settings.SecretPrefix == "" {
		regOpts = append(regOpts, oauthreg.WithSecretPrefix("tokenserver_"))
	}
	// Every refusal is logged with its internal reason (unknown client,
	// wrong or expired secret, …), which the client is never told; client
	// IDs in these events went through oauthreg.SanitizeInput.
	regOpts = append(regOpts, oauthreg.WithObserver(failureLog(slog.Default())))
	dsn := cfg.dsn
	if dsn == "" {
		dsn = settings.Database
	}
	if dsn == "" {
		dsn = defaultDB()
	}
	// The port first: a busy port must fail before -new-demo-secret
	// invalidates the demo client's secret.
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nil, err
	}
	store, replay, db, where, err := openStore(ctx, dsn)
	if err != nil {
		ln.Close()
		return nil, err
	}
	closeAll := func() {
		ln.Close()
		if db != nil {
			db.Close()
		}
	}
	reg, err := oauthreg.New(store, regOpts...)
	if errors.Is(err, oauthreg.ErrInvalidConfig) {
		err = &usageError{err} // a value of the configuration the library refuses
	}
	if err == nil {
		fmt.Fprintf(out, "clients: %s\n", where)
		err = bootstrapDemo(ctx, out, reg, cfg.newDemoSecret)
	}
	if err == nil && cfg.loadClients > 0 {
		err = registerLoadClients(ctx, reg, cfg.loadClients, cfg.loadSecrets)
		if err == nil {
			fmt.Fprintf(out, "registered %d load-test clients; their IDs and secrets are in %s\n", cfg.loadClients, cfg.loadSecrets)
		}
	}
	if err != nil {
		closeAll()
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "\nlistening on %s (token endpoint %s/token)\n", base, base)
	fmt.Fprintf(out, "try:\n  curl -s -u \"%s:$CLIENT_SECRET\" -d grant_type=client_credentials -d scope=read %s/token\n", demoClientID, base)
	fmt.Fprintf(out, "  curl -s -u \"%s:$CLIENT_SECRET\" -d token=$ACCESS_TOKEN %s/introspect\n", demoClientID, base)
	// The issuer identifier is what client_secret_jwt and private_key_jwt
	// assertions name as their audience; the database is the replay cache
	// every replica shares (openStore); jwks_uri documents are fetched over
	// https from public addresses only.
	handler, err := NewServer(reg, time.Now,
		clientauth.WithIssuer(base),
		clientauth.WithReplayCache(replay),
		clientauth.WithKeyFetcher(clientauth.NewHTTPKeyFetcher()))
	if err != nil {
		closeAll()
		return nil, err
	}
	fmt.Fprintf(out, "issuer (the aud of client assertions): %s\n", base)
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	return &app{reg: reg, srv: srv, ln: ln, db: db}, nil
}

// serve serves until ctx is done, then shuts down gracefully and closes the
// database.
func (a *app) serve(ctx context.Context) error {
	if a.db != nil {
		defer a.db.Close()
	}
	errc := make(chan error, 1)
	go func() { errc <- a.srv.Serve(a.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := a.srv.Shutdown(shutdownCtx)
	if serveErr := <-errc; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return err
}

// openStore opens the store dsn names, with the replay cache of client
// assertions that goes with it, and says where the clients are: in memory
// for memoryDB (and a replay cache of this process's), else in the
// database, which is also the replay cache every replica shares (db is then
// the pool to close).
func openStore(ctx context.Context, dsn string) (store oauthreg.Store, replay clientauth.ReplayCache, db *sql.DB, where string, err error) {
	if dsn == memoryDB {
		return memstore.New(), clientauth.NewMemoryReplayCache(time.Now), nil, "in memory (memstore), forgotten at exit", nil
	}
	sqlStore, db, err := dbopen.Open(ctx, dsn)
	if err != nil {
		return nil, nil, nil, "", err
	}
	return sqlStore, sqlStore, db, fmt.Sprintf("%v database %s", sqlStore.Dialect(), dbopen.Describe(dsn)), nil
}

// failureLog logs the authentication failures and the uses of secrets in
// their grace period, with their reasons, to logger.
func failureLog(logger *slog.Logger) oauthreg.Observer {
	log := oauthreg.SlogObserver(logger)
	return oauthreg.ObserverFunc(func(ctx context.Context, e oauthreg.Event) {
		if e.Type == oauthreg.EventAuthFailed || e.Type == oauthreg.EventGraceSecretUsed {
			log.Observe(ctx, e)
		}
	})
}

// bootstrapDemo registers the demo client on first start and prints its
// secret, which is shown this once. On later starts it says the client is
// there; with regenerate it issues a new secret (every older one stops
// working) and prints it.
func bootstrapDemo(ctx context.Context, out io.Writer, reg *oauthreg.Registry, regenerate bool) error {
	_, secret, err := reg.Register(ctx, oauthreg.Client{
		ID:             demoClientID,
		Owner:          "org-demo",
		Name:           "tokenserver demo client",
		GrantTypes:     []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		Scopes:         []string{"read", "write"},
		AccessTokenTTL: demoTokenTTL,
		// client_secret_basic is the default; a client registered with
		// AuthClientSecretPost must send its secret in the form instead.
		TokenEndpointAuthMethod: oauthreg.AuthClientSecretBasic,
	})
	switch {
	case err == nil:
		fmt.Fprintln(out, "\nregistered the demo client (first start); its secret is shown this once, save it:")
	case errors.Is(err, oauthreg.ErrAlreadyExists) && regenerate:
		if secret, err = reg.RegenerateSecret(ctx, demoClientID); err != nil {
			return err
		}
		fmt.Fprintln(out, "\nregenerated the demo client's secret (the old one no longer works); shown this once, save it:")
	case errors.Is(err, oauthreg.ErrAlreadyExists):
		fmt.Fprintf(out, "\ndemo client %s already registered; its secret was printed when it was created\n", demoClientID)
		fmt.Fprintln(out, "(start with -new-demo-secret to get a new one)")
		return nil
	default:
		return err
	}
	fmt.Fprintf(out, "  client_id:     %s\n", demoClientID)
	fmt.Fprintf(out, "  client_secret: %s\n", secret.Reveal())
	fmt.Fprintf(out, "  scopes %q, access tokens live %v, authenticate with HTTP Basic (client_secret_basic)\n", "read write", demoTokenTTL)
	return nil
}
