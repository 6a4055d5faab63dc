package clientauth

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/oauthreg/oauthreg"
)

// Authenticator authenticates the client of a token endpoint request (or of
// any endpoint that authenticates clients the same way: introspection,
// revocation, pushed authorization requests) against an oauthreg.Registry,
// by every standard method. It is safe for concurrent use; build one per
// server with New and keep it.
type Authenticator struct {
	reg  *oauthreg.Registry
	cfg  config
	keys *keyCache
}

// New returns an Authenticator over reg. Without WithIssuer it still
// authenticates client_secret_basic, client_secret_post, mutual TLS and
// public clients, and refuses assertions (it cannot check their audience).
func New(reg *oauthreg.Registry, opts ...Option) (*Authenticator, error) {
	cfg := config{
		skew:         DefaultClockSkew,
		maxLifetime:  DefaultMaxAssertionLifetime,
		maxBody:      DefaultMaxBodyBytes,
		maxAssertion: DefaultMaxAssertionBytes,
		realm:        DefaultRealm,
		now:          time.Now,
		keyCacheSize: DefaultKeyCacheSize,
	}
	WithAlgorithms(DefaultAlgorithms...)(&cfg)
	WithMethods(AllMethods...)(&cfg)
	for _, o := range opts {
		o(&cfg)
	}
	if reg == nil {
		cfg.fail("nil Registry")
	}
	if len(cfg.errs) > 0 {
		return nil, errors.Join(cfg.errs...)
	}
	if cfg.replay == nil {
		cfg.replay = NewMemoryReplayCache(cfg.now)
	}
	return &Authenticator{reg: reg, cfg: cfg, keys: newKeyCache(cfg.keyCacheSize)}, nil
}

// Authenticate returns the client that r authenticates and the method it
// used, or an *Error to answer with WriteError.
//
// It reads the request body (at most WithMaxBodyBytes) and leaves it
// readable for the caller, who parses the rest of the form as usual. It
// accepts exactly one method per request (RFC 6749 §2.3):
//
//   - client_secret_basic: Authorization: Basic, ID and secret form-encoded
//     (RFC 6749 §2.3.1); a client_id in the body must be the same.
//   - client_secret_post: client_id and client_secret in the body.
//   - client_secret_jwt and private_key_jwt: client_assertion_type
//     urn:ietf:params:oauth:client-assertion-type:jwt-bearer and a signed
//     client_assertion (RFC 7523 §2.2 and §3, OpenID Connect Core §9); an
//     HMAC alg means client_secret_jwt, any other private_key_jwt.
//   - tls_client_auth and self_signed_tls_client_auth: a client_id and the
//     TLS client certificate (RFC 8705 §2), as the client registered.
//   - none: a client_id alone, for a public client.
//
// Whatever the method, the client must be registered for it, and enabled.
// Every outcome is reported to the Registry's observers (auth.succeeded or
// auth.failed with the reason), never with a secret, assertion or key in it.
func (a *Authenticator) Authenticate(r *http.Request) (*oauthreg.Client, oauthreg.AuthMethod, error) {
	c, method, e := a.authenticate(r)
	if e != nil {
		if e.Status == http.StatusUnauthorized {
			e.challenge = basicChallenge(a.cfg.realm)
		}
		return nil, method, e
	}
	return c, method, nil
}

func (a *Authenticator) authenticate(r *http.Request) (*oauthreg.Client, oauthreg.AuthMethod, *Error) {
	ctx := r.Context()
	creds, e := extractCredentials(r, a.cfg.maxBody)
	if e != nil {
		a.report(ctx, "", "", nil, e)
		return nil, "", e
	}
	kind, clientID, e := decideMethod(creds)
	if e != nil {
		a.report(ctx, "", clientID, nil, e)
		return nil, "", e
	}
	switch kind {
	case presentedBasic, presentedPost:
		method := kind.methodOf()
		if !a.cfg.methods[method] {
			e := methodDisabled(method)
			a.report(ctx, method, clientID, nil, e)
			return nil, method, e
		}
		secret := creds.basicSecret
		if kind == presentedPost {
			secret = creds.formSecret
		}
		c, e := a.verifySecret(ctx, method, clientID, secret)
		return c, method, e // the Registry reported it
	case presentedAssertion:
		return a.authenticateAssertion(ctx, creds)
	default:
		return a.authenticateByRegistration(ctx, clientID, creds)
	}
}

// report tells the Registry's observers about an outcome decided here.
func (a *Authenticator) report(ctx context.Context, method oauthreg.AuthMethod, clientID string, c *oauthreg.Client, e *Error) {
	rep := oauthreg.AuthReport{Method: method, ClientID: clientID, Client: c}
	if e != nil {
		rep.Reason = e.Reason
		e.Method = method
	}
	a.reg.ReportAuthentication(ctx, rep)
}

func methodDisabled(m oauthreg.AuthMethod) *Error {
	return invalidClient(ReasonMethodDisabled, "this server does not accept token_endpoint_auth_method "+string(m)+"; register the client for a method the server supports")
}

// allowedAlgorithms is the server's allow-list, for parsing.
func (a *Authenticator) allowedAlgorithms() []jose.SignatureAlgorithm { return a.cfg.algList }
