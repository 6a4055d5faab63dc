// Command registration is an OAuth 2.0 dynamic client registration endpoint
// (RFC 7591) with client self-management (RFC 7592), built on oauthreg and
// its registration package. It also serves the authorization server
// metadata clients discover it from, and a client_credentials token
// endpoint so that a client can use the secret it registered at once.
// Clients are kept in memory.
//
//	go run ./examples/registration -addr 127.0.0.1:8080
//	go run ./examples/registration -initial-token s3cret   # protect /register
//
// Then, in another terminal:
//
//	curl -s -X POST http://127.0.0.1:8080/register -H 'Content-Type: application/json' \
//	  -d '{"client_name":"cli","grant_types":["client_credentials"],"scope":"read"}'
//	# -> 201 {"client_id":..., "client_secret":..., "registration_access_token":...,
//	#         "registration_client_uri":"http://127.0.0.1:8080/register/<id>", ...}
//	curl -s http://127.0.0.1:8080/register/$CLIENT_ID -H "Authorization: Bearer $REGISTRATION_ACCESS_TOKEN"
//	curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials http://127.0.0.1:8080/token
//
// The endpoints are in server.go; this file only wires flags and the
// listener.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "registration:", err)
		var ue *usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake on the command line: the program exits with
// status 2, as every example does.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// run serves until ctx is done.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("registration", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	initial := fs.String("initial-token", "", "initial access token that POST /register must present as a Bearer token (RFC 7591 §3); empty: open registration")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err}
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Errorf("unexpected arguments %q", fs.Args())}
	}
	reg, err := oauthreg.New(memstore.New())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	issuer := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: newEndpoint(issuer, reg, *initial).handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "registration endpoint at %s/register (discovery: %s/.well-known/openid-configuration)\n", issuer, issuer)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
