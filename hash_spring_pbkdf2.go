package oauthreg

// Spring Security's Pbkdf2PasswordEncoder configured with its own settings.
//
// The encoder writes hex (or, after setEncodeHashAsBase64(true), base64) of
// salt || PBKDF2(password, salt || secret, iterations, hashWidth), where the
// salt length, iterations, algorithm (PBKDF2WithHmacSHA1, SHA256 or SHA512),
// hash width and secret are the encoder's configuration
// (Pbkdf2PasswordEncoder.encode and matches, spring-projects/spring-security,
// crypto/src/main/java/org/springframework/security/crypto/password/).
// Nothing in the output says which: only the two default configurations can
// be recognised by length (springHash). For any other, ImportSecret takes the
// settings as an option (WithSpringPBKDF2) and stores the hash in an
// encoding of the library's own that carries them:
//
//	$spring-pbkdf2-<sha1|sha256|sha512>$i=<iterations>[,k=<secret ID>]$<salt>$<key>
//
// (salt and key in unpadded standard base64), which verifies later without
// the option. The encoder's secret is a pepper: it is not written into the
// encoding, which names it by an ID the Registry resolves
// (WithSpringPBKDF2Secret), so the database alone cannot test a guess.

import (
	"crypto/pbkdf2"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// SpringPBKDF2Settings is the configuration of the Spring Security
// Pbkdf2PasswordEncoder that wrote a hash, as its constructor and setters
// were given it. Pass it to ImportSecret with WithSpringPBKDF2.
type SpringPBKDF2Settings struct {
	// Algorithm is the encoder's SecretKeyFactoryAlgorithm:
	// "PBKDF2WithHmacSHA1", "PBKDF2WithHmacSHA256" or
	// "PBKDF2WithHmacSHA512".
	Algorithm string
	// Iterations is the encoder's iteration count: 1000 to 10,000,000,
	// and within the Registry's HashCostLimits.
	Iterations int
	// SaltLength is the encoder's salt length in bytes (8 before Spring
	// Security 5.5's constructors, 16 in defaultsForSpringSecurity_v5_8):
	// 8 to 1024.
	SaltLength int
	// HashWidth is the length of the derived key in bits: a multiple of 8
	// from 128 to 1024. Zero means the algorithm's own output (160, 256 or
	// 512 bits), as the constructor taking a SecretKeyFactoryAlgorithm
	// (Spring Security 5.8 and later) sets it; the older constructors take
	// it as an argument (256 by default).
	HashWidth int
	// Base64 is true when the encoder was told setEncodeHashAsBase64(true);
	// false for hex, its default.
	Base64 bool
	// SecretID names the encoder's secret (the "secret" constructor
	// argument), configured on the Registry with WithSpringPBKDF2Secret
	// under this ID. Empty for an encoder without a secret (Spring's
	// default, "").
	SecretID string
}

// WithSpringPBKDF2 tells ImportSecret that the hash was written by a Spring
// Security Pbkdf2PasswordEncoder configured with settings, with or without
// a DelegatingPasswordEncoder "{id}" prefix. ImportSecret checks that the
// hash has the length the settings give, and stores it in the library's
// self-describing "$spring-pbkdf2-…$" encoding, which verifies later without
// the option; like every import, it is upgraded to argon2id on its first
// successful use. Bad settings are refused with ErrUnsupportedHash. Other
// calls than ImportSecret refuse this option with ErrInvalidConfig.
func WithSpringPBKDF2(settings SpringPBKDF2Settings) SecretOption {
	return func(o *secretOptions) { o.springPBKDF2 = &settings }
}

// WithSpringPBKDF2Secret configures the secret (pepper) of a Spring Security
// Pbkdf2PasswordEncoder under id, the SpringPBKDF2Settings.SecretID of the
// hashes it wrote. The hashes name the secret by id and never hold it, so
// the server must be given the same secret under the same id at every start
// (from a file or the environment, like a pepper), or those hashes stop
// verifying. id is 1 to 64 characters of [A-Za-z0-9._~-]; secret is 1 to
// 1024 bytes (Spring encodes its CharSequence as UTF-8). The Registry keeps
// its own copy.
func WithSpringPBKDF2Secret(id string, secret []byte) Option {
	return func(c *config) {
		switch {
		case !validPepperID(id):
			c.errs = append(c.errs, fmt.Errorf("%w: Spring PBKDF2 secret ID %q: use 1 to %d letters, digits, '-', '.', '_' or '~'", ErrInvalidConfig, SanitizeInput(id), maxPepperIDLen))
			return
		case len(secret) == 0 || len(secret) > maxSpringSecretLen:
			c.errs = append(c.errs, fmt.Errorf("%w: Spring PBKDF2 secret %q is %d bytes; want 1 to %d", ErrInvalidConfig, SanitizeInput(id), len(secret), maxSpringSecretLen))
			return
		}
		if c.hash.SpringSecrets == nil {
			c.hash.SpringSecrets = map[string][]byte{}
		}
		c.hash.SpringSecrets[id] = append([]byte(nil), secret...)
	}
}

// errNoSpringSecret is wrapped by the error of a hash naming an encoder
// secret the Registry lacks (reported as ReasonUnknownSpringSecret).
var errNoSpringSecret = errors.New("spring-pbkdf2")

// maxSpringSecretLen bounds a Spring encoder's secret.
const maxSpringSecretLen = 1024

// springAlgorithms maps Spring's SecretKeyFactoryAlgorithm names to the
// digest names of pbkdf2Digests.
var springAlgorithms = map[string]string{
	"PBKDF2WithHmacSHA1":   "sha1",
	"PBKDF2WithHmacSHA256": "sha256",
	"PBKDF2WithHmacSHA512": "sha512",
}

// springPBKDF2Prefix starts the library's encoding of these hashes.
const springPBKDF2Prefix = "$spring-pbkdf2-"

// springPBKDF2Hash is a parsed "$spring-pbkdf2-…$" hash.
type springPBKDF2Hash struct {
	digest   string // "sha1", "sha256" or "sha512"
	iter     int
	secretID string // "" for none
	salt     []byte
	key      []byte
	// secret is the encoder's secret, filled in by the hasher from its
	// configuration just before a verification (never parsed, never
	// written).
	secret []byte
}

// String returns the library's encoding; it never holds the secret.
func (s *springPBKDF2Hash) String() string {
	k := ""
	if s.secretID != "" {
		k = ",k=" + s.secretID
	}
	return fmt.Sprintf("%s%s$i=%d%s$%s$%s", springPBKDF2Prefix, s.digest, s.iter, k,
		base64.RawStdEncoding.EncodeToString(s.salt), base64.RawStdEncoding.EncodeToString(s.key))
}

// match derives the key as Spring does, with salt || secret as PBKDF2's
// salt, and compares it in constant time. The hasher must have filled in
// the secret of a hash that names one.
func (s *springPBKDF2Hash) match(secret string) (bool, error) {
	if s.secretID != "" && s.secret == nil {
		return false, unsupportedf("spring-pbkdf2: secret %q is not configured (WithSpringPBKDF2Secret)", SanitizeInput(s.secretID))
	}
	salt := append(append(make([]byte, 0, len(s.salt)+len(s.secret)), s.salt...), s.secret...)
	k, err := pbkdf2.Key(pbkdf2Digests[s.digest].new, secret, salt, s.iter, len(s.key))
	if err != nil {
		return false, unsupportedf("spring-pbkdf2-%s: %v", s.digest, err)
	}
	return ctEqual(k, s.key), nil
}

// current is always false: these hashes are upgraded to argon2id.
func (s *springPBKDF2Hash) current() bool { return false }

// withSpringSecret fills in the secret a parsed hash names from the
// hasher's configuration; an unknown ID is an error wrapping
// ErrUnsupportedHash (no secret could ever match: a configuration mistake
// that should be seen).
func (h *hasher) withSpringSecret(s *springPBKDF2Hash) error {
	if s.secretID == "" {
		return nil
	}
	secret, ok := h.springSecrets[s.secretID]
	if !ok {
		return fmt.Errorf("%w: %w: secret %q is not configured (configure it with WithSpringPBKDF2Secret to keep its hashes verifying)",
			ErrUnsupportedHash, errNoSpringSecret, SanitizeInput(s.secretID))
	}
	s.secret = secret
	return nil
}

// parseSpringPBKDF2 parses the library's "$spring-pbkdf2-<digest>$i=<iterations>[,k=<secret ID>]$<salt>$<key>"
// (ident is its first field): 1000..10,000,000 iterations, a secret ID like
// a pepper's, an 8..1024-byte salt and a 16..128-byte key.
func parseSpringPBKDF2(ident, encoded string) (*springPBKDF2Hash, error) {
	parts := strings.Split(encoded, "$")
	// "", ident, params, salt, key
	if len(parts) != 5 {
		return nil, unsupportedf("%s: want \"$%s$i=<iterations>[,k=<secret ID>]$<salt>$<key>\", got %d '$'-separated fields", ident, ident, len(parts)-1)
	}
	s := &springPBKDF2Hash{digest: strings.TrimPrefix(ident, "spring-pbkdf2-")}
	iter, id, hasID := strings.Cut(parts[2], ",k=")
	iter, found := strings.CutPrefix(iter, "i=")
	n, ok := parseDecimal(iter, minPBKDF2Iter, maxPBKDF2Iter)
	if !found || !ok {
		return nil, unsupportedf("%s: want parameters \"i=<iterations in %d..%d>[,k=<secret ID>]\", got %q", ident, minPBKDF2Iter, maxPBKDF2Iter, SanitizeInput(parts[2]))
	}
	if hasID && !validPepperID(id) {
		return nil, unsupportedf("%s: invalid secret ID %q", ident, SanitizeInput(id))
	}
	s.iter, s.secretID = int(n), id
	var err error
	if s.salt, err = decodeBase64(phcBase64, ident+" salt", parts[3]); err != nil {
		return nil, err
	}
	if s.key, err = decodeBase64(phcBase64, ident+" key", parts[4]); err != nil {
		return nil, err
	}
	if err := checkSaltKey(ident, s.salt, s.key); err != nil {
		return nil, err
	}
	return s, nil
}

// Check reports whether the settings describe an encoder whose hashes
// ImportSecret (WithSpringPBKDF2) and ImportClients
// (ImportOptions.SpringPBKDF2) can read: a known Algorithm, Iterations,
// SaltLength and HashWidth within the limits their fields document, and a
// SecretID of 1 to 64 characters of [A-Za-z0-9._~-] when set. The error
// wraps ErrUnsupportedHash. A Registry also holds Iterations to its
// HashCostLimits, and a SecretID to the secrets it was given, when a hash
// is imported.
func (s SpringPBKDF2Settings) Check() error {
	_, _, err := s.checked()
	return err
}

// checked checks the settings and returns the digest name and the hash
// width in bits (the algorithm's own output for a zero HashWidth).
func (s SpringPBKDF2Settings) checked() (digest string, width int, err error) {
	digest, ok := springAlgorithms[s.Algorithm]
	if !ok {
		return "", 0, unsupportedf("Spring PBKDF2 settings: algorithm %q; want PBKDF2WithHmacSHA1, PBKDF2WithHmacSHA256 or PBKDF2WithHmacSHA512", SanitizeInput(s.Algorithm))
	}
	width = s.HashWidth
	if width == 0 {
		width = 8 * pbkdf2Digests[digest].size
	}
	switch {
	case s.Iterations < minPBKDF2Iter || s.Iterations > maxPBKDF2Iter:
		return "", 0, unsupportedf("Spring PBKDF2 settings: %d iterations; want %d..%d", s.Iterations, minPBKDF2Iter, maxPBKDF2Iter)
	case s.SaltLength < minSaltLen || s.SaltLength > maxSaltLen:
		return "", 0, unsupportedf("Spring PBKDF2 settings: salt length %d bytes; want %d..%d", s.SaltLength, minSaltLen, maxSaltLen)
	case width%8 != 0 || width < 8*minKeyLen || width > 8*maxKeyLen:
		return "", 0, unsupportedf("Spring PBKDF2 settings: hash width %d bits; want a multiple of 8 from %d to %d", width, 8*minKeyLen, 8*maxKeyLen)
	case s.SecretID != "" && !validPepperID(s.SecretID):
		return "", 0, unsupportedf("Spring PBKDF2 settings: invalid secret ID %q", SanitizeInput(s.SecretID))
	}
	return digest, width, nil
}

// springPBKDF2Encoding turns encoded, a hash the Pbkdf2PasswordEncoder set
// up with settings wrote, into the library's "$spring-pbkdf2-…$" encoding,
// which importedHash then reads like any other. It is the one path of
// ImportSecret's WithSpringPBKDF2 and of ImportOptions.SpringPBKDF2.
func springPBKDF2Encoding(settings SpringPBKDF2Settings, encoded string) (string, error) {
	sp, err := fromSpringPBKDF2(settings, trimImported(encoded))
	if err != nil {
		return "", err
	}
	return sp.String(), nil
}

// fromSpringPBKDF2 reads encoded, as the Pbkdf2PasswordEncoder set up with
// settings wrote it (hex or base64, with or without a "{id}" prefix), into
// a springPBKDF2Hash. Every error wraps ErrUnsupportedHash and repeats
// neither salt nor key.
func fromSpringPBKDF2(settings SpringPBKDF2Settings, encoded string) (*springPBKDF2Hash, error) {
	digest, width, err := settings.checked()
	if err != nil {
		return nil, err
	}
	if len(encoded) > maxEncodedHashLen {
		return nil, unsupportedf("Spring PBKDF2: the hash is %d characters long; at most %d are accepted", len(encoded), maxEncodedHashLen)
	}
	if strings.HasPrefix(encoded, "{") {
		// A DelegatingPasswordEncoder's "{id}", whatever id it was given.
		_, rest, found := strings.Cut(encoded, "}")
		if !found {
			return nil, unsupportedf("Spring PBKDF2: unterminated \"{\" prefix")
		}
		encoded = rest
	}
	var raw []byte
	if settings.Base64 {
		raw, err = decodeJavaBase64("Spring PBKDF2", encoded)
	} else {
		raw, err = hex.DecodeString(encoded)
	}
	if err != nil {
		if settings.Base64 {
			return nil, unsupportedf("Spring PBKDF2: the hash is not base64 (the settings say setEncodeHashAsBase64)")
		}
		return nil, unsupportedf("Spring PBKDF2: the hash is not hex (the encoder's default; see SpringPBKDF2Settings.Base64)")
	}
	if want := settings.SaltLength + width/8; len(raw) != want {
		return nil, unsupportedf("Spring PBKDF2: the hash holds %d bytes; the settings give %d (a %d-byte salt and a %d-bit key)", len(raw), want, settings.SaltLength, width)
	}
	return &springPBKDF2Hash{
		digest:   digest,
		iter:     settings.Iterations,
		secretID: settings.SecretID,
		salt:     raw[:settings.SaltLength],
		key:      raw[settings.SaltLength:],
	}, nil
}
