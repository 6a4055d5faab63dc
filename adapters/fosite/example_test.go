package oauthregfosite_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/storage"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/oauthreg/oauthreg"
	oauthregfosite "github.com/oauthreg/oauthreg/adapters/fosite"
	"github.com/oauthreg/oauthreg/memstore"
)

// store is the storage the fosite provider is composed with: fosite's
// in-memory token storage, with the client methods sent to the adapter.
type store struct {
	*storage.MemoryStore
	*oauthregfosite.ClientManager
}

func (s *store) GetClient(ctx context.Context, id string) (fosite.Client, error) {
	return s.ClientManager.GetClient(ctx, id)
}

func (s *store) ClientAssertionJWTValid(ctx context.Context, jti string) error {
	return s.ClientManager.ClientAssertionJWTValid(ctx, jti)
}

func (s *store) SetClientAssertionJWT(ctx context.Context, jti string, exp time.Time) error {
	return s.ClientManager.SetClientAssertionJWT(ctx, jti, exp)
}

// tokenEndpoint is a fosite token endpoint that grants the scopes asked for
// (fosite has checked them against the client's).
func tokenEndpoint(provider fosite.OAuth2Provider) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		req, err := provider.NewAccessRequest(ctx, r, new(fosite.DefaultSession))
		if err != nil {
			provider.WriteAccessError(ctx, w, req, err)
			return
		}
		for _, scope := range req.GetRequestedScopes() {
			req.GrantScope(scope)
		}
		resp, err := provider.NewAccessResponse(ctx, req)
		if err != nil {
			provider.WriteAccessError(ctx, w, req, err)
			return
		}
		provider.WriteAccessResponse(ctx, w, req, resp)
	})
}

// A fosite server whose clients live in an oauthreg Registry serves a
// client_credentials request, and refuses a wrong secret.
func Example() {
	ctx := context.Background()
	reg, err := oauthreg.New(memstore.New())
	if err != nil {
		panic(err)
	}
	client, secret, err := reg.Register(ctx, oauthreg.Client{
		Name:   "billing-service",
		Scopes: []string{"invoices:read"},
	})
	if err != nil {
		panic(err)
	}

	// The wiring: the ClientManager in the storage, its Hasher in the
	// config, and (optionally) its authentication strategy.
	clients := oauthregfosite.New(reg)
	config := &fosite.Config{
		GlobalSecret:        []byte("some-cool-secret-that-is-32bytes"),
		ClientSecretsHasher: clients.Hasher(),
	}
	st := &store{MemoryStore: storage.NewMemoryStore(), ClientManager: clients}
	config.ClientAuthenticationStrategy = clients.AuthenticationStrategy(config, st)
	provider := compose.Compose(config, st,
		compose.NewOAuth2HMACStrategy(config),
		compose.OAuth2ClientCredentialsGrantFactory)

	srv := httptest.NewServer(tokenEndpoint(provider))
	defer srv.Close()

	cc := clientcredentials.Config{
		ClientID:     client.ID,
		ClientSecret: secret.Reveal(),
		TokenURL:     srv.URL + "/oauth2/token",
		Scopes:       []string{"invoices:read"},
		AuthStyle:    oauth2.AuthStyleInHeader,
	}
	tok, err := cc.Token(ctx)
	fmt.Println("token issued:", err == nil && tok.AccessToken != "")

	cc.ClientSecret = "not-the-secret"
	_, err = cc.Token(ctx)
	var re *oauth2.RetrieveError
	fmt.Println("wrong secret refused:", errors.As(err, &re) && re.ErrorCode == "invalid_client")
	// Output:
	// token issued: true
	// wrong secret refused: true
}
