package gooauth2

import (
	"net/netip"
	"net/url"
	"strings"

	oauth2errors "github.com/go-oauth2/oauth2/v4/errors"
)

// ValidateURI is a manage.ValidateURIHandler, stricter than go-oauth2's
// DefaultValidateURI, for a manager whose clients come from a ClientStore:
//
//	manager.SetValidateURIHandler(gooauth2.ValidateURI)
//
// go-oauth2 calls it with the client's domain (ClientInfo.GetDomain: the
// origin of its first redirect URI) and the redirect_uri of an authorization
// or token request. DefaultValidateURI accepts any redirect URI whose host
// ends with the domain's host (so https://evil-example.com passes for
// https://example.com), and any redirect URI at all when the domain is ""
// (a client with no redirect URIs). ValidateURI accepts a redirect URI only
// when it has exactly the domain's origin (scheme, host and port), no
// fragment and no user information, and never for an empty domain. Per
// RFC 8252 §7.3, a domain of http on a loopback IP literal (127.0.0.1,
// [::1]) matches any port.
//
// It compares origins, not whole URIs: go-oauth2 gives it nothing more. For
// oauthreg's exact matching of every registered URI
// (oauthreg.Client.MatchRedirectURI), check the redirect_uri in your
// authorization handler before go-oauth2 sees the request. It returns nil
// or go-oauth2's errors.ErrInvalidRedirectURI.
func ValidateURI(baseURI, redirectURI string) error {
	if baseURI == "" || redirectURI == "" || strings.ContainsRune(redirectURI, '#') {
		return oauth2errors.ErrInvalidRedirectURI
	}
	u, err := url.Parse(redirectURI)
	if err != nil || u.Scheme == "" || u.User != nil {
		return oauth2errors.ErrInvalidRedirectURI
	}
	if got := origin(redirectURI); got != "" && got == baseURI {
		return nil
	}
	// RFC 8252 §7.3: a loopback redirect of a native app may use any port.
	b, err := url.Parse(baseURI)
	if err != nil || b.Scheme != "http" || u.Scheme != "http" || !isLoopbackIP(b.Hostname()) {
		return oauth2errors.ErrInvalidRedirectURI
	}
	if u.Hostname() != b.Hostname() {
		return oauth2errors.ErrInvalidRedirectURI
	}
	return nil
}

// isLoopbackIP reports whether host is an IPv4 address in 127.0.0.0/8 or
// ::1, as an IP literal without a zone.
func isLoopbackIP(host string) bool {
	a, err := netip.ParseAddr(host)
	if err != nil || a.Zone() != "" {
		return false
	}
	return (a.Is4() && a.IsLoopback()) || a == netip.IPv6Loopback()
}
