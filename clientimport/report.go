package clientimport

import (
	"errors"
	"fmt"

	"github.com/oauthreg/oauthreg"
)

// Status is what became of one client of an export.
type Status string

// Statuses of an Outcome.
const (
	// Imported: the client is stored.
	Imported Status = "imported"
	// WouldImport: a dry run found nothing against the client; a real
	// run imports it (unless another client is refused).
	WouldImport Status = "would_import"
	// Accepted: the client passed every check, but nothing was stored
	// because another client was refused.
	Accepted Status = "accepted"
	// Skipped: the client is deliberately not imported (a Keycloak
	// built-in or SAML client, a bearer-only client), and that does not
	// stop the others.
	Skipped Status = "skipped"
	// Refused: the client cannot be imported as it is; nothing at all is
	// stored until the export is fixed.
	Refused Status = "refused"
)

// Reason is a machine-readable code saying why a client was skipped or
// refused.
type Reason string

// Reasons of a skip or a refusal.
const (
	// Skips.
	ReasonBuiltin    Reason = "builtin_client"       // a Keycloak client every realm has
	ReasonProtocol   Reason = "unsupported_protocol" // a Keycloak SAML client
	ReasonBearerOnly Reason = "bearer_only"          // a Keycloak resource server that requests no tokens

	// Refusals found while reading the export.
	ReasonMalformed     Reason = "malformed"             // a value of the wrong type or shape
	ReasonMissingID     Reason = "missing_id"            // no client ID
	ReasonWildcardURI   Reason = "wildcard_redirect_uri" // a Keycloak redirect URI pattern; oauthreg matches exactly
	ReasonAuthMethod    Reason = "unsupported_auth_method"
	ReasonSecretExpired Reason = "secret_expired" // the secret's expiry has passed
	ReasonSecretMissing Reason = "secret_missing" // a confidential Keycloak client without its secret

	// Refusals of the Registry (Registry.ImportClients).
	ReasonExists          Reason = "already_exists"   // the ID is taken, or twice in the export
	ReasonInvalidMetadata Reason = "invalid_metadata" // against the RFCs or a limit
	ReasonUnsupportedHash Reason = "unsupported_hash"
	ReasonHashTooCostly   Reason = "hash_too_expensive" // over the Registry's HashCostLimits
	ReasonInvalidSecret   Reason = "invalid_secret"     // a plaintext that breaks AddSecret's rules
	ReasonTooManySecrets  Reason = "too_many_secrets"
	ReasonSecretsNotUsed  Reason = "secret_not_used" // a secret for a client whose method uses none
	ReasonOther           Reason = "refused"
)

// Warning is a field of the export that was dropped or changed on the way
// in: the client is imported without it.
type Warning struct {
	// Field names the field in the export's own vocabulary.
	Field string `json:"field"`
	// Message says what was dropped and why (input sanitized).
	Message string `json:"message"`
}

// Outcome is the fate of one client of the export.
type Outcome struct {
	// Index is the client's position in the export, from 0.
	Index int `json:"index"`
	// ClientID is the client's ID, passed through oauthreg.SanitizeInput.
	ClientID string `json:"client_id"`
	Status   Status `json:"status"`
	// Reason and Message say why a client was skipped or refused; Message
	// holds input only through oauthreg.SanitizeInput.
	Reason  Reason `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	// Secrets is how many secrets the client brings.
	Secrets  int       `json:"secrets"`
	Warnings []Warning `json:"warnings,omitempty"`
}

// Report is the result of Run: one Outcome per client of the export, in
// export order.
type Report struct {
	Source Source `json:"source"`
	DryRun bool   `json:"dry_run"`
	// Written reports whether the clients were stored; never in a dry run,
	// never when one was refused.
	Written bool `json:"written"`
	// Atomic reports whether they were stored in one atomic write (the
	// store implements oauthreg.BatchCreator).
	Atomic  bool      `json:"atomic"`
	Clients []Outcome `json:"clients"`
	// Counts by status.
	Imported int `json:"imported"`
	Skipped  int `json:"skipped"`
	Refused  int `json:"refused"`
}

// reasonOf maps a refusal of Registry.ImportClients to its Reason.
func reasonOf(err error) Reason {
	var ve *oauthreg.ValidationError
	switch {
	case errors.Is(err, oauthreg.ErrAlreadyExists):
		return ReasonExists
	case errors.As(err, &ve):
		return ReasonInvalidMetadata
	case errors.Is(err, oauthreg.ErrHashTooExpensive):
		return ReasonHashTooCostly
	case errors.Is(err, oauthreg.ErrUnsupportedHash):
		return ReasonUnsupportedHash
	case errors.Is(err, oauthreg.ErrInvalidSecret):
		return ReasonInvalidSecret
	case errors.Is(err, oauthreg.ErrTooManySecrets):
		return ReasonTooManySecrets
	case errors.Is(err, oauthreg.ErrSecretsNotUsed):
		return ReasonSecretsNotUsed
	}
	return ReasonOther
}

// q quotes input from an export for a message: bounded and escaped by
// oauthreg.SanitizeInput.
func q(s string) string { return fmt.Sprintf("%q", oauthreg.SanitizeInput(s)) }
