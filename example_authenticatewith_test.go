package oauthreg_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/oauthreg/oauthreg"
)

// AuthenticateWith is Authenticate for a token endpoint that knows how the
// request carried the credentials: a client registered for
// client_secret_basic (HTTP Basic) is refused when it sends them in the
// form body (client_secret_post), and the other way round (RFC 6749 §2.3.1;
// OpenID Connect Dynamic Client Registration's token_endpoint_auth_method).
// HTTPStatus says what to answer.
func ExampleRegistry_AuthenticateWith() {
	ctx := context.Background()
	reg := newExampleRegistry()
	client, secret, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme", Name: "billing",
		TokenEndpointAuthMethod: oauthreg.AuthClientSecretBasic,
		GrantTypes:              []oauthreg.GrantType{oauthreg.GrantClientCredentials}})

	// The request had an Authorization: Basic header.
	_, err := reg.AuthenticateWith(ctx, oauthreg.AuthClientSecretBasic, client.ID, secret.Reveal())
	fmt.Println("basic:", oauthreg.HTTPStatus(err))

	// The same credentials in the form body: refused, like a wrong secret.
	_, err = reg.AuthenticateWith(ctx, oauthreg.AuthClientSecretPost, client.ID, secret.Reveal())
	fmt.Println("post:", oauthreg.HTTPStatus(err), errors.Is(err, oauthreg.ErrInvalidCredentials))

	// An unknown client: the same answer.
	_, err = reg.AuthenticateWith(ctx, oauthreg.AuthClientSecretBasic, "nobody", secret.Reveal())
	fmt.Println("unknown:", oauthreg.HTTPStatus(err) == http.StatusUnauthorized)
	// Output:
	// basic: 200
	// post: 401 true
	// unknown: true
}

// HTTPStatus maps every error of the Registry to the status an admin API
// answers.
func ExampleHTTPStatus() {
	ctx := context.Background()
	reg := newExampleRegistry()
	_, err := reg.Get(ctx, "no-such-client")
	fmt.Println(oauthreg.HTTPStatus(err))
	_, _, err = reg.Register(ctx, oauthreg.Client{Owner: "org-acme", RedirectURIs: []string{"https://app.example/cb#fragment"}})
	fmt.Println(oauthreg.HTTPStatus(err))
	// Output:
	// 404
	// 400
}
