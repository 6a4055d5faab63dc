package oauthreg

// Verification of passlib's bcrypt-sha256 (version 2), which Authelia also
// writes through github.com/go-crypt/crypt (its bcrypt variant "sha256"):
//
//	$bcrypt-sha256$v=2,t=2b,r=<cost>$<22-character salt>$<31-character hash>
//
// bcrypt reads at most 72 bytes; bcrypt-sha256 lifts that limit by running
// bcrypt, with the encoded salt and cost, over
// base64(HMAC-SHA-256(key: the 22-character salt as written, message: the
// secret)), 44 characters of standard base64 with padding (go-crypt's
// bcrypt.Variant.EncodeInput, passlib's bcrypt_sha256 version 2). The library
// never writes it: a hash that verifies is reported outdated and replaced
// with argon2id.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// bcryptSHA256Hash is a parsed "$bcrypt-sha256$v=2,…" hash.
type bcryptSHA256Hash struct {
	variant byte   // 'a' or 'b', of the inner bcrypt ("t=2a" or "t=2b")
	cost    int    // bcrypt's cost
	salt    string // 22 characters of bcrypt's base64
	key     string // 31 characters of bcrypt's base64
}

// String returns the hash as passlib writes it.
func (b *bcryptSHA256Hash) String() string {
	return "$bcrypt-sha256$v=2,t=2" + string(b.variant) + ",r=" + strconv.Itoa(b.cost) + "$" + b.salt + "$" + b.key
}

// match runs bcrypt over the HMAC of secret, whatever its length, and
// compares in constant time (bcrypt's CompareHashAndPassword uses
// crypto/subtle). The HMAC reads the secret's own bytes (unsafeBytes), and
// the digest and bcrypt input derived from it are zeroed after use.
func (b *bcryptSHA256Hash) match(secret string) (bool, error) {
	mac := hmac.New(sha256.New, []byte(b.salt))
	mac.Write(unsafeBytes(secret))
	var sum [sha256.Size]byte
	input := base64.StdEncoding.AppendEncode(make([]byte, 0, 44), mac.Sum(sum[:0]))
	inner := []byte("$2" + string(b.variant) + "$" + twoDigits(b.cost) + "$" + b.salt + b.key)
	ok, err := bcryptCompare("bcrypt-sha256", inner, input)
	clear(sum[:])
	clear(input)
	return ok, err
}

// current is always false: bcrypt-sha256 hashes are upgraded to argon2id.
func (b *bcryptSHA256Hash) current() bool { return false }

// twoDigits writes n (0..99) as bcrypt writes its cost: two digits.
func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

// parseBcryptSHA256 parses "$bcrypt-sha256$v=2,t=<2a|2b>,r=<cost>$<salt>$<hash>":
// the three parameters in that order, the cost decimal (4..16, no leading
// zeros), a 22-character salt whose unused low bits are zero (as passlib
// and go-crypt write it: its characters are the HMAC key, so a variant
// spelling would be another key) and a 31-character hash. passlib's version
// 1 ("$bcrypt-sha256$2a,12$…", plain SHA-256 instead of HMAC) is refused.
func parseBcryptSHA256(encoded string) (*bcryptSHA256Hash, error) {
	parts := strings.Split(encoded, "$")
	// "", "bcrypt-sha256", params, salt, hash
	if len(parts) != 5 {
		return nil, unsupportedf("bcrypt-sha256: want \"$bcrypt-sha256$v=2,t=2b,r=<cost>$<salt>$<hash>\", got %d '$'-separated fields", len(parts)-1)
	}
	params := strings.Split(parts[2], ",")
	if len(params) != 3 || params[0] != "v=2" {
		if len(params) == 2 && !strings.Contains(parts[2], "=") {
			return nil, unsupportedf("bcrypt-sha256: version 1 of passlib's encoding (\"$bcrypt-sha256$2a,<cost>$…\") is not supported; only v=2")
		}
		return nil, unsupportedf("bcrypt-sha256: want the parameters v=2,t=<2a|2b>,r=<cost>, in that order")
	}
	b := &bcryptSHA256Hash{}
	switch params[1] {
	case "t=2a":
		b.variant = 'a'
	case "t=2b":
		b.variant = 'b'
	default:
		return nil, unsupportedf("bcrypt-sha256: bcrypt variant %q is not supported; want t=2a or t=2b", SanitizeInput(params[1]))
	}
	cost, found := strings.CutPrefix(params[2], "r=")
	n, ok := parseDecimal(cost, minBcryptCost, maxBcryptCost)
	if !found || !ok {
		return nil, unsupportedf("bcrypt-sha256: %q: want r=<cost> with a cost in %d..%d", SanitizeInput(params[2]), minBcryptCost, maxBcryptCost)
	}
	b.cost = int(n)
	b.salt, b.key = parts[3], parts[4]
	if len(b.salt) != 22 || len(b.key) != 31 {
		return nil, unsupportedf("bcrypt-sha256: salt of %d and hash of %d characters; want 22 and 31", len(b.salt), len(b.key))
	}
	for _, c := range []byte(parts[3] + parts[4]) {
		if !isBcryptBase64(c) {
			return nil, unsupportedf("bcrypt-sha256: invalid character %q in the salt or hash (bcrypt base64 is ./A-Za-z0-9)", c)
		}
	}
	// The salt's 22nd character holds 2 bits of the 16-byte salt; its other
	// 4 bits are zero in every salt bcrypt encodes: '.', 'O', 'e' or 'u'.
	if !strings.ContainsRune(".Oeu", rune(b.salt[21])) {
		return nil, unsupportedf("bcrypt-sha256: the salt's last character has bits set that no salt sets")
	}
	return b, nil
}
