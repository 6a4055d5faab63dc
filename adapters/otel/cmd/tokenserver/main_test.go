package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
)

// TestMetricsEndpoint: after one good and two refused token requests,
// /metrics shows them by result and reason, and holds no client ID or secret.
func TestMetricsEndpoint(t *testing.T) {
	a, err := newApp()
	if err != nil {
		t.Fatal(err)
	}
	client, secret, err := a.reg.Register(context.Background(), oauthreg.Client{Owner: "demo", Name: "demo",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.handler())
	defer srv.Close()

	post := func(id, sec string) int {
		req, _ := http.NewRequest("POST", srv.URL+"/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(id, sec)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(client.ID, secret.Reveal()); code != 200 {
		t.Fatalf("good credentials: %d", code)
	}
	if code := post(client.ID, "not-a-generated-secret-but-long-enough"); code != 401 {
		t.Fatalf("wrong secret: %d", code)
	}
	if code := post("nobody", secret.Reveal()); code != 401 {
		t.Fatalf("unknown client: %d", code)
	}

	resp, err := srv.Client().Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	text := string(body)
	want := map[string]bool{
		`oauthreg_result="success"`: false,
		`oauthreg_auth_failure_reason="` + string(oauthreg.ReasonUnknownClient) + `"`: false,
	}
	var authLines []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "oauthreg_authentications") {
			authLines = append(authLines, line)
			for w := range want {
				if strings.Contains(line, w) && strings.HasSuffix(line, " 1") {
					want[w] = true
				}
			}
		}
	}
	for w, seen := range want {
		if !seen {
			t.Errorf("/metrics has no oauthreg_authentications line with %s and value 1; lines:\n%s", w, strings.Join(authLines, "\n"))
		}
	}
	if !strings.Contains(text, "oauthreg_secrets_expiring") || !strings.Contains(text, "oauthreg_changes") {
		t.Errorf("/metrics lacks the expiring gauge or the change counter:\n%s", text)
	}
	if strings.Contains(text, client.ID) || strings.Contains(text, secret.Reveal()) {
		t.Error("/metrics holds the client ID or its secret")
	}
}

// TestRunRefusesABusyPort: the port is bound before the demo client is
// made, and a busy one is an error before anything is printed.
func TestRunRefusesABusyPort(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	var out strings.Builder
	if err := run(context.Background(), strings.TrimPrefix(srv.URL, "http://"), &out); err == nil {
		t.Fatal("run on a busy port succeeded")
	}
	if out.Len() != 0 {
		t.Errorf("printed %q before failing", out.String())
	}
}
