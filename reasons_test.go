package oauthreg_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// failureReasons returns a Registry over store and a function that
// authenticates and returns the reason of the auth.failed event.
func failureReasons(t *testing.T, store oauthreg.Store, opts ...oauthreg.Option) func(clientID, secret string) oauthreg.FailureReason {
	t.Helper()
	var got []oauthreg.Event
	opts = append(opts, oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) { got = append(got, e) })))
	reg, err := oauthreg.New(store, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return func(clientID, secret string) oauthreg.FailureReason {
		t.Helper()
		got = got[:0]
		if _, err := reg.Authenticate(ctx, clientID, secret); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
			t.Fatalf("Authenticate(%q): %v, want ErrInvalidCredentials", clientID, err)
		}
		if len(got) != 1 || got[0].Type != oauthreg.EventAuthFailed {
			t.Fatalf("events %+v, want one auth.failed", got)
		}
		return got[0].Reason
	}
}

// A secret hashed under a pepper the server no longer has cannot be
// checked at all: that is a misconfiguration the operator must see, not a
// wrong secret.
func TestAuthenticateUnknownPepperHasItsOwnReason(t *testing.T) {
	store := memstore.New()
	old, err := oauthreg.New(store, oauthreg.WithPepper("2024", []byte("0123456789abcdef0123")))
	if err != nil {
		t.Fatal(err)
	}
	c, s, err := old.Register(ctx, oauthreg.Client{Owner: "org"})
	if err != nil {
		t.Fatal(err)
	}
	// The server restarted with a new pepper and without the old one.
	reason := failureReasons(t, store, oauthreg.WithPepper("2025", []byte("fedcba9876543210fedc")))
	if got := reason(c.ID, s.Reveal()); got != oauthreg.ReasonUnknownPepper {
		t.Errorf("right secret under a missing pepper: reason %q, want %q", got, oauthreg.ReasonUnknownPepper)
	}
	if got := reason(c.ID, oauthregtest.ForgeSameID(s.Reveal())); got != oauthreg.ReasonUnknownPepper {
		t.Errorf("other secret under a missing pepper: reason %q, want %q", got, oauthreg.ReasonUnknownPepper)
	}
	// With the old pepper retired, it verifies again.
	withOld, _ := oauthreg.New(store, oauthreg.WithPepper("2025", []byte("fedcba9876543210fedc")), oauthreg.WithRetiredPepper("2024", []byte("0123456789abcdef0123")))
	if _, err := withOld.Authenticate(ctx, c.ID, s.Reveal()); err != nil {
		t.Fatalf("with the old pepper retired: %v", err)
	}
	// Without any pepper, the same.
	c2, s2, _ := old.Register(ctx, oauthreg.Client{Owner: "org"})
	if got := failureReasons(t, store)(c2.ID, s2.Reveal()); got != oauthreg.ReasonUnknownPepper {
		t.Errorf("peppered hash, no pepper configured: reason %q, want %q", got, oauthreg.ReasonUnknownPepper)
	}
}

// A client that uses no secret — public, private_key_jwt, mutual TLS —
// presenting one fails with ReasonNoSecrets, as documented, whatever it
// presents.
func TestAuthenticateClientWithoutSecretsReportsNoSecrets(t *testing.T) {
	kit := oauthregtest.New(t)
	_, generated := kit.ConfidentialClient(t)
	store := kit.Store
	reg := kit.Registry
	public := kit.PublicClient(t)
	pkj, _, err := reg.Register(ctx, oauthreg.Client{Owner: "org", TokenEndpointAuthMethod: oauthreg.AuthPrivateKeyJWT, JWKSURI: "https://client.example.com/jwks.json"})
	if err != nil {
		t.Fatal(err)
	}
	mtls, _, err := reg.Register(ctx, oauthreg.Client{Owner: "org", TokenEndpointAuthMethod: oauthreg.AuthTLSClient, TLSClientAuthSubjectDN: "CN=client"})
	if err != nil {
		t.Fatal(err)
	}
	reason := failureReasons(t, store)
	for _, c := range []*oauthreg.Client{public, pkj, mtls} {
		for name, secret := range map[string]string{
			"generated secret of another client": generated.Reveal(),
			"supplied-looking secret":            "correct horse battery staple",
		} {
			if got := reason(c.ID, secret); got != oauthreg.ReasonNoSecrets {
				t.Errorf("%s client, %s: reason %q, want %q", c.TokenEndpointAuthMethod, name, got, oauthreg.ReasonNoSecrets)
			}
		}
	}
}
