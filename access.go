package oauthreg

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// ErrForbidden is returned when the access policy denies a principal an
// action on a client it can see. Nothing is changed. (A client the principal
// cannot see at all, outside its organization's subtree, is ErrNotFound
// instead, so its existence does not leak.)
var ErrForbidden = errors.New("oauthreg: forbidden")

// Role is a principal's role in its organization. The library knows the
// roles of the access table of VMware CSP (VMware's cloud services
// console); servers may use their own and supply
// an AccessPolicy that understands them.
type Role string

// Roles of the default access policy.
const (
	RoleOrgOwner  Role = "org_owner"
	RoleOrgAdmin  Role = "org_admin"
	RoleDeveloper Role = "developer"
	RoleMember    Role = "org_member"
)

// Principal is who acts through a Scoped registry: a person or service
// account acting in an organization with roles, or a client acting for
// itself.
type Principal struct {
	// Subject identifies the actor in events: a user or service account
	// ID, or the client ID for a client acting for itself.
	Subject string
	// Org is the organization the principal acts in. Empty for a client.
	Org string
	// Roles of the principal in Org.
	Roles []Role
	// Client is true when a client acts for itself (Subject is its ID): it
	// may see only itself.
	Client bool
}

// UserPrincipal returns a principal for a person or service account acting
// in org with the given roles.
func UserPrincipal(subject, org string, roles ...Role) Principal {
	return Principal{Subject: subject, Org: org, Roles: roles}
}

// ClientPrincipal returns the principal of a client acting for itself, for
// example one that rotates its own secret through a self-service endpoint.
func ClientPrincipal(clientID string) Principal {
	return Principal{Subject: clientID, Client: true}
}

// HasRole reports whether p has role r.
func (p Principal) HasRole(r Role) bool { return slices.Contains(p.Roles, r) }

// String names the principal in logs and errors.
func (p Principal) String() string {
	if p.Client {
		return "client:" + SanitizeInput(p.Subject)
	}
	return SanitizeInput(p.Subject) + "@" + SanitizeInput(p.Org)
}

// Action is what a principal asks to do to a client.
type Action string

// Actions an AccessPolicy decides on.
const (
	ActionRead   Action = "read"
	ActionCreate Action = "create"
	ActionUpdate Action = "update"
	ActionDelete Action = "delete"
	ActionRotate Action = "rotate"
	// ActionAddSecret covers AddSecret and ImportSecret: a secret whose
	// value the caller chooses, beside the active ones.
	ActionAddSecret  Action = "add_secret"
	ActionRegenerate Action = "regenerate"
	ActionRevoke     Action = "revoke"
	ActionReveal     Action = "reveal"
)

// AllActions lists every Action, for tables and tests.
var AllActions = []Action{ActionRead, ActionCreate, ActionUpdate, ActionDelete, ActionRotate, ActionAddSecret, ActionRegenerate, ActionRevoke, ActionReveal}

// AccessPolicy decides whether a principal may perform an action on a
// client it can see (the organization rule has already been applied).
// Return nil to allow, or an error wrapping ErrForbidden that says why.
// It is called with the client as currently stored (for ActionCreate, the
// client about to be created; for ActionUpdate, also with the result).
type AccessPolicy interface {
	Allow(ctx context.Context, p Principal, a Action, c *Client) error
}

// AccessPolicyFunc adapts a function to AccessPolicy.
type AccessPolicyFunc func(ctx context.Context, p Principal, a Action, c *Client) error

// Allow calls f.
func (f AccessPolicyFunc) Allow(ctx context.Context, p Principal, a Action, c *Client) error {
	return f(ctx, p, a, c)
}

// DefaultAccessPolicy follows the access table of VMware CSP (Cloud Services
// Platform, VMware's console for cloud service accounts), whose OAuth app API
// lets only these roles regenerate a secret:
//
//	role                   read  create update delete rotate add_secret regenerate revoke reveal
//	org_owner, org_admin    yes   yes    yes    yes    yes    yes        yes        yes    RevealRoles
//	developer               yes   yes    yes    no     yes    yes        yes        yes    RevealRoles
//	any other role          yes   no     no     no     no     no         no         no     RevealRoles
//	the client itself       yes   no     no     no     yes*   no         no         no     no
//
// (*) unless its RotationPolicy has OwnerOnlyRotation (the
// ownerOnlySecretRotation flag of VMware CPN, VMware's partner portal). Revealing a secret is a permission of its own:
// no role has it unless listed in RevealRoles.
type DefaultAccessPolicy struct {
	// RevealRoles may reveal sealed secrets. Empty: nobody may.
	RevealRoles []Role
}

// Allow implements AccessPolicy.
func (d DefaultAccessPolicy) Allow(_ context.Context, p Principal, a Action, c *Client) error {
	if p.Client {
		switch {
		case a == ActionRead:
			return nil
		case a == ActionRotate && c.RotationPolicy != nil && c.RotationPolicy.OwnerOnlyRotation:
			return fmt.Errorf("%w: client %q may not rotate its own secret (owner-only rotation); ask an administrator of organization %q",
				ErrForbidden, SanitizeInput(c.ID), SanitizeInput(c.Owner))
		case a == ActionRotate:
			return nil
		}
		return fmt.Errorf("%w: a client acting for itself may read and rotate its own secret, not %s", ErrForbidden, a)
	}
	if a == ActionReveal {
		for _, r := range d.RevealRoles {
			if p.HasRole(r) {
				return nil
			}
		}
		return fmt.Errorf("%w: %s may not reveal secrets (revealing is granted to no role by default; see DefaultAccessPolicy.RevealRoles)", ErrForbidden, p)
	}
	admin := p.HasRole(RoleOrgOwner) || p.HasRole(RoleOrgAdmin)
	dev := p.HasRole(RoleDeveloper)
	switch a {
	case ActionRead:
		return nil
	case ActionDelete:
		if admin {
			return nil
		}
	case ActionCreate, ActionUpdate, ActionRotate, ActionAddSecret, ActionRegenerate, ActionRevoke:
		if admin || dev {
			return nil
		}
	}
	return fmt.Errorf("%w: %s with roles %v may not %s client %q (needs org_owner or org_admin%s)",
		ErrForbidden, p, p.Roles, a, SanitizeInput(c.ID), map[bool]string{true: "", false: " or developer"}[a == ActionDelete])
}
