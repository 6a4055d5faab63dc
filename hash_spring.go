package oauthreg

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	"strconv"
	"strings"

	"golang.org/x/crypto/scrypt"
)

// Spring Security's DelegatingPasswordEncoder writes "{id}encoded". Besides
// {bcrypt} and {argon2} (parsed as the bcrypt and PHC strings they wrap),
// these are imported as they are and verified with Spring's own rules, then
// upgraded to argon2id on their first successful use:
//
//   - {sha256}: StandardPasswordEncoder: hex(salt(8) || digest), the digest
//     being SHA-256 applied 1024 times to salt || password (no secret key);
//   - {scrypt}: SCryptPasswordEncoder: "$<hex of log2(N)<<16 | r<<8 | p>$
//     <base64 salt>$<base64 key>";
//   - {pbkdf2}: Pbkdf2PasswordEncoder with one of its two default
//     configurations, told apart by length: before Spring Security 5.8
//     hex(salt(8) || key(32)) with HMAC-SHA1 and 185,000 iterations; the
//     5.8 defaults hex(salt(16) || key(32)) with HMAC-SHA256 and 310,000
//     iterations. An encoder configured with its own secret, iterations or
//     algorithm wrote a hash that cannot be told from these: re-hash those
//     from plaintext (or AddSecret) instead.
//
// {noop} (plaintext) is not a hash: ImportSecret hashes its plaintext with
// argon2id on the way in and keeps no copy.
type springHash struct {
	id   string // "sha256", "scrypt" or "pbkdf2"
	salt []byte
	key  []byte
	// scrypt parameters
	logN, r, p int
	// pbkdf2: the 5.8 defaults (else the legacy ones)
	v58 bool
}

// Bounds of the scrypt parameters an import may carry: at most 256 MiB per
// verification (128·N·r bytes), as argon2's cap keeps memory bounded.
const (
	maxScryptLogN   = 20
	maxScryptR      = 32
	maxScryptP      = 16
	maxScryptMemory = 256 << 20
)

// parseSpring parses a "{sha256}", "{scrypt}" or "{pbkdf2}" encoding (id
// without braces, rest after them).
func parseSpring(id, rest string) (*springHash, error) {
	switch id {
	case "sha256":
		b, err := hex.DecodeString(rest)
		if err != nil || len(b) != 8+sha256.Size {
			return nil, unsupportedf("{sha256}: want %d hex digits (an 8-byte salt and a SHA-256 digest), as Spring's StandardPasswordEncoder writes", 2*(8+sha256.Size))
		}
		return &springHash{id: id, salt: b[:8], key: b[8:]}, nil
	case "pbkdf2":
		b, err := hex.DecodeString(rest)
		switch {
		case err == nil && len(b) == 8+32:
			return &springHash{id: id, salt: b[:8], key: b[8:]}, nil
		case err == nil && len(b) == 16+32:
			return &springHash{id: id, salt: b[:16], key: b[16:], v58: true}, nil
		}
		return nil, unsupportedf("{pbkdf2}: want 80 or 96 hex digits (Pbkdf2PasswordEncoder's default salt and 256-bit key); hashes of an encoder with its own settings cannot be imported")
	case "scrypt":
		parts := strings.Split(rest, "$")
		if len(parts) != 4 || parts[0] != "" {
			return nil, unsupportedf("{scrypt}: want \"$<params>$<salt>$<key>\" as Spring's SCryptPasswordEncoder writes")
		}
		params, err := strconv.ParseUint(parts[1], 16, 32)
		if err != nil {
			return nil, unsupportedf("{scrypt}: the parameters are not hexadecimal")
		}
		h := &springHash{id: id, logN: int(params >> 16 & 0xffff), r: int(params >> 8 & 0xff), p: int(params & 0xff)}
		if h.logN < 1 || h.logN > maxScryptLogN || h.r < 1 || h.r > maxScryptR || h.p < 1 || h.p > maxScryptP ||
			128*(1<<h.logN)*h.r > maxScryptMemory {
			return nil, unsupportedf("{scrypt}: N=2^%d, r=%d, p=%d is outside the accepted bounds (N up to 2^%d, r up to %d, p up to %d, at most %d MiB)",
				h.logN, h.r, h.p, maxScryptLogN, maxScryptR, maxScryptP, maxScryptMemory>>20)
		}
		if h.salt, err = base64.StdEncoding.DecodeString(parts[2]); err != nil || len(h.salt) < 8 || len(h.salt) > 1024 {
			return nil, unsupportedf("{scrypt}: the salt is not 8 to 1024 bytes of base64")
		}
		if h.key, err = base64.StdEncoding.DecodeString(parts[3]); err != nil || len(h.key) < 16 || len(h.key) > 128 {
			return nil, unsupportedf("{scrypt}: the key is not 16 to 128 bytes of base64")
		}
		return h, nil
	}
	return nil, unsupportedf("Spring encoder {%s} is not supported (only {bcrypt}, {argon2}, {scrypt}, {pbkdf2}, {sha256} and {noop})", SanitizeInput(id))
}

// String returns the encoding as Spring writes it, with its prefix.
func (h *springHash) String() string {
	switch h.id {
	case "scrypt":
		params := uint64(h.logN)<<16 | uint64(h.r)<<8 | uint64(h.p)
		return "{scrypt}$" + strconv.FormatUint(params, 16) + "$" + base64.StdEncoding.EncodeToString(h.salt) + "$" + base64.StdEncoding.EncodeToString(h.key)
	default:
		return "{" + h.id + "}" + hex.EncodeToString(h.salt) + hex.EncodeToString(h.key)
	}
}

// match computes the hash of secret as Spring does and compares it in
// constant time.
func (h *springHash) match(secret string) (bool, error) {
	switch h.id {
	case "sha256":
		d := sha256.Sum256(append(append(make([]byte, 0, len(h.salt)+len(secret)), h.salt...), secret...))
		for i := 1; i < 1024; i++ {
			d = sha256.Sum256(d[:])
		}
		return ctEqual(d[:], h.key), nil
	case "pbkdf2":
		newHash, iter := sha1.New, 185000
		if h.v58 {
			newHash, iter = sha256.New, 310000
		}
		k, err := pbkdf2.Key(newHash, secret, h.salt, iter, len(h.key))
		if err != nil {
			return false, unsupportedf("{pbkdf2}: %v", err)
		}
		return ctEqual(k, h.key), nil
	case "scrypt":
		k, err := scrypt.Key([]byte(secret), h.salt, 1<<h.logN, h.r, h.p, len(h.key))
		if err != nil {
			return false, unsupportedf("{scrypt}: %v", err)
		}
		return ctEqual(k, h.key), nil
	}
	return false, unsupportedf("{%s}: unknown", h.id)
}

// memoryKiB is what verifying h holds: scrypt's 128·N·r bytes, nothing
// worth counting for the others.
func (h *springHash) memoryKiB() uint64 {
	if h.id != "scrypt" {
		return 0
	}
	return uint64(128) << h.logN * uint64(h.r) / 1024
}

// current is always false: Spring hashes are upgraded to argon2id.
func (h *springHash) current() bool { return false }

// springNoop is the prefix of Spring's plaintext "encoding".
const springNoop = "{noop}"

var _ slowHash = (*springHash)(nil)
