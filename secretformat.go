package oauthreg

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
)

// The format of a generated secret:
//
//	<prefix><id><random><checksum>
//
//	prefix    configurable (WithSecretPrefix), default "oauthreg_"; RFC 3986
//	          unreserved characters only, so leak scanners can find secrets
//	          pasted into code or logs
//	id        16 characters: the Secret.ID, 80 random bits, so verification
//	          finds the one stored hash to check without trying them all
//	random    52 characters: 256 bits from crypto/rand
//	checksum  7 characters: CRC-32C of everything before it, so typos and
//	          garbage are rejected before any store access or hashing
//
// id, random and checksum use lower-case RFC 4648 base32 without padding
// ([a-z2-7]): unreserved in RFC 3986, safe in URLs, form bodies and HTTP
// Basic, and selected whole by a double click.
const (
	// DefaultSecretPrefix starts every generated secret unless
	// WithSecretPrefix says otherwise.
	DefaultSecretPrefix = "oauthreg_"

	secretIDBytes     = 10
	secretRandomBytes = 32
	secretIDLen       = 16 // base32 of 10 bytes
	secretRandomLen   = 52 // base32 of 32 bytes, unpadded
	secretCheckLen    = 7  // base32 of 4 bytes, unpadded
	secretBodyLen     = secretIDLen + secretRandomLen + secretCheckLen
	maxPrefixLen      = 32
	// maxPresentedSecretLen bounds what Authenticate looks at; anything
	// longer is rejected at once, whatever the client.
	maxPresentedSecretLen = 1024
)

var secretEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

var crc32c = crc32.MakeTable(crc32.Castagnoli)

// generateSecret returns a new secret in the generated format and its ID.
func generateSecret(prefix string) (plaintext, id string, err error) {
	var raw [secretIDBytes + secretRandomBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", "", fmt.Errorf("oauthreg: reading random bytes: %w", err)
	}
	buf := make([]byte, 0, len(prefix)+secretBodyLen)
	buf = append(buf, prefix...)
	buf = secretEncoding.AppendEncode(buf, raw[:secretIDBytes])
	buf = secretEncoding.AppendEncode(buf, raw[secretIDBytes:])
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc32.Checksum(buf, crc32c))
	buf = secretEncoding.AppendEncode(buf, sum[:])
	s := string(buf)
	// The ID is stored for the life of the client: a substring would keep
	// the whole plaintext in memory with it.
	return s, strings.Clone(s[len(prefix) : len(prefix)+secretIDLen]), nil
}

// secretShape is what parseSecret makes of a presented secret.
type secretShape int

const (
	// shapeOther: not in the generated format at all; it may be a secret an
	// administrator supplied or imported.
	shapeOther secretShape = iota
	// shapeGenerated: a well-formed generated secret with a valid checksum.
	shapeGenerated
	// shapeCorrupt: the generated format with a wrong checksum: a typo, a
	// truncation or garbage. Rejected without store access or hashing.
	shapeCorrupt
)

// parseSecret classifies a presented secret and, for a generated one,
// returns its embedded secret ID. It does not allocate.
func parseSecret(s string) (id string, shape secretShape) {
	if len(s) < secretBodyLen || len(s) > maxPrefixLen+secretBodyLen {
		return "", shapeOther
	}
	bodyStart := len(s) - secretBodyLen
	for i := 0; i < bodyStart; i++ {
		if charClass[s[i]]&classUnreserved == 0 {
			return "", shapeOther
		}
	}
	if !allBase32Lower(s[bodyStart:]) {
		return "", shapeOther
	}
	// The checksum compared as a number: its 7 characters carry 35 bits,
	// the CRC's 32 then 3 zero bits (base32 of 4 bytes, unpadded), so
	// only the canonical encoding matches, as when it was compared as text.
	checkStart := len(s) - secretCheckLen
	var check uint64
	for i := checkStart; i < len(s); i++ {
		check = check<<5 | uint64(charClass[s[i]]>>classValueShift)
	}
	if check != uint64(crc32.Update(0, crc32c, unsafeBytes(s[:checkStart])))<<3 {
		return "", shapeCorrupt
	}
	return s[bodyStart : bodyStart+secretIDLen], shapeGenerated
}

// Character classes for parseSecret, looked up in one table; the top five
// bits of a base32 character's entry hold its value (0..31).
const (
	classUnreserved = 1 << iota
	classBase32
	classValueShift = 3
)

var charClass = func() (t [256]byte) {
	for c := range 256 {
		if isUnreserved(byte(c)) {
			t[c] |= classUnreserved
		}
		switch {
		case c >= 'a' && c <= 'z':
			t[c] |= classBase32 | byte(c-'a')<<classValueShift
		case c >= '2' && c <= '7':
			t[c] |= classBase32 | byte(c-'2'+26)<<classValueShift
		}
	}
	return t
}()

// validSecretPrefix reports whether p may prefix generated secrets.
func validSecretPrefix(p string) error {
	if len(p) > maxPrefixLen {
		return fmt.Errorf("%w: secret prefix %q is longer than %d bytes", ErrInvalidConfig, p, maxPrefixLen)
	}
	for i := 0; i < len(p); i++ {
		if !isUnreserved(p[i]) {
			return fmt.Errorf("%w: secret prefix %q has %q, outside RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~)",
				ErrInvalidConfig, p, p[i])
		}
	}
	return nil
}

// isUnreserved reports whether c is an RFC 3986 unreserved character.
func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// secretHint returns the non-secret reminder stored with a generated secret:
// its last four characters (part of the checksum), copied, so the stored
// hint does not keep the plaintext in memory.
func secretHint(s string) string {
	if len(s) < 4 {
		return ""
	}
	return strings.Clone(s[len(s)-4:])
}
