// Package jwks parses and checks the JSON Web Key Set a client registers
// (RFC 7591 "jwks"), with github.com/go-jose/go-jose/v4.
//
// The core package oauthreg checks a JWK Set's structure itself (no private
// members, known key types and algorithms) but parses no keys: its
// dependencies are the standard library, x/crypto and uuid only. This
// package adds the real parse, and plugs into a Registry as its
// oauthreg.KeySetValidator:
//
//	reg, err := oauthreg.New(store, oauthreg.WithKeySetValidator(jwks.Validator{}))
//
// Register and Update then refuse a JWK Set whose keys do not parse, an RSA
// key shorter than 2048 bits, an EC point off its curve, or an "alg" its key
// cannot use, with an invalid_client_metadata error naming the key. Parse
// returns the keys for code that verifies with them (a token endpoint
// checking private_key_jwt assertions).
package jwks

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/go-jose/go-jose/v4"
	"github.com/oauthreg/oauthreg"
)

// DefaultMinRSABits is the smallest RSA modulus a Validator accepts unless
// told otherwise (RFC 7518 §3.3 and §4.2 require 2048 bits).
const DefaultMinRSABits = 2048

// Validator checks JWK Sets. Its zero value is ready to use; it is safe for
// concurrent use.
type Validator struct {
	// MinRSABits is the smallest RSA modulus accepted; 0 means
	// DefaultMinRSABits.
	MinRSABits int
}

var _ oauthreg.KeySetValidator = Validator{}

// ValidateKeySet implements oauthreg.KeySetValidator: it returns nil when
// Parse accepts raw, else Parse's error.
func (v Validator) ValidateKeySet(raw []byte) error {
	_, err := v.Parse(raw)
	return err
}

// Parse parses a client's JWK Set with Validator{}'s settings.
func Parse(raw []byte) (*jose.JSONWebKeySet, error) { return Validator{}.Parse(raw) }

// privateMembers are the JWK members of private or symmetric key material.
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// Parse parses raw, a JWK Set of at most oauthreg.MaxJWKSBytes holding 1 to
// oauthreg.MaxJWKSKeys keys, and checks every key: no private or symmetric
// key material (looked for before go-jose turns it into a key); an RSA key
// of at least MinRSABits, an EC key on P-256, P-384 or P-521, or an Ed25519
// key; a "use" of "sig" or "enc" if any; an "alg", if any, that the key can
// serve ("RS256" needs RSA, "ES384" P-384, "EdDSA" Ed25519, ...); and
// x5c certificates, if any, that hold the same public key (go-jose checks
// it). The error names the key by its index and kid, and says what to fix.
func (v Validator) Parse(raw []byte) (*jose.JSONWebKeySet, error) {
	if len(raw) > oauthreg.MaxJWKSBytes {
		return nil, fmt.Errorf("the JWK Set is %d bytes, more than %d", len(raw), oauthreg.MaxJWKSBytes)
	}
	// A map, not a struct: encoding/json matches struct fields without
	// regard to case, and the member is "keys", exactly.
	var doc map[string]json.RawMessage
	var keys []json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil || doc == nil || json.Unmarshal(doc["keys"], &keys) != nil || keys == nil {
		return nil, errors.New(`the JWK Set must be a JSON object with a "keys" array (RFC 7517 §5)`)
	}
	if len(keys) == 0 || len(keys) > oauthreg.MaxJWKSKeys {
		return nil, fmt.Errorf("the JWK Set must hold 1 to %d keys (got %d)", oauthreg.MaxJWKSKeys, len(keys))
	}
	minBits := v.MinRSABits
	if minBits <= 0 {
		minBits = DefaultMinRSABits
	}
	set := &jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(keys))}
	for i, rawKey := range keys {
		name := fmt.Sprintf("key %d", i)
		var members map[string]json.RawMessage
		if err := json.Unmarshal(rawKey, &members); err != nil {
			return nil, fmt.Errorf("%s is not a JSON object", name)
		}
		var kid string
		if json.Unmarshal(members["kid"], &kid) == nil && kid != "" {
			name = fmt.Sprintf("key %d (kid %s)", i, oauthreg.SanitizeInput(kid))
		}
		for m := range members {
			// go-jose reads members without regard to case ("D" as "d").
			if known, ok := jwkMember(m); ok && m != known {
				return nil, fmt.Errorf("%s has member %s; JWK member names are case-sensitive: spell it %q", name, oauthreg.SanitizeInput(m), known)
			}
		}
		for _, m := range privateMembers {
			if _, ok := members[m]; ok {
				return nil, fmt.Errorf("%s holds private or symmetric key material (%q): register public keys only, and replace this key", name, m)
			}
		}
		if ops, ok := members["key_ops"]; ok {
			var list []string
			if err := json.Unmarshal(ops, &list); err != nil {
				return nil, fmt.Errorf(`%s: "key_ops" must be an array of strings`, name)
			}
			for _, op := range list {
				if op != "verify" && op != "encrypt" && op != "wrapKey" {
					return nil, fmt.Errorf("%s has key_ops %s, which a public key cannot do", name, oauthreg.SanitizeInput(op))
				}
			}
		}
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(rawKey); err != nil {
			return nil, fmt.Errorf("%s does not parse: %s", name, oauthreg.SanitizeInput(err.Error()))
		}
		if err := checkKey(&k, minBits); err != nil {
			return nil, fmt.Errorf("%s %w", name, err)
		}
		set.Keys = append(set.Keys, k)
	}
	return set, nil
}

// jwkMembers are the registered JWK member names (RFC 7517 §4, RFC 7518 §6).
var jwkMembers = append([]string{"kty", "use", "key_ops", "alg", "kid", "x5u", "x5c", "x5t", "x5t#S256", "crv", "x", "y", "n", "e"},
	privateMembers...)

// jwkMember returns the registered member name equal to m without regard to
// case.
func jwkMember(m string) (string, bool) {
	for _, known := range jwkMembers {
		if strings.EqualFold(m, known) {
			return known, true
		}
	}
	return "", false
}

// errUnsupported is why a key of another type is refused.
var errUnsupported = errors.New("is of a type clients cannot use here: register an RSA, EC (P-256, P-384, P-521) or Ed25519 public key")

// checkKey checks one parsed key; its errors complete "key N ...".
func checkKey(k *jose.JSONWebKey, minBits int) error {
	if !k.IsPublic() || !k.Valid() {
		return errors.New("is not a valid public key")
	}
	if k.Use != "" && k.Use != "sig" && k.Use != "enc" {
		return fmt.Errorf(`has "use" %s; use "sig" or "enc"`, oauthreg.SanitizeInput(k.Use))
	}
	var family string
	switch key := k.Key.(type) {
	case *rsa.PublicKey:
		if bits := key.N.BitLen(); bits < minBits {
			return fmt.Errorf("is an RSA key of %d bits; use at least %d", bits, minBits)
		}
		family = "RSA"
	case *ecdsa.PublicKey:
		switch key.Curve {
		case elliptic.P256():
			family = "P-256"
		case elliptic.P384():
			family = "P-384"
		case elliptic.P521():
			family = "P-521"
		default:
			return errUnsupported
		}
	case ed25519.PublicKey:
		family = "Ed25519"
	default:
		return errUnsupported
	}
	if k.Algorithm == "" {
		return nil
	}
	fits, sig, known := algorithmFits(k.Algorithm, family)
	switch {
	case !known:
		return fmt.Errorf("has alg %s, which a client's public key cannot use", oauthreg.SanitizeInput(k.Algorithm))
	case !fits:
		return fmt.Errorf("has alg %q, which a %s key cannot serve", k.Algorithm, family)
	case k.Use == "sig" && !sig:
		return fmt.Errorf(`has "use" "sig" with the encryption algorithm %q`, k.Algorithm)
	case k.Use == "enc" && sig:
		return fmt.Errorf(`has "use" "enc" with the signature algorithm %q`, k.Algorithm)
	}
	return nil
}

// algorithmFits reports whether alg can be used with a key of family
// ("RSA", "P-256", "P-384", "P-521", "Ed25519"), whether alg is a
// signature algorithm, and whether alg is an asymmetric algorithm at all.
func algorithmFits(alg, family string) (fits, sig, known bool) {
	switch jose.SignatureAlgorithm(alg) {
	case jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512:
		return family == "RSA", true, true
	case jose.ES256:
		return family == "P-256", true, true
	case jose.ES384:
		return family == "P-384", true, true
	case jose.ES512:
		return family == "P-521", true, true
	case jose.EdDSA, "Ed25519":
		return family == "Ed25519", true, true
	}
	switch jose.KeyAlgorithm(alg) {
	case jose.RSA_OAEP, jose.RSA_OAEP_256, "RSA-OAEP-384", "RSA-OAEP-512":
		return family == "RSA", false, true
	case jose.ECDH_ES, jose.ECDH_ES_A128KW, jose.ECDH_ES_A192KW, jose.ECDH_ES_A256KW:
		return family == "P-256" || family == "P-384" || family == "P-521", false, true
	}
	return false, false, false
}
