package oauthreg

import (
	"errors"
	"fmt"
	"strings"
)

// ParseScope splits a scope parameter or RFC 7591 "scope" value, a list of
// space-delimited scope tokens (RFC 6749 §3.3), into its scopes.
//
// It is lenient about spacing and strict about content: leading, trailing
// and repeated spaces are ignored, but any other character outside
// scope-token syntax (see ValidateScopeToken; a tab, a double quote, a
// backslash, non-ASCII) is an error. A scope that appears twice is kept
// once, in the position of its first appearance, since the order and
// repetition of scopes carry no meaning. An empty or all-space string gives
// nil and no error. More than MaxScopes distinct scopes is an error too,
// found without keeping more than MaxScopes of them.
//
// The error is a *ValidationError with Field "scope" and Code
// CodeInvalidClientMetadata, right for a registration request; at an
// authorization or token endpoint, answer it with RFC 6749 "invalid_scope".
func ParseScope(s string) ([]string, error) {
	var out []string
	seen := make(map[string]struct{})
	for tok := range strings.SplitSeq(s, " ") {
		if tok == "" {
			continue
		}
		if err := checkScopeToken(tok); err != nil {
			return nil, err
		}
		if _, dup := seen[tok]; !dup {
			if len(out) == MaxScopes {
				return nil, metadataError("scope", "at most %d distinct scopes are allowed", MaxScopes)
			}
			seen[tok] = struct{}{}
			out = append(out, tok)
		}
	}
	return out, nil
}

// FormatScope joins scopes with single spaces into the form of RFC 6749
// §3.3 and RFC 7591 "scope", the inverse of ParseScope. It does not
// validate: call ValidateScopeToken or Client.Validate for that. Nil or
// empty input gives "".
func FormatScope(scopes []string) string {
	return strings.Join(scopes, " ")
}

// ErrInvalidScope is returned by Client.GrantScopes when a requested scope
// is malformed or not one of the client's: RFC 6749's invalid_scope.
var ErrInvalidScope = errors.New("oauthreg: invalid scope")

// GrantScopes returns the scopes a token issued to c may carry when the
// request asked for requested (RFC 6749 §3.3: space-delimited scope tokens).
// Every requested scope must be one of the client's; an empty request gets
// all of the client's scopes (RFC 6749 lets the server pick a default; a
// server with another default applies it itself). Errors wrap
// ErrInvalidScope and name the offending scope.
func (c *Client) GrantScopes(requested string) ([]string, error) {
	want, err := ParseScope(requested)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidScope, err)
	}
	if len(want) == 0 {
		return cloneSlice(c.Scopes), nil
	}
	for _, s := range want {
		if !c.HasScope(s) {
			return nil, fmt.Errorf("%w: client %q may not request scope %q", ErrInvalidScope, SanitizeInput(c.ID), SanitizeInput(s))
		}
	}
	return want, nil
}
