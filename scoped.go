package oauthreg

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Scoped is a Registry seen by one principal: every call enforces the
// organization rule (the principal's organization must be the client's owner
// or one of its ancestors, see OrgTree) and the access policy
// (WithAccessPolicy). A client outside the principal's reach behaves as if
// it did not exist (ErrNotFound); an action the policy denies fails with
// ErrForbidden and changes nothing. Events name the principal as the actor.
//
// Get one from Registry.As for each request; it is cheap and safe for
// concurrent use. The Registry itself stays the trusted, unscoped entry point
// for code that does its own checks.
type Scoped struct {
	r *Registry
	p Principal
}

// As returns the Registry as seen by principal p.
func (r *Registry) As(p Principal) *Scoped {
	p.Roles = append([]Role(nil), p.Roles...)
	return &Scoped{r: r, p: p}
}

// Principal returns the principal the calls act as.
func (s *Scoped) Principal() Principal {
	p := s.p
	p.Roles = append([]Role(nil), s.p.Roles...)
	return p
}

func (s *Scoped) who() *Principal { return &s.p }

// Register registers a client owned by the principal's organization (or by
// c.Owner, which must be within its reach). See Registry.Register.
//
// Client IDs are one namespace for the whole server (RFC 7591 requires a
// client_id to be unique at the server), so a chosen c.ID that any client
// holds, within reach or not, is refused with ErrAlreadyExists: that much a
// principal who may register can learn about IDs it cannot see, and nothing
// more (the error names neither the client's owner nor anything else of
// it, and the client is not changed). Leave c.ID empty, and the Registry
// generates one (a UUIDv7), which tells nothing. A principal the access
// policy does not allow ActionCreate is refused (ErrForbidden) before the
// ID is looked at.
func (s *Scoped) Register(ctx context.Context, c Client, opts ...SecretOption) (*Client, PlainSecret, error) {
	return s.r.register(ctx, s.who(), c, opts)
}

// Get returns a client within the principal's reach. See Registry.Get.
func (s *Scoped) Get(ctx context.Context, id string) (*Client, error) {
	return s.r.get(ctx, s.who(), id)
}

// Update changes a client's metadata; moving it to another owner requires
// reach over both. See Registry.Update.
func (s *Scoped) Update(ctx context.Context, id string, fn func(*Client) error) (*Client, error) {
	return s.r.update(ctx, s.who(), id, fn)
}

// Delete removes a client. See Registry.Delete.
func (s *Scoped) Delete(ctx context.Context, id string) error {
	return s.r.delete(ctx, s.who(), id)
}

// RotateSecret rotates a client's secret. A client acting for itself may
// rotate its own secret unless its policy has OwnerOnlyRotation. See
// Registry.RotateSecret.
func (s *Scoped) RotateSecret(ctx context.Context, clientID string, opts ...SecretOption) (PlainSecret, error) {
	return s.r.rotate(ctx, s.who(), clientID, opts)
}

// RegenerateSecret regenerates a client's secret. See
// Registry.RegenerateSecret.
func (s *Scoped) RegenerateSecret(ctx context.Context, clientID string, opts ...SecretOption) (PlainSecret, error) {
	return s.r.regenerate(ctx, s.who(), clientID, opts)
}

// RevokeSecret revokes one secret. See Registry.RevokeSecret.
func (s *Scoped) RevokeSecret(ctx context.Context, clientID, secretID string) error {
	return s.r.revoke(ctx, s.who(), clientID, secretID)
}

// RotateSecretTo rotates to a chosen secret with a per-call grace
// (ActionRotate). See Registry.RotateSecretTo.
func (s *Scoped) RotateSecretTo(ctx context.Context, clientID, plaintext string, grace time.Duration, opts ...SecretOption) (Secret, error) {
	return s.r.rotateTo(ctx, s.who(), clientID, plaintext, grace, opts)
}

// AddSecret adds a supplied secret (ActionAddSecret). See Registry.AddSecret.
func (s *Scoped) AddSecret(ctx context.Context, clientID, plaintext string, opts ...SecretOption) (Secret, error) {
	return s.r.addSupplied(ctx, s.who(), clientID, plaintext, opts)
}

// ImportSecret imports a hash (ActionAddSecret). See Registry.ImportSecret.
func (s *Scoped) ImportSecret(ctx context.Context, clientID, encodedHash string, opts ...SecretOption) (Secret, error) {
	return s.r.importHash(ctx, s.who(), clientID, encodedHash, opts)
}

// RevealSecret returns a sealed secret's plaintext (ActionReveal, which no
// role has by default). See Registry.RevealSecret.
func (s *Scoped) RevealSecret(ctx context.Context, clientID, secretID string) (PlainSecret, error) {
	return s.r.reveal(ctx, s.who(), clientID, secretID)
}

// maxScanPerPage bounds how many stored clients one Scoped.List call reads
// while looking for clients within reach.
const maxScanPerPage = 2000

// List returns clients within the principal's reach, in ID order, paginated
// like Registry.List (q.Owner narrows further; it must be within reach). A
// client principal lists only itself.
//
// When the organization tree says the principal's organization has no
// descendants (FlatOrgs, a leaf of MapOrgTree, or an OrgTree implementing
// OrgChildren), the listing is a direct owner query. Otherwise it reads the
// store in ID order and keeps the clients within reach: a page then reads at
// most 2000 stored clients and may hold fewer than Limit clients, even none,
// with a NextCursor to continue; keep paging until NextCursor is empty.
// Such a cursor is sealed (encrypted and authenticated, bound to the
// principal's organization): it reveals no client out of reach, and
// another Registry key (see WithCursorKey) or organization refuses it with
// ErrInvalidCursor.
func (s *Scoped) List(ctx context.Context, q ListQuery) (ClientPage, error) {
	if s.p.Client {
		c, err := s.Get(ctx, s.p.Subject)
		if errors.Is(err, ErrNotFound) || (err == nil && (q.Cursor != "" || (q.Owner != "" && q.Owner != c.Owner))) {
			return ClientPage{}, nil
		}
		if err != nil {
			return ClientPage{}, err
		}
		return ClientPage{Clients: []*Client{c}}, nil
	}
	if s.p.Org == "" {
		return ClientPage{}, nil // a principal in no organization reaches no client
	}
	if q.Owner != "" {
		ok, err := orgReaches(ctx, s.r.cfg.orgs, s.p.Org, q.Owner)
		if err != nil {
			return ClientPage{}, err
		}
		if !ok {
			return ClientPage{}, nil
		}
		return s.r.List(ctx, q)
	}
	leaf, err := isLeafOrg(ctx, s.r.cfg.orgs, s.p.Org)
	if err != nil {
		return ClientPage{}, err
	}
	if leaf {
		q.Owner = s.p.Org
		return s.r.List(ctx, q)
	}
	want := q.EffectiveLimit()
	var out ClientPage
	reach := map[string]bool{}
	scanned := 0
	var cursor string // the store's
	if q.Cursor != "" {
		if cursor, err = s.r.cursors.open(s.p.Org, q.Cursor); err != nil {
			return ClientPage{}, err
		}
	}
	for len(out.Clients) < want && scanned < maxScanPerPage {
		sub := q // the filters apply to every page read
		sub.Cursor, sub.Limit = cursor, want-len(out.Clients)
		page, err := s.r.List(ctx, sub)
		if err != nil {
			return ClientPage{}, err
		}
		scanned += len(page.Clients)
		for _, c := range page.Clients {
			ok, seen := reach[c.Owner]
			if !seen {
				if ok, err = orgReaches(ctx, s.r.cfg.orgs, s.p.Org, c.Owner); err != nil {
					return ClientPage{}, err
				}
				reach[c.Owner] = ok
			}
			if ok {
				out.Clients = append(out.Clients, c)
			}
		}
		cursor = page.NextCursor
		if cursor == "" {
			break
		}
	}
	if cursor != "" {
		// The store's cursor may name a client out of reach: seal it.
		out.NextCursor = s.r.cursors.seal(s.p.Org, cursor)
	}
	return out, nil
}

// OrgChildren is an optional interface of an OrgTree: HasChildren reports
// whether org has any child organization. Scoped.List uses it to list a
// leaf organization's clients with a direct owner query.
type OrgChildren interface {
	HasChildren(ctx context.Context, org string) (bool, error)
}

// HasChildren reports whether any organization has org as its parent.
func (m MapOrgTree) HasChildren(_ context.Context, org string) (bool, error) {
	for _, parent := range m {
		if parent == org {
			return true, nil
		}
	}
	return false, nil
}

// HasChildren returns false: no organization nests.
func (FlatOrgs) HasChildren(context.Context, string) (bool, error) { return false, nil }

func isLeafOrg(ctx context.Context, tree OrgTree, org string) (bool, error) {
	oc, ok := tree.(OrgChildren)
	if !ok {
		return false, nil
	}
	has, err := oc.HasChildren(ctx, org)
	if err != nil {
		return false, fmt.Errorf("oauthreg: organization tree: children of %q: %w", SanitizeInput(org), err)
	}
	return !has, nil
}
