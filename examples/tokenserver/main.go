// Command tokenserver is a small OAuth 2.0 token endpoint built on oauthreg
// and its clientauth package: the client_credentials grant, with every
// client authentication method (client_secret_basic, client_secret_post,
// client_secret_jwt, private_key_jwt; mTLS when served over TLS), scopes checked against the client's, and tokens that
// live for the client's access token lifetime. It also answers token introspection
// (RFC 7662) so you can see what a token stands for.
//
// It keeps its clients in a SQLite file (in the temporary directory unless
// -db or $OAUTHREG_DB says otherwise; a postgres:// or mysql:// DSN works
// too). On its first start it registers a demo client and prints its ID and
// secret, once:
//
//	go run ./examples/tokenserver
//	go run ./examples/tokenserver -addr 127.0.0.1:9000 -db ./clients.db
//	go run ./examples/tokenserver -new-demo-secret   # lost the secret? get a new one
//
// Then, in another terminal (curl -u sends the ID and secret as they are,
// which is right for them: they hold no character that form-encoding
// changes):
//
//	curl -s -u "tokenserver-demo:$CLIENT_SECRET" -d grant_type=client_credentials -d scope=read http://127.0.0.1:8080/token
//	curl -s -u "tokenserver-demo:$CLIENT_SECRET" -d token=$ACCESS_TOKEN http://127.0.0.1:8080/introspect
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
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
	"github.com/oauthreg/oauthreg/internal/dbopen"
)

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
		os.Exit(1)
	}
}

// config is what the command line says.
type config struct {
	dsn           string // database DSN
	addr          string // listen address
	newDemoSecret bool   // regenerate the demo client's secret
}

// parseFlags reads the command line; getenv supplies $OAUTHREG_DB.
func parseFlags(args []string, getenv func(string) string) (config, error) {
	defaultDB := getenv("OAUTHREG_DB")
	if defaultDB == "" {
		defaultDB = filepath.Join(os.TempDir(), "oauthreg-tokenserver.db")
	}
	var cfg config
	fs := flag.NewFlagSet("tokenserver", flag.ContinueOnError)
	fs.StringVar(&cfg.dsn, "db", defaultDB, "database: a SQLite file path, a postgres:// URL or a mysql:// DSN (default $OAUTHREG_DB or a file in the temp dir)")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.BoolVar(&cfg.newDemoSecret, "new-demo-secret", false, "regenerate the demo client's secret and print it (the old one stops working)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return cfg, nil
}

// app is a started token server.
type app struct {
	reg *oauthreg.Registry
	srv *http.Server
	ln  net.Listener
	db  *sql.DB
}

// start parses args, opens the database, registers the demo client if it
// does not exist yet (printing its secret to out), and starts listening.
// Call serve to serve.
func start(ctx context.Context, args []string, getenv func(string) string, out io.Writer) (*app, error) {
	cfg, err := parseFlags(args, getenv)
	if err != nil {
		return nil, err
	}
	store, db, err := dbopen.Open(ctx, cfg.dsn)
	if err != nil {
		return nil, err
	}
	reg, err := oauthreg.New(store, oauthreg.WithSecretPrefix("tokenserver_"))
	if err == nil {
		fmt.Fprintf(out, "clients: %v database %s\n", store.Dialect(), dbopen.Describe(cfg.dsn))
		err = bootstrapDemo(ctx, out, reg, cfg.newDemoSecret)
	}
	var ln net.Listener
	if err == nil {
		ln, err = net.Listen("tcp", cfg.addr)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "\nlistening on %s (token endpoint %s/token)\n", base, base)
	fmt.Fprintf(out, "try:\n  curl -s -u \"%s:$CLIENT_SECRET\" -d grant_type=client_credentials -d scope=read %s/token\n", demoClientID, base)
	fmt.Fprintf(out, "  curl -s -u \"%s:$CLIENT_SECRET\" -d token=$ACCESS_TOKEN %s/introspect\n", demoClientID, base)
	// The issuer identifier is what client_secret_jwt and private_key_jwt
	// assertions name as their audience; the database is the replay cache
	// every replica shares; jwks_uri documents are fetched over https from
	// public addresses only.
	handler, err := NewServer(reg, time.Now,
		clientauth.WithIssuer(base),
		clientauth.WithReplayCache(store),
		clientauth.WithKeyFetcher(clientauth.NewHTTPKeyFetcher()))
	if err != nil {
		ln.Close()
		db.Close()
		return nil, err
	}
	fmt.Fprintf(out, "issuer (the aud of client assertions): %s\n", base)
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	return &app{reg: reg, srv: srv, ln: ln, db: db}, nil
}

// serve serves until ctx is done, then shuts down gracefully and closes the
// database.
func (a *app) serve(ctx context.Context) error {
	defer a.db.Close()
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
