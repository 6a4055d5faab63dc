package oauthreg_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/oauthreg/oauthreg"
)

func ExampleRegistry_ImportClients() {
	ctx := context.Background()
	reg := newExampleRegistry()

	// Two clients moved in from other servers: one with the bcrypt hash
	// Spring Authorization Server kept, one with the plaintext a Keycloak
	// realm export holds (hashed with argon2id on the way in, and the
	// buffer zeroed).
	batch := []oauthreg.ClientImport{
		{Client: oauthreg.Client{ID: "billing", Owner: "org-acme", Scopes: []string{"invoices.read"}},
			Secrets: []oauthreg.SecretImport{{Hash: "{bcrypt}$2a$10$nVkFUbqjg3V/b8dm4LCCi.Un2GdDRpKdaOr3iFgQzcYGxVfQ1Jpkm"}}},
		{Client: oauthreg.Client{ID: "reports", Owner: "org-acme"},
			Secrets: []oauthreg.SecretImport{{Plaintext: []byte("kc-generated-client-secret")}}},
	}
	// A dry run first: the same checks, nothing stored.
	if _, err := reg.ImportClients(ctx, batch, oauthreg.ImportOptions{DryRun: true}); err != nil {
		fmt.Println("refused:", err)
		return
	}
	batch[1].Secrets[0].Plaintext = []byte("kc-generated-client-secret") // the dry run zeroed it
	res, err := reg.ImportClients(ctx, batch, oauthreg.ImportOptions{})
	fmt.Println(err, res.Written, len(res.Clients))

	_, err = reg.Authenticate(ctx, "billing", "spring-client-secret")
	fmt.Println(err == nil)

	// Importing them again is refused as a whole, with the reason of each.
	_, err = reg.ImportClients(ctx, []oauthreg.ClientImport{{Client: oauthreg.Client{ID: "new-one"}}, {Client: oauthreg.Client{ID: "billing"}}}, oauthreg.ImportOptions{})
	var refused *oauthreg.ImportError
	if errors.As(err, &refused) {
		for _, r := range refused.Refused {
			fmt.Println(r.Index, r.ClientID, errors.Is(r.Err, oauthreg.ErrAlreadyExists))
		}
	}
	_, err = reg.Get(ctx, "new-one")
	fmt.Println(errors.Is(err, oauthreg.ErrNotFound))
	// Output:
	// <nil> true 2
	// true
	// 1 billing true
	// true
}
