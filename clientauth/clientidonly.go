package clientauth

import (
	"context"
	"errors"

	"github.com/oauthreg/oauthreg"
)

// authenticateByRegistration serves a request that carries a client_id and
// nothing else: the client's registration says how it authenticates —
// tls_client_auth or self_signed_tls_client_auth with the TLS client
// certificate (RFC 8705 §2), or none for a public client. A client
// registered for any other method fails: it sent no credentials.
func (a *Authenticator) authenticateByRegistration(ctx context.Context, clientID string, creds credentials) (*oauthreg.Client, oauthreg.AuthMethod, *Error) {
	noCredentials := func() *Error {
		return invalidClient(ReasonNoCredentials,
			"the request carries only a client_id: that authenticates a public client (token_endpoint_auth_method none), or, with a TLS client certificate, a tls_client_auth or self_signed_tls_client_auth client; any other client must send its credentials")
	}
	c, err := a.reg.Get(ctx, clientID)
	if err != nil {
		var e *Error
		if errors.Is(err, oauthreg.ErrNotFound) {
			e = noCredentials()
			e.Reason = oauthreg.ReasonUnknownClient
		} else {
			e = serverError(err)
		}
		a.report(ctx, "", clientID, nil, e)
		return nil, "", e
	}
	method := c.TokenEndpointAuthMethod
	var e *Error
	switch method {
	case oauthreg.AuthTLSClient:
		e = verifyTLSClientAuth(registrationOf(c), creds)
	case oauthreg.AuthSelfSignedTLSClient:
		e = a.verifySelfSignedTLSClientAuth(ctx, c, creds)
	case oauthreg.AuthNone:
	default:
		method = ""
		e = noCredentials()
	}
	if e == nil {
		e = a.checkPolicy(c, method)
	}
	if e != nil {
		a.report(ctx, method, clientID, c, e)
		return nil, method, e
	}
	a.reg.ReportAuthentication(ctx, oauthreg.AuthReport{Method: method, ClientID: c.ID, Client: c})
	return c, method, nil
}
