package oauthreg

// Verification of scrypt hashes in their two encodings:
//
//	$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>     passlib, Authelia (go-crypt)
//	{scrypt}$<hex of log2(N)<<16 | r<<8 | p>$<salt>$<key>   Spring's SCryptPasswordEncoder
//
// "$scrypt$" writes salt and key in unpadded standard base64 (go-crypt's
// algorithm/scrypt and passlib's scrypt handler both do); Spring writes
// them in padded standard base64 (java.util.Base64, whose decoder also
// takes them unpadded: decodeJavaBase64). Both run the same function
// (golang.org/x/crypto/scrypt) under the same bounds. The library never
// writes scrypt: a hash that verifies is reported outdated and replaced with
// argon2id.

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/scrypt"
)

// Bounds of the scrypt parameters a hash may carry. Its memory (128·N·r
// bytes, up to 4 GiB within these) is bounded by HashCostLimits alone, which
// every verification and import applies: Argon2MemoryKiB, and never more
// than maxScryptMemoryKiB whatever the limits say (HashCostLimits.check).
const (
	maxScryptLogN = 20
	maxScryptR    = 32
	maxScryptP    = 16
	// maxScryptMemoryKiB is 256 MiB: a ceiling above HashCostLimits'
	// own, which a Registry may set higher for argon2.
	maxScryptMemoryKiB = 256 << 10
)

// scryptHash is a parsed scrypt hash, in either encoding.
type scryptHash struct {
	spring     bool // Spring's "{scrypt}" encoding; "$scrypt$" otherwise
	logN, r, p int
	salt, key  []byte
}

// String returns the canonical encoding in the hash's own flavour.
func (h *scryptHash) String() string {
	if h.spring {
		params := uint64(h.logN)<<16 | uint64(h.r)<<8 | uint64(h.p)
		return "{scrypt}$" + strconv.FormatUint(params, 16) + "$" + base64.StdEncoding.EncodeToString(h.salt) + "$" + base64.StdEncoding.EncodeToString(h.key)
	}
	return fmt.Sprintf("$scrypt$ln=%d,r=%d,p=%d$%s$%s", h.logN, h.r, h.p,
		base64.RawStdEncoding.EncodeToString(h.salt), base64.RawStdEncoding.EncodeToString(h.key))
}

// name is the encoding's name in messages.
func (h *scryptHash) name() string {
	if h.spring {
		return "{scrypt}"
	}
	return "scrypt"
}

// match derives the key for secret and compares it in constant time.
// scrypt only reads the secret (as PBKDF2's HMAC key): it gets the string's
// bytes (unsafeBytes), not a copy that would stay in memory.
func (h *scryptHash) match(secret string) (bool, error) {
	k, err := scrypt.Key(unsafeBytes(secret), h.salt, 1<<h.logN, h.r, h.p, len(h.key))
	if err != nil {
		return false, unsupportedf("%s: %v", h.name(), err)
	}
	return ctEqual(k, h.key), nil
}

// current is always false: scrypt hashes are upgraded to argon2id.
func (h *scryptHash) current() bool { return false }

// memoryKiB is what verifying h holds: scrypt's 128·N·r bytes.
func (h *scryptHash) memoryKiB() uint64 {
	return uint64(128) << h.logN * uint64(h.r) / 1024
}

// checkParams checks N, r and p against the bounds every hash obeys; its
// memory is HashCostLimits.check's business.
func (h *scryptHash) checkParams() error {
	if h.logN < 1 || h.logN > maxScryptLogN || h.r < 1 || h.r > maxScryptR || h.p < 1 || h.p > maxScryptP {
		return unsupportedf("%s: N=2^%d, r=%d, p=%d is outside the accepted bounds (N up to 2^%d, r up to %d, p up to %d)",
			h.name(), h.logN, h.r, h.p, maxScryptLogN, maxScryptR, maxScryptP)
	}
	return nil
}

// parseSpringScrypt parses what follows Spring's "{scrypt}" prefix.
func parseSpringScrypt(rest string) (*scryptHash, error) {
	parts := strings.Split(rest, "$")
	if len(parts) != 4 || parts[0] != "" {
		return nil, unsupportedf("{scrypt}: want \"$<params>$<salt>$<key>\" as Spring's SCryptPasswordEncoder writes")
	}
	params, err := strconv.ParseUint(parts[1], 16, 32)
	if err != nil {
		return nil, unsupportedf("{scrypt}: the parameters are not hexadecimal")
	}
	h := &scryptHash{spring: true, logN: int(params >> 16 & 0xffff), r: int(params >> 8 & 0xff), p: int(params & 0xff)}
	if err := h.checkParams(); err != nil {
		return nil, err
	}
	if h.salt, err = decodeJavaBase64("{scrypt} salt", parts[2]); err != nil {
		return nil, err
	}
	if h.key, err = decodeJavaBase64("{scrypt} key", parts[3]); err != nil {
		return nil, err
	}
	if err := checkSaltKey("{scrypt}", h.salt, h.key); err != nil {
		return nil, err
	}
	return h, nil
}

// parseScrypt parses "$scrypt$ln=<1..20>,r=<1..32>,p=<1..16>$<salt>$<key>"
// (parameters in that order, decimal without leading zeros; salt of 8..1024
// and key of 16..128 bytes in unpadded standard base64).
func parseScrypt(encoded string) (*scryptHash, error) {
	parts := strings.Split(encoded, "$")
	// "", "scrypt", params, salt, key
	if len(parts) != 5 {
		return nil, unsupportedf("scrypt: want \"$scrypt$ln=<log2 N>,r=<block size>,p=<parallelism>$<salt>$<key>\", got %d '$'-separated fields", len(parts)-1)
	}
	params := strings.Split(parts[2], ",")
	if len(params) != 3 {
		return nil, unsupportedf("scrypt: want exactly the parameters ln=<log2 N>,r=<block size>,p=<parallelism>, in that order")
	}
	var vals [3]int
	for i, spec := range []struct {
		name string
		hi   uint64
	}{{"ln", maxScryptLogN}, {"r", maxScryptR}, {"p", maxScryptP}} {
		val, found := strings.CutPrefix(params[i], spec.name+"=")
		if !found {
			return nil, unsupportedf("scrypt: parameter %d is %q; want %s=<number> (parameters ln, r, p in that order)", i+1, SanitizeInput(params[i]), spec.name)
		}
		n, ok := parseDecimal(val, 1, spec.hi)
		if !ok {
			return nil, unsupportedf("scrypt: %s=%s: want a decimal number in 1..%d", spec.name, SanitizeInput(val), spec.hi)
		}
		vals[i] = int(n)
	}
	h := &scryptHash{logN: vals[0], r: vals[1], p: vals[2]}
	if err := h.checkParams(); err != nil {
		return nil, err
	}
	var err error
	if h.salt, err = decodeBase64(phcBase64, "scrypt salt", parts[3]); err != nil {
		return nil, err
	}
	if h.key, err = decodeBase64(phcBase64, "scrypt key", parts[4]); err != nil {
		return nil, err
	}
	if err := checkSaltKey("scrypt", h.salt, h.key); err != nil {
		return nil, err
	}
	return h, nil
}
