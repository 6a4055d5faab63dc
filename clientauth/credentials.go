package clientauth

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// Form parameters of client authentication (RFC 6749 §2.3.1, RFC 7521 §4.2).
const (
	paramClientID            = "client_id"
	paramClientSecret        = "client_secret"
	paramClientAssertion     = "client_assertion"
	paramClientAssertionType = "client_assertion_type"
)

// AssertionTypeJWTBearer is the only client_assertion_type this package
// accepts (RFC 7523 §2.2).
const AssertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// credentials is everything a request carries that may authenticate its
// client, as extracted, before any decision.
type credentials struct {
	// HTTP Basic (client_secret_basic), form-decoded.
	basic                 bool
	basicID, basicSecret  string
	formID                string
	hasFormID             bool
	formSecret            string
	hasFormSecret         bool
	assertion             string
	hasAssertion          bool
	assertionType         string
	hasAssertionType      bool
	peerCertificates      []*x509.Certificate // as the TLS layer received them
	verifiedCertificate   bool                // the TLS layer verified the chain
	hasClientCertificates bool
}

// readBody reads r's body within limit bytes and puts back a reader over
// the same bytes, so the caller's handler can still read or parse it.
func readBody(r *http.Request, limit int64) ([]byte, *Error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, invalidRequest(ReasonMalformedRequest, "the request body could not be read")
	}
	if int64(len(body)) > limit {
		return nil, invalidRequest(ReasonMalformedRequest, "the request body is larger than this server accepts for a token request")
	}
	r.Body = readCloser{Reader: bytes.NewReader(body), Closer: r.Body}
	return body, nil
}

// readCloser replays a body already read, and closes the original.
type readCloser struct {
	io.Reader
	io.Closer
}

// extractCredentials reads the client authentication a request carries:
// the Authorization header's Basic credentials, the form parameters
// client_id, client_secret, client_assertion and client_assertion_type, and
// the TLS client certificate. It decides nothing; it refuses only what is
// malformed: a body over the limit or not a valid form, a parameter given
// twice (RFC 6749 §3.2), an Authorization header given twice, or Basic
// credentials that are not base64 of two form-encoded halves (RFC 6749
// §2.3.1). The body stays readable (see readBody).
func extractCredentials(r *http.Request, maxBody int64) (credentials, *Error) {
	var c credentials
	body, e := readBody(r, maxBody)
	if e != nil {
		return c, e
	}
	if len(body) > 0 && isForm(r.Header.Get("Content-Type")) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return c, invalidRequest(ReasonMalformedRequest, "the request body is not a valid application/x-www-form-urlencoded form")
		}
		for _, p := range [...]struct {
			name string
			val  *string
			has  *bool
		}{
			{paramClientID, &c.formID, &c.hasFormID},
			{paramClientSecret, &c.formSecret, &c.hasFormSecret},
			{paramClientAssertion, &c.assertion, &c.hasAssertion},
			{paramClientAssertionType, &c.assertionType, &c.hasAssertionType},
		} {
			vs, ok := form[p.name]
			if !ok {
				continue
			}
			if len(vs) > 1 {
				return c, invalidRequest(ReasonMalformedRequest, "the parameter "+p.name+" is repeated; send each parameter once (RFC 6749 section 3.2)")
			}
			*p.val, *p.has = vs[0], true
		}
	}
	switch auth := r.Header.Values("Authorization"); {
	case len(auth) > 1:
		return c, invalidRequest(ReasonMalformedRequest, "the Authorization header is repeated; send it once")
	case len(auth) == 1:
		scheme, rest, _ := strings.Cut(auth[0], " ")
		if !strings.EqualFold(scheme, "Basic") {
			break // another scheme (Bearer, DPoP, ...) is not client authentication
		}
		id, secret, ok := decodeBasic(strings.TrimLeft(rest, " "))
		if !ok {
			return c, invalidRequest(ReasonMalformedRequest,
				"the Authorization header's Basic credentials are malformed: send base64(client_id \":\" client_secret), each form-urlencoded first (RFC 6749 section 2.3.1)")
		}
		c.basic, c.basicID, c.basicSecret = true, id, secret
	}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		c.hasClientCertificates = true
		c.peerCertificates = r.TLS.PeerCertificates
		c.verifiedCertificate = len(r.TLS.VerifiedChains) > 0
	}
	return c, nil
}

// decodeBasic decodes RFC 7617 Basic credentials whose halves are
// application/x-www-form-urlencoded (RFC 6749 §2.3.1). The client ID must
// not be empty.
func decodeBasic(encoded string) (id, secret string, ok bool) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return "", "", false
	}
	rawID, rawSecret, found := strings.Cut(string(raw), ":")
	if !found {
		return "", "", false
	}
	id, err1 := url.QueryUnescape(rawID)
	secret, err2 := url.QueryUnescape(rawSecret)
	if err1 != nil || err2 != nil || id == "" {
		return "", "", false
	}
	return id, secret, true
}

// isForm reports whether a Content-Type is application/x-www-form-urlencoded.
func isForm(contentType string) bool {
	if contentType == "application/x-www-form-urlencoded" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}
