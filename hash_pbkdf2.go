package oauthreg

// Verification of PBKDF2 hashes imported from Ory Hydra / Kratos (ory/x
// hasherx), Python's passlib and Authelia (github.com/go-crypt/crypt). The
// library never writes PBKDF2: it is not memory-hard, so a PBKDF2 hash that
// verifies is reported outdated and replaced with argon2id.
//
// The encodings share their identifiers and are told apart by the shape of
// the third field:
//
//	Hydra:             $pbkdf2-sha256$i=25000,l=32$<salt>$<key>
//	passlib, go-crypt: $pbkdf2-sha256$29000$<salt>$<checksum>
//
// Hydra (hasherx) writes salt and key in PHC base64: the standard alphabet
// without padding (base64.RawStdEncoding), for sha1, sha224, sha256, sha384
// and sha512; "l" is the key length in bytes. Its "sha224" and "sha384" are
// SHA3-224 and SHA3-384 (ory/x hasherx uses golang.org/x/crypto/sha3 for
// them), and so are they here; its sha1, sha256 and sha512 are SHA-1 and
// SHA-2.
//
// passlib and go-crypt write the "adapted base64" (ab64): the standard
// alphabet with '.' in place of '+', without padding. passlib writes
// "$pbkdf2$" (SHA-1), "$pbkdf2-sha256$" and "$pbkdf2-sha512$" with a
// checksum as long as the digest; go-crypt (Authelia) writes those and
// "$pbkdf2-sha224$" and "$pbkdf2-sha384$", which in this shape are SHA-2
// (go-crypt's algorithm/pbkdf2 uses crypto/sha256.New224 and
// crypto/sha512.New384), with a checksum at least as long as the digest.

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"strings"
)

// passlibBase64 is passlib's "adapted base64" (ab64): standard base64 with
// '.' instead of '+' and no padding. Like passlib, decoding also accepts '+'.
var passlibBase64 = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./").
	WithPadding(base64.NoPadding).Strict()

// pbkdf2Digests maps the digest names of pbkdf2Hash to their hash
// functions and output sizes. The names are the library's own: "sha3-224"
// and "sha3-384" are what Ory writes as "sha224" and "sha384".
var pbkdf2Digests = map[string]struct {
	new  func() hash.Hash
	size int
}{
	"sha1":   {sha1.New, sha1.Size},
	"sha224": {sha256.New224, sha256.Size224},
	"sha256": {sha256.New, sha256.Size},
	"sha384": {sha512.New384, sha512.Size384},
	"sha512": {sha512.New, sha512.Size},
	// Ory's hasherx names SHA3-224 and SHA3-384 "sha224" and "sha384"
	// (getPseudorandomFunctionForPbkdf2 in ory/x) in its "i=…,l=…"
	// encoding, the only one it writes.
	"sha3-224": {func() hash.Hash { return sha3.New224() }, 28},
	"sha3-384": {func() hash.Hash { return sha3.New384() }, 48},
}

// oryDigestName is the name Ory writes in the identifier for digest.
func oryDigestName(digest string) string {
	if d, found := strings.CutPrefix(digest, "sha3-"); found {
		return "sha" + d
	}
	return digest
}

// pbkdf2Hash is a parsed PBKDF2 hash in Hydra's or passlib's encoding.
type pbkdf2Hash struct {
	digest  string // a key of pbkdf2Digests
	passlib bool   // passlib's (and go-crypt's) encoding; Hydra's otherwise
	iter    int
	salt    []byte
	key     []byte
}

// String returns the canonical encoding in the hash's own flavour.
func (p *pbkdf2Hash) String() string {
	if p.passlib {
		ident := "pbkdf2-" + p.digest
		if p.digest == "sha1" {
			ident = "pbkdf2"
		}
		return fmt.Sprintf("$%s$%d$%s$%s", ident, p.iter,
			passlibBase64.EncodeToString(p.salt), passlibBase64.EncodeToString(p.key))
	}
	return fmt.Sprintf("$pbkdf2-%s$i=%d,l=%d$%s$%s", oryDigestName(p.digest), p.iter, len(p.key),
		base64.RawStdEncoding.EncodeToString(p.salt), base64.RawStdEncoding.EncodeToString(p.key))
}

// match derives the key for secret and compares it in constant time.
func (p *pbkdf2Hash) match(secret string) (bool, error) {
	k, err := pbkdf2.Key(pbkdf2Digests[p.digest].new, secret, p.salt, p.iter, len(p.key))
	if err != nil {
		// Only in FIPS 140-only mode, which refuses some parameters.
		return false, unsupportedf("pbkdf2-%s: %v", p.digest, err)
	}
	return ctEqual(k, p.key), nil
}

// current is always false: PBKDF2 hashes are upgraded to argon2id.
func (p *pbkdf2Hash) current() bool { return false }

// parsePBKDF2 parses a PBKDF2 hash whose identifier (the first field) is
// ident, in Hydra's encoding when the third field starts with "i=" and in
// passlib's when it is a bare number. It checks 1000..10,000,000
// iterations, an 8..1024-byte salt and a 16..128-byte key.
func parsePBKDF2(ident, encoded string) (*pbkdf2Hash, error) {
	parts := strings.Split(encoded, "$")
	// "", ident, params, salt, key
	if len(parts) != 5 {
		return nil, unsupportedf("%s: want \"$%s$<iterations>$<salt>$<hash>\", got %d '$'-separated fields", ident, ident, len(parts)-1)
	}
	p := &pbkdf2Hash{digest: "sha1"}
	if d, found := strings.CutPrefix(ident, "pbkdf2-"); found {
		p.digest = d
	}
	params := parts[2]

	var iter uint64
	enc := phcBase64
	if rest, found := strings.CutPrefix(params, "i="); found {
		// Hydra: i=<iterations>[,l=<key length>]
		if ident == "pbkdf2" {
			return nil, unsupportedf("pbkdf2: \"$pbkdf2$\" is passlib's PBKDF2-SHA1 with a bare iteration count; Hydra's encoding is \"$pbkdf2-sha1$i=…\"")
		}
		if p.digest == "sha224" || p.digest == "sha384" {
			p.digest = "sha3-" + p.digest[3:]
		}
		iterStr, lenStr, hasLen := strings.Cut(rest, ",l=")
		n, ok := parseDecimal(iterStr, minPBKDF2Iter, maxPBKDF2Iter)
		if !ok {
			if isDecimal(iterStr) {
				return nil, unsupportedf("%s: iteration count %s out of range %d..%d", ident, SanitizeInput(iterStr), minPBKDF2Iter, maxPBKDF2Iter)
			}
			return nil, unsupportedf("%s: want parameters \"i=<iterations>,l=<key length>\", got %q", ident, SanitizeInput(params))
		}
		iter = n
		var keyLen uint64
		if hasLen {
			if keyLen, ok = parseDecimal(lenStr, minKeyLen, maxKeyLen); !ok {
				return nil, unsupportedf("%s: key length l=%s: want a decimal number in %d..%d", ident, SanitizeInput(lenStr), minKeyLen, maxKeyLen)
			}
		}
		salt, err := decodeBase64(enc, ident+" salt", parts[3])
		if err != nil {
			return nil, err
		}
		key, err := decodeBase64(enc, ident+" hash", parts[4])
		if err != nil {
			return nil, err
		}
		if hasLen && uint64(len(key)) != keyLen {
			return nil, unsupportedf("%s: l=%d but the hash is %d bytes", ident, keyLen, len(key))
		}
		p.salt, p.key = salt, key
	} else {
		// passlib / go-crypt: <rounds>, no leading zeros.
		p.passlib = true
		n, ok := parseDecimal(params, minPBKDF2Iter, maxPBKDF2Iter)
		if !ok {
			if isDecimal(params) && !(params[0] == '0' && len(params) > 1) {
				return nil, unsupportedf("%s: iteration count %s out of range %d..%d", ident, SanitizeInput(params), minPBKDF2Iter, maxPBKDF2Iter)
			}
			return nil, unsupportedf("%s: want the iteration count (decimal, no leading zeros) or \"i=<iterations>,l=<key length>\", got %q", ident, SanitizeInput(params))
		}
		iter = n
		enc = passlibBase64
		// passlib decodes '+' as well as '.'.
		salt, err := decodeBase64(enc, ident+" salt", strings.ReplaceAll(parts[3], "+", "."))
		if err != nil {
			return nil, err
		}
		key, err := decodeBase64(enc, ident+" checksum", strings.ReplaceAll(parts[4], "+", "."))
		if err != nil {
			return nil, err
		}
		if size := pbkdf2Digests[p.digest].size; len(key) < size {
			return nil, unsupportedf("%s: checksum of %d bytes; passlib writes %d (the digest size), go-crypt at least that", ident, len(key), size)
		}
		p.salt, p.key = salt, key
	}
	p.iter = int(iter)
	if err := checkSaltKey(ident, p.salt, p.key); err != nil {
		return nil, err
	}
	return p, nil
}
