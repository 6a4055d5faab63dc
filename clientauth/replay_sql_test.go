package clientauth_test

import (
	"context"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/oauthregtest"
	"github.com/oauthreg/oauthreg/sqlstore"
)

// TestReplayAcrossRegistriesOnOneDatabase: two server replicas — two
// Stores, two Registries, two Authenticators — on one database, each with
// the Store as its replay cache: an assertion one accepted, the other
// refuses.
func TestReplayAcrossRegistriesOnOneDatabase(t *testing.T) {
	for _, eng := range testdb.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			eng.Require(t)
			db := eng.Open(t)
			ctx := context.Background()
			key, _ := oauthreg.GenerateKey("k1", oauthreg.AES256GCM)
			ring, _ := oauthreg.NewKeyRing(key)
			clock := oauthregtest.NewClock(oauthregtest.Epoch)
			var auths []*clientauth.Authenticator
			var regs []*oauthreg.Registry
			for range 2 {
				st, err := sqlstore.New(db, eng.Dialect)
				if err != nil {
					t.Fatal(err)
				}
				if err := st.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				reg, err := oauthreg.New(st, oauthreg.WithKeyRing(ring), oauthreg.WithClock(clock.Now))
				if err != nil {
					t.Fatal(err)
				}
				a, err := clientauth.New(reg, clientauth.WithIssuer(testIssuer), clientauth.WithClock(clock.Now), clientauth.WithReplayCache(st))
				if err != nil {
					t.Fatal(err)
				}
				regs, auths = append(regs, reg), append(auths, a)
			}
			c, secret, err := regs[0].Register(ctx, oauthreg.Client{Owner: "org", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
				TokenEndpointAuthMethod: oauthreg.AuthClientSecretJWT})
			if err != nil {
				t.Fatal(err)
			}
			tok := sign(t, jose.HS256, []byte(secret.Reveal()), "", validClaims(c.ID, clock.Now()))
			if _, _, err := auths[0].Authenticate(formRequest(assertionForm(tok))); err != nil {
				t.Fatalf("replica 1: %v", err)
			}
			_, _, err = auths[1].Authenticate(formRequest(assertionForm(tok)))
			if ce := wantError(t, err, clientauth.CodeInvalidClient, 401); ce.Reason != clientauth.ReasonReplayed {
				t.Errorf("replica 2: reason %q, want replayed", ce.Reason)
			}
			fresh := sign(t, jose.HS256, []byte(secret.Reveal()), "", validClaims(c.ID, clock.Now()))
			if _, _, err := auths[1].Authenticate(formRequest(assertionForm(fresh))); err != nil {
				t.Errorf("replica 2, a fresh assertion: %v", err)
			}

			// private_key_jwt, its JWK Set stored in the database.
			rs, _, _, _ := testKeys(t)
			pk, _, err := regs[1].Register(ctx, oauthreg.Client{Owner: "org", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
				TokenEndpointAuthMethod: oauthreg.AuthPrivateKeyJWT, JWKS: jwksOf(t, rs)})
			if err != nil {
				t.Fatal(err)
			}
			tok = sign(t, rs.alg, rs.private, rs.kid, validClaims(pk.ID, clock.Now()))
			if _, _, err := auths[1].Authenticate(formRequest(assertionForm(tok))); err != nil {
				t.Fatalf("replica 2, private_key_jwt: %v", err)
			}
			_, _, err = auths[0].Authenticate(formRequest(assertionForm(tok)))
			if ce := wantError(t, err, clientauth.CodeInvalidClient, 401); ce.Reason != clientauth.ReasonReplayed {
				t.Errorf("replica 1, replayed private_key_jwt: reason %q, want replayed", ce.Reason)
			}
		})
	}
}
