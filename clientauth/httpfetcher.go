package clientauth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"syscall"
	"time"

	"github.com/oauthreg/oauthreg"
)

// HTTPKeyFetcher is a KeyFetcher that fetches jwks_uri documents over
// HTTPS, made to face URLs that clients chose:
//
//   - https only, also after redirects (at most 3);
//   - by default it refuses to connect to loopback, private, link-local,
//     CGNAT, multicast and unspecified addresses (SSRF), checked on the
//     address actually dialled, so a DNS name that resolves to a public
//     address when checked and to a private one when used (DNS rebinding)
//     is still refused; no proxy from the environment is used, as a proxy
//     would dial for it;
//   - a timeout on the whole fetch, and a size limit on the response;
//   - a cache: a document is reused for the cache TTL, and refetched
//     earlier on a refresh request (an assertion named an unknown kid) at
//     most once per minimum refresh interval per URI;
//   - when a refetch fails, the cached document is kept until it is a cache
//     TTL past due, so a client's brief outage does not lock it out.
//
// It is safe for concurrent use; concurrent requests for one URI make one
// fetch.
type HTTPKeyFetcher struct {
	client       *http.Client
	ttl          time.Duration
	minRefresh   time.Duration
	maxBytes     int64
	maxEntries   int
	now          func() time.Time
	allowPrivate bool
	mu           sync.Mutex
	entries      map[string]*fetchEntry
}

type fetchEntry struct {
	mu        sync.Mutex // held while fetching
	body      []byte
	fetchedAt time.Time
	triedAt   time.Time
	err       error
}

// HTTPKeyFetcherOption configures an HTTPKeyFetcher.
type HTTPKeyFetcherOption func(*HTTPKeyFetcher)

// WithFetchTimeout bounds one fetch, connection and body included (default
// 5 seconds).
func WithFetchTimeout(d time.Duration) HTTPKeyFetcherOption {
	return func(f *HTTPKeyFetcher) {
		if d > 0 {
			f.client.Timeout = d
		}
	}
}

// WithCacheTTL sets how long a fetched document is reused (default 5
// minutes).
func WithCacheTTL(d time.Duration) HTTPKeyFetcherOption {
	return func(f *HTTPKeyFetcher) {
		if d > 0 {
			f.ttl = d
		}
	}
}

// WithMinRefreshInterval sets how often, at most, one URI is refetched
// because an assertion named a kid its cached document lacks (default 30
// seconds): unknown kids cannot make the server hammer a client's host.
func WithMinRefreshInterval(d time.Duration) HTTPKeyFetcherOption {
	return func(f *HTTPKeyFetcher) {
		if d > 0 {
			f.minRefresh = d
		}
	}
}

// WithMaxResponseBytes bounds a fetched document (default 64 KiB).
func WithMaxResponseBytes(n int64) HTTPKeyFetcherOption {
	return func(f *HTTPKeyFetcher) {
		if n > 0 {
			f.maxBytes = n
		}
	}
}

// WithRootCAs sets the CAs that verify the key servers' certificates
// (default: the system's).
func WithRootCAs(pool *x509.CertPool) HTTPKeyFetcherOption {
	return func(f *HTTPKeyFetcher) {
		f.client.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
}

// WithPrivateAddressesAllowed lets the fetcher connect to loopback and
// private addresses. It is for tests (httptest servers listen on
// 127.0.0.1) and for deployments whose clients' key servers are internal;
// never turn it on where clients register their own jwks_uri on the
// internet.
func WithPrivateAddressesAllowed() HTTPKeyFetcherOption {
	return func(f *HTTPKeyFetcher) { f.allowPrivate = true }
}

// NewHTTPKeyFetcher returns an HTTPKeyFetcher.
func NewHTTPKeyFetcher(opts ...HTTPKeyFetcherOption) *HTTPKeyFetcher {
	f := &HTTPKeyFetcher{
		ttl: 5 * time.Minute, minRefresh: 30 * time.Second, maxBytes: maxKeySetBytes, maxEntries: 10_000,
		now: time.Now, entries: map[string]*fetchEntry{},
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: f.checkDial}
	f.client = &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 5 * time.Second,
			MaxIdleConns:          100,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to a non-https URL")
			}
			return nil
		},
	}
	for _, o := range opts {
		o(f)
	}
	return f
}

// errForbiddenAddress is returned when a jwks_uri resolves to an address
// the fetcher must not connect to.
var errForbiddenAddress = errors.New("clientauth: jwks_uri resolves to a loopback, private or otherwise internal address")

// checkDial runs on the address about to be dialled, after DNS resolution.
func (f *HTTPKeyFetcher) checkDial(network, address string, _ syscall.RawConn) error {
	if f.allowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return errForbiddenAddress
	}
	if !publicAddress(ap.Addr()) {
		return errForbiddenAddress
	}
	return nil
}

// cgnat is RFC 6598's shared address space.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// publicAddress reports whether ip is a global unicast address outside
// RFC 1918, RFC 4193, RFC 6598, loopback and link-local ranges.
func publicAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && ip.IsGlobalUnicast() && !ip.IsPrivate() && !ip.IsLoopback() &&
		!ip.IsLinkLocalUnicast() && !cgnat.Contains(ip) && !ip.Is4In6()
}

// FetchKeys implements KeyFetcher.
func (f *HTTPKeyFetcher) FetchKeys(ctx context.Context, uri string, refresh bool) ([]byte, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, errors.New("clientauth: jwks_uri is not an https URL")
	}
	f.mu.Lock()
	e, ok := f.entries[uri]
	if !ok {
		if len(f.entries) >= f.maxEntries {
			for k := range f.entries {
				delete(f.entries, k)
				break
			}
		}
		e = &fetchEntry{}
		f.entries[uri] = e
	}
	f.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	now := f.now()
	fresh := e.body != nil && now.Sub(e.fetchedAt) < f.ttl
	recentlyTried := !e.triedAt.IsZero() && now.Sub(e.triedAt) < f.minRefresh
	if fresh && (!refresh || recentlyTried) {
		return e.body, nil
	}
	if recentlyTried && (e.body != nil || e.err != nil) {
		// Rate limit: one fetch per URI per minimum refresh interval.
		if e.body != nil {
			return e.body, nil
		}
		return nil, e.err
	}
	e.triedAt = now
	body, err := f.fetch(ctx, uri)
	if err != nil {
		e.err = err
		if e.body != nil && now.Sub(e.fetchedAt) < 2*f.ttl {
			return e.body, nil
		}
		return nil, err
	}
	e.body, e.fetchedAt, e.err = body, now, nil
	return body, nil
}

func (f *HTTPKeyFetcher) fetch(ctx context.Context, uri string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	// The URI is the client's choice (dynamic registration): it appears in
	// errors only through the project's sanitizer, and net/url's copy of it
	// is dropped.
	shown := oauthreg.SanitizeInput(uri)
	resp, err := f.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("clientauth: fetching jwks_uri %q: %w", shown, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("clientauth: fetching jwks_uri %q: status %d", shown, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("clientauth: reading jwks_uri %q: %w", shown, err)
	}
	if int64(len(body)) > f.maxBytes {
		return nil, fmt.Errorf("clientauth: jwks_uri %q: document is larger than %d bytes", shown, f.maxBytes)
	}
	return body, nil
}
