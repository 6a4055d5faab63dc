// Package gendigest reads and writes the stored hashes of the secrets
// oauthreg generates, as a fixed-size value: the scheme, the pepper's ID and
// the 32-byte digest.
//
// The Registry verifies a generated secret by comparing digests as bytes,
// and a Store may keep a generated secret's hash in this compact form (one
// byte, a short shared ID and 32 bytes rather than a 60-to-120-byte string)
// and rebuild the text only for a caller that reads the hash. The encodings:
//
//	$sha256$<digest>                     SHA-256(secret)
//	$hmac-sha256$k=<pepper ID>$<digest>  HMAC-SHA-256(pepper, secret)
//	$sha256-keyed$k=<pepper ID>$<digest> SHA-256(key block || secret), the
//	                                     key block derived from the pepper
//
// <digest> is 32 bytes in unpadded standard base64 (the PHC flavour), 43
// characters with the unused trailing bits zero, so each hash has exactly
// one encoding: Parse accepts only that one, and Hash.AppendText writes it.
// What the schemes compute is the Registry's business (hash_generated.go);
// this package only moves between the text and the value.
package gendigest

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"unsafe"
)

// Size is the length of a digest in bytes.
const Size = sha256.Size

// Scheme says which of the generated-secret encodings a Hash is.
type Scheme uint8

// The schemes. The zero Scheme is none: the zero Hash is not a valid hash.
const (
	// SHA256 is "$sha256$<digest>": no pepper.
	SHA256 Scheme = iota + 1
	// HMACSHA256 is "$hmac-sha256$k=<pepper ID>$<digest>", the peppered
	// hash written before KeyedSHA256: still verified, and replaced on
	// first use.
	HMACSHA256
	// KeyedSHA256 is "$sha256-keyed$k=<pepper ID>$<digest>", the peppered
	// hash written today.
	KeyedSHA256
)

// The encodings' fixed parts.
const (
	prefixSHA256 = "$sha256$"
	prefixHMAC   = "$hmac-sha256$k="
	prefixKeyed  = "$sha256-keyed$k="

	// EncodedDigestLen is the length of a digest in the encodings:
	// base64.RawStdEncoding.EncodedLen(Size).
	EncodedDigestLen = 43
	// MaxPepperIDLen bounds a pepper ID.
	MaxPepperIDLen = 64
	// MaxEncodedLen is the length of the longest valid encoding.
	MaxEncodedLen = len(prefixKeyed) + MaxPepperIDLen + 1 + EncodedDigestLen
)

// Hash is a parsed generated-secret hash. It holds a digest, not a secret,
// but a digest is still not for printing: Hash has no String method.
type Hash struct {
	Scheme Scheme
	// PepperID names the pepper of an HMACSHA256 or KeyedSHA256 hash; it is
	// "" for SHA256. Parse returns a substring of its input here: a Store
	// that keeps the Hash after the text should keep a copy or an interned
	// value (there are only as many IDs as peppers).
	PepperID string
	Digest   [Size]byte
}

// strict is the base64 of the encodings: the standard alphabet, no padding,
// the unused trailing bits zero.
var strict = base64.RawStdEncoding.Strict()

// Errors of Parse. Their text names the part that is wrong and never repeats
// the input (a digest is not for logs).
var (
	ErrNotGenerated = errors.New("not a generated-secret hash: want \"$sha256$<digest>\", \"$hmac-sha256$k=<pepper ID>$<digest>\" or \"$sha256-keyed$k=<pepper ID>$<digest>\"")
	ErrPepperID     = errors.New("invalid pepper ID: want 1 to 64 of A-Z a-z 0-9 - . _ ~, then '$'")
	ErrDigest       = errors.New("the digest is not 32 bytes in unpadded standard base64 (43 characters)")
)

// IsEncoding reports whether encoded starts like one of the generated-secret
// encodings (and so is either one or malformed), without parsing the rest.
func IsEncoding(encoded string) bool {
	return strings.HasPrefix(encoded, prefixSHA256) || strings.HasPrefix(encoded, prefixHMAC) ||
		strings.HasPrefix(encoded, prefixKeyed)
}

// Parse parses a generated-secret hash. It does not allocate: PepperID is
// a substring of encoded. An error is one of ErrNotGenerated, ErrPepperID
// and ErrDigest.
func Parse(encoded string) (Hash, error) {
	var h Hash
	var rest string
	var found bool
	if rest, found = strings.CutPrefix(encoded, prefixSHA256); found {
		h.Scheme = SHA256
	} else {
		if rest, found = strings.CutPrefix(encoded, prefixKeyed); found {
			h.Scheme = KeyedSHA256
		} else if rest, found = strings.CutPrefix(encoded, prefixHMAC); found {
			h.Scheme = HMACSHA256
		} else {
			return Hash{}, ErrNotGenerated
		}
		i := strings.IndexByte(rest, '$')
		if i < 0 || !ValidPepperID(rest[:i]) {
			return Hash{}, ErrPepperID
		}
		h.PepperID, rest = rest[:i], rest[i+1:]
	}
	// Exactly 43 characters decoding to 32 bytes: base64 skips '\r' and
	// '\n', so a line break among them leaves fewer than 32.
	if len(rest) != EncodedDigestLen {
		return Hash{}, ErrDigest
	}
	if n, err := strict.Decode(h.Digest[:], unsafeBytes(rest)); err != nil || n != Size {
		return Hash{}, ErrDigest
	}
	return h, nil
}

// AppendText appends the canonical encoding of h to b. A Hash that Parse did
// not return (a zero Scheme, an invalid pepper ID) gives what Parse refuses;
// Valid says whether it would not.
func (h *Hash) AppendText(b []byte) []byte {
	switch h.Scheme {
	case SHA256:
		b = append(b, prefixSHA256...)
	case HMACSHA256:
		b = append(append(append(b, prefixHMAC...), h.PepperID...), '$')
	case KeyedSHA256:
		b = append(append(append(b, prefixKeyed...), h.PepperID...), '$')
	default:
		return append(b, '$')
	}
	n := len(b)
	b = append(b, make([]byte, EncodedDigestLen)...)
	strict.Encode(b[n:], h.Digest[:])
	return b
}

// Text returns the canonical encoding of h, as AppendText writes it, in one
// allocation.
func (h *Hash) Text() string {
	var buf [MaxEncodedLen]byte
	return string(h.AppendText(buf[:0]))
}

// Valid reports whether h is a hash Parse could have returned: a known
// scheme, and a valid pepper ID for a peppered one (none for SHA256).
func (h *Hash) Valid() bool {
	switch h.Scheme {
	case SHA256:
		return h.PepperID == ""
	case HMACSHA256, KeyedSHA256:
		return ValidPepperID(h.PepperID)
	}
	return false
}

// ValidPepperID reports whether id may name a pepper: 1 to 64 characters
// from RFC 3986's unreserved set [A-Za-z0-9._~-], none of which has a
// meaning in the encodings.
func ValidPepperID(id string) bool {
	if id == "" || len(id) > MaxPepperIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-' || c == '~') {
			return false
		}
	}
	return true
}

// unsafeBytes returns the bytes of s without copying, for reading only.
func unsafeBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
