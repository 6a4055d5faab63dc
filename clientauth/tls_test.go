package clientauth_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
)

// certificate makes a self-signed certificate with the given subject and
// SANs, and returns it with its key.
func certificate(t *testing.T, subject pkix.Name, dns []string, ips []net.IP, emails []string, uris []*url.URL) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: subject, DNSNames: dns, IPAddresses: ips, EmailAddresses: emails, URIs: uris,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// withCert is a request of client_id over a TLS connection with cert,
// verified or not by the TLS layer.
func withCert(clientID string, cert *x509.Certificate, verified bool) *http.Request {
	r := formRequest(url.Values{"client_id": {clientID}, "grant_type": {"client_credentials"}})
	r.TLS = &tls.ConnectionState{}
	if cert != nil {
		r.TLS.PeerCertificates = []*x509.Certificate{cert}
		if verified {
			r.TLS.VerifiedChains = [][]*x509.Certificate{{cert}}
		}
	}
	return r
}

// TestTLSClientAuth: RFC 8705 §2.1, each subject field, matched and not.
func TestTLSClientAuth(t *testing.T) {
	e := newEnv(t)
	spiffe, _ := url.Parse("spiffe://example.org/billing")
	cert, _ := certificate(t, pkix.Name{CommonName: "billing", Organization: []string{"Acme, Inc."}, Country: []string{"DE"}},
		[]string{"billing.example.com"}, []net.IP{net.ParseIP("192.0.2.7")}, []string{"ops@Example.COM"}, []*url.URL{spiffe})
	otherCert, _ := certificate(t, pkix.Name{CommonName: "other"}, []string{"other.example.com"}, nil, nil, nil)
	cases := []struct {
		name string
		edit func(*oauthreg.Client)
	}{
		{"subject DN", func(c *oauthreg.Client) { c.TLSClientAuthSubjectDN = "cn=billing, O=Acme\\, Inc., C=DE" }},
		{"SAN DNS", func(c *oauthreg.Client) { c.TLSClientAuthSANDNS = "BILLING.example.com" }},
		{"SAN URI", func(c *oauthreg.Client) { c.TLSClientAuthSANURI = "spiffe://example.org/billing" }},
		{"SAN IP", func(c *oauthreg.Client) { c.TLSClientAuthSANIP = "192.0.2.7" }},
		{"SAN email", func(c *oauthreg.Client) { c.TLSClientAuthSANEmail = "ops@example.com" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := e.kit.ConfidentialClient(t, func(c *oauthreg.Client) {
				c.TokenEndpointAuthMethod = oauthreg.AuthTLSClient
				tc.edit(c)
			})
			got, m, err := e.auth.Authenticate(withCert(c.ID, cert, true))
			if err != nil || got.ID != c.ID || m != oauthreg.AuthTLSClient {
				t.Fatalf("matching certificate: %v %q %v", got, m, err)
			}
			_, _, err = e.auth.Authenticate(withCert(c.ID, otherCert, true))
			if ce := wantError(t, err, clientauth.CodeInvalidClient, 401); ce.Reason != clientauth.ReasonCertificateMismatch {
				t.Errorf("other certificate: reason %q", ce.Reason)
			}
			_, _, err = e.auth.Authenticate(withCert(c.ID, cert, false))
			if ce := wantError(t, err, clientauth.CodeInvalidClient, 401); ce.Reason != clientauth.ReasonNoCertificate {
				t.Errorf("unverified certificate: reason %q", ce.Reason)
			}
			_, _, err = e.auth.Authenticate(withCert(c.ID, nil, false))
			if ce := wantError(t, err, clientauth.CodeInvalidClient, 401); ce.Reason != clientauth.ReasonNoCertificate {
				t.Errorf("no certificate: reason %q", ce.Reason)
			}
		})
	}
	// Validation refuses two subject fields (RFC 8705 §2.1.2); a client
	// stored with two anyway (bypassing the Registry) is still refused.
	two := oauthreg.Client{
		ID: "two-subjects", Owner: "org", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		TokenEndpointAuthMethod: oauthreg.AuthTLSClient,
		TLSClientAuthSANDNS:     "billing.example.com",
		TLSClientAuthSANIP:      "192.0.2.7",
	}
	if _, _, err := e.kit.Register(t.Context(), two); !errors.Is(err, oauthreg.ErrInvalidClientMetadata) {
		t.Fatalf("Register with two subject fields: %v", err)
	}
	if err := e.kit.Store.CreateClient(t.Context(), &two); err != nil {
		t.Fatal(err)
	}
	_, _, err := e.auth.Authenticate(withCert(two.ID, cert, true))
	if ce := wantError(t, err, clientauth.CodeInvalidClient, 401); ce.Reason != clientauth.ReasonCertificateMismatch {
		t.Errorf("two subject fields stored: reason %q", ce.Reason)
	}
}

// TestSelfSignedTLSClientAuth: RFC 8705 §2.2, the certificate's key is in
// the client's JWK Set.
func TestSelfSignedTLSClientAuth(t *testing.T) {
	e := newEnv(t)
	cert, key := certificate(t, pkix.Name{CommonName: "self"}, nil, nil, nil, nil)
	otherCert, _ := certificate(t, pkix.Name{CommonName: "self"}, nil, nil, nil, nil)
	c, _ := e.kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.TokenEndpointAuthMethod = oauthreg.AuthSelfSignedTLSClient
		c.JWKS = jwksOf(t, testKey{"tls", jose.ES256, key})
	})
	got, m, err := e.auth.Authenticate(withCert(c.ID, cert, false))
	if err != nil || got.ID != c.ID || m != oauthreg.AuthSelfSignedTLSClient {
		t.Fatalf("registered key: %v %q %v", got, m, err)
	}
	_, _, err = e.auth.Authenticate(withCert(c.ID, otherCert, false))
	if ce := wantError(t, err, clientauth.CodeInvalidClient, 401); ce.Reason != clientauth.ReasonCertificateMismatch {
		t.Errorf("another key: reason %q", ce.Reason)
	}
	_, _, err = e.auth.Authenticate(withCert(c.ID, nil, false))
	if ce := wantError(t, err, clientauth.CodeInvalidClient, 401); ce.Reason != clientauth.ReasonNoCertificate {
		t.Errorf("no certificate: reason %q", ce.Reason)
	}
}
