package oauthreg_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// singleStore hides every optional interface of memstore but
// VersionedDeleter, and fails CreateClient for the IDs in fail: the
// one-by-one path of ImportClients.
type singleStore struct {
	oauthreg.Store
	fail string
}

func (s *singleStore) CreateClient(ctx context.Context, c *oauthreg.Client) error {
	if c.ID == s.fail {
		return fmt.Errorf("injected: %w", oauthreg.ErrUnavailable)
	}
	return s.Store.CreateClient(ctx, c)
}

func (s *singleStore) DeleteClientAt(ctx context.Context, id string, version int64) error {
	return s.Store.(oauthreg.VersionedDeleter).DeleteClientAt(ctx, id, version)
}

func importBatch(ids ...string) []oauthreg.ClientImport {
	out := make([]oauthreg.ClientImport, len(ids))
	for i, id := range ids {
		out[i] = oauthreg.ClientImport{Client: oauthreg.Client{ID: id, Owner: "org"},
			Secrets: []oauthreg.SecretImport{{Plaintext: []byte("a-plaintext-secret-" + id)}}}
	}
	return out
}

func TestImportClientsWithoutBatchCreatorUndoes(t *testing.T) {
	mem := memstore.New()
	st := &singleStore{Store: mem, fail: "c3"}
	reg, err := oauthreg.New(st)
	if err != nil {
		t.Fatal(err)
	}
	_, err = reg.ImportClients(t.Context(), importBatch("c1", "c2", "c3", "c4"), oauthreg.ImportOptions{})
	if !errors.Is(err, oauthreg.ErrUnavailable) {
		t.Fatalf("ImportClients with a failing third create: %v, want ErrUnavailable", err)
	}
	page, err := mem.ListClients(t.Context(), oauthreg.ListQuery{})
	if err != nil || len(page.Clients) != 0 {
		t.Fatalf("after a failed one-by-one import the store holds %d clients (%v), want none", len(page.Clients), err)
	}
	st.fail = ""
	res, err := reg.ImportClients(t.Context(), importBatch("c1", "c2", "c3", "c4"), oauthreg.ImportOptions{})
	if err != nil || !res.Written || res.Atomic {
		t.Fatalf("one-by-one import: %+v, %v; want written, not atomic", res, err)
	}
	if _, err := reg.Authenticate(t.Context(), "c4", "a-plaintext-secret-c4"); err != nil {
		t.Errorf("Authenticate with the imported plaintext: %v", err)
	}
}

func TestImportClientsRefusals(t *testing.T) {
	ctx := t.Context()
	reg, err := oauthreg.New(memstore.New())
	if err != nil {
		t.Fatal(err)
	}
	over := make([]oauthreg.ClientImport, oauthreg.MaxImportClients+1)
	if _, err := reg.ImportClients(ctx, over, oauthreg.ImportOptions{}); !errors.Is(err, oauthreg.ErrImportRefused) {
		t.Errorf("MaxImportClients+1 clients: %v, want ErrImportRefused", err)
	}
	leak := "{noop}" + strings.Repeat("s", 5)
	for name, tc := range map[string]struct {
		in   oauthreg.ClientImport
		want error
	}{
		"no ID":           {oauthreg.ClientImport{}, oauthreg.ErrInvalidClientMetadata},
		"secrets inside":  {oauthreg.ClientImport{Client: oauthreg.Client{ID: "x", Secrets: []oauthreg.Secret{{ID: "s"}}}}, oauthreg.ErrInvalidUpdate},
		"public secret":   {oauthreg.ClientImport{Client: oauthreg.Client{ID: "x", Public: true, TokenEndpointAuthMethod: oauthreg.AuthNone, RedirectURIs: []string{"https://a.example/cb"}}, Secrets: []oauthreg.SecretImport{{Hash: "{noop}long-enough-secret"}}}, oauthreg.ErrSecretsNotUsed},
		"both":            {oauthreg.ClientImport{Client: oauthreg.Client{ID: "x"}, Secrets: []oauthreg.SecretImport{{Hash: "{noop}long-enough-secret", Plaintext: []byte("long-enough-secret")}}}, oauthreg.ErrInvalidSecret},
		"short noop":      {oauthreg.ClientImport{Client: oauthreg.Client{ID: "x"}, Secrets: []oauthreg.SecretImport{{Hash: leak}}}, oauthreg.ErrInvalidSecret},
		"generated hash":  {oauthreg.ClientImport{Client: oauthreg.Client{ID: "x"}, Secrets: []oauthreg.SecretImport{{Hash: "$sha256$abc"}}}, oauthreg.ErrUnsupportedHash},
		"too many":        {oauthreg.ClientImport{Client: oauthreg.Client{ID: "x"}, Secrets: make11()}, oauthreg.ErrTooManySecrets},
		"past expiry":     {oauthreg.ClientImport{Client: oauthreg.Client{ID: "x"}, Secrets: []oauthreg.SecretImport{{Hash: "{noop}long-enough-secret", ExpiresAt: oauthreg.Client{}.CreatedAt.AddDate(2000, 0, 0)}}}, oauthreg.ErrInvalidSecret},
		"ID with escapes": {oauthreg.ClientImport{Client: oauthreg.Client{ID: "x\x1b[31m"}}, oauthreg.ErrInvalidClientMetadata},
	} {
		_, err := reg.ImportClients(ctx, []oauthreg.ClientImport{tc.in}, oauthreg.ImportOptions{DryRun: name == "past expiry"})
		var ie *oauthreg.ImportError
		if !errors.Is(err, tc.want) || !errors.As(err, &ie) || len(ie.Refused) != 1 {
			t.Errorf("%s: %v, want an *ImportError wrapping %v", name, err, tc.want)
			continue
		}
		if strings.ContainsRune(err.Error(), '\x1b') || strings.Contains(err.Error(), leak[6:]+"\"") || strings.ContainsRune(ie.Refused[0].ClientID, '\x1b') {
			t.Errorf("%s: the error echoes unsanitized input: %q", name, err)
		}
	}
	// Short legacy plaintexts pass with the opt-in, and are reported.
	var mu sync.Mutex
	var events []oauthreg.EventType
	reg, err = oauthreg.New(memstore.New(), oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e.Type)
	})))
	if err != nil {
		t.Fatal(err)
	}
	in := []oauthreg.ClientImport{{Client: oauthreg.Client{ID: "legacy"}, Secrets: []oauthreg.SecretImport{{Plaintext: []byte("short")}, {Hash: "{noop}tiny"}}}}
	if _, err := reg.ImportClients(ctx, in, oauthreg.ImportOptions{AllowShortLegacySecrets: true}); err != nil {
		t.Fatalf("short legacy secrets with the opt-in: %v", err)
	}
	want := []oauthreg.EventType{oauthreg.EventClientCreated, oauthreg.EventSecretAdded, oauthreg.EventSecretShortLegacy, oauthreg.EventSecretAdded, oauthreg.EventSecretShortLegacy}
	if fmt.Sprint(events) != fmt.Sprint(want) {
		t.Errorf("events %v, want %v", events, want)
	}
	for _, s := range []string{"short", "tiny"} {
		if _, err := reg.Authenticate(ctx, "legacy", s); err != nil {
			t.Errorf("Authenticate with the short legacy secret %q: %v", s, err)
		}
	}
}

func make11() []oauthreg.SecretImport {
	out := make([]oauthreg.SecretImport, oauthreg.MaxActiveSecretsCeiling+1)
	for i := range out {
		out[i] = oauthreg.SecretImport{Hash: "{noop}long-enough-secret"}
	}
	return out
}

func TestImportClientsSealsPlaintexts(t *testing.T) {
	reg, err := oauthreg.New(memstore.New(), oauthreg.WithKeyRing(testKeyRing(t)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := reg.ImportClients(t.Context(), importBatch("sealed"), oauthreg.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := reg.RevealSecret(t.Context(), "sealed", res.Clients[0].Secrets[0].ID)
	if err != nil || got.Reveal() != "a-plaintext-secret-sealed" {
		t.Fatalf("RevealSecret of an imported plaintext: %v", err)
	}
}
