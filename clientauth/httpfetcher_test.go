package clientauth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
)

// keyServer serves *body over HTTPS on 127.0.0.1 and counts the requests.
func keyServer(t *testing.T, body *atomic.Value) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(body.Load().([]byte))
	}))
	t.Cleanup(ts.Close)
	return ts, &hits
}

// TestHTTPKeyFetcherRefusesPrivateAddresses: by default a jwks_uri on a
// loopback address is refused at dial time; the test option allows it.
func TestHTTPKeyFetcherRefusesPrivateAddresses(t *testing.T) {
	var body atomic.Value
	body.Store([]byte(`{"keys":[]}`))
	ts, hits := keyServer(t, &body)
	pool := ts.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	ctx := context.Background()

	f := clientauth.NewHTTPKeyFetcher(clientauth.WithRootCAs(pool))
	for _, uri := range []string{ts.URL + "/jwks", strings.Replace(ts.URL, "127.0.0.1", "localhost", 1) + "/jwks"} {
		if _, err := f.FetchKeys(ctx, uri, false); err == nil {
			t.Errorf("%s fetched by default", uri)
		}
	}
	if _, err := f.FetchKeys(ctx, "http://example.com/jwks", false); err == nil {
		t.Error("an http:// URI was fetched")
	}
	if hits.Load() != 0 {
		t.Errorf("the key server was reached %d times", hits.Load())
	}

	allowed := clientauth.NewHTTPKeyFetcher(clientauth.WithRootCAs(pool), clientauth.WithPrivateAddressesAllowed())
	got, err := allowed.FetchKeys(ctx, ts.URL+"/jwks", false)
	if err != nil || string(got) != `{"keys":[]}` {
		t.Fatalf("allowed fetch = %q, %v", got, err)
	}
}

// TestHTTPKeyFetcherLimits: a response over the size limit is refused; a
// slow server hits the timeout; refreshes are rate-limited.
func TestHTTPKeyFetcherLimits(t *testing.T) {
	var body atomic.Value
	body.Store([]byte(`{"keys":[` + strings.Repeat(" ", 2000) + `]}`))
	ts, hits := keyServer(t, &body)
	pool := ts.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	ctx := context.Background()
	small := clientauth.NewHTTPKeyFetcher(clientauth.WithRootCAs(pool), clientauth.WithPrivateAddressesAllowed(), clientauth.WithMaxResponseBytes(1000))
	if _, err := small.FetchKeys(ctx, ts.URL, false); err == nil {
		t.Error("a response over the limit was accepted")
	}

	slow := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	quick := clientauth.NewHTTPKeyFetcher(clientauth.WithRootCAs(slow.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs),
		clientauth.WithPrivateAddressesAllowed(), clientauth.WithFetchTimeout(100*time.Millisecond))
	start := time.Now()
	if _, err := quick.FetchKeys(ctx, slow.URL, false); err == nil {
		t.Error("a server that never answers gave keys")
	}
	if time.Since(start) > 1500*time.Millisecond {
		t.Errorf("the fetch took %v despite a 100ms timeout", time.Since(start))
	}

	body.Store([]byte(`{"keys":[]}`))
	f := clientauth.NewHTTPKeyFetcher(clientauth.WithRootCAs(pool), clientauth.WithPrivateAddressesAllowed(), clientauth.WithMinRefreshInterval(time.Hour))
	hits.Store(0)
	for range 5 {
		if _, err := f.FetchKeys(ctx, ts.URL+"/r", true); err != nil {
			t.Fatal(err)
		}
	}
	if hits.Load() != 1 {
		t.Errorf("5 refresh requests within the interval made %d fetches, want 1", hits.Load())
	}
}

// TestJWKSURI: a client registered with a jwks_uri authenticates through
// the fetcher; after it rotates its key, an assertion with the new kid makes
// the fetcher refetch once; without a fetcher the client cannot
// authenticate.
func TestJWKSURI(t *testing.T) {
	rs, es, _, _ := testKeys(t)
	var body atomic.Value
	body.Store([]byte(jwksOf(t, rs)))
	ts, hits := keyServer(t, &body)
	pool := ts.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	fetcher := clientauth.NewHTTPKeyFetcher(clientauth.WithRootCAs(pool), clientauth.WithPrivateAddressesAllowed(), clientauth.WithMinRefreshInterval(time.Nanosecond))
	e := newEnv(t, clientauth.WithKeyFetcher(fetcher))
	c, _ := e.kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.TokenEndpointAuthMethod = oauthreg.AuthPrivateKeyJWT
		c.JWKSURI = ts.URL + "/jwks.json"
	})
	now := e.kit.Clock.Now()
	if _, _, err := e.auth.Authenticate(formRequest(assertionForm(sign(t, rs.alg, rs.private, rs.kid, validClaims(c.ID, now))))); err != nil {
		t.Fatalf("jwks_uri: %v", err)
	}
	body.Store([]byte(jwksOf(t, rs, es)))
	before := hits.Load()
	if _, _, err := e.auth.Authenticate(formRequest(assertionForm(sign(t, es.alg, es.private, es.kid, validClaims(c.ID, now))))); err != nil {
		t.Fatalf("rotated key: %v", err)
	}
	if hits.Load() != before+1 {
		t.Errorf("the new kid made %d fetches, want 1", hits.Load()-before)
	}

	noFetcher := newEnvOn(t, e)
	_, _, err := noFetcher.Authenticate(formRequest(assertionForm(sign(t, rs.alg, rs.private, rs.kid, validClaims(c.ID, now)))))
	var ce *clientauth.Error
	if !errors.As(err, &ce) || ce.Reason != clientauth.ReasonKeysUnavailable {
		t.Errorf("without a fetcher: %v", err)
	}
}

// TestHTTPKeyFetcherErrorsAreSanitized: a jwks_uri is the client's choice;
// errors (and so logs) name it as the project's sanitizer writes it, so
// an operator sees which client's key server failed, and nothing the client
// put in the URL reaches a log unescaped.
func TestHTTPKeyFetcherErrorsAreSanitized(t *testing.T) {
	uri := "https://127.0.0.1/jwks?x=\u202e\"quoted\""
	_, err := clientauth.NewHTTPKeyFetcher().FetchKeys(context.Background(), uri, false)
	if err == nil {
		t.Fatal("fetched")
	}
	if !strings.Contains(err.Error(), oauthreg.SanitizeInput(uri)) || strings.ContainsAny(err.Error(), "\u202e") {
		t.Errorf("error %q does not name the URI as SanitizeInput writes it (%q)", err, oauthreg.SanitizeInput(uri))
	}
}
