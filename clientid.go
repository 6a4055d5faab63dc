package oauthreg

import (
	"context"
	"fmt"
)

// ValidClientID reports whether id can name a client: 1 to 255 bytes, each
// a printable ASCII character (0x20 to 0x7E, RFC 6749 Appendix A.1's
// VSCHAR). This is the one rule of the library: Register and Validate
// refuse any other ID (a *ValidationError for client_id), and every call
// that takes a client ID answers one that breaks it as it answers an ID
// nobody registered, on every Store:
//
//   - Authenticate fails with ErrInvalidCredentials after the same work as
//     for an unknown client (a store read and a decoy verification), and
//     reports EventAuthFailed with ReasonUnknownClient;
//   - Get, Update, Delete and the secret operations fail with ErrNotFound,
//     without reaching the Store.
//
// So a NUL byte, invalid UTF-8 or a 2 MB ID in a token request is an
// invalid_client like any other, never a store error (PostgreSQL, for one,
// refuses such text outright). A client written into a Store directly,
// bypassing Register, with an ID outside this rule is not reachable
// through the Registry.
func ValidClientID(id string) bool { return clientIDProblem(id) == nil }

// clientIDProblem says why id is not a valid client ID, or returns nil.
func clientIDProblem(id string) *ValidationError {
	switch {
	case id == "":
		return metadataError("client_id", "must not be empty")
	case len(id) > MaxClientIDBytes:
		return metadataError("client_id", "must be at most %d bytes (got %d)", MaxClientIDBytes, len(id))
	case allBytesIn(id, 0x20, 0x7e):
		return nil
	}
	for i := 0; i < len(id); i++ {
		if b := id[i]; b < 0x20 || b > 0x7e {
			return metadataError("client_id", "must contain only printable ASCII characters (RFC 6749 VSCHAR, 0x20-0x7E); found byte 0x%02X at offset %d", b, i)
		}
	}
	return nil
}

// getClient reads client id from the store, or answers ErrNotFound without
// reading when id is not a valid client ID (ValidClientID).
func (r *Registry) getClient(ctx context.Context, id string) (*Client, error) {
	if !ValidClientID(id) {
		return nil, fmt.Errorf("%w (not a valid client ID)", ErrNotFound)
	}
	return r.store.GetClient(ctx, id)
}

// decoyLookupID is the ID Authenticate reads instead of a presented ID that
// is not valid, so that such a request costs what an unknown client costs.
// It is a valid ID; should a client ever hold it, it is read and ignored.
const decoyLookupID = "oauthreg-decoy-lookup"
