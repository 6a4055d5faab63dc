package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A handful of token requests in each mode, made as scripts/load.lua makes
// them (HTTP Basic, a client of the secrets file), so the load run's fosite
// servers cannot rot. The default mode hashes with bcrypt at cost 12: a few
// requests take a second.
func TestLoadServerServes(t *testing.T) {
	for _, mode := range []string{"adapter", "default"} {
		t.Run(mode, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "secrets")
			h, err := options{mode: mode, clients: 4, secrets: file}.build(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			info, err := os.Stat(file)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != 0o600 {
				t.Errorf("secrets file mode %v", info.Mode().Perm())
			}
			b, _ := os.ReadFile(file)
			lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
			if len(lines) != 4 {
				t.Fatalf("%d lines, want 4", len(lines))
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			for i, line := range []string{lines[2], lines[0], lines[3] + "x"} {
				id, secret, _ := strings.Cut(line, " ")
				req, _ := http.NewRequest("POST", srv.URL+"/oauth2/token", strings.NewReader("grant_type=client_credentials&scope=read"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.SetBasicAuth(id, secret)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				var tok struct {
					AccessToken string `json:"access_token"`
					Error       string `json:"error"`
				}
				_ = json.Unmarshal(body, &tok)
				if i < 2 && (resp.StatusCode != 200 || tok.AccessToken == "") {
					t.Errorf("client %s: %d %s", id, resp.StatusCode, body)
				}
				if i == 2 && (resp.StatusCode != 401 || tok.Error != "invalid_client") {
					t.Errorf("wrong secret: %d %s", resp.StatusCode, body)
				}
			}
		})
	}
}

func TestLoadServerRefusesBadOptions(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing")
	if err := os.WriteFile(existing, []byte("keep\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, o := range []options{
		{mode: "adapter", clients: 0, secrets: filepath.Join(dir, "a")},
		{mode: "adapter", clients: maxClients + 1, secrets: filepath.Join(dir, "b")},
		{mode: "adapter", clients: 1},
		{mode: "bogus", clients: 1, secrets: filepath.Join(dir, "c")},
		{mode: "adapter", clients: 1, secrets: existing},
	} {
		if _, err := o.build(context.Background()); err == nil {
			t.Errorf("build(%+v) accepted", o)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep\n" {
		t.Errorf("an existing secrets file was changed: %q", b)
	}
}
