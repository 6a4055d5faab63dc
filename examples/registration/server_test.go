package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

func serve(t *testing.T, initial string) (*httptest.Server, *oauthreg.Registry) {
	t.Helper()
	reg, err := oauthreg.New(memstore.New())
	if err != nil {
		t.Fatal(err)
	}
	var e *endpoint
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { e.handler().ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	e = newEndpoint(ts.URL, reg, initial)
	return ts, reg
}

func do(t *testing.T, method, url, token, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m, resp.Header
}

// TestEndToEnd: register, use the secret, read, update, delete, over HTTP.
func TestEndToEnd(t *testing.T) {
	ts, reg := serve(t, "")
	status, m, h := do(t, "POST", ts.URL+"/register", "",
		`{"client_name":"svc","grant_types":["client_credentials"],"scope":"read","owner":"org-victim"}`)
	if status != 201 || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("register: %d %v %v", status, m, h)
	}
	id, secret, token, uri := m["client_id"].(string), m["client_secret"].(string), m["registration_access_token"].(string), m["registration_client_uri"].(string)
	if c, _ := reg.Get(t.Context(), id); c.Owner != "dynamic" {
		t.Errorf("owner %q, want the server's", c.Owner)
	}
	req, _ := http.NewRequest("POST", ts.URL+"/token", strings.NewReader("grant_type=client_credentials"))
	req.SetBasicAuth(id, secret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("token: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()

	if status, m, _ := do(t, "GET", uri, token, ""); status != 200 || m["client_name"] != "svc" {
		t.Errorf("read: %d %v", status, m)
	}
	if status, m, h := do(t, "GET", uri, "wrong", ""); status != 401 || m["error"] != "invalid_token" || h.Get("WWW-Authenticate") == "" {
		t.Errorf("read with a wrong token: %d %v %v", status, m, h)
	}
	status, m, _ = do(t, "PUT", uri, token, `{"client_id":"`+id+`","client_name":"svc 2","grant_types":["client_credentials"]}`)
	if status != 200 || m["client_name"] != "svc 2" || m["registration_access_token"] == token {
		t.Errorf("update: %d %v", status, m)
	}
	fresh, _ := m["registration_access_token"].(string)
	if status, _, _ := do(t, "DELETE", uri, fresh, ""); status != 204 {
		t.Errorf("delete: %d", status)
	}
	if status, _, _ := do(t, "GET", uri, fresh, ""); status != 401 {
		t.Errorf("read after delete: %d", status)
	}
	for body, code := range map[string]string{
		`{"client_name":"x"}`:                                         "invalid_redirect_uri",
		`{"redirect_uris":["http://x.example/cb#f"]}`:                 "invalid_redirect_uri",
		`{"client_name":"a","client_name":"b"}`:                       "invalid_client_metadata",
		`{"grant_types":"client_credentials"}`:                        "invalid_client_metadata",
		`{"redirect_uris":["https://a/cb"],"software_statement":"x"}`: "invalid_software_statement",
		strings.Repeat(" ", 300<<10) + `{}`:                           "invalid_client_metadata",
	} {
		if status, m, _ := do(t, "POST", ts.URL+"/register", "", body); status/100 != 4 || m["error"] != code {
			t.Errorf("register %.60q: %d %v, want %s", body, status, m, code)
		}
	}
}

func TestInitialAccessToken(t *testing.T) {
	ts, _ := serve(t, "initial-secret")
	if status, m, _ := do(t, "POST", ts.URL+"/register", "", `{"grant_types":["client_credentials"]}`); status != 401 {
		t.Errorf("without the initial token: %d %v", status, m)
	}
	// With it, a machine client may register without grant_types.
	if status, m, _ := do(t, "POST", ts.URL+"/register", "initial-secret", `{"client_name":"m"}`); status != 201 {
		t.Errorf("with the initial token: %d %v", status, m)
	}
}
