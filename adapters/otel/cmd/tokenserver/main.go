// Command tokenserver is a client_credentials token endpoint on an oauthreg
// Registry, seen with OpenTelemetry: the Registry's metrics (through
// oauthregotel.NewObserver) and the store's spans (oauthregotel.TraceStore)
// go to a Prometheus exporter served at /metrics.
//
//	go run ./cmd/tokenserver                 # from adapters/otel
//	curl -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials http://127.0.0.1:8080/token
//	curl http://127.0.0.1:8080/metrics | grep oauthreg_
//
// It keeps its clients in memory and registers one demo client at start,
// whose ID and secret it prints once. The repository's examples/tokenserver
// is the complete token endpoint (introspection, client_secret_post, a SQL
// store); this one lives in the OpenTelemetry module so that the core module
// does not depend on OpenTelemetry or Prometheus.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/oauthreg/oauthreg"
	oauthregotel "github.com/oauthreg/oauthreg/adapters/otel"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {
	fs := flag.NewFlagSet("tokenserver", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *addr, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tokenserver:", err)
		os.Exit(1)
	}
}

// run listens on addr first (so that a busy port fails before anything is
// printed), then registers the demo client and serves until ctx ends.
func run(ctx context.Context, addr string, out io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	app, err := newApp()
	if err != nil {
		ln.Close()
		return err
	}
	client, secret, err := app.reg.Register(ctx, oauthreg.Client{Owner: "demo", Name: "demo client",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}})
	if err != nil {
		ln.Close()
		return err
	}
	fmt.Fprintf(out, "listening on http://%s (token endpoint /token, metrics /metrics)\n", ln.Addr())
	fmt.Fprintf(out, "demo client_id=%s client_secret=%s (shown once)\n", client.ID, secret.Reveal())
	srv := &http.Server{Handler: app.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// app is the Registry with its telemetry.
type app struct {
	reg     *oauthreg.Registry
	metrics http.Handler
	log     *slog.Logger
}

// newApp builds a Registry on a traced memstore whose observer feeds a
// Prometheus registry.
func newApp() (*app, error) {
	promReg := prometheus.NewRegistry()
	exporter, err := otelprom.New(otelprom.WithRegisterer(promReg))
	if err != nil {
		return nil, err
	}
	obs, err := oauthregotel.NewObserver(sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter)))
	if err != nil {
		return nil, err
	}
	// Spans go nowhere here; give the TracerProvider an exporter (OTLP,
	// stdout, …) to see them.
	store := oauthregotel.TraceStore(memstore.New(), sdktrace.NewTracerProvider())
	reg, err := oauthreg.New(store, oauthreg.WithObserver(obs))
	if err != nil {
		return nil, err
	}
	if _, err := obs.WatchExpiring(reg, 7*24*time.Hour, 30*24*time.Hour); err != nil {
		return nil, err
	}
	return &app{reg: reg, metrics: promhttp.HandlerFor(promReg, promhttp.HandlerOpts{}), log: slog.Default()}, nil
}

func (a *app) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics)
	mux.HandleFunc("POST /token", a.token)
	return mux
}

// token is a minimal RFC 6749 §4.4 client_credentials grant with
// client_secret_basic.
func (a *app) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		writeError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauthreg"`)
		writeError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	client, err := a.reg.AuthenticateWith(r.Context(), oauthreg.AuthClientSecretBasic, id, secret)
	switch {
	case errors.Is(err, oauthreg.ErrInvalidCredentials):
		// The reason (unknown client, wrong or expired secret, …) is in
		// the oauthreg_authentications metric; the client learns nothing.
		w.Header().Set("WWW-Authenticate", `Basic realm="oauthreg"`)
		writeError(w, http.StatusUnauthorized, "invalid_client")
		return
	case errors.Is(err, oauthreg.ErrUnavailable):
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "temporarily_unavailable")
		return
	case err != nil:
		a.log.Error("token endpoint: authenticating a client", "client_id", oauthreg.SanitizeInput(id), "err", err)
		writeError(w, http.StatusInternalServerError, "server_error")
		return
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": base64.RawURLEncoding.EncodeToString(b[:]),
		"token_type":   "Bearer",
		"expires_in":   int64(a.reg.EffectiveTokenLifetime(client, oauthreg.GrantClientCredentials, oauthreg.TokenAccess) / time.Second),
	})
}

func writeError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}
