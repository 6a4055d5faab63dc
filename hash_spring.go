package oauthreg

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
)

// Spring Security's DelegatingPasswordEncoder writes "{id}encoded". Besides
// {bcrypt} and {argon2} (parsed as the bcrypt and PHC strings they wrap),
// these are imported as they are and verified with Spring's own rules, then
// upgraded to argon2id on their first successful use:
//
//   - {sha256}: StandardPasswordEncoder: hex(salt(8) || digest), the digest
//     being SHA-256 applied 1024 times to salt || password (no secret key);
//   - {scrypt}: SCryptPasswordEncoder: "$<hex of log2(N)<<16 | r<<8 | p>$
//     <base64 salt>$<base64 key>" (parsed into a scryptHash, hash_scrypt.go);
//   - {pbkdf2}: Pbkdf2PasswordEncoder with one of its two default
//     configurations, told apart by length: before Spring Security 5.8
//     hex(salt(8) || key(32)) with HMAC-SHA1 and 185,000 iterations; the
//     5.8 defaults hex(salt(16) || key(32)) with HMAC-SHA256 and 310,000
//     iterations ({pbkdf2@SpringSecurity_v5_8} is only the latter). An
//     encoder configured with its own secret, iterations or algorithm
//     wrote a hash that cannot be told from these: import those with
//     WithSpringPBKDF2 (springPBKDF2Hash).
//
// {noop} (plaintext) is not a hash: ImportSecret hashes its plaintext with
// argon2id on the way in and keeps no copy.
type springHash struct {
	id   string // "sha256", "pbkdf2" or "pbkdf2@SpringSecurity_v5_8"
	salt []byte
	key  []byte
	// pbkdf2: the 5.8 defaults (else the legacy ones)
	v58 bool
}

// parseSpring parses a "{sha256}", "{scrypt}" or "{pbkdf2}" encoding (id
// without braces, rest after them).
func parseSpring(id, rest string) (slowHash, error) {
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
		return nil, unsupportedf("{pbkdf2}: want 80 or 96 hex digits (Pbkdf2PasswordEncoder's default salt and 256-bit key); for an encoder with its own settings, import with WithSpringPBKDF2")
	case "pbkdf2" + springV58:
		// PasswordEncoderFactories' ID for defaultsForSpringSecurity_v5_8.
		if b, err := hex.DecodeString(rest); err == nil && len(b) == 16+32 {
			return &springHash{id: id, salt: b[:16], key: b[16:], v58: true}, nil
		}
		return nil, unsupportedf("{pbkdf2%s}: want 96 hex digits (a 16-byte salt and a 256-bit key); for an encoder with its own settings, import with WithSpringPBKDF2", springV58)
	case "scrypt", "scrypt" + springV58:
		// The 5.8 defaults differ from the 4.1 ones only in parameters,
		// which the encoding carries.
		return parseSpringScrypt(rest)
	}
	return nil, unsupportedf("Spring encoder {%s} is not supported (only {bcrypt}, {argon2}, {scrypt}, {pbkdf2} and their @SpringSecurity_v5_8 forms, {sha256} and {noop})", SanitizeInput(id))
}

// String returns the encoding as Spring writes it, with its prefix.
func (h *springHash) String() string {
	return "{" + h.id + "}" + hex.EncodeToString(h.salt) + hex.EncodeToString(h.key)
}

// match computes the hash of secret as Spring does and compares it in
// constant time.
func (h *springHash) match(secret string) (bool, error) {
	switch h.id {
	case "sha256":
		// salt || secret is a copy of the secret: zeroed once hashed.
		in := append(append(make([]byte, 0, len(h.salt)+len(secret)), h.salt...), secret...)
		d := sha256.Sum256(in)
		clear(in)
		for i := 1; i < 1024; i++ {
			d = sha256.Sum256(d[:])
		}
		return ctEqual(d[:], h.key), nil
	case "pbkdf2", "pbkdf2" + springV58:
		newHash, iter := sha1.New, 185000
		if h.v58 {
			newHash, iter = sha256.New, 310000
		}
		k, err := pbkdf2.Key(newHash, secret, h.salt, iter, len(h.key))
		if err != nil {
			return false, unsupportedf("{pbkdf2}: %v", err)
		}
		return ctEqual(k, h.key), nil
	}
	return false, unsupportedf("{%s}: unknown", h.id)
}

// current is always false: Spring hashes are upgraded to argon2id.
func (h *springHash) current() bool { return false }

// springV58 ends the IDs Spring Security's PasswordEncoderFactories (5.8
// and later) gives the encoders at their 5.8 defaults:
// "pbkdf2@SpringSecurity_v5_8", "scrypt@SpringSecurity_v5_8",
// "argon2@SpringSecurity_v5_8".
const springV58 = "@SpringSecurity_v5_8"

// springNoop is the prefix of Spring's plaintext "encoding".
const springNoop = "{noop}"

var _ slowHash = (*springHash)(nil)
