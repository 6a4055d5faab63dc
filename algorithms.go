package oauthreg

import "slices"

// JSON Web Algorithms a client may name in its metadata (RFC 7518, RFC 8037,
// RFC 8812). Validation refuses names outside these lists, so a typo such as
// "RS265" is caught at registration rather than at the first token.

// jwsAlgorithms are the JWS "alg" values of RFC 7518 §3.1, RFC 8037 (EdDSA)
// and RFC 8812 (ES256K), without "none".
var jwsAlgorithms = []string{
	"HS256", "HS384", "HS512",
	"RS256", "RS384", "RS512",
	"ES256", "ES384", "ES512", "ES256K",
	"PS256", "PS384", "PS512",
	"EdDSA", "Ed25519",
}

// jweAlgorithms are the JWE key management "alg" values of RFC 7518 §4.1,
// without RSA1_5 (RSAES-PKCS1-v1_5, open to padding-oracle attacks) and the
// password-based PBES2 family, which has no place in client metadata.
var jweAlgorithms = []string{
	"RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512",
	"A128KW", "A192KW", "A256KW", "dir",
	"ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW",
	"A128GCMKW", "A192GCMKW", "A256GCMKW",
}

// jweEncryptions are the JWE "enc" values of RFC 7518 §5.1.
var jweEncryptions = []string{
	"A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM",
}

// algorithmKeyType names the key type an asymmetric algorithm needs; the
// symmetric ones (HS*, A*KW, dir, A*GCMKW) are absent.
var algorithmKeyType = map[string]string{
	"RS256": "RSA", "RS384": "RSA", "RS512": "RSA", "PS256": "RSA", "PS384": "RSA", "PS512": "RSA",
	"ES256": "EC", "ES384": "EC", "ES512": "EC", "ES256K": "EC",
	"EdDSA": "OKP", "Ed25519": "OKP",
	"RSA-OAEP": "RSA", "RSA-OAEP-256": "RSA", "RSA-OAEP-384": "RSA", "RSA-OAEP-512": "RSA",
	"ECDH-ES": "EC", "ECDH-ES+A128KW": "EC", "ECDH-ES+A192KW": "EC", "ECDH-ES+A256KW": "EC",
}

func isKnownJWSAlg(alg string) bool { return slices.Contains(jwsAlgorithms, alg) }
func isKnownJWEAlg(alg string) bool { return slices.Contains(jweAlgorithms, alg) }
func isKnownJWEEnc(enc string) bool { return slices.Contains(jweEncryptions, enc) }

// isAsymmetricAlg reports whether alg signs or encrypts with a key pair,
// and so needs the client's public keys (jwks or jwks_uri).
func isAsymmetricAlg(alg string) bool {
	_, ok := algorithmKeyType[alg]
	return ok
}
