package oauthreg_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// TestDefaultAccessPolicyTable runs every role × every action through a
// Scoped registry and checks the outcome against VMware CSP's table, and
// that a denial changes nothing.
func TestDefaultAccessPolicyTable(t *testing.T) {
	allowed := map[oauthreg.Role]map[oauthreg.Action]bool{}
	all := func(except ...oauthreg.Action) map[oauthreg.Action]bool {
		m := map[oauthreg.Action]bool{}
		for _, a := range oauthreg.AllActions {
			m[a] = true
		}
		for _, a := range except {
			m[a] = false
		}
		return m
	}
	allowed[oauthreg.RoleOrgOwner] = all(oauthreg.ActionReveal)
	allowed[oauthreg.RoleOrgAdmin] = all(oauthreg.ActionReveal)
	allowed[oauthreg.RoleDeveloper] = all(oauthreg.ActionReveal, oauthreg.ActionDelete)
	allowed[oauthreg.RoleMember] = map[oauthreg.Action]bool{oauthreg.ActionRead: true}
	allowed["auditor"] = map[oauthreg.Action]bool{oauthreg.ActionRead: true}

	for role, table := range allowed {
		for _, action := range oauthreg.AllActions {
			t.Run(fmt.Sprintf("%s/%s", role, action), func(t *testing.T) {
				kit := oauthregtest.New(t, oauthreg.WithKeyRing(testKeyRing(t)))
				c, secret := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "org" })
				err := doAction(t, kit.As(oauthreg.UserPrincipal("u", "org", role)), action, c.ID, secret.ID())
				want := table[action]
				if want && err != nil {
					t.Fatalf("%s may %s, got %v", role, action, err)
				}
				if !want {
					if !errors.Is(err, oauthreg.ErrForbidden) {
						t.Fatalf("%s may not %s: want ErrForbidden, got %v", role, action, err)
					}
					after, gerr := kit.Get(ctx, c.ID)
					if gerr != nil || after.Version != c.Version || len(after.Secrets) != len(c.Secrets) {
						t.Fatalf("a denied %s changed the client (version %d → %d)", action, c.Version, after.Version)
					}
				}
			})
		}
	}
}

// doAction performs action on client id through s.
func doAction(t *testing.T, s *oauthreg.Scoped, action oauthreg.Action, id, secretID string) error {
	t.Helper()
	var err error
	switch action {
	case oauthreg.ActionRead:
		_, err = s.Get(ctx, id)
	case oauthreg.ActionCreate:
		_, _, err = s.Register(ctx, oauthreg.Client{Name: "new"})
	case oauthreg.ActionUpdate:
		_, err = s.Update(ctx, id, func(c *oauthreg.Client) error { c.Name = "changed"; return nil })
	case oauthreg.ActionDelete:
		err = s.Delete(ctx, id)
	case oauthreg.ActionRotate:
		_, err = s.RotateSecret(ctx, id)
	case oauthreg.ActionAddSecret:
		_, err = s.AddSecret(ctx, id, "a-secret-somebody-chose")
	case oauthreg.ActionRegenerate:
		_, err = s.RegenerateSecret(ctx, id)
	case oauthreg.ActionRevoke:
		err = s.RevokeSecret(ctx, id, secretID)
	case oauthreg.ActionReveal:
		_, err = s.RevealSecret(ctx, id, secretID)
	default:
		t.Fatalf("unknown action %s", action)
	}
	return err
}

func testKeyRing(t testing.TB) *oauthreg.KeyRing {
	t.Helper()
	k, err := oauthreg.GenerateKey("test-1", oauthreg.AES256GCM)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := oauthreg.NewKeyRing(k)
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

func TestRevealRoles(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithKeyRing(testKeyRing(t)),
		oauthreg.WithAccessPolicy(oauthreg.DefaultAccessPolicy{RevealRoles: []oauthreg.Role{"secret_custodian"}}))
	c, secret := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "org" })
	if _, err := kit.As(oauthreg.UserPrincipal("owner", "org", oauthreg.RoleOrgOwner)).RevealSecret(ctx, c.ID, secret.ID()); !errors.Is(err, oauthreg.ErrForbidden) {
		t.Fatalf("org owner revealed without the reveal role: %v", err)
	}
	got, err := kit.As(oauthreg.UserPrincipal("carol", "org", "secret_custodian")).RevealSecret(ctx, c.ID, secret.ID())
	if err != nil || got.Reveal() != secret.Reveal() {
		t.Fatalf("custodian reveal: %v", err)
	}
}

func TestClientActingForItself(t *testing.T) {
	for _, ownerOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("ownerOnly=%v", ownerOnly), func(t *testing.T) {
			kit := oauthregtest.New(t)
			c, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) {
				c.RotationPolicy = &oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 2, OwnerOnlyRotation: ownerOnly}
			})
			other, _ := kit.ConfidentialClient(t)
			self := kit.As(oauthreg.ClientPrincipal(c.ID))
			_, err := self.RotateSecret(ctx, c.ID)
			if ownerOnly && !errors.Is(err, oauthreg.ErrForbidden) {
				t.Fatalf("owner-only rotation: the client rotated its own secret (%v)", err)
			}
			if !ownerOnly && err != nil {
				t.Fatalf("the client may rotate its own secret: %v", err)
			}
			after, _ := kit.Get(ctx, c.ID)
			if ownerOnly && after.Version != c.Version {
				t.Fatal("a denied rotation changed the client")
			}
			if _, err := self.RotateSecret(ctx, other.ID); !errors.Is(err, oauthreg.ErrNotFound) {
				t.Fatalf("a client rotated another client's secret: %v", err)
			}
			if _, err := self.Get(ctx, c.ID); err != nil {
				t.Fatalf("a client must read itself: %v", err)
			}
			if _, err := self.RegenerateSecret(ctx, c.ID); !errors.Is(err, oauthreg.ErrForbidden) {
				t.Fatalf("a client regenerated its own secret: %v", err)
			}
			if _, err := self.AddSecret(ctx, c.ID, "password1234-of-its-choice"); !errors.Is(err, oauthreg.ErrForbidden) {
				t.Fatalf("a client added a secret of its choosing: %v", err)
			}
			page, err := self.List(ctx, oauthreg.ListQuery{})
			if err != nil || len(page.Clients) != 1 || page.Clients[0].ID != c.ID {
				t.Fatalf("a client lists only itself: %v %d", err, len(page.Clients))
			}
			// An administrator of the owning org may always rotate.
			if _, err := kit.As(oauthreg.UserPrincipal("admin", c.Owner, oauthreg.RoleOrgAdmin)).RotateSecret(ctx, c.ID); err != nil {
				t.Fatalf("org admin rotation: %v", err)
			}
		})
	}
}

// TestOrganizationReach: a tree three levels deep. An ancestor reaches a
// client; a sibling and a sibling's descendant do not, and to them the client
// does not exist.
func TestOrganizationReach(t *testing.T) {
	tree := oauthreg.MapOrgTree{"eu": "acme", "de": "eu", "berlin": "de", "fr": "eu", "paris": "fr", "us": "acme"}
	kit := oauthregtest.New(t, oauthreg.WithOrgTree(tree))
	c, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "berlin" })
	for org, reaches := range map[string]bool{
		"berlin": true, "de": true, "eu": true, "acme": true, // itself and its ancestors
		"fr": false, "paris": false, "us": false, "other": false, // siblings, a sibling's descendant, strangers
	} {
		s := kit.As(oauthreg.UserPrincipal("u", org, oauthreg.RoleOrgAdmin))
		_, err := s.Get(ctx, c.ID)
		if reaches && err != nil {
			t.Errorf("%s must reach a client of berlin: %v", org, err)
		}
		if !reaches {
			if !errors.Is(err, oauthreg.ErrNotFound) || errors.Is(err, oauthreg.ErrForbidden) {
				t.Errorf("%s must not see a client of berlin (want ErrNotFound), got %v", org, err)
			}
			if _, err := s.RotateSecret(ctx, c.ID); !errors.Is(err, oauthreg.ErrNotFound) {
				t.Errorf("%s rotated a client outside its reach: %v", org, err)
			}
			if err := s.Delete(ctx, c.ID); !errors.Is(err, oauthreg.ErrNotFound) {
				t.Errorf("%s deleted a client outside its reach: %v", org, err)
			}
		}
	}
	// Register within reach only; moving a client needs reach over both.
	eu := kit.As(oauthreg.UserPrincipal("u", "eu", oauthreg.RoleOrgAdmin))
	if _, _, err := eu.Register(ctx, oauthreg.Client{Owner: "us"}); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Errorf("eu registered a client for us: %v", err)
	}
	if _, err := eu.Update(ctx, c.ID, func(c *oauthreg.Client) error { c.Owner = "us"; return nil }); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Errorf("eu moved a client to us: %v", err)
	}
	if _, err := eu.Update(ctx, c.ID, func(c *oauthreg.Client) error { c.Owner = "paris"; return nil }); err != nil {
		t.Errorf("eu moving a client within its subtree: %v", err)
	}
	mine, _, err := kit.As(oauthreg.UserPrincipal("u", "fr", oauthreg.RoleDeveloper)).Register(ctx, oauthreg.Client{})
	if err != nil || mine.Owner != "fr" {
		t.Errorf("Register defaults the owner to the principal's org: %v %v", err, mine)
	}
}

func TestOrgTreeCycleIsAnError(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithOrgTree(oauthreg.MapOrgTree{"a": "b", "b": "a"}))
	c, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "a" })
	_, err := kit.As(oauthreg.UserPrincipal("u", "x", oauthreg.RoleOrgAdmin)).Get(ctx, c.ID)
	if err == nil || errors.Is(err, oauthreg.ErrNotFound) {
		t.Fatalf("a cycle in the org tree must be reported, got %v", err)
	}
}

// OwnerOnlyRotation set on the Registry's policy (not the client's) binds
// clients acting for themselves too.
func TestRegistryWideOwnerOnlyRotation(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 2, OwnerOnlyRotation: true}))
	c, _ := kit.ConfidentialClient(t)
	if _, err := kit.As(oauthreg.ClientPrincipal(c.ID)).RotateSecret(ctx, c.ID); !errors.Is(err, oauthreg.ErrForbidden) {
		t.Fatalf("registry-wide owner-only rotation ignored: %v", err)
	}
}

// A principal in no organization reaches nothing, listing included.
func TestPrincipalWithoutOrganization(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithOrgTree(oauthreg.MapOrgTree{"team": "acme"}))
	c, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "acme" })
	kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "team" })
	s := kit.As(oauthreg.UserPrincipal("mallory", "", oauthreg.RoleOrgOwner))
	page, err := s.List(ctx, oauthreg.ListQuery{})
	if err != nil || len(page.Clients) != 0 {
		t.Fatalf("a principal without an organization listed %d clients (%v)", len(page.Clients), err)
	}
	if _, err := s.Get(ctx, c.ID); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Fatalf("Get: %v", err)
	}
	flat := oauthregtest.New(t)
	flat.ConfidentialClient(t)
	if page, _ := flat.As(oauthreg.UserPrincipal("m", "", oauthreg.RoleMember)).List(ctx, oauthreg.ListQuery{}); len(page.Clients) != 0 {
		t.Fatal("FlatOrgs: a principal without an organization listed clients")
	}
}

func TestScopedPrincipalIsACopy(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	s := kit.As(oauthreg.UserPrincipal("u", c.Owner, oauthreg.RoleMember))
	p := s.Principal()
	p.Roles[0] = oauthreg.RoleOrgOwner
	if err := s.Delete(ctx, c.ID); !errors.Is(err, oauthreg.ErrForbidden) {
		t.Fatalf("changing Principal()'s roles changed the Scoped's rights: %v", err)
	}
}

// The policy sees the result of an update, not only the stored client.
func TestPolicySeesUpdateResult(t *testing.T) {
	var seen []bool
	policy := oauthreg.AccessPolicyFunc(func(_ context.Context, _ oauthreg.Principal, a oauthreg.Action, c *oauthreg.Client) error {
		if a == oauthreg.ActionUpdate {
			seen = append(seen, c.Disabled)
		}
		return nil
	})
	kit := oauthregtest.New(t, oauthreg.WithAccessPolicy(policy))
	c, _ := kit.ConfidentialClient(t)
	if _, err := kit.As(oauthreg.UserPrincipal("u", c.Owner)).Update(ctx, c.ID, func(c *oauthreg.Client) error { c.Disabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0] || !seen[1] {
		t.Fatalf("policy saw disabled=%v, want [false true] (stored, then result)", seen)
	}
}

// movesAway moves the client to another owner right after the Registry read
// it for a delete, as a concurrent admin would.
type movesAway struct {
	*memstore.Store
	armed bool
}

func (m *movesAway) DeleteClientAt(ctx context.Context, id string, version int64) error {
	if m.armed {
		m.armed = false
		c, _ := m.Store.GetClient(ctx, id)
		c.Owner = "acme"
		if err := m.Store.UpdateClient(ctx, c); err != nil {
			return err
		}
	}
	return m.Store.DeleteClientAt(ctx, id, version)
}

// A client moved out of the principal's reach between the access check and
// the delete is not deleted.
func TestScopedDeleteRechecksAfterAMove(t *testing.T) {
	store := &movesAway{Store: memstore.New()}
	reg, _ := oauthreg.New(store, oauthreg.WithOrgTree(oauthreg.MapOrgTree{"team": "acme"}))
	c, _, err := reg.Register(ctx, oauthreg.Client{Owner: "team"})
	if err != nil {
		t.Fatal(err)
	}
	store.armed = true
	err = reg.As(oauthreg.UserPrincipal("admin", "team", oauthreg.RoleOrgAdmin)).Delete(ctx, c.ID)
	if !errors.Is(err, oauthreg.ErrNotFound) {
		t.Fatalf("delete after the client moved out of reach: %v", err)
	}
	if got, err := reg.Get(ctx, c.ID); err != nil || got.Owner != "acme" {
		t.Fatalf("the moved client was deleted: %v", err)
	}
}
