package oauthreg_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// A clock fixed in time, so the examples print the same thing every run.
var exampleNow = time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)

func newExampleRegistry() *oauthreg.Registry {
	reg, err := oauthreg.New(memstore.New(), oauthreg.WithClock(func() time.Time { return exampleNow }))
	if err != nil {
		panic(err)
	}
	return reg
}

func ExampleRegistry_Register() {
	ctx := context.Background()
	reg := newExampleRegistry()

	client, secret, err := reg.Register(ctx, oauthreg.Client{
		Owner:      "org-acme",
		Name:       "billing-service",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		Scopes:     []string{"invoices:read"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Hand secret.Reveal() to the client's owner now: it is not stored.
	fmt.Println(client.Name, client.TokenEndpointAuthMethod, len(client.Secrets))
	fmt.Println("printed by accident:", secret)
	// Output:
	// billing-service client_secret_basic 1
	// printed by accident: [REDACTED]
}

func ExampleRegistry_Authenticate() {
	ctx := context.Background()
	reg := newExampleRegistry()
	client, secret, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme", Scopes: []string{"read"}})

	// In the token endpoint, with the credentials from HTTP Basic or the form:
	c, err := reg.Authenticate(ctx, client.ID, secret.Reveal())
	fmt.Println(err == nil, c.HasScope("read"))

	_, err = reg.Authenticate(ctx, client.ID, "not-the-secret")
	fmt.Println(errors.Is(err, oauthreg.ErrInvalidCredentials))
	// Output:
	// true true
	// true
}

func ExampleRegistry_RotateSecret() {
	ctx := context.Background()
	reg, _ := oauthreg.New(memstore.New(),
		oauthreg.WithClock(func() time.Time { return exampleNow }),
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour}))
	client, old, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme"})

	next, err := reg.RotateSecret(ctx, client.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, errOld := reg.Authenticate(ctx, client.ID, old.Reveal())
	_, errNew := reg.Authenticate(ctx, client.ID, next.Reveal())
	fmt.Println("inside the grace period, old works:", errOld == nil, "new works:", errNew == nil)

	exampleNow = exampleNow.Add(time.Hour)
	defer func() { exampleNow = exampleNow.Add(-time.Hour) }()
	_, errOld = reg.Authenticate(ctx, client.ID, old.Reveal())
	fmt.Println("after it, old works:", errOld == nil)
	// Output:
	// inside the grace period, old works: true new works: true
	// after it, old works: false
}

func ExampleRegistry_RegenerateSecret() {
	ctx := context.Background()
	reg := newExampleRegistry()
	client, leaked, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme"})

	fresh, _ := reg.RegenerateSecret(ctx, client.ID)
	_, errLeaked := reg.Authenticate(ctx, client.ID, leaked.Reveal())
	_, errFresh := reg.Authenticate(ctx, client.ID, fresh.Reveal())
	fmt.Println("leaked secret works:", errLeaked == nil, "fresh secret works:", errFresh == nil)
	// Output:
	// leaked secret works: false fresh secret works: true
}

func ExampleRegistry_Update() {
	ctx := context.Background()
	reg := newExampleRegistry()
	client, _, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme", Scopes: []string{"read"}})

	updated, err := reg.Update(ctx, client.ID, func(c *oauthreg.Client) error {
		c.Scopes = append(c.Scopes, "write")
		c.Disabled = true // e.g. during an incident
		return nil
	})
	fmt.Println(err, updated.Scopes, updated.Disabled, updated.Version)

	_, err = reg.Update(ctx, client.ID, func(c *oauthreg.Client) error {
		c.RedirectURIs = []string{"http://example.com/callback"} // not https, not loopback
		c.GrantTypes = append(c.GrantTypes, oauthreg.GrantAuthorizationCode)
		c.ResponseTypes = []oauthreg.ResponseType{oauthreg.ResponseCode}
		return nil
	})
	var ve *oauthreg.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Code)
	// Output:
	// <nil> [read write] true 2
	// true invalid_redirect_uri
}

func ExampleRegistry_List() {
	ctx := context.Background()
	reg := newExampleRegistry()
	for _, name := range []string{"a", "b", "c"} {
		reg.Register(ctx, oauthreg.Client{Owner: "org-acme", Name: name})
	}
	reg.Register(ctx, oauthreg.Client{Owner: "org-other", Name: "x"})

	q := oauthreg.ListQuery{Owner: "org-acme", Limit: 2}
	for {
		page, err := reg.List(ctx, q)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, c := range page.Clients {
			fmt.Print(c.Name, " ")
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	fmt.Println()
	// Output:
	// a b c
}

func ExampleRegistry_AddSecret() {
	ctx := context.Background()
	reg := newExampleRegistry()
	client, _, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme"})

	// A secret the client already uses with the system being replaced.
	rec, err := reg.AddSecret(ctx, client.ID, "legacy-secret-from-old-idp")
	fmt.Println(err, rec.Kind)
	_, err = reg.Authenticate(ctx, client.ID, "legacy-secret-from-old-idp")
	fmt.Println(err == nil)
	// Output:
	// <nil> supplied
	// true
}

func ExampleRegistry_ImportSecret() {
	ctx := context.Background()
	reg := newExampleRegistry()
	client, _, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme"})

	// A hash exported from a Spring Authorization Server database: the
	// client keeps its secret through the migration.
	const springHash = "{bcrypt}$2a$10$nVkFUbqjg3V/b8dm4LCCi.Un2GdDRpKdaOr3iFgQzcYGxVfQ1Jpkm"
	rec, err := reg.ImportSecret(ctx, client.ID, springHash)
	fmt.Println(err, rec.Kind)

	_, err = reg.Authenticate(ctx, client.ID, "spring-client-secret")
	fmt.Println(err == nil)

	// On that first success the bcrypt hash was replaced by argon2id.
	c, _ := reg.Get(ctx, client.ID)
	s, _ := c.Secret(rec.ID)
	fmt.Println(strings.HasPrefix(s.Hash.Reveal(), "$argon2id$"))

	_, err = reg.ImportSecret(ctx, client.ID, "$md5$not-supported")
	fmt.Println(errors.Is(err, oauthreg.ErrUnsupportedHash))
	// Output:
	// <nil> imported
	// true
	// true
	// true
}

func ExampleRegistry_ExpiringSecrets() {
	ctx := context.Background()
	reg, _ := oauthreg.New(memstore.New(),
		oauthreg.WithClock(func() time.Time { return exampleNow }),
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{SecretLifetime: 90 * 24 * time.Hour}))
	client, _, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme", Name: "reports"})

	soon, _ := reg.ExpiringSecrets(ctx, 91*24*time.Hour)
	for _, s := range soon {
		fmt.Println(s.ClientID == client.ID, s.ExpiresAt.Format(time.DateOnly))
	}
	// Output:
	// true 2030-04-01
}

func ExampleRegistry_As() {
	ctx := context.Background()
	reg, _ := oauthreg.New(memstore.New(),
		oauthreg.WithClock(func() time.Time { return exampleNow }),
		// acme has two teams; the library asks the tree for parents.
		oauthreg.WithOrgTree(oauthreg.MapOrgTree{"acme-payments": "acme", "acme-search": "acme"}))
	client, _, _ := reg.Register(ctx, oauthreg.Client{Owner: "acme-payments", Name: "ledger"})

	// An org admin of the parent organization reaches the team's client.
	admin := reg.As(oauthreg.UserPrincipal("alice", "acme", oauthreg.RoleOrgAdmin))
	_, err := admin.RotateSecret(ctx, client.ID)
	fmt.Println("acme admin rotates:", err)

	// A member of the team may read but not regenerate (VMware CSP's table).
	member := reg.As(oauthreg.UserPrincipal("bob", "acme-payments", oauthreg.RoleMember))
	_, err = member.RegenerateSecret(ctx, client.ID)
	fmt.Println("payments member regenerates:", errors.Is(err, oauthreg.ErrForbidden))

	// The sibling team does not even see it.
	sibling := reg.As(oauthreg.UserPrincipal("carol", "acme-search", oauthreg.RoleOrgOwner))
	_, err = sibling.Get(ctx, client.ID)
	fmt.Println("search owner reads:", errors.Is(err, oauthreg.ErrNotFound))
	// Output:
	// acme admin rotates: <nil>
	// payments member regenerates: true
	// search owner reads: true
}

func ExampleRegistry_RevealSecret() {
	ctx := context.Background()
	// In production, load the key from your secret manager; never store it
	// in the database next to the sealed secrets.
	key, _ := oauthreg.GenerateKey("2030-01", oauthreg.AES256GCM)
	ring, _ := oauthreg.NewKeyRing(key)
	reg, _ := oauthreg.New(memstore.New(), oauthreg.WithKeyRing(ring))

	client, issued, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme"})
	again, err := reg.RevealSecret(ctx, client.ID, issued.ID())
	fmt.Println(err, again.Reveal() == issued.Reveal())

	// Without a key ring, only hashes are kept.
	hashesOnly := newExampleRegistry()
	c2, s2, _ := hashesOnly.Register(ctx, oauthreg.Client{Owner: "org-acme"})
	_, err = hashesOnly.RevealSecret(ctx, c2.ID, s2.ID())
	fmt.Println(errors.Is(err, oauthreg.ErrNotRetrievable))
	// Output:
	// <nil> true
	// true
}

func ExampleSlogObserver() {
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "client_id" || a.Key == "secret_id" {
				return slog.Attr{} // keep the example's output stable
			}
			return a
		},
	}))
	reg, _ := oauthreg.New(memstore.New(),
		oauthreg.WithClock(func() time.Time { return exampleNow }),
		oauthreg.WithObserver(oauthreg.SlogObserver(logger)))

	client, _, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme"})
	reg.Authenticate(ctx, client.ID, "guess-guess-guess")
	// Output:
	// level=INFO msg=oauthreg event=client.created owner=org-acme version=1 at=2030-01-01T09:00:00.000Z
	// level=INFO msg=oauthreg event=secret.issued owner=org-acme version=1 at=2030-01-01T09:00:00.000Z
	// level=WARN msg=oauthreg event=auth.failed owner=org-acme reason=unknown_secret at=2030-01-01T09:00:00.000Z
}

func ExampleRegistry_PurgeExpired() {
	ctx := context.Background()
	reg := newExampleRegistry()
	client, _, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme"})
	reg.RegenerateSecret(ctx, client.ID) // the first secret is revoked

	// A daily job keeps 30 days of history.
	exampleNow = exampleNow.Add(31 * 24 * time.Hour)
	defer func() { exampleNow = exampleNow.Add(-31 * 24 * time.Hour) }()
	n, err := reg.PurgeExpired(ctx, 30*24*time.Hour)
	fmt.Println(n, err)
	// Output:
	// 1 <nil>
}

// An admin API shows what is in force for a client that inherits the
// Registry's settings, such as VMware CPN's accessTokenTTL and
// secretRotationExpirationInSeconds.
func ExampleRegistry_EffectiveRotationPolicy() {
	ctx := context.Background()
	reg, _ := oauthreg.New(memstore.New(),
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: 2 * time.Hour, MaxActiveSecrets: 2}),
		oauthreg.WithTokenTTLs(45*time.Minute, 48*time.Hour))
	client, _, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme"})

	fmt.Println("own policy:", client.RotationPolicy != nil, "own access TTL:", client.Lifetimes.AccessToken)
	fmt.Println("secretRotationExpirationInSeconds:", reg.EffectiveRotationPolicy(client).GracePeriod.Seconds())
	fmt.Println("accessTokenTTL:", reg.EffectiveTokenLifetime(client, oauthreg.GrantClientCredentials, oauthreg.TokenAccess).Seconds())
	// Output:
	// own policy: false own access TTL: 0s
	// secretRotationExpirationInSeconds: 7200
	// accessTokenTTL: 2700
}
