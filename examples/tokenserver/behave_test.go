package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// TestNewDemoSecretNeedsThePort: with the port taken, -new-demo-secret
// fails before it regenerates: the secret in use keeps working.
func TestNewDemoSecretNeedsThePort(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tokenserver.db")
	a, out := startApp(t, dsn)
	secret := secretLine.FindStringSubmatch(out)[1]
	busy := a.ln.Addr().String()
	stop(t, a)
	hold, err := net.Listen("tcp", busy)
	if err != nil {
		t.Skipf("cannot hold %s again: %v", busy, err)
	}
	defer hold.Close()

	getenv := func(k string) string {
		if k == "OAUTHREG_DB" {
			return dsn
		}
		return ""
	}
	var out2 bytes.Buffer
	if _, err := start(context.Background(), []string{"-addr", busy, "-new-demo-secret"}, getenv, &out2); err == nil {
		t.Fatal("started on a busy port")
	}
	if strings.Contains(out2.String(), "client_secret") {
		t.Errorf("printed a new secret before failing:\n%s", out2.String())
	}
	hold.Close()
	b, _ := startApp(t, dsn)
	defer stop(t, b)
	if _, err := b.reg.Authenticate(context.Background(), demoClientID, secret); err != nil {
		t.Errorf("the demo secret stopped working after a failed -new-demo-secret: %v", err)
	}
}

// TestFailuresAreLoggedWithTheirReason: a refused client is logged with
// the internal reason, its ID sanitized, and no secret.
func TestFailuresAreLoggedWithTheirReason(t *testing.T) {
	var logged bytes.Buffer
	obs := failureLog(slog.New(slog.NewTextHandler(&logged, nil)))
	const pasted = "tokenserver_abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz234567"
	reg, err := oauthreg.New(memstore.New(), oauthreg.WithObserver(obs))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = reg.Authenticate(context.Background(), "no-such-client", "whatever-secret-value")
	_, _ = reg.Authenticate(context.Background(), pasted, pasted)
	s := logged.String()
	if !strings.Contains(s, "reason=unknown_client") || !strings.Contains(s, "client_id=no-such-client") {
		t.Errorf("log lacks the reason or the client:\n%s", s)
	}
	if strings.Contains(s, pasted) || strings.Contains(s, "whatever-secret-value") {
		t.Errorf("log holds a secret:\n%s", s)
	}
	if strings.Count(s, "\n") != 2 {
		t.Errorf("want one line per failure:\n%s", s)
	}
}

// TestSharedConfigurationFile: the server takes its prefix (and the rest)
// from the shared configuration file.
func TestSharedConfigurationFile(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "oauthreg.conf")
	if err := os.WriteFile(conf, []byte("OAUTHREG_DATABASE="+filepath.Join(dir, "c.db")+"\nOAUTHREG_SECRET_PREFIX=acme_\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	a, err := start(context.Background(), []string{"-addr", "127.0.0.1:0", "-config", conf}, func(string) string { return "" }, &out)
	if err != nil {
		t.Fatal(err)
	}
	defer stop(t, a)
	m := secretLine.FindStringSubmatch(out.String())
	if m == nil || !strings.HasPrefix(m[1], "acme_") || !strings.Contains(out.String(), filepath.Join(dir, "c.db")) {
		t.Errorf("output:\n%s", out.String())
	}
	bad := filepath.Join(dir, "bad.conf")
	_ = os.WriteFile(bad, []byte("OAUTHREG_PREFIX=x\n"), 0o600)
	if _, err := start(context.Background(), []string{"-addr", "127.0.0.1:0", "-config", bad}, func(string) string { return "" }, &out); !errors.As(err, new(*usageError)) {
		t.Errorf("a misspelt setting: %v, want a usage error", err)
	}
	// The imported-hash limits come from the file too; one the library
	// refuses (below its own argon2 parameters) is a usage error.
	_ = os.WriteFile(bad, []byte("OAUTHREG_DATABASE="+filepath.Join(dir, "c.db")+"\nOAUTHREG_HASH_MAX_ARGON2_MEMORY=8MiB\n"), 0o600)
	if _, err := start(context.Background(), []string{"-addr", "127.0.0.1:0", "-config", bad}, func(string) string { return "" }, &out); !errors.As(err, new(*usageError)) || !strings.Contains(err.Error(), "argon2") {
		t.Errorf("argon2 memory limit below the library's own: %v, want a usage error about argon2", err)
	}
}
