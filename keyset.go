package oauthreg

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// KeySetValidator checks a client's JSON Web Key Set (Client.JWKS) in depth:
// that every key parses, is a usable public key of a known type and size,
// and that its "alg" and "use" fit it. Plug one in with WithKeySetValidator;
// package github.com/oauthreg/oauthreg/jwks provides one built on go-jose.
//
// The core package cannot parse keys itself without a JOSE library, which its
// dependency rule (standard library, x/crypto, uuid) keeps out, hence this
// hook. Without one, Register and Update still run the structural check of
// Client.Validate, which refuses private and symmetric key material, unknown
// key types and algorithms; the validator adds what only a real parse can
// tell (an RSA modulus too short, an EC point off its curve, a malformed
// base64 member).
//
// ValidateKeySet receives the JWK Set as the client registered it, after
// the structural check passed. It returns nil or an error whose message says
// what is wrong with which key; the Registry reports it as a
// *ValidationError on "jwks" with Code CodeInvalidClientMetadata, its text
// passed through SanitizeInput.
type KeySetValidator interface {
	ValidateKeySet(jwks []byte) error
}

// KeySetValidatorFunc adapts a function to KeySetValidator.
type KeySetValidatorFunc func(jwks []byte) error

// ValidateKeySet calls f(jwks).
func (f KeySetValidatorFunc) ValidateKeySet(jwks []byte) error { return f(jwks) }

// WithKeySetValidator makes Register and Update check every client's JWK
// Set with v as well, for example:
//
//	reg, err := oauthreg.New(store, oauthreg.WithKeySetValidator(jwks.Validator{}))
//
// An interface rather than a function type, so that a validator can carry
// its settings (minimum key sizes, accepted algorithms) and be shared with
// the token endpoint that verifies assertions with the same keys.
func WithKeySetValidator(v KeySetValidator) Option {
	return func(c *config) {
		if v == nil {
			c.errs = append(c.errs, fmt.Errorf("%w: WithKeySetValidator(nil)", ErrInvalidConfig))
			return
		}
		c.keySets = v
	}
}

// privateKeyMembers are the JWK members of private or symmetric key
// material (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2).
var privateKeyMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// jwkMembers are the registered JWK member names (RFC 7517 §4, RFC 7518 §6).
var jwkMembers = append([]string{"kty", "use", "key_ops", "alg", "kid", "x5u", "x5c", "x5t", "x5t#S256", "crv", "x", "y", "n", "e"},
	privateKeyMembers...)

// checkKeySetStructure checks a JWK Set without parsing its keys: a JSON
// object of at most MaxJWKSBytes whose "keys" member is an array of 1 to
// MaxJWKSKeys objects; each key of type RSA (with n and e), EC (crv, x, y)
// or OKP (crv, x), with no private or symmetric member, a "use" of sig or enc
// if any, public-key "key_ops" only, and an "alg", if any, that is an
// asymmetric JWS or JWE algorithm fit for its type. kid, if present, is a
// string.
func checkKeySetStructure(field string, raw []byte) *ValidationError {
	if len(raw) > MaxJWKSBytes {
		return metadataError(field, "must be at most %d bytes (got %d)", MaxJWKSBytes, len(raw))
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return metadataError(field, `must be a JSON object such as {"keys": [...]} (a JWK Set, RFC 7517 §5)`)
	}
	var set map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &set); err != nil {
		return metadataError(field, "must be a JSON object (a JWK Set, RFC 7517 §5)")
	}
	var keys []json.RawMessage
	if err := json.Unmarshal(set["keys"], &keys); err != nil || keys == nil {
		return metadataError(field, `must have a "keys" member that is an array of keys (RFC 7517 §5)`)
	}
	switch {
	case len(keys) == 0:
		return metadataError(field, "must hold at least one key")
	case len(keys) > MaxJWKSKeys:
		return metadataError(field, "must hold at most %d keys (got %d)", MaxJWKSKeys, len(keys))
	}
	for i, rawKey := range keys {
		if err := checkPublicJWK(fmt.Sprintf("%s.keys[%d]", field, i), rawKey); err != nil {
			return err
		}
	}
	return nil
}

// jwkTypes lists, per key type, the members a public key needs.
var jwkTypes = map[string][]string{
	"RSA": {"n", "e"},
	"EC":  {"crv", "x", "y"},
	"OKP": {"crv", "x"},
}

func checkPublicJWK(field string, raw json.RawMessage) *ValidationError {
	var k map[string]json.RawMessage
	if err := json.Unmarshal(raw, &k); err != nil || k == nil {
		return metadataError(field, "must be a JSON object (a JWK, RFC 7517 §4)")
	}
	// JSON decoders that match names case-insensitively (encoding/json
	// into a struct, and so go-jose) would read "D" as "d": a name that
	// differs from a JWK member only by case is refused.
	for name := range k {
		for _, m := range jwkMembers {
			if strings.EqualFold(name, m) && name != m {
				return metadataError(field, "member %s must be spelled %q (JWK member names are case-sensitive)", quoteInput(name), m)
			}
		}
	}
	for _, m := range privateKeyMembers {
		if _, ok := k[m]; ok {
			return metadataError(field, "holds private or symmetric key material (member %q): register public keys only, and replace this key, which is no longer secret", m)
		}
	}
	str := func(name string) (string, bool, *ValidationError) {
		v, ok := k[name]
		if !ok {
			return "", false, nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", true, metadataError(field, "member %q must be a string", name)
		}
		return s, true, nil
	}
	kty, ok, err := str("kty")
	if err != nil {
		return err
	}
	if !ok {
		return metadataError(field, `must have a "kty" member (RFC 7517 §4.1)`)
	}
	required, known := jwkTypes[kty]
	if !known {
		if kty == "oct" {
			return metadataError(field, `has kty "oct", a symmetric key, which is a shared secret: register public keys only`)
		}
		return metadataError(field, `has an unknown kty %s; use "RSA", "EC" or "OKP"`, quoteInput(kty))
	}
	for _, m := range required {
		if _, _, err := str(m); err != nil {
			return err
		}
		if _, ok := k[m]; !ok {
			return metadataError(field, "a %s key needs the member %q", kty, m)
		}
	}
	if _, _, err := str("kid"); err != nil {
		return err
	}
	use, hasUse, err := str("use")
	if err != nil {
		return err
	}
	if hasUse && use != "sig" && use != "enc" {
		return metadataError(field, `has "use" %s; use "sig" or "enc" (RFC 7517 §4.2)`, quoteInput(use))
	}
	if raw, ok := k["key_ops"]; ok {
		var ops []string
		if err := json.Unmarshal(raw, &ops); err != nil {
			return metadataError(field, `member "key_ops" must be an array of strings`)
		}
		for _, op := range ops {
			if !slices.Contains([]string{"verify", "encrypt", "wrapKey"}, op) {
				return metadataError(field, `has key_ops %s, which a public key cannot do; a client's key set holds only keys the server verifies or encrypts with`, quoteInput(op))
			}
		}
	}
	alg, hasAlg, err := str("alg")
	if err != nil {
		return err
	}
	if hasAlg {
		if reason := asymmetricAlgFits(alg, kty, use); reason != "" {
			return metadataError(field, "%s", reason)
		}
	}
	return nil
}

// asymmetricAlgFits explains why alg cannot be the "alg" of a public key of
// type kty with the given use ("" when it can).
func asymmetricAlgFits(alg, kty, use string) string {
	family, ok := algorithmKeyType[alg]
	switch {
	case alg == "none":
		return `has "alg" "none", which signs nothing`
	case !ok && (isKnownJWSAlg(alg) || isKnownJWEAlg(alg)):
		return fmt.Sprintf("has the symmetric %q algorithm: a client's key set holds public keys only", alg)
	case !ok:
		return fmt.Sprintf("has an unknown alg %s", quoteInput(alg))
	case family != kty && !(kty == "OKP" && strings.HasPrefix(alg, "ECDH-ES")): // X25519/X448 (RFC 8037 §3.2)
		return fmt.Sprintf("has alg %q, which needs a %s key, on a %s key", alg, family, kty)
	case use == "sig" && !isKnownJWSAlg(alg):
		return fmt.Sprintf(`has "use" "sig" with the encryption algorithm %q`, alg)
	case use == "enc" && !isKnownJWEAlg(alg):
		return fmt.Sprintf(`has "use" "enc" with the signature algorithm %q`, alg)
	}
	return ""
}

// jsonValid reports whether b is one valid JSON value in valid UTF-8 (a
// store must be able to keep it as text).
func jsonValid(b []byte) bool {
	return len(b) > 0 && json.Valid(b) && utf8.Valid(b)
}
