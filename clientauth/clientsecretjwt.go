package clientauth

import (
	"github.com/oauthreg/oauthreg"
)

// verifyClientSecretJWT verifies a client_secret_jwt assertion: HMAC keyed
// by one of the client's active secrets, which the Registry opens from their
// sealed copies for the length of one verification each. It returns the ID
// of the secret that verified.
func (a *Authenticator) verifyClientSecretJWT(c *oauthreg.Client, as *assertion) (string, *Error) {
	reg := registrationOf(c)
	if reg.signingAlg != "" && string(as.alg) != reg.signingAlg {
		return "", invalidClient(ReasonAlgorithm, "client_assertion's alg is not the client's registered token_endpoint_auth_signing_alg")
	}
	secretID, ok, err := a.reg.VerifyWithSecretKeys(c, func(key []byte) bool {
		_, err := as.jws.Verify(key)
		return err == nil
	})
	if err != nil {
		e := invalidClient(ReasonKeysUnavailable, "this server keeps no sealed secrets, so it cannot verify client_secret_jwt; register the client for another method")
		e.Err = err
		return "", e
	}
	if !ok {
		return "", badSignature()
	}
	return secretID, nil
}
