package clientauth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/oauthreg/oauthreg"
)

// assertion is a parsed client_assertion whose signature is not verified
// yet: nothing in it may be trusted before verifyAssertionSignature.
type assertion struct {
	jws    *jose.JSONWebSignature
	alg    jose.SignatureAlgorithm
	kid    string
	claims assertionClaims
}

// assertionClaims are the claims RFC 7523 §3 and OpenID Connect Core §9
// give a client assertion.
type assertionClaims struct {
	Issuer    string           `json:"iss"`
	Subject   string           `json:"sub"`
	Audience  json.RawMessage  `json:"aud"`
	Expiry    *jwt.NumericDate `json:"exp"`
	NotBefore *jwt.NumericDate `json:"nbf"`
	IssuedAt  *jwt.NumericDate `json:"iat"`
	ID        string           `json:"jti"`
}

// isHMAC reports whether alg is an HMAC algorithm: the assertion is then
// client_secret_jwt, checked with the client's secret and never with a key
// from a JWK Set.
func isHMAC(alg jose.SignatureAlgorithm) bool {
	return alg == jose.HS256 || alg == jose.HS384 || alg == jose.HS512
}

// parseAssertion parses a client_assertion: a JWS in compact serialization,
// at most maxBytes long, with exactly one signature by one of the allowed
// algorithms ("none" is never among them), and a JSON claims set. It
// verifies nothing.
func parseAssertion(raw string, maxBytes int, allowed []jose.SignatureAlgorithm) (*assertion, *Error) {
	if len(raw) > maxBytes {
		return nil, invalidClient(ReasonMalformedAssertion, "client_assertion is larger than this server accepts")
	}
	if strings.Count(raw, ".") != 2 {
		return nil, invalidClient(ReasonMalformedAssertion, "client_assertion is not a JWT in JWS compact serialization")
	}
	jws, err := jose.ParseSignedCompact(raw, allowed)
	if err != nil || len(jws.Signatures) != 1 {
		if alg := peekAlgorithm(raw); alg != "" && !containsAlg(allowed, jose.SignatureAlgorithm(alg)) {
			return nil, invalidClient(ReasonAlgorithm, "client_assertion is signed with an algorithm this server does not accept; use one of "+algNames(allowed))
		}
		return nil, invalidClient(ReasonMalformedAssertion, "client_assertion is not a JWT in JWS compact serialization signed with one of "+algNames(allowed))
	}
	h := jws.Signatures[0].Protected
	_, hasJKU := h.ExtraHeaders["jku"]
	_, hasX5U := h.ExtraHeaders["x5u"]
	if h.JSONWebKey != nil || hasJKU || hasX5U {
		// A key that travels with the token proves nothing: only
		// registered keys count. Refused rather than ignored, so a client
		// relying on it learns why it fails.
		return nil, invalidClient(ReasonMalformedAssertion,
			"client_assertion names its own key (jwk, jku or x5u header); the server uses only the client's registered keys: remove the header")
	}
	var claims assertionClaims
	dec := json.NewDecoder(bytes.NewReader(jws.UnsafePayloadWithoutVerification()))
	if err := dec.Decode(&claims); err != nil || dec.More() {
		return nil, invalidClient(ReasonMalformedAssertion, "client_assertion's payload is not a JSON claims set with string iss, sub, jti and numeric exp, nbf, iat")
	}
	return &assertion{jws: jws, alg: jose.SignatureAlgorithm(h.Algorithm), kid: h.KeyID, claims: claims}, nil
}

// peekAlgorithm returns the alg of a compact JWS's header, or "" when the
// header cannot be read. It serves error messages only.
func peekAlgorithm(raw string) string {
	seg, _, _ := strings.Cut(raw, ".")
	if len(seg) > 4096 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return ""
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(b, &h) != nil {
		return ""
	}
	return h.Alg
}

func containsAlg(list []jose.SignatureAlgorithm, alg jose.SignatureAlgorithm) bool {
	for _, a := range list {
		if a == alg {
			return true
		}
	}
	return false
}

func algNames(list []jose.SignatureAlgorithm) string {
	names := make([]string, len(list))
	for i, a := range list {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
}

// claimRules are the server's rules for an assertion's claims.
type claimRules struct {
	issuer          string   // the one audience of rfc7523bis
	legacyAudiences []string // also accepted, RFC 7523 style
	skew            time.Duration
	maxLifetime     time.Duration
}

// checkClaims applies RFC 7523 §3 and draft-ietf-oauth-rfc7523bis to the
// claims, at time now, and returns the client ID they name (iss = sub) and
// until when the assertion is valid (for the replay cache). formID is the
// client_id parameter, which must match when present.
func (a *assertion) checkClaims(rules claimRules, formID string, now time.Time) (string, time.Time, *Error) {
	c := &a.claims
	switch {
	case c.Issuer == "" || c.Subject == "":
		return "", time.Time{}, invalidClient(ReasonIssuer, "client_assertion must have iss and sub, both the client_id")
	case c.Issuer != c.Subject:
		return "", time.Time{}, invalidClient(ReasonIssuer, "client_assertion's iss and sub differ; both must be the client_id (RFC 7523 section 3)")
	case formID != "" && formID != c.Subject:
		return "", time.Time{}, invalidClient(ReasonIssuer, "client_id differs from the client_assertion's sub; they must be the same")
	}
	if e := checkAudience(c.Audience, rules); e != nil {
		return "", time.Time{}, e
	}
	if c.Expiry == nil {
		return "", time.Time{}, invalidClient(ReasonAssertionExpired, "client_assertion has no exp; it must expire (RFC 7523 section 3)")
	}
	exp := c.Expiry.Time()
	if !now.Before(exp.Add(rules.skew)) {
		return "", time.Time{}, invalidClient(ReasonAssertionExpired, "client_assertion has expired (exp is in the past); make a new one for every request and check the client's clock")
	}
	for _, t := range [...]*jwt.NumericDate{c.NotBefore, c.IssuedAt} {
		if t != nil && t.Time().After(now.Add(rules.skew)) {
			return "", time.Time{}, invalidClient(ReasonNotYetValid, "client_assertion is not valid yet (nbf or iat is in the future); check the client's clock")
		}
	}
	start := now
	if c.IssuedAt != nil {
		start = c.IssuedAt.Time()
	}
	if exp.Sub(start) > rules.maxLifetime || exp.Sub(now) > rules.maxLifetime+rules.skew {
		return "", time.Time{}, invalidClient(ReasonTooLongLived,
			"client_assertion is valid for longer than this server accepts ("+rules.maxLifetime.String()+" from iat to exp); make short-lived assertions")
	}
	if c.ID == "" || len(c.ID) > maxJTIBytes {
		return "", time.Time{}, invalidClient(ReasonMissingJTI, "client_assertion must have a jti of 1 to 255 bytes, new for every assertion")
	}
	return c.Subject, exp.Add(rules.skew), nil
}

// checkAudience accepts, following draft-ietf-oauth-rfc7523bis, an aud that
// is the issuer identifier alone (a string, or an array of just that
// string), and, with legacy audiences configured, the RFC 7523 forms: a
// string or array containing the issuer or a legacy audience.
func checkAudience(raw json.RawMessage, rules claimRules) *Error {
	wrong := invalidClient(ReasonAudience, "client_assertion's aud must be this server's issuer identifier, as a single string")
	if rules.issuer == "" {
		return invalidClient(ReasonAudience, "this server is not configured for client assertions (no issuer identifier to check aud against)")
	}
	var auds []string
	var one string
	switch {
	case len(raw) == 0:
		return wrong
	case json.Unmarshal(raw, &one) == nil:
		auds = []string{one}
	case json.Unmarshal(raw, &auds) == nil:
	default:
		return wrong
	}
	if len(auds) == 1 && auds[0] == rules.issuer {
		return nil
	}
	if len(rules.legacyAudiences) > 0 {
		for _, a := range auds {
			if a == rules.issuer || containsString(rules.legacyAudiences, a) {
				return nil
			}
		}
	}
	return wrong
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// methodOf is the method an assertion stands for: client_secret_jwt when
// signed with HMAC, private_key_jwt otherwise.
func (a *assertion) methodOf() oauthreg.AuthMethod {
	if isHMAC(a.alg) {
		return oauthreg.AuthClientSecretJWT
	}
	return oauthreg.AuthPrivateKeyJWT
}
