package oauthreg

import (
	"context"
	"fmt"
)

// OrgTree tells the library how the embedding server's organizations nest.
// Every client has an owning organization (Client.Owner); a principal
// acting in organization P may reach a client owned by O when P is O or one
// of O's ancestors (the rule of SlashID, an identity service, for its
// OAuth client API: "the caller's org must match or be a parent of the
// client's owner").
//
// Implement it over your own organization table, or use MapOrgTree.
type OrgTree interface {
	// Parent returns the parent of org, or "" when org is a root or
	// unknown. An error aborts the call that needed it.
	Parent(ctx context.Context, org string) (string, error)
}

// MapOrgTree is an OrgTree kept in a map from each organization to its
// parent; roots are absent or map to "". It suits tests and servers with a
// small, static hierarchy. Do not modify it while a Registry uses it.
type MapOrgTree map[string]string

// Parent returns m[org].
func (m MapOrgTree) Parent(_ context.Context, org string) (string, error) { return m[org], nil }

// FlatOrgs is an OrgTree in which no organization has a parent: a principal
// reaches only the clients its own organization owns. It is the default.
type FlatOrgs struct{}

// Parent returns "".
func (FlatOrgs) Parent(context.Context, string) (string, error) { return "", nil }

// maxOrgDepth bounds the walk up an OrgTree, so a cycle in the embedding
// server's data ends in an error rather than a hang.
const maxOrgDepth = 64

// orgReaches reports whether a principal in org from may reach a client
// owned by org owner: from is owner or one of its ancestors.
func orgReaches(ctx context.Context, tree OrgTree, from, owner string) (bool, error) {
	if from == "" || owner == "" {
		return false, nil
	}
	org := owner
	for range maxOrgDepth {
		if org == from {
			return true, nil
		}
		parent, err := tree.Parent(ctx, org)
		if err != nil {
			return false, fmt.Errorf("oauthreg: organization tree: parent of %q: %w", SanitizeInput(org), err)
		}
		if parent == "" {
			return false, nil
		}
		org = parent
	}
	return false, fmt.Errorf("oauthreg: organization tree: %q is more than %d levels deep, or its ancestry has a cycle", SanitizeInput(owner), maxOrgDepth)
}
