package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

// testBatchCreator runs when the store implements oauthreg.BatchCreator:
// CreateClients stores a whole batch or nothing, whatever refuses it.
func (s suite) testBatchCreator(t *testing.T) {
	if _, ok := s.store(t).(oauthreg.BatchCreator); !ok {
		t.Skip("the store does not implement oauthreg.BatchCreator (optional)")
	}
	batch := func(st oauthreg.Store) oauthreg.BatchCreator { return st.(oauthreg.BatchCreator) }
	s.run(t, "CreatesAll", func(t *testing.T, st oauthreg.Store) {
		full := NewClient("batch-full")
		full.Version = 7 // ignored: stored at 1
		public := &oauthreg.Client{ID: "batch-public", Owner: "org-b", Public: true, TokenEndpointAuthMethod: oauthreg.AuthNone,
			CreatedAt: BaseTime(), UpdatedAt: BaseTime()}
		second := NewClient("batch-second")
		second.Owner = "org-b"
		cs := []*oauthreg.Client{full, public, second}
		want := []*oauthreg.Client{withVersion(full, 1), withVersion(public, 1), withVersion(second, 1)}
		if err := batch(st).CreateClients(t.Context(), cs); err != nil {
			t.Fatalf("CreateClients: %v", err)
		}
		for i, c := range cs {
			if c.Version != 1 {
				t.Errorf("CreateClients set client #%d's Version to %d, want 1", i, c.Version)
			}
			mutate(c) // the store keeps its own copy
		}
		for _, w := range want {
			checkStored(t, st, w, "GetClient after CreateClients")
		}
		checkOwner(t, st, "org-b", "batch-public", "batch-second")
		if err := batch(st).CreateClients(t.Context(), nil); err != nil {
			t.Errorf("CreateClients of no client: %v, want nil", err)
		}
	})
	s.run(t, "TakenIDStoresNothing", func(t *testing.T, st oauthreg.Store) {
		taken := NewClient("b")
		mustCreate(t, st, taken)
		before := mustGet(t, st, "b")
		err := batch(st).CreateClients(t.Context(), []*oauthreg.Client{NewClient("a"), NewClient("b"), NewClient("c")})
		wantErr(t, err, oauthreg.ErrAlreadyExists, "CreateClients with a taken ID in the middle")
		checkAbsent(t, st, "a", "c")
		checkStored(t, st, before, "the client whose ID was taken")
	})
	s.run(t, "DuplicateInBatchStoresNothing", func(t *testing.T, st oauthreg.Store) {
		err := batch(st).CreateClients(t.Context(), []*oauthreg.Client{NewClient("a"), NewClient("x"), NewClient("a")})
		wantErr(t, err, oauthreg.ErrAlreadyExists, "CreateClients with one ID twice")
		checkAbsent(t, st, "a", "x")
	})
	s.run(t, "RefusedClientStoresNothing", func(t *testing.T, st oauthreg.Store) {
		for name, bad := range map[string]*oauthreg.Client{
			"nil": nil, "empty ID": {ID: ""}, "invalid UTF-8 ID": {ID: "bad\xff"}, "NUL in ID": {ID: "bad\x00"},
		} {
			if err := batch(st).CreateClients(t.Context(), []*oauthreg.Client{NewClient("ok-1"), bad, NewClient("ok-2")}); err == nil {
				t.Errorf("CreateClients with a %s client in the middle: no error", name)
			}
			checkAbsent(t, st, "ok-1", "ok-2")
		}
		over := make([]*oauthreg.Client, oauthreg.MaxImportClients+1)
		for i := range over {
			over[i] = &oauthreg.Client{ID: fmt.Sprintf("over-%05d", i)}
		}
		if err := batch(st).CreateClients(t.Context(), over); err == nil {
			t.Errorf("CreateClients of MaxImportClients+1 clients: no error")
		}
		checkAbsent(t, st, "over-00000", fmt.Sprintf("over-%05d", oauthreg.MaxImportClients))
	})
	s.run(t, "Cancelled", func(t *testing.T, st oauthreg.Store) {
		err := batch(st).CreateClients(cancelled(t), []*oauthreg.Client{NewClient("a"), NewClient("b")})
		wantErr(t, err, context.Canceled, "CreateClients with a cancelled context")
		checkAbsent(t, st, "a", "b")
	})
	s.run(t, "AtLimit", func(t *testing.T, st oauthreg.Store) {
		// MaxImportClients small clients in one batch: every store holds a
		// batch at the limit in one write.
		cs := make([]*oauthreg.Client, oauthreg.MaxImportClients)
		for i := range cs {
			cs[i] = &oauthreg.Client{ID: fmt.Sprintf("many-%05d", i), Owner: "org-many", CreatedAt: BaseTime(), UpdatedAt: BaseTime(),
				Secrets: []oauthreg.Secret{NewSecret(fmt.Sprintf("s-%05d", i), BaseTime())}}
		}
		if err := batch(st).CreateClients(t.Context(), cs); err != nil {
			t.Fatalf("CreateClients of MaxImportClients (%d) clients: %v", len(cs), err)
		}
		if got := listAll(t, st, oauthreg.ListQuery{Owner: "org-many", Limit: oauthreg.MaxPageSize}); len(got) != len(cs) {
			t.Fatalf("after CreateClients of %d clients, %d are listed", len(cs), len(got))
		}
		checkStored(t, st, withVersion(cs[len(cs)-1], 1), "the last client of a batch at the limit")
	})
	s.run(t, "ConcurrentOverlap", func(t *testing.T, st oauthreg.Store) {
		// Two batches that share one ID: exactly one is stored whole, the
		// other not at all (no deadlock or serialization error escapes).
		const n = 20
		mk := func(prefix string) []*oauthreg.Client {
			cs := []*oauthreg.Client{NewClient("shared")}
			for i := range n {
				cs = append(cs, &oauthreg.Client{ID: fmt.Sprintf("%s-%02d", prefix, i), CreatedAt: BaseTime(), UpdatedAt: BaseTime()})
			}
			return cs
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, prefix := range []string{"x", "y"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cs := mk(prefix)
				// Put the shared ID at either end, so the two
				// transactions meet it at different times.
				if i == 1 {
					cs[0], cs[n] = cs[n], cs[0]
				}
				errs[i] = batch(st).CreateClients(t.Context(), cs)
			}()
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			prefix := []string{"x", "y"}[i]
			switch {
			case err == nil:
				won++
				for j := range n {
					mustGet(t, st, fmt.Sprintf("%s-%02d", prefix, j))
				}
			case errors.Is(err, oauthreg.ErrAlreadyExists):
				checkAbsent(t, st, fmt.Sprintf("%s-00", prefix), fmt.Sprintf("%s-%02d", prefix, n-1))
			default:
				t.Errorf("CreateClients of batch %s: %v, want nil or ErrAlreadyExists", prefix, err)
			}
		}
		if won != 1 {
			t.Errorf("%d of two overlapping batches were stored, want exactly one", won)
		}
	})
}

// checkAbsent fails t unless none of ids is stored.
func checkAbsent(t *testing.T, st oauthreg.Store, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if _, err := st.GetClient(t.Context(), id); !errors.Is(err, oauthreg.ErrNotFound) {
			t.Errorf("GetClient(%q) after a refused batch: %v, want ErrNotFound (nothing stored)", id, err)
		}
	}
}

// testImportClients drives Registry.ImportClients over the store: a
// refusal anywhere in the batch stores nothing, and an import that passes
// stores every client with working secrets.
func testImportClients(t *testing.T, st oauthreg.Store) {
	reg, clock := newRegistry(t, st)
	ctx := t.Context()
	existing, _ := mustRegister(t, reg, oauthreg.Client{ID: "already-here", Owner: "org"})
	const springHash = "{bcrypt}$2a$10$nVkFUbqjg3V/b8dm4LCCi.Un2GdDRpKdaOr3iFgQzcYGxVfQ1Jpkm" // of "spring-client-secret"
	good := func() []oauthreg.ClientImport {
		return []oauthreg.ClientImport{
			{Client: oauthreg.Client{ID: "imported-hash", Owner: "org", Name: "From Spring"},
				Secrets: []oauthreg.SecretImport{{Hash: springHash, Description: "moved in"}}},
			{Client: oauthreg.Client{ID: "imported-plain", Owner: "org", RedirectURIs: []string{"https://app.example.com/cb"}},
				Secrets: []oauthreg.SecretImport{{Plaintext: []byte("keycloak-plaintext-secret"), ExpiresAt: clock.Now().Add(time.Hour)}}},
			{Client: oauthreg.Client{ID: "imported-public", Owner: "org", TokenEndpointAuthMethod: oauthreg.AuthNone,
				RedirectURIs: []string{"https://spa.example.com/cb"}}},
		}
	}
	refusals := map[string]func(b []oauthreg.ClientImport) []oauthreg.ClientImport{
		"taken ID": func(b []oauthreg.ClientImport) []oauthreg.ClientImport {
			return slices.Insert(b, 1, oauthreg.ClientImport{Client: oauthreg.Client{ID: existing.ID}})
		},
		"bad hash": func(b []oauthreg.ClientImport) []oauthreg.ClientImport {
			b[1].Secrets = append(b[1].Secrets, oauthreg.SecretImport{Hash: "$2a$99$garbage"})
			return b
		},
		"bad redirect URI": func(b []oauthreg.ClientImport) []oauthreg.ClientImport {
			b[1].Client.RedirectURIs = []string{"https://app.example.com/cb#fragment"}
			return b
		},
		"short plaintext": func(b []oauthreg.ClientImport) []oauthreg.ClientImport {
			b[1].Secrets[0].Plaintext = []byte("short")
			return b
		},
		"ID twice": func(b []oauthreg.ClientImport) []oauthreg.ClientImport {
			return append(b, oauthreg.ClientImport{Client: oauthreg.Client{ID: "imported-hash"}})
		},
	}
	for name, spoil := range refusals {
		b := spoil(good())
		var plain []byte
		for _, ci := range b {
			if ci.Client.ID == "imported-plain" {
				plain = ci.Secrets[0].Plaintext
			}
		}
		res, err := reg.ImportClients(ctx, b, oauthreg.ImportOptions{})
		var ie *oauthreg.ImportError
		if !errors.As(err, &ie) || !errors.Is(err, oauthreg.ErrImportRefused) || res != nil || len(ie.Refused) != 1 {
			t.Fatalf("ImportClients with a %s: %v, %v; want one refusal and no result", name, res, err)
		}
		checkAbsent(t, st, "imported-hash", "imported-plain", "imported-public")
		for _, c := range plain {
			if c != 0 {
				t.Fatalf("ImportClients with a %s left the plaintext secret in the caller's buffer", name)
			}
		}
	}
	dry, err := reg.ImportClients(ctx, good(), oauthreg.ImportOptions{DryRun: true})
	if err != nil || dry.Written || len(dry.Clients) != 3 {
		t.Fatalf("dry run: %+v, %v; want 3 clients, not written", dry, err)
	}
	checkAbsent(t, st, "imported-hash", "imported-plain", "imported-public")
	b := good()
	res, err := reg.ImportClients(ctx, b, oauthreg.ImportOptions{})
	if err != nil || !res.Written || len(res.Clients) != 3 {
		t.Fatalf("ImportClients: %+v, %v; want 3 clients written", res, err)
	}
	if _, isBatch := st.(oauthreg.BatchCreator); res.Atomic != isBatch {
		t.Errorf("ImportResult.Atomic = %v on a store that implements BatchCreator: %v", res.Atomic, isBatch)
	}
	if string(b[1].Secrets[0].Plaintext) != string(make([]byte, len("keycloak-plaintext-secret"))) {
		t.Error("ImportClients left the plaintext secret in the caller's buffer")
	}
	for id, secret := range map[string]string{"imported-hash": "spring-client-secret", "imported-plain": "keycloak-plaintext-secret"} {
		if _, err := reg.Authenticate(ctx, id, secret); err != nil {
			t.Errorf("Authenticate(%q) with its imported secret: %v", id, err)
		}
	}
	if c := mustGet(t, st, "imported-plain"); len(c.Secrets) != 1 || !c.Secrets[0].ExpiresAt.Equal(clock.Now().Add(time.Hour)) {
		t.Errorf("imported-plain holds %d secrets expiring at %v, want 1 at %v", len(c.Secrets), c.Secrets, clock.Now().Add(time.Hour))
	}
	if _, err := reg.ImportClients(ctx, good(), oauthreg.ImportOptions{}); !errors.Is(err, oauthreg.ErrAlreadyExists) {
		t.Errorf("the same import again: %v, want ErrAlreadyExists", err)
	}
}
