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
	"unsafe"
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
	rb := &replayBody{closer: r.Body}
	var body []byte
	var err error
	if n := r.ContentLength; n >= 0 && n <= limit {
		// The usual case: read exactly the announced length, into the
		// replaying reader's own array when it fits (one allocation for
		// both), then make sure nothing follows.
		if n <= int64(len(rb.small)) {
			body = rb.small[:n]
		} else {
			body = make([]byte, n)
		}
		if _, err = io.ReadFull(r.Body, body); err == nil {
			var one [1]byte
			if m, _ := r.Body.Read(one[:]); m > 0 {
				return nil, invalidRequest(ReasonMalformedRequest, "the request body is longer than its Content-Length")
			}
		}
	} else {
		body, err = io.ReadAll(io.LimitReader(r.Body, limit+1))
	}
	if err != nil {
		return nil, invalidRequest(ReasonMalformedRequest, "the request body could not be read")
	}
	if int64(len(body)) > limit {
		return nil, invalidRequest(ReasonMalformedRequest, "the request body is larger than this server accepts for a token request")
	}
	rb.Reset(body)
	r.Body = rb
	return body, nil
}

// replayBody replays a body already read, and closes the original. A
// token request's body (a few hundred bytes) is kept in small.
type replayBody struct {
	bytes.Reader
	closer io.Closer
	small  [512]byte
}

// Close closes the original body.
func (b *replayBody) Close() error { return b.closer.Close() }

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
		if e := c.scanForm(body); e != nil {
			return c, e
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
	// Decode from the header's own bytes (read only) into one fresh buffer.
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(encoded)))
	n, err := base64.StdEncoding.Decode(raw, unsafe.Slice(unsafe.StringData(encoded), len(encoded)))
	if err != nil || n == 0 {
		return "", "", false
	}
	raw = raw[:n]
	// raw is ours and never written again: view it as a string without a
	// second copy.
	rawID, rawSecret, found := strings.Cut(unsafe.String(&raw[0], len(raw)), ":")
	if !found {
		return "", "", false
	}
	id, err1 := formUnescape(rawID)
	secret, err2 := formUnescape(rawSecret)
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

// scanForm reads the client authentication parameters of an
// application/x-www-form-urlencoded body without building the whole form
// (the caller's own ParseForm does that): each of client_id, client_secret,
// client_assertion and client_assertion_type must be present at most once
// (RFC 6749 §3.2) and validly encoded. Other parameters are left to the
// caller.
func (c *credentials) scanForm(body []byte) *Error {
	rest := body
	for len(rest) > 0 {
		var pair []byte
		pair, rest, _ = bytes.Cut(rest, []byte("&"))
		rawKey, rawVal, _ := bytes.Cut(pair, []byte("="))
		var val *string
		var has *bool
		switch string(rawKey) {
		case paramClientID:
			val, has = &c.formID, &c.hasFormID
		case paramClientSecret:
			val, has = &c.formSecret, &c.hasFormSecret
		case paramClientAssertion:
			val, has = &c.assertion, &c.hasAssertion
		case paramClientAssertionType:
			val, has = &c.assertionType, &c.hasAssertionType
		default:
			if bytes.IndexAny(rawKey, "%+") < 0 {
				continue // not ours, and not an encoded spelling of ours
			}
			key, err := url.QueryUnescape(string(rawKey))
			if err != nil {
				continue // the caller's ParseForm will refuse it
			}
			switch key {
			case paramClientID, paramClientSecret, paramClientAssertion, paramClientAssertionType:
				return invalidRequest(ReasonMalformedRequest, "the parameter name "+key+" is percent-encoded; send it as is")
			}
			continue
		}
		name := string(rawKey)
		if *has {
			return invalidRequest(ReasonMalformedRequest, "the parameter "+name+" is repeated; send each parameter once (RFC 6749 section 3.2)")
		}
		v, err := formUnescape(string(rawVal))
		if err != nil {
			return invalidRequest(ReasonMalformedRequest, "the parameter "+name+" is not validly form-encoded")
		}
		*val, *has = v, true
	}
	return nil
}

// formUnescape is url.QueryUnescape, with a fast path for the usual value
// that has nothing to unescape (generated IDs and secrets).
func formUnescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, nil
	}
	return url.QueryUnescape(s)
}
