package clientauth

import (
	"context"

	"github.com/go-jose/go-jose/v4"

	"github.com/oauthreg/oauthreg"
)

// verifyPrivateKeyJWT verifies a private_key_jwt assertion's signature with
// the client's registered public keys (its jwks, or its jwks_uri through
// the KeyFetcher): the key named by kid, or, without a kid, each key whose
// type fits the alg. An HMAC alg never reaches here.
func (a *Authenticator) verifyPrivateKeyJWT(ctx context.Context, c *oauthreg.Client, as *assertion) *Error {
	reg := registrationOf(c)
	if reg.signingAlg != "" && string(as.alg) != reg.signingAlg {
		return invalidClient(ReasonAlgorithm, "client_assertion's alg is not the client's registered token_endpoint_auth_signing_alg")
	}
	set, e := a.clientKeys(ctx, c.ID, reg, false)
	if e != nil {
		return e
	}
	cands := set.candidates(as.alg, as.kid)
	if len(cands) == 0 && reg.jwksURI != "" {
		// The client may have rotated its key: fetch its set again (the
		// fetcher rate-limits this).
		if set, e = a.clientKeys(ctx, c.ID, reg, true); e != nil {
			return e
		}
		cands = set.candidates(as.alg, as.kid)
	}
	if len(cands) == 0 {
		return invalidClient(ReasonNoKey, "no key registered for the client fits client_assertion's kid and alg; register the public key (jwks or jwks_uri) with its kid")
	}
	if verifiesWithOne(as.jws, cands) {
		return nil
	}
	return badSignature()
}

// verifiesWithOne reports whether one of the first maxKeysTried keys
// verifies the signature.
func verifiesWithOne(jws *jose.JSONWebSignature, keys []jose.JSONWebKey) bool {
	for i := range keys {
		if i == maxKeysTried {
			break
		}
		if _, err := jws.Verify(keys[i].Key); err == nil {
			return true
		}
	}
	return false
}

func badSignature() *Error {
	return invalidClient(ReasonBadSignature,
		"client_assertion's signature does not verify: sign it with the private key whose public key is registered for the client (private_key_jwt), or with the client's current secret (client_secret_jwt)")
}

// clientKeys returns the client's parsed JWK Set: its jwks, or the one at
// its jwks_uri.
func (a *Authenticator) clientKeys(ctx context.Context, clientID string, reg registration, refresh bool) (*keySet, *Error) {
	var (
		raw    []byte
		source keySource
	)
	switch {
	case len(reg.jwks) > 0:
		raw, source = reg.jwks, keySource{name: clientID}
	case reg.jwksURI != "":
		if a.cfg.fetcher == nil {
			return nil, invalidClient(ReasonKeysUnavailable, "the client registered a jwks_uri, but this server fetches no key sets; register the keys as jwks")
		}
		b, err := a.cfg.fetcher.FetchKeys(ctx, reg.jwksURI, refresh)
		if err != nil {
			if ctx.Err() != nil {
				return nil, serverError(ctx.Err())
			}
			e := invalidClient(ReasonKeysUnavailable, "the client's jwks_uri could not be fetched as a JWK Set over https")
			e.Err = err
			return nil, e
		}
		raw, source = b, keySource{byURI: true, name: reg.jwksURI}
	default:
		return nil, invalidClient(ReasonNoKey, "the client has no registered keys; register its public keys as jwks or jwks_uri")
	}
	set, err := a.keys.get(source, raw)
	if err != nil {
		e := invalidClient(ReasonKeysUnavailable, err.Error())
		return nil, e
	}
	return set, nil
}
