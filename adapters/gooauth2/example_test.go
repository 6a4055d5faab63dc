package gooauth2_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/go-oauth2/oauth2/v4/manage"
	"github.com/go-oauth2/oauth2/v4/server"
	"github.com/go-oauth2/oauth2/v4/store"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/adapters/gooauth2"
	"github.com/oauthreg/oauthreg/memstore"
)

// A go-oauth2 token endpoint whose clients and secrets live in oauthreg.
func ExampleNewClientStore() {
	ctx := context.Background()
	reg, err := oauthreg.New(memstore.New())
	if err != nil {
		panic(err)
	}
	client, secret, err := reg.Register(ctx, oauthreg.Client{
		Owner:      "org-acme",
		Name:       "billing-service",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		Scopes:     []string{"invoices:read"},
	})
	if err != nil {
		panic(err)
	}

	// The wiring.
	clients, err := gooauth2.NewClientStore(reg)
	if err != nil {
		panic(err)
	}
	manager := manage.NewDefaultManager()
	manager.MustTokenStorage(store.NewMemoryTokenStore())
	manager.MapClientStorage(clients)
	manager.SetValidateURIHandler(gooauth2.ValidateURI)
	srv := server.NewDefaultServer(manager)
	srv.SetClientInfoHandler(clients.ClientInfoHandler(server.ClientBasicHandler))
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = srv.HandleTokenRequest(w, r)
	}))
	defer ts.Close()

	// A client asks for a token, with the right secret and a wrong one.
	for _, s := range []string{secret.Reveal(), "wrong"} {
		req, _ := http.NewRequest(http.MethodPost, ts.URL,
			strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(client.ID, s)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		var body struct {
			TokenType string `json:"token_type"`
			Error     string `json:"error"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, body.TokenType+body.Error)
	}
	// Output:
	// 200 Bearer
	// 401 invalid_client
}
