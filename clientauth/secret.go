package clientauth

import (
	"context"
	"errors"

	"github.com/oauthreg/oauthreg"
)

// verifySecret authenticates client_secret_basic and client_secret_post: a
// secret sent as a password, checked by the Registry, which also holds the
// client to the method it registered, refuses disabled clients, and reports
// the outcome to its observers itself.
func (a *Authenticator) verifySecret(ctx context.Context, method oauthreg.AuthMethod, clientID, secret string) (*oauthreg.Client, *Error) {
	c, err := a.reg.AuthenticateWith(ctx, method, clientID, secret)
	switch {
	case err == nil:
		return c, nil
	case errors.Is(err, oauthreg.ErrInvalidCredentials):
		e := invalidClient("", "client authentication failed: check the client_id, that the client is registered with token_endpoint_auth_method "+
			string(method)+", and that its secret is current (not rotated out, revoked or expired)")
		e.Method = method
		return nil, e
	}
	e := serverError(err)
	e.Method = method
	return nil, e
}
