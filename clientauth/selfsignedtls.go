package clientauth

import (
	"context"
	"crypto"

	"github.com/oauthreg/oauthreg"
)

// verifySelfSignedTLSClientAuth applies RFC 8705 §2.2
// (self_signed_tls_client_auth): the public key of the TLS client
// certificate must be one of the keys in the client's JWK Set (jwks or
// jwks_uri). The TLS layer must request the certificate without verifying
// its chain (tls.RequestClientCert or RequireAnyClientCert); the TLS
// handshake has proved the client holds the private key.
func (a *Authenticator) verifySelfSignedTLSClientAuth(ctx context.Context, c *oauthreg.Client, creds credentials) *Error {
	if !creds.hasClientCertificates {
		return invalidClient(ReasonNoCertificate, "self_signed_tls_client_auth needs a TLS client certificate; present one on the TLS connection")
	}
	reg := registrationOf(c)
	certKey, ok := creds.peerCertificates[0].PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return invalidClient(ReasonCertificateMismatch, "the TLS client certificate's key type is not supported")
	}
	set, e := a.clientKeys(ctx, c.ID, reg, false)
	if e != nil {
		return e
	}
	if set.hasKey(certKey) {
		return nil
	}
	if reg.jwksURI != "" {
		if set, e = a.clientKeys(ctx, c.ID, reg, true); e != nil {
			return e
		}
		if set.hasKey(certKey) {
			return nil
		}
	}
	return invalidClient(ReasonCertificateMismatch,
		"the TLS client certificate's public key is not in the client's registered JWK Set (RFC 8705 section 2.2); register it in jwks or jwks_uri")
}

// hasKey reports whether the set holds the public key k.
func (s *keySet) hasKey(k interface{ Equal(crypto.PublicKey) bool }) bool {
	for _, key := range s.keys {
		if k.Equal(key.Key) {
			return true
		}
	}
	return false
}
