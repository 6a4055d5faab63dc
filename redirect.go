package oauthreg

import (
	"errors"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// ValidateRedirectURI reports whether uri may be registered as a redirect
// URI, following RFC 6749 §3.1.2, RFC 8252 §7 (native apps) and RFC 9700
// §2.1 / §4.1. It returns nil or a *ValidationError with Field
// "redirect_uri" and Code CodeInvalidRedirectURI (errors.Is(err,
// ErrInvalidRedirectURI) holds). Validate applies the same rules to each of
// a client's RedirectURIs.
//
// A valid redirect URI:
//
//   - is at most 2000 bytes of RFC 3986 URI characters: ASCII letters,
//     digits, "-._~:/?[]@!$&'()*+,;=" and "%" (percent-encode anything
//     else, including spaces and non-ASCII characters);
//   - is absolute and parses with net/url, with its scheme in lowercase
//     (RFC 3986 §3.1's canonical form: "HTTPS://..." is refused);
//   - has no fragment (not even an empty "#") and no user information;
//   - uses https with a host (no wildcard "*" in it, no IPv6 zone, a port
//     between 1 and 65535 if any); or
//   - uses plain http only for the loopback interface: an IPv4 address in
//     127.0.0.0/8, the IPv6 address [::1], or the name "localhost"
//     (RFC 8252 §7.3 and §8.3); or
//   - uses a private-use scheme of a native app (RFC 8252 §7.1), which
//     must be a reverse domain name and so contain a period, as in
//     "com.example.app:/oauth2redirect".
//
// Schemes that run code or read local data in a browser (javascript, data,
// file, vbscript, blob, about, filesystem, view-source) are refused, as is
// the out-of-band "urn:ietf:wg:oauth:2.0:oob" value, which RFC 8252 §7
// replaces with loopback and private-use redirects.
//
// "localhost" is accepted because developers register it for local web
// apps, but RFC 8252 §8.3 advises against it (the name may not resolve to
// the loopback interface) and MatchRedirectURI gives it no port exception:
// native apps should register http://127.0.0.1/... or http://[::1]/...
func ValidateRedirectURI(uri string) error {
	if err := checkRedirectURI("redirect_uri", uri); err != nil {
		return err
	}
	return nil
}

// forbiddenRedirectSchemes would run script, show local content or leave the
// browser's origin model; none of them can receive an authorization
// response.
var forbiddenRedirectSchemes = []string{
	"javascript", "data", "file", "vbscript", "blob", "about", "filesystem", "view-source",
}

func checkRedirectURI(field, uri string) *ValidationError {
	switch {
	case uri == "":
		return redirectError(field, "must not be empty")
	case len(uri) > MaxURIBytes:
		return redirectError(field, "must be at most %d bytes (got %d)", MaxURIBytes, len(uri))
	}
	for i := 0; i < len(uri); i++ {
		if !isURIChar(uri[i]) {
			return redirectError(field, "contains %s at offset %d, which a URI cannot hold (percent-encode it)", describeByte(uri[i]), i)
		}
	}
	if strings.IndexByte(uri, '#') >= 0 {
		return redirectError(field, "must not contain a fragment (RFC 6749 §3.1.2)")
	}
	u, err := url.Parse(uri)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return redirectError(field, "is not a valid URI: %v", err)
	}
	if u.Scheme == "" {
		return redirectError(field, "must be an absolute URI with a scheme, such as https://client.example.com/callback")
	}
	scheme := strings.ToLower(u.Scheme)
	if slices.Contains(forbiddenRedirectSchemes, scheme) {
		return redirectError(field, "the %q scheme is not allowed in redirect URIs", scheme)
	}
	if !strings.HasPrefix(uri, scheme+":") {
		// net/url lowercases u.Scheme: compare the raw text.
		// RFC 3986 §3.1: schemes are case-insensitive and lowercase is
		// canonical. Registering only the canonical form keeps one
		// spelling per URI in the store.
		return redirectError(field, "write the scheme in lowercase (%s:…, RFC 3986 §3.1)", scheme)
	}
	if u.User != nil {
		return redirectError(field, "must not contain user information (user:password@)")
	}
	if strings.Contains(u.Host, "*") {
		return redirectError(field, "must not contain wildcards: redirect URIs are matched exactly (RFC 9700 §4.1.3)")
	}
	switch scheme {
	case "urn":
		if strings.EqualFold(uri, "urn:ietf:wg:oauth:2.0:oob") || strings.HasPrefix(strings.ToLower(uri), "urn:ietf:wg:oauth:2.0:oob:") {
			return redirectError(field, "the out-of-band value is not supported: native apps use a loopback or private-use redirect URI instead (RFC 8252 §7)")
		}
		return redirectError(field, "scheme \"urn\" is not allowed: a URN cannot receive an authorization response")
	case "https", "http":
		host := u.Hostname()
		if u.Opaque != "" || host == "" {
			return redirectError(field, "must have a host, as in %s://client.example.com/callback", scheme)
		}
		if strings.Contains(u.Host, "%") {
			return redirectError(field, "must not contain percent-encoding or an IPv6 zone in its host")
		}
		if port := u.Port(); port != "" {
			if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
				return redirectError(field, "has an invalid port %q (use 1-65535)", port)
			}
		}
		if scheme == "http" && !isLoopbackHost(host) {
			return redirectError(field, "plain http is allowed only for the loopback interface (127.0.0.1, [::1] or localhost, RFC 8252 §7.3); use https")
		}
	default:
		if !strings.Contains(scheme, ".") {
			return redirectError(field, "scheme %q is not allowed: a native app's private-use scheme must be a reverse domain name, containing a period, such as com.example.app:/callback (RFC 8252 §7.1)", scheme)
		}
		if u.Opaque == "" && u.Host == "" && u.Path == "" && u.RawQuery == "" {
			return redirectError(field, "must have a path after the scheme, such as %s:/callback", scheme)
		}
	}
	return nil
}

// isURIChar reports the characters RFC 3986 allows in a URI: unreserved,
// reserved and "%" for percent-encoding.
func isURIChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#[]@!$&'()*+,;=%", b) >= 0
}

// isLoopbackHost reports whether host (without brackets) is a loopback IP
// address or the name localhost.
func isLoopbackHost(host string) bool {
	return strings.EqualFold(host, "localhost") || isLoopbackIP(host)
}

// isLoopbackIP reports whether s is an IPv4 address in 127.0.0.0/8 or the
// IPv6 address ::1, written as an IP literal without brackets or zone.
// IPv4-mapped IPv6 addresses do not count.
func isLoopbackIP(s string) bool {
	addr, err := netip.ParseAddr(s)
	if err != nil || addr.Zone() != "" {
		return false
	}
	if addr.Is4() {
		return addr.IsLoopback()
	}
	return addr == netip.IPv6Loopback()
}

// MatchRedirectURI reports whether presented, the redirect_uri parameter of
// an authorization or token request, is one of the client's RedirectURIs.
//
// Matching is by exact string comparison, as RFC 9700 §4.1.3 and OAuth 2.1
// require: no prefix or pattern matching and no normalisation, so a
// difference in case, a trailing slash, an extra query parameter or a
// different percent-encoding does not match. The one normalisation is the
// scheme's case, which RFC 3986 §3.1 makes insignificant: "HTTP://" and
// "http://" are the same scheme on both sides (Validate registers only
// lowercase schemes; a client stored before that rule matches the same
// way).
//
// The one exception is RFC 8252 §7.3: a native app receives the response
// on a loopback port it opens at that moment, so when a registered URI uses
// http with an IP literal of the loopback interface (127.0.0.1, any other
// 127.x.y.z, or [::1]), a presented URI matches it with any port (or none)
// if everything else is byte for byte the same: the "http://" scheme, the
// host as written, the path and the query. "localhost" gets no such
// exception, because the name may resolve to something other than the
// loopback interface (RFC 8252 §8.3).
//
// When the request had no redirect_uri, the caller decides (RFC 6749
// §3.1.2.3 lets a server use the only registered URI); an empty presented
// value never matches. MatchRedirectURI never panics and returns false for a
// nil client.
func (c *Client) MatchRedirectURI(presented string) bool {
	if c == nil || presented == "" {
		return false
	}
	if slices.Contains(c.RedirectURIs, presented) {
		return true
	}
	presented = lowerScheme(presented)
	for _, r := range c.RedirectURIs {
		if lowerScheme(r) == presented {
			return true
		}
	}
	p, ok := splitLoopbackRedirect(presented)
	if !ok {
		return false
	}
	if _, err := url.Parse(presented); err != nil {
		return false
	}
	for _, r := range c.RedirectURIs {
		if reg, ok := splitLoopbackRedirect(lowerScheme(r)); ok && reg.host == p.host && reg.rest == p.rest {
			return true
		}
	}
	return false
}

// loopbackRedirect is an http URI on a loopback IP literal, split around
// its port: host as written (with brackets for IPv6), and the rest after
// the authority (path, query and anything after).
type loopbackRedirect struct {
	host, rest string
}

// splitLoopbackRedirect splits s when it is "http://" followed by a loopback
// IP literal, an optional valid port and the rest of the URI. It works on
// the raw string, so that nothing but the port is ever ignored.
func splitLoopbackRedirect(s string) (loopbackRedirect, bool) {
	const prefix = "http://"
	if !strings.HasPrefix(s, prefix) {
		return loopbackRedirect{}, false
	}
	s = s[len(prefix):]
	authority, rest := s, ""
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		authority, rest = s[:i], s[i:]
	}
	var host, ip, port string
	hasPort := false
	if strings.HasPrefix(authority, "[") {
		end := strings.IndexByte(authority, ']')
		if end < 0 {
			return loopbackRedirect{}, false
		}
		host, ip = authority[:end+1], authority[1:end]
		switch after := authority[end+1:]; {
		case after == "":
		case after[0] == ':':
			port, hasPort = after[1:], true
		default:
			return loopbackRedirect{}, false
		}
	} else {
		host, port, hasPort = strings.Cut(authority, ":")
		ip = host
		if strings.Contains(ip, "[") || strings.Contains(ip, "]") {
			return loopbackRedirect{}, false
		}
	}
	if hasPort && !validPort(port) {
		return loopbackRedirect{}, false
	}
	if !isLoopbackIP(ip) {
		return loopbackRedirect{}, false
	}
	return loopbackRedirect{host: host, rest: rest}, true
}

// lowerScheme returns uri with its scheme (RFC 3986 §3.1: a letter, then
// letters, digits, '+', '-' or '.', before the first ':') in lowercase. It
// returns uri itself, without allocating, when there is nothing to change.
func lowerScheme(uri string) string {
	end := strings.IndexByte(uri, ':')
	if end <= 0 {
		return uri
	}
	upper := false
	for i := 0; i < end; i++ {
		c := uri[i]
		switch {
		case 'A' <= c && c <= 'Z':
			upper = true
		case 'a' <= c && c <= 'z', i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return uri // not a scheme
		}
	}
	if !upper {
		return uri
	}
	return strings.ToLower(uri[:end]) + uri[end:]
}

// validPort reports whether p is a decimal port number from 1 to 65535.
func validPort(p string) bool {
	if p == "" || len(p) > 5 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}
