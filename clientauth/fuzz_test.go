package clientauth

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// FuzzExtractCredentials: any body and Authorization header give either
// credentials and one decided method or a typed refusal, never a panic;
// the body stays readable and unchanged.
func FuzzExtractCredentials(f *testing.F) {
	f.Add("grant_type=client_credentials&client_id=a&client_secret=b", "")
	f.Add("client_id=a", "Basic YTpi")
	f.Add("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=a.b.c", "")
	f.Add("client_id=a&client_id=b", "basic   YTpi")
	f.Add("%zz", "Basic %%%")
	f.Add("", "Basic Og==")
	f.Fuzz(func(t *testing.T, body, authz string) {
		r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		c, e := extractCredentials(r, 1<<10)
		if e != nil {
			if e.Code != CodeInvalidRequest || e.Status != http.StatusBadRequest {
				t.Fatalf("extraction refused with %v", e)
			}
			return
		}
		if len(body) <= 1<<10 {
			var sb strings.Builder
			buf := make([]byte, 512)
			for {
				n, err := r.Body.Read(buf)
				sb.Write(buf[:n])
				if err != nil {
					break
				}
			}
			if sb.String() != body {
				t.Fatalf("body after extraction = %q, want %q", sb.String(), body)
			}
		}
		kind, _, e := decideMethod(c)
		if e == nil && kind == 0 {
			t.Fatal("no method and no error")
		}
		if e != nil && e.Code != CodeInvalidRequest && e.Code != CodeInvalidClient {
			t.Fatalf("decide refused with %v", e)
		}
	})
}

// FuzzParseAssertion: any string is parsed into an assertion or refused as
// invalid_client, never a panic, and "none" never parses.
func FuzzParseAssertion(f *testing.F) {
	f.Add("eyJhbGciOiJub25lIn0.eyJpc3MiOiJhIn0.")
	f.Add("eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhIiwic3ViIjoiYSIsImF1ZCI6WyJ4Il0sImV4cCI6MX0.c2ln")
	f.Add("eyJhbGciOiJSUzI1NiIsImp3ayI6e319.e30.c2ln")
	f.Add("a.b.c")
	f.Add("....")
	algs := []jose.SignatureAlgorithm{jose.RS256, jose.ES256, jose.HS256, jose.EdDSA}
	rules := claimRules{issuer: "https://as.example.com", skew: time.Second, maxLifetime: time.Minute}
	f.Fuzz(func(t *testing.T, raw string) {
		a, e := parseAssertion(raw, DefaultMaxAssertionBytes, algs)
		if e != nil {
			if e.Code != CodeInvalidClient {
				t.Fatalf("refused with %v", e)
			}
			return
		}
		if !containsAlg(algs, a.alg) {
			t.Fatalf("parsed alg %q not in the allow-list", a.alg)
		}
		_, _, _ = a.checkClaims(rules, "", time.Unix(1e9, 0))
	})
}
