package clientauth

import (
	"context"
	"errors"

	"github.com/oauthreg/oauthreg"
)

// authenticateAssertion runs client_secret_jwt and private_key_jwt: parse
// the assertion, check its claims, find the client they name, verify the
// signature by the method the alg stands for, apply the policy, and only
// then spend the jti, so that nobody without the client's key can use up
// its assertion IDs.
func (a *Authenticator) authenticateAssertion(ctx context.Context, creds credentials) (*oauthreg.Client, oauthreg.AuthMethod, *Error) {
	as, e := parseAssertion(creds.assertion, a.cfg.maxAssertion, a.allowedAlgorithms())
	if e != nil {
		a.report(ctx, "", creds.formID, nil, e)
		return nil, "", e
	}
	method := as.methodOf()
	fail := func(c *oauthreg.Client, id string, e *Error) (*oauthreg.Client, oauthreg.AuthMethod, *Error) {
		a.report(ctx, method, id, c, e)
		return nil, method, e
	}
	if !a.cfg.methods[method] {
		return fail(nil, creds.formID, methodDisabled(method))
	}
	rules := claimRules{issuer: a.cfg.issuer, legacyAudiences: a.cfg.legacyAudiences, skew: a.cfg.skew, maxLifetime: a.cfg.maxLifetime}
	now := a.cfg.now()
	clientID, validUntil, e := as.checkClaims(rules, creds.formID, now)
	if e != nil {
		return fail(nil, as.claims.Subject, e)
	}
	c, err := a.reg.Get(ctx, clientID)
	if err != nil {
		if !errors.Is(err, oauthreg.ErrNotFound) {
			return fail(nil, clientID, serverError(err))
		}
		e := badSignature()
		e.Reason = oauthreg.ReasonUnknownClient
		return fail(nil, clientID, e)
	}
	var secretID string
	if method == oauthreg.AuthClientSecretJWT {
		secretID, e = a.verifyClientSecretJWT(c, as)
	} else {
		e = a.verifyPrivateKeyJWT(ctx, c, as)
	}
	if e == nil {
		e = a.checkPolicy(c, method)
	}
	if e != nil {
		return fail(c, clientID, e)
	}
	first, err := a.cfg.replay.UseOnce(ctx, c.ID, as.claims.ID, validUntil)
	switch {
	case err != nil:
		return fail(c, clientID, serverError(err))
	case !first:
		return fail(c, clientID, invalidClient(ReasonReplayed, "client_assertion's jti was used before; make a new assertion, with a new jti, for every request"))
	}
	a.reg.ReportAuthentication(ctx, oauthreg.AuthReport{Method: method, ClientID: c.ID, Client: c, SecretID: secretID})
	return c, method, nil
}
