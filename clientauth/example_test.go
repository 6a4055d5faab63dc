package clientauth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
	"github.com/oauthreg/oauthreg/memstore"
)

// A token endpoint that authenticates its clients with clientauth.
func Example() {
	reg, _ := oauthreg.New(memstore.New())
	client, secret, _ := reg.Register(context.Background(), oauthreg.Client{
		ID: "billing", Owner: "acme", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		TokenEndpointAuthMethod: oauthreg.AuthClientSecretPost,
	})
	auth, err := clientauth.New(reg, clientauth.WithIssuer("https://as.example.com"))
	if err != nil {
		panic(err)
	}
	token := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, method, err := auth.Authenticate(r)
		if err != nil {
			clientauth.WriteError(w, err)
			return
		}
		_ = r.ParseForm() // the body is still readable
		fmt.Fprintf(w, "%s by %s asks for %s", c.ID, method, r.PostForm.Get("grant_type"))
	})

	for _, s := range []string{secret.Reveal(), "wrong"} {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {client.ID}, "client_secret": {s}}
		r := httptest.NewRequest("POST", "/token", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		token.ServeHTTP(w, r)
		fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// 200 billing by client_secret_post asks for client_credentials
	// 401 {"error":"invalid_client","error_description":"client authentication failed: check the client_id, that the client is registered with token_endpoint_auth_method client_secret_post, and that its secret is current (not rotated out, revoked or expired)"}
}

// Several server replicas share one replay cache, so an assertion one of
// them accepted is refused by the others: with sqlstore, the Store itself.
// A single process can keep the default, a MemoryReplayCache.
func ExampleNewMemoryReplayCache() {
	rc := clientauth.NewMemoryReplayCache(nil)
	ctx := context.Background()
	exp := time.Now().Add(time.Minute)
	first, _ := rc.UseOnce(ctx, "billing", "jti-1", exp)
	again, _ := rc.UseOnce(ctx, "billing", "jti-1", exp)
	fmt.Println(first, again)
	// Output: true false
}

// Clients that registered a jwks_uri are served through a KeyFetcher; the
// ready-made one fetches over https only and refuses private addresses.
func ExampleNewHTTPKeyFetcher() {
	reg, _ := oauthreg.New(memstore.New())
	auth, err := clientauth.New(reg,
		clientauth.WithIssuer("https://as.example.com"),
		clientauth.WithKeyFetcher(clientauth.NewHTTPKeyFetcher(
			clientauth.WithCacheTTL(10*time.Minute),
			clientauth.WithFetchTimeout(3*time.Second))))
	fmt.Println(auth != nil, err)
	// Output: true <nil>
}

// WriteError answers a failed authentication as RFC 6749 §5.2 says, with a
// challenge on every 401.
func ExampleWriteError() {
	reg, _ := oauthreg.New(memstore.New())
	auth, _ := clientauth.New(reg, clientauth.WithRealm("example"))
	r := httptest.NewRequest("POST", "/token", strings.NewReader("grant_type=client_credentials"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, _, err := auth.Authenticate(r)
	w := httptest.NewRecorder()
	clientauth.WriteError(w, err)
	fmt.Println(w.Code, w.Header().Get("WWW-Authenticate"))
	// Output: 401 Basic realm="example", charset="UTF-8"
}
