package oauthreg

// Verification of bcrypt hashes imported from fosite / Ory Hydra (which
// default to bcrypt at cost 12), Spring Security and most other systems.
// The library never writes bcrypt: a bcrypt hash that verifies is reported
// outdated and replaced with argon2id, which is memory-hard and has no
// 72-byte input limit.

import (
	"errors"

	"golang.org/x/crypto/bcrypt"
)

// bcryptMaxSecret is the most bytes bcrypt reads. A longer secret is
// refused, never truncated: truncation would let every secret sharing the
// first 72 bytes authenticate.
const bcryptMaxSecret = 72

// bcryptHashLen is the length of a bcrypt hash: "$2b$", two cost digits,
// '$', a 22-character salt and a 31-character hash.
const bcryptHashLen = 60

// bcryptHash is a parsed "$2a$", "$2b$" or "$2y$" hash. The three variants
// differ only in bugs of old C implementations that do not affect a correct
// one, so all three verify the same way.
type bcryptHash struct {
	encoded string // the 60-character hash, without a Spring prefix
	cost    int
}

// String returns the hash without Spring's "{bcrypt}" prefix.
func (b *bcryptHash) String() string { return b.encoded }

// accepts reports whether secret is short enough for bcrypt to read all of
// it.
func (b *bcryptHash) accepts(secret string) bool { return len(secret) <= bcryptMaxSecret }

// match runs bcrypt over secret and compares in constant time (bcrypt's
// CompareHashAndPassword uses crypto/subtle). A secret longer than 72 bytes
// never matches. bcrypt only reads the secret (it copies it into its own
// key buffer): it gets the string's bytes (unsafeBytes), not a copy of ours
// that would stay in memory.
func (b *bcryptHash) match(secret string) (bool, error) {
	if !b.accepts(secret) {
		// Do the work all the same (on the first 72 bytes, result
		// discarded), so a long guess costs what a wrong one does.
		_ = bcrypt.CompareHashAndPassword([]byte(b.encoded), unsafeBytes(secret[:bcryptMaxSecret]))
		return false, nil
	}
	return bcryptCompare("bcrypt", []byte(b.encoded), unsafeBytes(secret))
}

// bcryptCompare runs bcrypt over input with the salt and cost of the
// 60-character hash and reports whether it matches, in constant time
// (bcrypt's CompareHashAndPassword uses crypto/subtle). what names the
// encoding in an error.
func bcryptCompare(what string, hash, input []byte) (bool, error) {
	err := bcrypt.CompareHashAndPassword(hash, input)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	default:
		// The parsers admit only hashes bcrypt can read; this is a guard.
		return false, unsupportedf("%s: %v", what, err)
	}
}

// current is always false: bcrypt hashes are upgraded to argon2id.
func (b *bcryptHash) current() bool { return false }

// parseBcrypt parses a bcrypt hash (Spring's "{bcrypt}" prefix already
// removed): "$2a$", "$2b$" or "$2y$", a two-digit cost in 4..31, '$', and 53
// characters of bcrypt's base64 alphabet ("./A-Za-z0-9").
func parseBcrypt(s string) (*bcryptHash, error) {
	if len(s) < 4 || s[0] != '$' || s[1] != '2' || s[3] != '$' {
		return nil, unsupportedf("bcrypt: want \"$2a$\", \"$2b$\" or \"$2y$\" followed by a two-digit cost")
	}
	switch s[2] {
	case 'a', 'b', 'y':
	default:
		return nil, unsupportedf("bcrypt variant \"$2%c$\" is not supported; only $2a$, $2b$ and $2y$", s[2])
	}
	if len(s) != bcryptHashLen {
		return nil, unsupportedf("bcrypt: hash is %d characters long; want %d", len(s), bcryptHashLen)
	}
	if s[6] != '$' || !isDecimal(s[4:6]) {
		return nil, unsupportedf("bcrypt: want a two-digit cost between \"$2%c$\" and '$'", s[2])
	}
	cost := int(s[4]-'0')*10 + int(s[5]-'0')
	if cost < minBcryptCost || cost > maxBcryptCost {
		return nil, unsupportedf("bcrypt: cost %d out of range %d..%d", cost, minBcryptCost, maxBcryptCost)
	}
	for i := 7; i < len(s); i++ {
		if !isBcryptBase64(s[i]) {
			return nil, unsupportedf("bcrypt: invalid character %q in the salt or hash (bcrypt base64 is ./A-Za-z0-9)", s[i])
		}
	}
	return &bcryptHash{encoded: s, cost: cost}, nil
}

// isBcryptBase64 reports whether c belongs to bcrypt's base64 alphabet.
func isBcryptBase64(c byte) bool {
	return c == '.' || c == '/' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
}
