package clientauth

import "github.com/oauthreg/oauthreg"

// Reasons of the oauthreg.EventAuthFailed events and Error.Reason values
// this package produces, besides the Registry's own (oauthreg.ReasonWrongMethod,
// oauthreg.ReasonDisabled, oauthreg.ReasonUnknownClient, ...). They are for
// operators: never send them to the client.
const (
	// ReasonMalformedRequest: the credentials were malformed, repeated, or
	// sent by more than one method.
	ReasonMalformedRequest oauthreg.FailureReason = "malformed_credentials"
	// ReasonNoCredentials: the request carried no client authentication.
	ReasonNoCredentials oauthreg.FailureReason = "no_credentials"
	// ReasonMethodDisabled: the request used a method the Authenticator
	// does not accept (WithMethods).
	ReasonMethodDisabled oauthreg.FailureReason = "method_not_enabled"
	// ReasonMalformedAssertion: client_assertion is not a compact JWS with
	// a JSON claims set, or is over the size limit.
	ReasonMalformedAssertion oauthreg.FailureReason = "malformed_assertion"
	// ReasonAlgorithm: the assertion's alg is none, not allowed by the
	// server, or not the client's token_endpoint_auth_signing_alg.
	ReasonAlgorithm oauthreg.FailureReason = "assertion_alg_refused"
	// ReasonIssuer: iss or sub is missing, they differ, or they differ
	// from the client_id parameter.
	ReasonIssuer oauthreg.FailureReason = "assertion_iss_sub_mismatch"
	// ReasonAudience: aud does not name this server as configured.
	ReasonAudience oauthreg.FailureReason = "assertion_wrong_audience"
	// ReasonAssertionExpired: exp is missing or in the past.
	ReasonAssertionExpired oauthreg.FailureReason = "assertion_expired"
	// ReasonNotYetValid: nbf or iat is in the future.
	ReasonNotYetValid oauthreg.FailureReason = "assertion_not_yet_valid"
	// ReasonTooLongLived: the assertion is valid for longer than the
	// configured maximum lifetime.
	ReasonTooLongLived oauthreg.FailureReason = "assertion_lifetime_too_long"
	// ReasonMissingJTI: jti is missing or too long.
	ReasonMissingJTI oauthreg.FailureReason = "assertion_missing_jti"
	// ReasonReplayed: the assertion's jti was already used by the client
	// and has not expired.
	ReasonReplayed oauthreg.FailureReason = "assertion_replayed"
	// ReasonNoKey: no registered key fits the assertion's kid and alg.
	ReasonNoKey oauthreg.FailureReason = "no_matching_key"
	// ReasonBadSignature: no registered key verified the signature.
	ReasonBadSignature oauthreg.FailureReason = "bad_signature"
	// ReasonKeysUnavailable: the client's jwks_uri could not be fetched, or
	// no fetcher is configured, or its JWK Set is unusable.
	ReasonKeysUnavailable oauthreg.FailureReason = "keys_unavailable"
	// ReasonNoCertificate: an mTLS client sent no (verified) certificate.
	ReasonNoCertificate oauthreg.FailureReason = "no_client_certificate"
	// ReasonCertificateMismatch: the certificate does not match the
	// client's registered subject or keys.
	ReasonCertificateMismatch oauthreg.FailureReason = "certificate_mismatch"
	// ReasonServerError: the store or a key fetch failed; not a credentials
	// problem.
	ReasonServerError oauthreg.FailureReason = "server_error"
)
