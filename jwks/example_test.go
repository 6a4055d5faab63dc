package jwks_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/jwks"
	"github.com/oauthreg/oauthreg/memstore"
)

// A Registry that parses every client's JWK Set, and a private_key_jwt
// client with an EC key, its own access token lifetime and a longer refresh
// token lifetime for the refresh_token grant.
func ExampleValidator() {
	ctx := context.Background()
	reg, err := oauthreg.New(memstore.New(), oauthreg.WithKeySetValidator(jwks.Validator{}))
	if err != nil {
		panic(err)
	}

	// The client's developer keeps the private key; oauthreg gets the
	// public half as a JWK Set.
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	set, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &key.PublicKey, KeyID: "2030-01", Algorithm: "ES256", Use: "sig"},
	}})

	client, _, err := reg.Register(ctx, oauthreg.Client{
		Owner:                       "org-acme",
		Name:                        "web app",
		RedirectURIs:                []string{"https://app.example.com/cb"},
		GrantTypes:                  []oauthreg.GrantType{oauthreg.GrantAuthorizationCode, oauthreg.GrantRefreshToken},
		TokenEndpointAuthMethod:     oauthreg.AuthPrivateKeyJWT,
		JWKS:                        set,
		TokenEndpointAuthSigningAlg: "ES256",
		Lifetimes: oauthreg.TokenLifetimes{
			AccessToken: 15 * time.Minute,
			Grants: map[oauthreg.GrantType]oauthreg.GrantLifetimes{
				oauthreg.GrantRefreshToken: {RefreshToken: 30 * 24 * time.Hour},
			},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(client.TokenEndpointAuthMethod, len(client.Secrets), "secrets")
	fmt.Println(reg.EffectiveTokenLifetime(client, oauthreg.GrantAuthorizationCode, oauthreg.TokenAccess))
	fmt.Println(reg.EffectiveTokenLifetime(client, oauthreg.GrantRefreshToken, oauthreg.TokenRefresh))
	fmt.Println(reg.EffectiveTokenLifetime(client, oauthreg.GrantAuthorizationCode, oauthreg.TokenRefresh), "(the Registry's)")

	// A private key in the set is refused, and so is the whole client.
	private, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key, KeyID: "oops"}}})
	_, err = reg.Update(ctx, client.ID, func(c *oauthreg.Client) error { c.JWKS = private; return nil })
	var ve *oauthreg.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field, ve.Code)
	// Output:
	// private_key_jwt 0 secrets
	// 15m0s
	// 720h0m0s
	// 240h0m0s (the Registry's)
	// true jwks.keys[0] invalid_client_metadata
}
