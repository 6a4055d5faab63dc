package oauthreg_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/oauthreg/oauthreg"
)

// AuthenticateView checks credentials like Authenticate but hands back a
// read-only view: on memstore a success copies nothing, and the client is
// decoded only if the caller asks for it with Clone.
func ExampleRegistry_AuthenticateView() {
	ctx := context.Background()
	reg := newExampleRegistry()
	client, secret, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme", Name: "billing",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}, Scopes: []string{"invoices:read"}})

	// "" accepts client_secret_basic or client_secret_post, as
	// Authenticate does; name one to hold the client to it.
	view, err := reg.AuthenticateView(ctx, "", client.ID, secret.Reveal())
	fmt.Println(err == nil, view.ID() == client.ID, view.Owner())

	// The whole client, the caller's own, only when it is needed.
	fmt.Println(view.Clone().Scopes)

	_, err = reg.AuthenticateView(ctx, "", client.ID, "wrong")
	fmt.Println(errors.Is(err, oauthreg.ErrInvalidCredentials))
	// Output:
	// true true org-acme
	// [invoices:read]
	// true
}
