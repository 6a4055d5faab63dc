package clientauth

import "github.com/oauthreg/oauthreg"

// checkPolicy applies the server's and the registration's rules to a client
// whose credentials verified by method: the server must accept the method,
// the client must be registered for exactly that method (RFC 7591 §2: the
// registered method is binding), and it must not be disabled.
func (a *Authenticator) checkPolicy(c *oauthreg.Client, method oauthreg.AuthMethod) *Error {
	switch {
	case !a.cfg.methods[method]:
		return methodDisabled(method)
	case c.TokenEndpointAuthMethod != method:
		return invalidClient(oauthreg.ReasonWrongMethod,
			"the client is not registered for token_endpoint_auth_method "+string(method)+"; use the method it is registered for, or update its registration")
	case c.Disabled:
		return invalidClient(oauthreg.ReasonDisabled, "the client is disabled; ask the server's administrators")
	case method == oauthreg.AuthNone && !c.Public:
		return invalidClient(oauthreg.ReasonWrongMethod, "the client is confidential and must authenticate")
	}
	return nil
}
