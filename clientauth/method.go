package clientauth

import "github.com/oauthreg/oauthreg"

// presented is the kind of client authentication a request carries, before
// the client's registration is known.
type presented int

const (
	// presentedBasic: HTTP Basic (client_secret_basic).
	presentedBasic presented = iota + 1
	// presentedPost: client_id and client_secret in the form.
	presentedPost
	// presentedAssertion: client_assertion (client_secret_jwt or
	// private_key_jwt; the alg tells which).
	presentedAssertion
	// presentedClientIDOnly: a client_id and nothing else. The client's
	// registration decides: tls_client_auth or self_signed_tls_client_auth
	// (with the TLS client certificate), or none (a public client).
	presentedClientIDOnly
)

// decideMethod picks the one method a request uses. More than one method
// (RFC 6749 §2.3: "MUST NOT use more than one"), a client_id in the body that
// differs from Basic's, half an assertion, or an unknown assertion type is
// invalid_request; no credentials at all is invalid_client.
func decideMethod(c credentials) (presented, string, *Error) {
	n := 0
	for _, used := range [...]bool{c.basic, c.hasFormSecret, c.hasAssertion || c.hasAssertionType} {
		if used {
			n++
		}
	}
	if n > 1 {
		return 0, "", invalidRequest(ReasonMalformedRequest,
			"the request uses more than one client authentication method; use only the one the client is registered for (RFC 6749 section 2.3)")
	}
	switch {
	case c.basic:
		if c.hasFormID && c.formID != c.basicID {
			return 0, "", invalidRequest(ReasonMalformedRequest, "client_id in the body differs from the client ID in the Authorization header")
		}
		return presentedBasic, c.basicID, nil
	case c.hasFormSecret:
		if c.formID == "" {
			return 0, "", invalidRequest(ReasonMalformedRequest, "client_secret is sent without client_id; client_secret_post needs both in the body")
		}
		return presentedPost, c.formID, nil
	case c.hasAssertion || c.hasAssertionType:
		switch {
		case !c.hasAssertion || c.assertion == "":
			return 0, "", invalidRequest(ReasonMalformedRequest, "client_assertion_type is sent without client_assertion")
		case !c.hasAssertionType:
			return 0, "", invalidRequest(ReasonMalformedRequest, "client_assertion is sent without client_assertion_type; send "+AssertionTypeJWTBearer)
		case c.assertionType != AssertionTypeJWTBearer:
			return 0, "", invalidRequest(ReasonMalformedRequest, "unsupported client_assertion_type; this server accepts "+AssertionTypeJWTBearer+" only")
		}
		return presentedAssertion, c.formID, nil
	case c.formID != "":
		return presentedClientIDOnly, c.formID, nil
	}
	return 0, "", invalidClient(ReasonNoCredentials,
		"the request carries no client authentication: send the client's credentials by the method it is registered for (token_endpoint_auth_method)")
}

// methodOf is the method a presented kind stands for, when it stands for one
// before the client is known.
func (p presented) methodOf() oauthreg.AuthMethod {
	switch p {
	case presentedBasic:
		return oauthreg.AuthClientSecretBasic
	case presentedPost:
		return oauthreg.AuthClientSecretPost
	}
	return ""
}
