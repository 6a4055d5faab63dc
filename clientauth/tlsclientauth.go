package clientauth

import (
	"crypto/x509"
	"net"
	"strings"
)

// verifyTLSClientAuth applies RFC 8705 §2.1 (tls_client_auth, PKI): the TLS
// layer verified the client's certificate chain (configure the server's
// tls.Config with ClientCAs and ClientAuth VerifyClientCertIfGiven or
// RequireAndVerifyClientCert), and the client registered exactly one
// subject field, which the certificate must match.
func verifyTLSClientAuth(reg registration, creds credentials) *Error {
	if !creds.hasClientCertificates || !creds.verifiedCertificate {
		return invalidClient(ReasonNoCertificate,
			"tls_client_auth needs a TLS client certificate that chains to a CA this server trusts; present one on the TLS connection")
	}
	set := 0
	for _, v := range [...]string{reg.subjectDN, reg.sanDNS, reg.sanURI, reg.sanIP, reg.sanEmail} {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		return invalidClient(ReasonCertificateMismatch,
			"a tls_client_auth client must register exactly one of tls_client_auth_subject_dn, _san_dns, _san_uri, _san_ip, _san_email (RFC 8705 section 2.1.2)")
	}
	if !certificateMatches(creds.peerCertificates[0], reg) {
		return invalidClient(ReasonCertificateMismatch,
			"the TLS client certificate does not match the subject registered for the client (RFC 8705 section 2.1.2)")
	}
	return nil
}

// certificateMatches compares a certificate with the one registered subject
// field: the subject DN as RFC 4514 text (attribute type names and spacing
// after separators normalized), or one of the certificate's SAN entries of
// the registered kind (DNS names case-insensitively, IP addresses by value,
// the domain of an email address case-insensitively, URIs exactly).
func certificateMatches(cert *x509.Certificate, reg registration) bool {
	switch {
	case reg.subjectDN != "":
		return normalizeDN(cert.Subject.String()) == normalizeDN(reg.subjectDN)
	case reg.sanDNS != "":
		for _, n := range cert.DNSNames {
			if strings.EqualFold(n, reg.sanDNS) {
				return true
			}
		}
	case reg.sanURI != "":
		for _, u := range cert.URIs {
			if u.String() == reg.sanURI {
				return true
			}
		}
	case reg.sanIP != "":
		want := net.ParseIP(reg.sanIP)
		for _, ip := range cert.IPAddresses {
			if want != nil && ip.Equal(want) {
				return true
			}
		}
	case reg.sanEmail != "":
		for _, e := range cert.EmailAddresses {
			if emailEqual(e, reg.sanEmail) {
				return true
			}
		}
	}
	return false
}

// normalizeDN puts an RFC 4514 DN in one form for comparison: no spaces
// around ',', '+' and '=', attribute type names upper-cased. Escaped
// characters are left as they are.
func normalizeDN(dn string) string {
	var b strings.Builder
	rdns := splitUnescaped(dn, ',')
	for i, rdn := range rdns {
		if i > 0 {
			b.WriteByte(',')
		}
		for j, atv := range splitUnescaped(rdn, '+') {
			if j > 0 {
				b.WriteByte('+')
			}
			typ, val, _ := strings.Cut(atv, "=")
			b.WriteString(strings.ToUpper(strings.TrimSpace(typ)))
			b.WriteByte('=')
			b.WriteString(strings.TrimSpace(val))
		}
	}
	return b.String()
}

// splitUnescaped splits s at sep where sep is not escaped by a backslash.
func splitUnescaped(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// emailEqual compares addresses with the local part exact and the domain
// case-insensitive.
func emailEqual(a, b string) bool {
	la, da, okA := strings.Cut(a, "@")
	lb, db, okB := strings.Cut(b, "@")
	return okA && okB && la == lb && strings.EqualFold(da, db)
}
