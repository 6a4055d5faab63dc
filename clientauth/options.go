package clientauth

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/oauthreg/oauthreg"
)

// Defaults and limits of an Authenticator.
const (
	// DefaultMaxBodyBytes bounds the request body Authenticate reads: a
	// token request is a few hundred bytes; an assertion a few kilobytes.
	DefaultMaxBodyBytes = 64 << 10
	// DefaultMaxAssertionBytes bounds client_assertion. An RS512 assertion
	// with a 4096-bit key is under 2 KiB.
	DefaultMaxAssertionBytes = 8 << 10
	// DefaultClockSkew is how far exp, nbf and iat may be off the server's
	// clock.
	DefaultClockSkew = 30 * time.Second
	// DefaultMaxAssertionLifetime is the longest an assertion may be valid
	// (from iat, or from now when it has none, to exp). Clients make a new
	// assertion for every request; openid-client (the common Node.js OAuth
	// client library) gives them 60 seconds.
	DefaultMaxAssertionLifetime = 5 * time.Minute
	// DefaultKeyCacheSize is how many clients' parsed JWK Sets the
	// Authenticator keeps, so a private_key_jwt request costs a signature
	// verification and not a JSON parse of the client's keys.
	DefaultKeyCacheSize = 100_000
	// maxJTIBytes bounds the jti the replay cache stores.
	maxJTIBytes = 255
)

// DefaultAlgorithms are the assertion signing algorithms an Authenticator
// accepts unless WithAlgorithms says otherwise: every asymmetric JWS
// algorithm go-jose implements, and HMAC for client_secret_jwt. "none" is
// never accepted, whatever the configuration.
var DefaultAlgorithms = []string{
	"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512", "EdDSA",
	"HS256", "HS384", "HS512",
}

// AllMethods are the methods an Authenticator accepts by default: every
// token endpoint authentication method of RFC 7591, OpenID Connect and
// RFC 8705, and none for public clients.
var AllMethods = []oauthreg.AuthMethod{
	oauthreg.AuthClientSecretBasic, oauthreg.AuthClientSecretPost,
	oauthreg.AuthClientSecretJWT, oauthreg.AuthPrivateKeyJWT,
	oauthreg.AuthTLSClient, oauthreg.AuthSelfSignedTLSClient,
	oauthreg.AuthNone,
}

// Option configures an Authenticator.
type Option func(*config)

type config struct {
	issuer          string
	legacyAudiences []string
	algs            map[jose.SignatureAlgorithm]bool
	algList         []jose.SignatureAlgorithm
	skew            time.Duration
	maxLifetime     time.Duration
	replay          ReplayCache
	fetcher         KeyFetcher
	methods         map[oauthreg.AuthMethod]bool
	maxBody         int64
	maxAssertion    int
	realm           string
	now             func() time.Time
	keyCacheSize    int
	errs            []error
}

// ErrInvalidConfig is wrapped by New's error when an option is invalid.
var ErrInvalidConfig = errors.New("clientauth: invalid configuration")

func (c *config) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
}

// WithIssuer sets the server's issuer identifier (RFC 8414), the audience a
// client_secret_jwt or private_key_jwt assertion must name. Following
// draft-ietf-oauth-rfc7523bis, the assertion's aud must be exactly this
// value, alone (a string, or an array holding only it). Without an issuer,
// assertions are refused.
func WithIssuer(issuer string) Option {
	return func(c *config) {
		if u, err := url.Parse(issuer); err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" || u.Fragment != "" || u.RawQuery != "" {
			c.fail("issuer %q is not an http(s) URL without query or fragment (RFC 8414 section 2)", issuer)
			return
		}
		c.issuer = issuer
	}
}

// WithLegacyAudiences also accepts assertions in the form RFC 7523 §3 and
// OpenID Connect Core §9 allowed before draft-ietf-oauth-rfc7523bis: an aud
// that is, or is an array containing, the issuer or one of these values
// (typically the token endpoint URL). It exists for clients that cannot be
// changed yet; rfc7523bis explains the audience-injection attack it allows
// when a client talks to several servers.
func WithLegacyAudiences(audiences ...string) Option {
	return func(c *config) {
		for _, a := range audiences {
			if a == "" {
				c.fail("empty legacy audience")
				return
			}
		}
		c.legacyAudiences = append(c.legacyAudiences, audiences...)
	}
}

// WithAlgorithms sets the assertion signing algorithms the server accepts
// (JWS "alg" names; default DefaultAlgorithms). A client that registered a
// token_endpoint_auth_signing_alg is held to that one; others may use any of
// these. "none" and unknown names are refused.
func WithAlgorithms(algs ...string) Option {
	return func(c *config) {
		if len(algs) == 0 {
			c.fail("WithAlgorithms needs at least one algorithm")
			return
		}
		c.algs = map[jose.SignatureAlgorithm]bool{}
		c.algList = nil
		for _, a := range algs {
			alg := jose.SignatureAlgorithm(a)
			if !knownAlgorithm(alg) {
				c.fail("signing algorithm %q is not one of %s", a, strings.Join(DefaultAlgorithms, ", "))
				return
			}
			if !c.algs[alg] {
				c.algs[alg] = true
				c.algList = append(c.algList, alg)
			}
		}
	}
}

func knownAlgorithm(alg jose.SignatureAlgorithm) bool {
	for _, a := range DefaultAlgorithms {
		if string(alg) == a {
			return true
		}
	}
	return false
}

// WithClockSkew sets how far an assertion's exp, nbf and iat may be off the
// server's clock (default DefaultClockSkew; at most 5 minutes).
func WithClockSkew(d time.Duration) Option {
	return func(c *config) {
		if d < 0 || d > 5*time.Minute {
			c.fail("clock skew %v is not between 0 and 5m", d)
			return
		}
		c.skew = d
	}
}

// WithMaxAssertionLifetime sets the longest an assertion may be valid
// (default DefaultMaxAssertionLifetime; at most 1 hour). It also bounds how
// long the replay cache keeps a jti.
func WithMaxAssertionLifetime(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 || d > time.Hour {
			c.fail("maximum assertion lifetime %v is not between 0 and 1h", d)
			return
		}
		c.maxLifetime = d
	}
}

// WithReplayCache sets where used assertion IDs (jti) are remembered
// (default: a NewMemoryReplayCache on the Authenticator's clock, which is
// right for one process only).
// Several server replicas must share one: use sqlstore's, or your own.
func WithReplayCache(rc ReplayCache) Option {
	return func(c *config) {
		if rc == nil {
			c.fail("WithReplayCache(nil)")
			return
		}
		c.replay = rc
	}
}

// WithKeyFetcher sets how the JWK Set of a client registered with a
// jwks_uri is fetched. Without one, such clients cannot authenticate: the
// library opens no connections of its own. NewHTTPKeyFetcher is a safe
// ready-made one.
func WithKeyFetcher(f KeyFetcher) Option {
	return func(c *config) {
		if f == nil {
			c.fail("WithKeyFetcher(nil)")
			return
		}
		c.fetcher = f
	}
}

// WithMethods sets the methods the server accepts (default AllMethods). A
// request by another method fails with invalid_client, whatever the client
// registered.
func WithMethods(methods ...oauthreg.AuthMethod) Option {
	return func(c *config) {
		c.methods = map[oauthreg.AuthMethod]bool{}
		for _, m := range methods {
			known := false
			for _, k := range AllMethods {
				known = known || k == m
			}
			if !known {
				c.fail("unknown authentication method %q", m)
				return
			}
			c.methods[m] = true
		}
	}
}

// WithMaxBodyBytes bounds the request body Authenticate reads (default
// DefaultMaxBodyBytes).
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) {
		if n < 1024 || n > 10<<20 {
			c.fail("maximum body size %d is not between 1 KiB and 10 MiB", n)
			return
		}
		c.maxBody = n
	}
}

// WithRealm sets the realm of the WWW-Authenticate challenge sent with every
// 401 (default DefaultRealm). It is printable ASCII without quotes or
// backslashes, at most 128 bytes.
func WithRealm(realm string) Option {
	return func(c *config) {
		if realm == "" || len(realm) > 128 || strings.ContainsAny(realm, `"\`) || strings.IndexFunc(realm, func(r rune) bool { return r < 0x20 || r > 0x7e }) >= 0 {
			c.fail("realm %q is not 1 to 128 printable ASCII characters without quotes or backslashes", realm)
			return
		}
		c.realm = realm
	}
}

// WithClock sets the clock assertions are checked against (default
// time.Now). Give it the Registry's clock in tests.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			c.fail("WithClock(nil)")
			return
		}
		c.now = now
	}
}

// WithKeyCacheSize sets how many clients' parsed JWK Sets are kept
// (default DefaultKeyCacheSize; 0 turns the cache off).
func WithKeyCacheSize(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.fail("key cache size %d is negative", n)
			return
		}
		c.keyCacheSize = n
	}
}
