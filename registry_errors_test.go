package oauthreg_test

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// This file holds README's "Errors by method" table to the code: every
// error the table lists for a method is triggered through that method and
// its HTTPStatus checked against the table, every error triggered here is
// in the table, and each method's godoc names the errors listed for it.

// api is what a Registry and a Scoped registry share.
type api interface {
	Register(ctx context.Context, c oauthreg.Client, opts ...oauthreg.SecretOption) (*oauthreg.Client, oauthreg.PlainSecret, error)
	Get(ctx context.Context, id string) (*oauthreg.Client, error)
	List(ctx context.Context, q oauthreg.ListQuery) (oauthreg.ClientPage, error)
	Update(ctx context.Context, id string, fn func(*oauthreg.Client) error) (*oauthreg.Client, error)
	Delete(ctx context.Context, id string) error
	RotateSecret(ctx context.Context, clientID string, opts ...oauthreg.SecretOption) (oauthreg.PlainSecret, error)
	RegenerateSecret(ctx context.Context, clientID string, opts ...oauthreg.SecretOption) (oauthreg.PlainSecret, error)
	RevokeSecret(ctx context.Context, clientID, secretID string) error
	RotateSecretTo(ctx context.Context, clientID, plaintext string, grace time.Duration, opts ...oauthreg.SecretOption) (oauthreg.Secret, error)
	AddSecret(ctx context.Context, clientID, plaintext string, opts ...oauthreg.SecretOption) (oauthreg.Secret, error)
	ImportSecret(ctx context.Context, clientID, encodedHash string, opts ...oauthreg.SecretOption) (oauthreg.Secret, error)
	RevealSecret(ctx context.Context, clientID, secretID string) (oauthreg.PlainSecret, error)
}

var (
	_ api = (*oauthreg.Registry)(nil)
	_ api = (*oauthreg.Scoped)(nil)
)

// flakyStore is a memstore whose writes of existing clients can be made to
// conflict forever.
type flakyStore struct {
	*memstore.Store
	conflict atomic.Bool
}

func (s *flakyStore) UpdateClient(ctx context.Context, c *oauthreg.Client) error {
	if s.conflict.Load() {
		return oauthreg.ErrConflict
	}
	return s.Store.UpdateClient(ctx, c)
}

func (s *flakyStore) ModifyClient(ctx context.Context, id string, change func(*oauthreg.Client) error) (*oauthreg.Client, error) {
	if s.conflict.Load() {
		return nil, oauthreg.ErrConflict
	}
	return s.Store.ModifyClient(ctx, id, change)
}

func (s *flakyStore) DeleteClientAt(ctx context.Context, id string, version int64) error {
	if s.conflict.Load() {
		return oauthreg.ErrConflict
	}
	return s.Store.DeleteClientAt(ctx, id, version)
}

// errEnv is one fresh Registry with a confidential and a public client of
// "test-org"; api is the Registry itself or its view for an owner of
// test-org.
type errEnv struct {
	reg    *oauthreg.Registry
	api    api
	store  *flakyStore
	conf   *oauthreg.Client
	secret oauthreg.PlainSecret
	pub    *oauthreg.Client
}

const errOrg = "test-org"

var testOwner = oauthreg.UserPrincipal("alice", errOrg, oauthreg.RoleOrgOwner)

func newErrEnv(t *testing.T, scoped bool, opts ...oauthreg.Option) *errEnv {
	t.Helper()
	store := &flakyStore{Store: memstore.New()}
	base := []oauthreg.Option{
		oauthreg.WithMaxUpdateAttempts(2),
		oauthreg.WithAccessPolicy(oauthreg.DefaultAccessPolicy{RevealRoles: []oauthreg.Role{oauthreg.RoleOrgOwner}}),
	}
	reg, err := oauthreg.New(store, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	e := &errEnv{reg: reg, api: reg, store: store}
	if scoped {
		e.api = reg.As(testOwner)
	}
	if e.conf, e.secret, err = reg.Register(ctx, oauthreg.Client{Owner: errOrg, Name: "confidential",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}}); err != nil {
		t.Fatal(err)
	}
	if e.pub, _, err = reg.Register(ctx, oauthreg.Client{Owner: errOrg, Name: "public", Public: true,
		RedirectURIs: []string{"https://app.example/cb"}}); err != nil {
		t.Fatal(err)
	}
	return e
}

// importable is a bcrypt hash ImportSecret accepts.
var importable = sync.OnceValue(func() string {
	h, err := bcrypt.GenerateFromPassword([]byte("a secret of another server"), bcrypt.MinCost)
	if err != nil {
		panic(err)
	}
	return string(h)
})

const (
	suppliedSecret = "a-supplied-secret-value-1"
	// tooDearArgon2 asks for 1 GiB per verification: over HashCostLimits.
	tooDearArgon2 = "$argon2id$v=19$m=1048576,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
)

// validCall calls method through a with arguments that succeed on e.conf
// (clientID stands in for it).
var validCall = map[string]func(a api, e *errEnv, clientID string) error{
	"Get": func(a api, e *errEnv, id string) error { _, err := a.Get(ctx, id); return err },
	"Update": func(a api, e *errEnv, id string) error {
		_, err := a.Update(ctx, id, func(c *oauthreg.Client) error { c.Name = "renamed"; return nil })
		return err
	},
	"Delete":           func(a api, e *errEnv, id string) error { return a.Delete(ctx, id) },
	"RotateSecret":     func(a api, e *errEnv, id string) error { _, err := a.RotateSecret(ctx, id); return err },
	"RegenerateSecret": func(a api, e *errEnv, id string) error { _, err := a.RegenerateSecret(ctx, id); return err },
	"RevokeSecret":     func(a api, e *errEnv, id string) error { return a.RevokeSecret(ctx, id, e.secret.ID()) },
	"RotateSecretTo": func(a api, e *errEnv, id string) error {
		_, err := a.RotateSecretTo(ctx, id, suppliedSecret, time.Hour)
		return err
	},
	"AddSecret":    func(a api, e *errEnv, id string) error { _, err := a.AddSecret(ctx, id, suppliedSecret); return err },
	"ImportSecret": func(a api, e *errEnv, id string) error { _, err := a.ImportSecret(ctx, id, importable()); return err },
	"RevealSecret": func(a api, e *errEnv, id string) error { _, err := a.RevealSecret(ctx, id, e.secret.ID()); return err },
}

// errCase triggers one error of one method.
type errCase struct {
	method, err string
	scoped      bool // run through e.api as a Scoped view (inherited rows)
	opts        []oauthreg.Option
	run         func(t *testing.T, e *errEnv) error
}

var keyRingOpt = sync.OnceValue(func() oauthreg.Option { return oauthreg.WithKeyRing(newRing("k1")) })

func newRing(id string) *oauthreg.KeyRing {
	k, err := oauthreg.GenerateKey(id, oauthreg.AES256GCM)
	if err != nil {
		panic(err)
	}
	ring, err := oauthreg.NewKeyRing(k)
	if err != nil {
		panic(err)
	}
	return ring
}

// registryErrCases are the cases of the Registry methods that a Scoped
// view shares (api) and of the rest.
func registryErrCases() []errCase {
	var cs []errCase
	add := func(method, err string, run func(t *testing.T, e *errEnv) error, opts ...oauthreg.Option) {
		cs = append(cs, errCase{method: method, err: err, run: run, opts: opts})
	}
	for _, m := range []string{"Get", "Update", "Delete", "RotateSecret", "RegenerateSecret", "RevokeSecret", "RotateSecretTo", "AddSecret", "ImportSecret", "RevealSecret"} {
		call := validCall[m]
		add(m, "ErrNotFound", func(t *testing.T, e *errEnv) error { return call(e.api, e, "no-such-client") }, keyRingOpt())
		if m != "Get" && m != "RevealSecret" {
			add(m, "ErrConflict", func(t *testing.T, e *errEnv) error { e.store.conflict.Store(true); return call(e.api, e, e.conf.ID) })
		}
	}
	add("Get", "ErrNotFound", func(t *testing.T, e *errEnv) error {
		_, err := e.api.Get(ctx, "a client ID \x00 no client can have")
		return err
	})
	for _, m := range []string{"RotateSecret", "RegenerateSecret", "RotateSecretTo", "AddSecret", "ImportSecret"} {
		call := validCall[m]
		add(m, "ErrSecretsNotUsed", func(t *testing.T, e *errEnv) error { return call(e.api, e, e.pub.ID) })
	}
	for _, m := range []string{"RotateSecretTo", "AddSecret", "ImportSecret"} {
		call := validCall[m]
		add(m, "ErrInvalidConfig", func(t *testing.T, e *errEnv) error { return call(e.api, e, e.conf.ID) }, oauthreg.WithGeneratedSecretsOnly())
	}
	for _, m := range []string{"AddSecret", "ImportSecret"} {
		call := validCall[m]
		add(m, "ErrTooManySecrets", func(t *testing.T, e *errEnv) error { return call(e.api, e, e.conf.ID) },
			oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 1}))
	}
	for _, m := range []string{"RotateSecret", "RegenerateSecret"} {
		issue := map[string]func(api, context.Context, string, ...oauthreg.SecretOption) (oauthreg.PlainSecret, error){
			"RotateSecret": api.RotateSecret, "RegenerateSecret": api.RegenerateSecret}[m]
		add(m, "ErrInvalidSecret", func(t *testing.T, e *errEnv) error {
			_, err := issue(e.api, ctx, e.conf.ID, oauthreg.WithSecretExpiry(time.Now().Add(-time.Hour)))
			return err
		})
		add(m, "ErrInvalidConfig", func(t *testing.T, e *errEnv) error {
			var token oauthreg.PlainSecret
			_, err := issue(e.api, ctx, e.conf.ID, oauthreg.WithRegistrationToken(&token))
			return err
		})
	}

	add("Register", "*ValidationError", func(t *testing.T, e *errEnv) error {
		_, _, err := e.api.Register(ctx, oauthreg.Client{Owner: errOrg, Name: "n", RedirectURIs: []string{"not a uri"}})
		return err
	})
	add("Register", "ErrInvalidUpdate", func(t *testing.T, e *errEnv) error {
		_, _, err := e.api.Register(ctx, oauthreg.Client{Owner: errOrg, Name: "n", Secrets: []oauthreg.Secret{{ID: "s"}}})
		return err
	})
	add("Register", "ErrInvalidSecret", func(t *testing.T, e *errEnv) error {
		_, _, err := e.api.Register(ctx, oauthreg.Client{Owner: errOrg, Name: "n"}, oauthreg.WithSecretLifetime(-time.Hour))
		return err
	})
	add("Register", "ErrInvalidConfig", func(t *testing.T, e *errEnv) error {
		_, _, err := e.api.Register(ctx, oauthreg.Client{Owner: errOrg, Name: "n"}, oauthreg.WithSpringPBKDF2(oauthreg.SpringPBKDF2Settings{}))
		return err
	})
	add("Register", "ErrAlreadyExists", func(t *testing.T, e *errEnv) error {
		_, _, err := e.api.Register(ctx, oauthreg.Client{ID: e.conf.ID, Owner: errOrg, Name: "n"})
		return err
	})
	add("List", "ErrInvalidCursor", func(t *testing.T, e *errEnv) error {
		_, err := e.api.List(ctx, oauthreg.ListQuery{Cursor: "not-a-cursor"})
		return err
	})
	add("Update", "ErrInvalidUpdate", func(t *testing.T, e *errEnv) error {
		_, err := e.api.Update(ctx, e.conf.ID, func(c *oauthreg.Client) error { c.ID = "another"; return nil })
		return err
	})
	add("Update", "*ValidationError", func(t *testing.T, e *errEnv) error {
		_, err := e.api.Update(ctx, e.conf.ID, func(c *oauthreg.Client) error { c.Scopes = []string{"bad\"scope"}; return nil })
		return err
	})
	add("RevokeSecret", "ErrSecretNotFound", func(t *testing.T, e *errEnv) error { return e.api.RevokeSecret(ctx, e.conf.ID, "no-such-secret") })
	add("RotateSecretTo", "ErrInvalidSecret", func(t *testing.T, e *errEnv) error {
		_, err := e.api.RotateSecretTo(ctx, e.conf.ID, suppliedSecret, -time.Second)
		return err
	})
	add("AddSecret", "ErrInvalidSecret", func(t *testing.T, e *errEnv) error {
		_, err := e.api.AddSecret(ctx, e.conf.ID, "short")
		return err
	})
	add("ImportSecret", "ErrUnsupportedHash", func(t *testing.T, e *errEnv) error {
		_, err := e.api.ImportSecret(ctx, e.conf.ID, "$md5$not-a-hash-we-read")
		return err
	})
	add("ImportSecret", "ErrHashTooExpensive", func(t *testing.T, e *errEnv) error {
		_, err := e.api.ImportSecret(ctx, e.conf.ID, tooDearArgon2)
		return err
	})
	add("ImportSecret", "ErrInvalidSecret", func(t *testing.T, e *errEnv) error {
		_, err := e.api.ImportSecret(ctx, e.conf.ID, "{noop}short")
		return err
	})
	add("RevealSecret", "ErrNotRetrievable", func(t *testing.T, e *errEnv) error {
		_, err := e.api.RevealSecret(ctx, e.conf.ID, e.secret.ID())
		return err
	})
	add("RevealSecret", "ErrSecretNotFound", func(t *testing.T, e *errEnv) error {
		_, err := e.api.RevealSecret(ctx, e.conf.ID, "no-such-secret")
		return err
	}, keyRingOpt())
	add("RevealSecret", "ErrSealedSecret", func(t *testing.T, e *errEnv) error {
		// The secret was sealed under k1; a Registry whose ring lost k1
		// cannot open it.
		other, err := oauthreg.New(e.store, oauthreg.WithKeyRing(newRing("k2")),
			oauthreg.WithAccessPolicy(oauthreg.DefaultAccessPolicy{RevealRoles: []oauthreg.Role{oauthreg.RoleOrgOwner}}))
		if err != nil {
			t.Fatal(err)
		}
		var a api = other
		if _, scoped := e.api.(*oauthreg.Scoped); scoped {
			a = other.As(testOwner)
		}
		_, err = a.RevealSecret(ctx, e.conf.ID, e.secret.ID())
		return err
	}, keyRingOpt())

	// The calls only a Registry has.
	add("Reseal", "ErrNotRetrievable", func(t *testing.T, e *errEnv) error { _, err := e.reg.Reseal(ctx); return err })
	add("Reseal", "ErrSealedSecret", func(t *testing.T, e *errEnv) error {
		other, err := oauthreg.New(e.store, oauthreg.WithKeyRing(newRing("k2")))
		if err != nil {
			t.Fatal(err)
		}
		_, err = other.Reseal(ctx)
		return err
	}, keyRingOpt())
	add("RevokeLeaked", "ErrSecretNotRecognized", func(t *testing.T, e *errEnv) error {
		_, err := e.reg.RevokeLeaked(ctx, e.secret.Reveal()+"x")
		return err
	})
	add("RevokeLeaked", "ErrUnsupportedStore", func(t *testing.T, e *errEnv) error {
		bare, err := oauthreg.New(struct{ oauthreg.Store }{e.store})
		if err != nil {
			t.Fatal(err)
		}
		_, err = bare.RevokeLeaked(ctx, e.secret.Reveal())
		return err
	})
	importOne := func(e *errEnv, ci oauthreg.ClientImport) error {
		_, err := e.reg.ImportClients(ctx, []oauthreg.ClientImport{ci}, oauthreg.ImportOptions{DryRun: true})
		return err
	}
	withHash := func(h string) []oauthreg.SecretImport { return []oauthreg.SecretImport{{Hash: h}} }
	add("ImportClients", "ErrImportRefused", func(t *testing.T, e *errEnv) error {
		_, err := e.reg.ImportClients(ctx, make([]oauthreg.ClientImport, oauthreg.MaxImportClients+1), oauthreg.ImportOptions{})
		return err
	})
	for name, ci := range map[string]oauthreg.ClientImport{
		"*ValidationError":    {Client: oauthreg.Client{ID: "imported", RedirectURIs: []string{"not a URI"}}},
		"ErrInvalidUpdate":    {Client: oauthreg.Client{ID: "imported", Version: 3}},
		"ErrUnsupportedHash":  {Client: oauthreg.Client{ID: "imported"}, Secrets: withHash("$md5$not-a-hash-we-read")},
		"ErrHashTooExpensive": {Client: oauthreg.Client{ID: "imported"}, Secrets: withHash(tooDearArgon2)},
		"ErrInvalidSecret":    {Client: oauthreg.Client{ID: "imported"}, Secrets: withHash("{noop}short")},
		"ErrTooManySecrets":   {Client: oauthreg.Client{ID: "imported"}, Secrets: slices.Repeat(withHash(importable()), oauthreg.MaxActiveSecretsCeiling+1)},
		"ErrSecretsNotUsed":   {Client: oauthreg.Client{ID: "imported", TokenEndpointAuthMethod: oauthreg.AuthPrivateKeyJWT, JWKSURI: "https://app.example/jwks"}, Secrets: withHash(importable())},
	} {
		add("ImportClients", name, func(t *testing.T, e *errEnv) error { return importOne(e, ci) })
	}
	add("ImportClients", "ErrAlreadyExists", func(t *testing.T, e *errEnv) error {
		return importOne(e, oauthreg.ClientImport{Client: oauthreg.Client{ID: e.conf.ID}})
	})
	add("ImportClients", "ErrInvalidConfig", func(t *testing.T, e *errEnv) error {
		return importOne(e, oauthreg.ClientImport{Client: oauthreg.Client{ID: "imported"}, Secrets: withHash(importable())})
	}, oauthreg.WithGeneratedSecretsOnly())
	add("PurgeExpired", "ErrInvalidConfig", func(t *testing.T, e *errEnv) error { _, err := e.reg.PurgeExpired(ctx, -time.Hour); return err })
	add("Authenticate", "ErrInvalidCredentials", func(t *testing.T, e *errEnv) error {
		_, err := e.reg.Authenticate(ctx, e.conf.ID, e.secret.Reveal()+"x")
		return err
	})
	add("CheckRegistrationToken", "ErrInvalidCredentials", func(t *testing.T, e *errEnv) error {
		_, err := e.reg.CheckRegistrationToken(ctx, e.conf.ID, e.secret.Reveal())
		return err
	})
	add("AuthenticateWith", "ErrInvalidCredentials", func(t *testing.T, e *errEnv) error {
		_, err := e.reg.AuthenticateWith(ctx, oauthreg.AuthClientSecretPost, e.conf.ID, e.secret.Reveal())
		return err
	})
	add("AuthenticateWith", "ErrInvalidConfig", func(t *testing.T, e *errEnv) error {
		_, err := e.reg.AuthenticateWith(ctx, oauthreg.AuthPrivateKeyJWT, e.conf.ID, e.secret.Reveal())
		return err
	})
	add("AuthenticateView", "ErrInvalidCredentials", func(t *testing.T, e *errEnv) error {
		_, err := e.reg.AuthenticateView(ctx, oauthreg.AuthClientSecretPost, e.conf.ID, e.secret.Reveal())
		return err
	})
	add("AuthenticateView", "ErrInvalidConfig", func(t *testing.T, e *errEnv) error {
		_, err := e.reg.AuthenticateView(ctx, oauthreg.AuthPrivateKeyJWT, e.conf.ID, e.secret.Reveal())
		return err
	})
	add("RotateRegistrationToken", "ErrNotFound", func(t *testing.T, e *errEnv) error {
		_, err := e.reg.RotateRegistrationToken(ctx, "no-such-client")
		return err
	})
	add("RotateRegistrationToken", "ErrConflict", func(t *testing.T, e *errEnv) error {
		e.store.conflict.Store(true)
		_, err := e.reg.RotateRegistrationToken(ctx, e.conf.ID)
		return err
	})
	add("VerifyWithSecretKeys", "ErrNotRetrievable", func(t *testing.T, e *errEnv) error {
		_, _, err := e.reg.VerifyWithSecretKeys(e.conf, func([]byte) bool { return true })
		return err
	})
	return cs
}

// scopedErrCases are the errors only a Scoped view adds.
func scopedErrCases(methods []string) []errCase {
	var cs []errCase
	add := func(method, err string, run func(t *testing.T, e *errEnv) error, opts ...oauthreg.Option) {
		cs = append(cs, errCase{method: method, err: err, run: run, opts: opts})
	}
	member := oauthreg.UserPrincipal("bob", errOrg, oauthreg.RoleMember)
	outsider := oauthreg.UserPrincipal("carol", "other-org", oauthreg.RoleOrgOwner)
	for _, m := range methods {
		call := validCall[strings.TrimPrefix(m, "Scoped.")]
		add(m, "ErrForbidden", func(t *testing.T, e *errEnv) error { return call(e.reg.As(member), e, e.conf.ID) }, keyRingOpt())
		add(m, "ErrNotFound", func(t *testing.T, e *errEnv) error { return call(e.reg.As(outsider), e, e.conf.ID) }, keyRingOpt())
	}
	add("Scoped.Register", "ErrForbidden", func(t *testing.T, e *errEnv) error {
		_, _, err := e.reg.As(member).Register(ctx, oauthreg.Client{Name: "n"})
		return err
	})
	add("Scoped.Register", "ErrNotFound", func(t *testing.T, e *errEnv) error {
		_, _, err := e.reg.As(testOwner).Register(ctx, oauthreg.Client{Owner: "other-org", Name: "n"})
		return err
	})
	denyRead := oauthreg.WithAccessPolicy(oauthreg.AccessPolicyFunc(func(context.Context, oauthreg.Principal, oauthreg.Action, *oauthreg.Client) error {
		return oauthreg.ErrForbidden
	}))
	add("Scoped.Get", "ErrForbidden", func(t *testing.T, e *errEnv) error { _, err := e.reg.As(testOwner).Get(ctx, e.conf.ID); return err }, denyRead)
	return cs
}

// errorsByName are the errors README's table may name.
var errorsByName = map[string]error{
	"ErrNotFound": oauthreg.ErrNotFound, "ErrAlreadyExists": oauthreg.ErrAlreadyExists, "ErrConflict": oauthreg.ErrConflict,
	"ErrInvalidCursor": oauthreg.ErrInvalidCursor, "ErrInvalidUpdate": oauthreg.ErrInvalidUpdate, "ErrInvalidSecret": oauthreg.ErrInvalidSecret,
	"ErrSecretsNotUsed": oauthreg.ErrSecretsNotUsed, "ErrSecretNotFound": oauthreg.ErrSecretNotFound, "ErrTooManySecrets": oauthreg.ErrTooManySecrets,
	"ErrUnsupportedHash": oauthreg.ErrUnsupportedHash, "ErrHashTooExpensive": oauthreg.ErrHashTooExpensive,
	"ErrNotRetrievable": oauthreg.ErrNotRetrievable, "ErrSealedSecret": oauthreg.ErrSealedSecret,
	"ErrSecretNotRecognized": oauthreg.ErrSecretNotRecognized, "ErrUnsupportedStore": oauthreg.ErrUnsupportedStore,
	"ErrInvalidConfig": oauthreg.ErrInvalidConfig, "ErrInvalidCredentials": oauthreg.ErrInvalidCredentials,
	"ErrForbidden": oauthreg.ErrForbidden, "ErrUnavailable": oauthreg.ErrUnavailable, "ErrImportRefused": oauthreg.ErrImportRefused,
}

func matchesError(name string, err error) bool {
	if name == "*ValidationError" {
		var ve *oauthreg.ValidationError
		return errors.As(err, &ve)
	}
	want, ok := errorsByName[name]
	return ok && errors.Is(err, want)
}

// readmeErrorTable reads README's "Errors by method" table: method →
// error → status, with "as `X`" rows expanded; inherited records, per
// method, which method's rows it took.
func readmeErrorTable(t *testing.T) (table map[string]map[string]int, inherited map[string]string) {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "#### Errors by method")
	if start < 0 {
		t.Fatal(`README.md has no "#### Errors by method" section`)
	}
	text = text[start:]
	name := regexp.MustCompile("`([A-Za-z.*]+)`")
	pair := regexp.MustCompile("`(\\*?[A-Za-z]+)` → ([0-9]{3})")
	table, inherited = map[string]map[string]int{}, map[string]string{}
	inTable := false
	for line := range strings.SplitSeq(text, "\n") {
		if !strings.HasPrefix(line, "| `") {
			if inTable {
				break
			}
			continue
		}
		inTable = true
		cells := strings.Split(line, " | ")
		if len(cells) != 2 {
			t.Fatalf("README row %q: want two cells", line)
		}
		errs := map[string]int{}
		for _, m := range pair.FindAllStringSubmatch(cells[1], -1) {
			status, _ := strconv.Atoi(m[2])
			errs[m[1]] = status
		}
		for _, m := range name.FindAllStringSubmatch(cells[0], -1) {
			method := m[1]
			if _, dup := table[method]; dup {
				t.Errorf("README lists %s twice", method)
			}
			row := map[string]int{}
			switch base := strings.TrimPrefix(method, "Scoped."); {
			case strings.HasPrefix(cells[1], "as the `Registry` method of the same name"):
				inherited[method] = base
			case strings.HasPrefix(cells[1], "as `"):
				inherited[method] = name.FindStringSubmatch(cells[1])[1]
			}
			if from, ok := inherited[method]; ok {
				if table[from] == nil {
					t.Fatalf("README: %s is %q, which the table does not list above it", method, from)
				}
				for e, s := range table[from] {
					row[e] = s
				}
			}
			for e, s := range errs {
				row[e] = s
			}
			table[method] = row
		}
	}
	if len(table) < 20 {
		t.Fatalf("README's table has %d methods; the parser lost its rows", len(table))
	}
	return table, inherited
}

// TestErrorsByMethod triggers every error README lists for every method
// and checks errors.Is/As and HTTPStatus against the table.
func TestErrorsByMethod(t *testing.T) {
	table, inherited := readmeErrorTable(t)
	cases := registryErrCases()
	var scopedMethods []string
	for m := range table {
		if strings.HasPrefix(m, "Scoped.") && m != "Scoped.Register" && m != "Scoped.Get" && m != "Scoped.List" {
			scopedMethods = append(scopedMethods, m)
		}
	}
	slices.Sort(scopedMethods)
	scoped := scopedErrCases(scopedMethods)
	// A Scoped method that is "as X" runs X's cases through its view.
	for m, from := range inherited {
		for _, c := range cases {
			if c.method == from {
				c.method, c.scoped = m, true
				scoped = append(scoped, c)
			}
		}
	}
	cases = append(cases, scoped...)

	covered := map[string]map[string]bool{}
	for _, c := range cases {
		t.Run(c.method+"/"+c.err, func(t *testing.T) {
			if covered[c.method] == nil {
				covered[c.method] = map[string]bool{}
			}
			covered[c.method][c.err] = true
			want, listed := table[c.method][c.err]
			if !listed {
				t.Fatalf("README's table does not list %s for %s, which returns it", c.err, c.method)
			}
			e := newErrEnv(t, c.scoped, c.opts...)
			err := c.run(t, e)
			if !matchesError(c.err, err) {
				t.Fatalf("%s returned %v, want %s", c.method, err, c.err)
			}
			if got := oauthreg.HTTPStatus(err); got != want {
				t.Errorf("HTTPStatus(%v) = %d; README says %d", err, got, want)
			}
		})
	}
	for m, errs := range table {
		for e := range errs {
			if !covered[m][e] {
				t.Errorf("README lists %s for %s; no case here triggers it", e, m)
			}
		}
	}
}

// downStore fails every call with err.
type downStore struct{ err error }

func (s downStore) CreateClient(context.Context, *oauthreg.Client) error { return s.err }
func (s downStore) GetClient(context.Context, string) (*oauthreg.Client, error) {
	return nil, s.err
}
func (s downStore) UpdateClient(context.Context, *oauthreg.Client) error { return s.err }
func (s downStore) DeleteClient(context.Context, string) error           { return s.err }
func (s downStore) ListClients(context.Context, oauthreg.ListQuery) (oauthreg.ClientPage, error) {
	return oauthreg.ClientPage{}, s.err
}
func (s downStore) TouchClient(context.Context, string, string, time.Time) error { return s.err }
func (s downStore) SecretsExpiring(context.Context, time.Time, time.Time) ([]oauthreg.ExpiringSecret, error) {
	return nil, s.err
}
func (s downStore) ClientsWithSecret(context.Context, string) ([]string, error) { return nil, s.err }

// TestErrorsOfTheStore: every call that reads or writes the store passes
// ErrUnavailable on (503) and any other store failure as a 500.
func TestErrorsOfTheStore(t *testing.T) {
	table, _ := readmeErrorTable(t)
	// A well-formed generated secret and token, so the calls reach the store.
	e := newErrEnv(t, false)
	for _, failure := range []struct {
		err    error
		status int
	}{{oauthreg.ErrUnavailable, 503}, {errors.New("driver: disk I/O error"), 500}} {
		reg, err := oauthreg.New(downStore{failure.err}, oauthreg.WithKeyRing(newRing("k1")))
		if err != nil {
			t.Fatal(err)
		}
		calls := map[string]func() error{
			"Register": func() error { _, _, err := reg.Register(ctx, oauthreg.Client{Owner: errOrg, Name: "n"}); return err },
			"List":     func() error { _, err := reg.List(ctx, oauthreg.ListQuery{}); return err },
			"Reseal":   func() error { _, err := reg.Reseal(ctx); return err },
			"RevokeLeaked": func() error {
				_, err := reg.RevokeLeaked(ctx, e.secret.Reveal())
				return err
			},
			"PurgeExpired":    func() error { _, err := reg.PurgeExpired(ctx, time.Hour); return err },
			"ExpiringSecrets": func() error { _, err := reg.ExpiringSecrets(ctx, time.Hour); return err },
			"Authenticate":    func() error { _, err := reg.Authenticate(ctx, e.conf.ID, e.secret.Reveal()); return err },
			"AuthenticateWith": func() error {
				_, err := reg.AuthenticateWith(ctx, oauthreg.AuthClientSecretBasic, e.conf.ID, e.secret.Reveal())
				return err
			},
			"AuthenticateView": func() error {
				_, err := reg.AuthenticateView(ctx, "", e.conf.ID, e.secret.Reveal())
				return err
			},
			"CheckRegistrationToken": func() error {
				_, err := reg.CheckRegistrationToken(ctx, e.conf.ID, e.secret.Reveal())
				return err
			},
			"RotateRegistrationToken": func() error { _, err := reg.RotateRegistrationToken(ctx, e.conf.ID); return err },
			"ImportClients": func() error {
				_, err := reg.ImportClients(ctx, []oauthreg.ClientImport{{Client: oauthreg.Client{ID: "imported"}}}, oauthreg.ImportOptions{})
				return err
			},
		}
		for m, call := range validCall {
			calls[m] = func() error { return call(reg, e, e.conf.ID) }
		}
		for m := range table {
			if strings.HasPrefix(m, "Scoped.") || m == "VerifyWithSecretKeys" {
				continue // Scoped calls are the Registry's; VerifyWithSecretKeys reads no store
			}
			call, ok := calls[m]
			if !ok {
				t.Errorf("no store-failure case for %s", m)
				continue
			}
			err := call()
			if failure.status == 503 && !errors.Is(err, oauthreg.ErrUnavailable) {
				t.Errorf("%s on an unavailable store: %v, want ErrUnavailable", m, err)
			}
			if got := oauthreg.HTTPStatus(err); got != failure.status {
				t.Errorf("%s on a store failing with %q: %v, status %d, want %d", m, failure.err, err, got, failure.status)
			}
		}
	}
}

// TestGodocNamesEachError: each method's godoc (a Scoped method's, with
// the Registry method it refers to and Scoped's type doc) names every
// error README lists for it.
func TestGodocNamesEachError(t *testing.T) {
	table, _ := readmeErrorTable(t)
	fset := token.NewFileSet()
	docs := map[string]string{}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range entries {
		n := ent.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil || d.Doc == nil {
					continue
				}
				recv := d.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				switch recv.(*ast.Ident).Name {
				case "Registry":
					docs[d.Name.Name] = d.Doc.Text()
				case "Scoped":
					docs["Scoped."+d.Name.Name] = d.Doc.Text()
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.Name == "Scoped" && d.Doc != nil {
						docs["type Scoped"] = d.Doc.Text()
					}
				}
			}
		}
	}
	for m, errs := range table {
		doc, ok := docs[m]
		if !ok {
			t.Errorf("README lists %s, which has no godoc here", m)
			continue
		}
		if base, scoped := strings.CutPrefix(m, "Scoped."); scoped {
			doc += docs[base] + docs["type Scoped"]
		}
		for e := range errs {
			if !strings.Contains(doc, strings.TrimPrefix(e, "*")) {
				t.Errorf("the godoc of %s does not name %s, which README lists for it", m, e)
			}
		}
	}
}

// TestErrorTableListsEveryMethod: every exported method of Registry and
// Scoped that can fail has a row in README's table, so that a method added
// (or a row dropped) without its errors being documented fails here rather
// than passing every check above, which start from the table.
func TestErrorTableListsEveryMethod(t *testing.T) {
	table, _ := readmeErrorTable(t)
	errType := reflect.TypeFor[error]()
	for prefix, typ := range map[string]reflect.Type{"": reflect.TypeFor[*oauthreg.Registry](), "Scoped.": reflect.TypeFor[*oauthreg.Scoped]()} {
		for m := range typ.Methods() {
			if n := m.Type.NumOut(); n == 0 || m.Type.Out(n-1) != errType {
				continue
			}
			if _, ok := table[prefix+m.Name]; !ok {
				t.Errorf("%s%s returns an error; README's \"Errors by method\" table has no row for it", prefix, m.Name)
			}
		}
	}
}
