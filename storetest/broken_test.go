package storetest_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// A brokenStore wraps a correct store and gets one thing wrong.
type brokenStore struct {
	oauthreg.Store
	get    func(c *oauthreg.Client) *oauthreg.Client
	list   func(s *brokenStore, ctx context.Context, q oauthreg.ListQuery) (oauthreg.ClientPage, error)
	create func(s *brokenStore, ctx context.Context, c *oauthreg.Client) error
	update func(s *brokenStore, ctx context.Context, c *oauthreg.Client) error
	delete func(s *brokenStore, ctx context.Context, id string) error
	touch  func(s *brokenStore, ctx context.Context, clientID, secretID string, at time.Time) error
	exp    func(s *brokenStore, ctx context.Context, after, notAfter time.Time) ([]oauthreg.ExpiringSecret, error)
	locate func(s *brokenStore, ctx context.Context, secretID string) ([]string, error)
	noCtx  bool

	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	c       *oauthreg.Client
	version int64
}

func (s *brokenStore) ctx(ctx context.Context) context.Context {
	if s.noCtx {
		return context.Background()
	}
	return ctx
}

func (s *brokenStore) GetClient(ctx context.Context, id string) (*oauthreg.Client, error) {
	c, err := s.Store.GetClient(s.ctx(ctx), id)
	if err == nil && s.get != nil {
		c = s.get(c)
	}
	// Hands out the same record every time, for the client of
	// GetClient/ReturnsCopies only: sharing every record lets the suite's
	// concurrent writers modify one map at once, and the runtime's fatal
	// "concurrent map writes" can end the child process before it prints
	// which subtests failed.
	if err == nil && s.cache != nil && id == "copied-out" {
		s.mu.Lock()
		defer s.mu.Unlock()
		if old, ok := s.cache[id]; ok && old.version == c.Version {
			return old.c, nil
		}
		s.cache[id] = cached{c, c.Version}
	}
	return c, err
}

func (s *brokenStore) CreateClient(ctx context.Context, c *oauthreg.Client) error {
	if s.create != nil {
		return s.create(s, ctx, c)
	}
	return s.Store.CreateClient(s.ctx(ctx), c)
}

func (s *brokenStore) UpdateClient(ctx context.Context, c *oauthreg.Client) error {
	if s.update != nil {
		return s.update(s, ctx, c)
	}
	return s.Store.UpdateClient(s.ctx(ctx), c)
}

func (s *brokenStore) DeleteClient(ctx context.Context, id string) error {
	if s.delete != nil {
		return s.delete(s, ctx, id)
	}
	return s.Store.DeleteClient(s.ctx(ctx), id)
}

func (s *brokenStore) ListClients(ctx context.Context, q oauthreg.ListQuery) (oauthreg.ClientPage, error) {
	if s.list != nil {
		return s.list(s, ctx, q)
	}
	return s.Store.ListClients(s.ctx(ctx), q)
}

func (s *brokenStore) TouchClient(ctx context.Context, clientID, secretID string, at time.Time) error {
	if s.touch != nil {
		return s.touch(s, ctx, clientID, secretID, at)
	}
	return s.Store.TouchClient(s.ctx(ctx), clientID, secretID, at)
}

func (s *brokenStore) SecretsExpiring(ctx context.Context, after, notAfter time.Time) ([]oauthreg.ExpiringSecret, error) {
	if s.exp != nil {
		return s.exp(s, ctx, after, notAfter)
	}
	return s.Store.SecretsExpiring(s.ctx(ctx), after, notAfter)
}

// ClientsWithSecret makes every broken store a SecretLocator, so that the
// suite's locator tests run on them.
func (s *brokenStore) ClientsWithSecret(ctx context.Context, secretID string) ([]string, error) {
	if s.locate != nil {
		return s.locate(s, ctx, secretID)
	}
	return s.Store.(oauthreg.SecretLocator).ClientsWithSecret(s.ctx(ctx), secretID)
}

// brokenStores are the mistakes the suite must catch, each with the
// subtests that must fail and a phrase their messages must contain.
var brokenStores = []struct {
	name     string
	store    func() *brokenStore
	failing  []string
	messages []string
}{
	{
		name: "SortsSecretsByID",
		store: func() *brokenStore {
			return &brokenStore{get: func(c *oauthreg.Client) *oauthreg.Client {
				slices.SortFunc(c.Secrets, func(a, b oauthreg.Secret) int { return cmp.Compare(a.ID, b.ID) })
				return c
			}}
		},
		failing:  []string{"CreateGet/RoundTripEveryField", "CreateGet/LongValues"},
		messages: []string{"a store must keep the order"},
	},
	{
		name: "DropsZeroRotationPolicy",
		store: func() *brokenStore {
			return &brokenStore{get: func(c *oauthreg.Client) *oauthreg.Client {
				if c.RotationPolicy != nil && *c.RotationPolicy == (oauthreg.RotationPolicy{}) {
					c.RotationPolicy = nil
				}
				return c
			}}
		},
		failing:  []string{"CreateGet/ZeroRotationPolicyIsNotNil"},
		messages: []string{"came back with a nil one"},
	},
	{
		name: "KeepsMilliseconds",
		store: func() *brokenStore {
			return &brokenStore{get: func(c *oauthreg.Client) *oauthreg.Client {
				c.CreatedAt = c.CreatedAt.Truncate(time.Millisecond)
				return c
			}}
		},
		failing:  []string{"CreateGet/TimePrecision"},
		messages: []string{"the store loses precision"},
	},
	{
		name: "StoresLocalWallClock",
		store: func() *brokenStore {
			// It writes the wall clock of the zone it is given and reads
			// it back as UTC.
			return &brokenStore{create: func(s *brokenStore, ctx context.Context, c *oauthreg.Client) error {
				w := c.Clone()
				w.UpdatedAt = time.Date(w.UpdatedAt.Year(), w.UpdatedAt.Month(), w.UpdatedAt.Day(), w.UpdatedAt.Hour(),
					w.UpdatedAt.Minute(), w.UpdatedAt.Second(), w.UpdatedAt.Nanosecond(), time.UTC)
				err := s.Store.CreateClient(ctx, w)
				c.Version = w.Version
				return err
			}}
		},
		failing:  []string{"CreateGet/TimeZonesAndRange"},
		messages: []string{"does the store convert to or from local time?"},
	},
	{
		name: "CaseInsensitiveIDs",
		store: func() *brokenStore {
			return &brokenStore{create: func(s *brokenStore, ctx context.Context, c *oauthreg.Client) error {
				p, _ := s.Store.ListClients(ctx, oauthreg.ListQuery{Limit: oauthreg.MaxPageSize})
				for _, o := range p.Clients {
					if strings.EqualFold(o.ID, c.ID) {
						return oauthreg.ErrAlreadyExists
					}
				}
				return s.Store.CreateClient(ctx, c)
			}}
		},
		failing:  []string{"CreateGet/IDsAreExactBytes"},
		messages: []string{"IDs must be compared byte for byte"},
	},
	{
		name:     "SharesRecords",
		store:    func() *brokenStore { return &brokenStore{cache: map[string]cached{}} },
		failing:  []string{"GetClient/ReturnsCopies"},
		messages: []string{"the store must return copies"},
	},
	{
		name: "CursorOnLastPage",
		store: func() *brokenStore {
			return &brokenStore{list: func(s *brokenStore, ctx context.Context, q oauthreg.ListQuery) (oauthreg.ClientPage, error) {
				p, err := s.Store.ListClients(ctx, q)
				if err == nil && p.NextCursor == "" && len(p.Clients) == q.EffectiveLimit() {
					// A full page may not be the last, as a store that
					// fetches exactly Limit rows would say (memstore's
					// cursor format).
					p.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(p.Clients[len(p.Clients)-1].ID))
				}
				return p, err
			}}
		},
		failing:  []string{"ListClients/Pages/Limit=25"},
		messages: []string{"should have had an empty NextCursor"},
	},
	{
		name: "ListsWithoutSecrets",
		store: func() *brokenStore {
			return &brokenStore{list: func(s *brokenStore, ctx context.Context, q oauthreg.ListQuery) (oauthreg.ClientPage, error) {
				p, err := s.Store.ListClients(ctx, q)
				for _, c := range p.Clients {
					c.Secrets = nil
				}
				return p, err
			}}
		},
		failing:  []string{"ListClients/ClientsAreComplete"},
		messages: []string{"listed clients must be complete"},
	},
	{
		name: "IgnoresVersion",
		store: func() *brokenStore {
			return &brokenStore{update: func(s *brokenStore, ctx context.Context, c *oauthreg.Client) error {
				cur, err := s.Store.GetClient(ctx, c.ID)
				if err != nil {
					return err
				}
				c.Version = cur.Version
				return s.Store.UpdateClient(ctx, c)
			}}
		},
		failing:  []string{"UpdateClient/StaleVersionConflicts"},
		messages: []string{"returned no error, want one wrapping oauthreg: client was changed concurrently"},
	},
	{
		name: "TouchBumpsVersion",
		store: func() *brokenStore {
			return &brokenStore{touch: func(s *brokenStore, ctx context.Context, id, secretID string, at time.Time) error {
				c, err := s.Store.GetClient(ctx, id)
				if err != nil {
					return err
				}
				c.LastUsedAt = at
				return s.Store.UpdateClient(ctx, c)
			}}
		},
		failing:  []string{"TouchClient/SetsLastUsed", "TouchClient/UpdateAfterTouch"},
		messages: []string{"TouchClient must not change the version"},
	},
	{
		name: "ExpiringIncludesAfter",
		store: func() *brokenStore {
			return &brokenStore{exp: func(s *brokenStore, ctx context.Context, after, notAfter time.Time) ([]oauthreg.ExpiringSecret, error) {
				return s.Store.SecretsExpiring(ctx, after.Add(-time.Nanosecond), notAfter)
			}}
		},
		failing:  []string{"SecretsExpiring/Window"},
		messages: []string{`secret "at-after"`},
	},
	{
		name: "UnwrappedErrors",
		store: func() *brokenStore {
			return &brokenStore{delete: func(s *brokenStore, ctx context.Context, id string) error {
				if err := s.Store.DeleteClient(ctx, id); err != nil {
					return errors.New("no such client: " + err.Error())
				}
				return nil
			}}
		},
		failing:  []string{"DeleteClient/NotFound", "DeleteClient/RemovesClientAndSecrets"},
		messages: []string{"does not wrap oauthreg: client not found"},
	},
	{
		name: "IgnoresNamePrefix",
		store: func() *brokenStore {
			return &brokenStore{list: func(s *brokenStore, ctx context.Context, q oauthreg.ListQuery) (oauthreg.ClientPage, error) {
				q.NamePrefix = ""
				return s.Store.ListClients(ctx, q)
			}}
		},
		failing:  []string{"ListFilters/EachFilter", "ListFilters/SparsePages"},
		messages: []string{"ListQuery.Matches defines the filters"},
	},
	{
		// A secret index written at creation only: secrets added,
		// dropped or deleted later are not seen.
		name: "SecretIndexNotUpdated",
		store: func() *brokenStore {
			index := map[string][]string{}
			var mu sync.Mutex
			return &brokenStore{
				create: func(s *brokenStore, ctx context.Context, c *oauthreg.Client) error {
					mu.Lock()
					for _, sec := range c.Secrets {
						index[sec.ID] = append(index[sec.ID], c.ID)
						slices.Sort(index[sec.ID])
					}
					mu.Unlock()
					return s.Store.CreateClient(ctx, c)
				},
				locate: func(_ *brokenStore, _ context.Context, secretID string) ([]string, error) {
					mu.Lock()
					defer mu.Unlock()
					return slices.Clone(index[secretID]), nil
				},
			}
		},
		failing:  []string{"SecretLocator/FindsHolders"},
		messages: []string{`ClientsWithSecret("only-b")`},
	},
	{
		name:     "IgnoresContext",
		store:    func() *brokenStore { return &brokenStore{noCtx: true} },
		failing:  []string{"Context/Cancelled"},
		messages: []string{"CreateClient with a cancelled context returned no error"},
	},
}

// TestSuiteCatchesBrokenStores runs the suite, in a child process, against
// stores with one mistake each, and checks that the right subtests fail with
// a message that names the mistake.
func TestSuiteCatchesBrokenStores(t *testing.T) {
	if name := os.Getenv("STORETEST_BROKEN"); name != "" {
		for _, b := range brokenStores {
			if b.name == name {
				storetest.Run(t, func(*testing.T) oauthreg.Store {
					s := b.store()
					s.Store = memstore.New()
					return s
				})
				return
			}
		}
		t.Fatalf("unknown broken store %q", name)
	}
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	for _, b := range brokenStores {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestSuiteCatchesBrokenStores$", "-test.v")
			cmd.Env = append(os.Environ(), "STORETEST_BROKEN="+b.name)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a store that %s", b.name)
			}
			for _, f := range b.failing {
				if !strings.Contains(string(out), "--- FAIL: TestSuiteCatchesBrokenStores/"+f+" ") {
					t.Errorf("subtest %s did not fail", f)
				}
			}
			for _, m := range b.messages {
				if !strings.Contains(string(out), m) {
					t.Errorf("no failure message says %q", m)
				}
			}
			if t.Failed() || testing.Verbose() {
				t.Logf("suite output:\n%s", failures(string(out)))
			}
		})
	}
}

// failures keeps the FAIL lines and the messages of a test output.
func failures(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "--- FAIL") || strings.Contains(l, ".go:") && !strings.HasPrefix(strings.TrimSpace(l), "/") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
