package registration

import (
	"context"
	"encoding/json"
	"errors"
)

// SoftwareStatementVerifier checks a software statement (RFC 7591 §2.3): a
// JWT, signed by a party the server trusts, asserting client metadata. The
// library does no JOSE itself; an implementation verifies the signature
// and issuer (for example with github.com/go-jose/go-jose/v4) and returns
// the statement's claims.
type SoftwareStatementVerifier interface {
	// VerifySoftwareStatement returns the claims of a valid statement, or
	// an error: one wrapping ErrUnapprovedSoftware for a valid statement
	// of software the server does not accept (unapproved_software_statement),
	// any other for a statement that does not verify
	// (invalid_software_statement). The error's text is not sent to the
	// client.
	VerifySoftwareStatement(ctx context.Context, statement string) (map[string]json.RawMessage, error)
}

// SoftwareStatementFunc adapts a function to SoftwareStatementVerifier.
type SoftwareStatementFunc func(ctx context.Context, statement string) (map[string]json.RawMessage, error)

// VerifySoftwareStatement calls f.
func (f SoftwareStatementFunc) VerifySoftwareStatement(ctx context.Context, statement string) (map[string]json.RawMessage, error) {
	return f(ctx, statement)
}

// ErrUnapprovedSoftware is wrapped by a verifier's error for a statement
// that verifies but names software the server does not accept.
var ErrUnapprovedSoftware = errors.New("registration: unapproved software")

// overlayStatement applies a verified statement's claims to md: RFC 7591
// §2.3 says a statement's values take precedence over the same members sent
// as plain JSON. Claims that are not client metadata (iss, iat, and any
// server-side member) are ignored, as in a request.
func overlayStatement(md Metadata, claims map[string]json.RawMessage) (Metadata, error) {
	members := map[string]json.RawMessage{}
	for name, v := range claims {
		if clientMembers[name] || localizedMember(name) {
			members[name] = v
		}
	}
	if len(members) == 0 {
		return md, nil
	}
	fromStatement, err := decodeMetadata(members)
	if err != nil {
		if e := AsError(err); e.Code == CodeInvalidClientMetadata || e.Code == CodeInvalidRedirectURI {
			return Metadata{}, newError(CodeInvalidSoftwareStatement, e.Status, "software statement: "+e.Description)
		}
		return Metadata{}, err
	}
	// Copy the members the statement set over md's.
	c := md.toClient()
	stmt := fromStatement.toClient()
	for name := range members {
		copyMember(c, stmt, name)
	}
	return fromClient(c), nil
}
