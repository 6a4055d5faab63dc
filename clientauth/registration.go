package clientauth

import "github.com/oauthreg/oauthreg"

// registration is what client authentication reads of a client's
// registration besides its method: its keys, its assertion algorithm and
// its mutual-TLS subject (RFC 7591 §2, RFC 8705 §2.1.2).
type registration struct {
	jwks       []byte
	jwksURI    string
	signingAlg string
	subjectDN  string
	sanDNS     string
	sanURI     string
	sanIP      string
	sanEmail   string
}

// registrationOf reads c's registration.
func registrationOf(c *oauthreg.Client) registration {
	return registration{
		jwks:       c.JWKS,
		jwksURI:    c.JWKSURI,
		signingAlg: c.TokenEndpointAuthSigningAlg,
		subjectDN:  c.TLSClientAuthSubjectDN,
		sanDNS:     c.TLSClientAuthSANDNS,
		sanURI:     c.TLSClientAuthSANURI,
		sanIP:      c.TLSClientAuthSANIP,
		sanEmail:   c.TLSClientAuthSANEmail,
	}
}
