package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The server scripts/load.sh starts, on each store it measures, answers a
// handful of requests the way wrk sends them (scripts/load.lua: HTTP Basic,
// a random client of the -load-secrets file), so the load run cannot rot.
func TestLoadClientsServe(t *testing.T) {
	for _, db := range []string{memoryDB, "sqlite"} {
		t.Run(db, func(t *testing.T) {
			dir := t.TempDir()
			dsn := db
			if db == "sqlite" {
				dsn = filepath.Join(dir, "clients.db")
			}
			file := filepath.Join(dir, "secrets")
			a, out := startApp(t, "", "-db", dsn, "-load-clients", "5", "-load-secrets", file)
			if !strings.Contains(out, "registered 5 load-test clients") {
				t.Errorf("output:\n%s", out)
			}
			base := listenLine.FindStringSubmatch(out)[1]
			ctx, cancel := context.WithCancel(context.Background())
			served := make(chan error, 1)
			go func() { served <- a.serve(ctx) }()
			defer func() {
				cancel()
				if err := <-served; err != nil {
					t.Error(err)
				}
			}()

			info, err := os.Stat(file)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != 0o600 {
				t.Errorf("secrets file mode %v, want 0600", info.Mode().Perm())
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
			if len(lines) != 5 {
				t.Fatalf("%d lines in the secrets file, want 5", len(lines))
			}
			for _, l := range lines {
				if _, secret, _ := strings.Cut(l, " "); secret == "" || strings.Contains(out, secret) {
					t.Errorf("load-test secret missing or printed:\n%s", out)
				}
			}
			for i := range 12 {
				id, secret, ok := strings.Cut(lines[(i*7)%len(lines)], " ")
				if !ok {
					t.Fatalf("line %q", lines[i%len(lines)])
				}
				if i == 11 {
					secret += "x" // the last one is refused
				}
				req, _ := http.NewRequest("POST", base+"/token", strings.NewReader("grant_type=client_credentials"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.SetBasicAuth(id, secret)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				want := http.StatusOK
				if i == 11 {
					want = http.StatusUnauthorized
				}
				if resp.StatusCode != want || want == http.StatusOK && !strings.Contains(string(body), `"expires_in":1,`) {
					t.Errorf("request %d: %d %s", i, resp.StatusCode, body)
				}
			}
		})
	}
}

// The secrets file is never overwritten, and -load-clients and
// -load-secrets come together.
func TestLoadClientsFlags(t *testing.T) {
	noEnv := func(string) string { return "" }
	for _, bad := range [][]string{
		{"-load-clients", "3"},
		{"-load-secrets", "f"},
		{"-load-clients", "-1", "-load-secrets", "f"},
		{"-load-clients", "1000001", "-load-secrets", "f"},
	} {
		var ue *usageError
		if _, err := parseFlags(bad, noEnv); !errors.As(err, &ue) {
			t.Errorf("parseFlags(%q) = %v, want a usage error", bad, err)
		}
	}
	file := filepath.Join(t.TempDir(), "secrets")
	if err := os.WriteFile(file, []byte("keep me\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := start(context.Background(), []string{"-addr", "127.0.0.1:0", "-db", memoryDB, "-load-clients", "2", "-load-secrets", file}, noEnv, io.Discard)
	if err == nil {
		t.Fatal("start wrote over an existing secrets file")
	}
	if b, _ := os.ReadFile(file); string(b) != "keep me\n" {
		t.Errorf("the existing file was changed: %q", b)
	}
}
