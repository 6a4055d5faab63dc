package oauthreg

// Hashes of generated secrets: SHA-256, or HMAC-SHA-256 under a pepper.
//
// A generated secret is 256 random bits, so one fast digest is as strong as
// any KDF: there is nothing to guess. What matters here is speed and
// predictability on the token endpoint's hot path, so hashing and verifying
// do no heap allocation: the secret is digested with sha256.Sum256, or with
// crypto/hmac from precomputed states kept for reuse, and the digest is
// base64-encoded into a stack array and compared with the stored text in
// constant time.

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"runtime"
	"strings"
)

// Prefixes of the generated-secret encodings:
//
//	$sha256$<base64 digest>
//	$hmac-sha256$k=<pepper ID>$<base64 digest>
//
// The base64 is the PHC flavour (standard alphabet, no padding), 43
// characters for a 32-byte digest.
const (
	sha256Prefix = "$sha256$"
	hmacPrefix   = "$hmac-sha256$k="
	digestB64Len = 43 // base64.RawStdEncoding.EncodedLen(sha256.Size)
)

// pepperKey is one pepper, kept as HMAC-SHA-256 states computed once: an
// HMAC restores the inner and outer states after the padded key block
// (crypto/hmac keeps them marshalled and restores them on Reset) instead of
// compressing that block again, so it costs two SHA-256 blocks fewer than an
// HMAC computed from the key, and no allocation.
type pepperKey struct {
	id string
	// idle holds states ready for use after a Reset; newState makes one
	// when none is idle. A channel, not a sync.Pool: a pool may drop what
	// it holds (it does at random under the race detector), and the hot
	// path must not allocate.
	idle     chan *pepperState
	newState func() *pepperState
}

// pepperState is one HMAC in use, with room for its sum.
type pepperState struct {
	mac hash.Hash
	sum [sha256.Size]byte
}

// newPepperKey returns the HMAC states of key, of which it keeps a private
// copy (the HMAC's own padded keys derive from it).
func newPepperKey(id string, key []byte) *pepperKey {
	k := bytes.Clone(key)
	p := &pepperKey{id: id, idle: make(chan *pepperState, 4*runtime.GOMAXPROCS(0))}
	p.newState = func() *pepperState {
		m := hmac.New(sha256.New, k)
		m.Reset() // computes and keeps the inner and outer states
		return &pepperState{mac: m}
	}
	return p
}

// generatedDigest returns SHA-256(secret), or HMAC-SHA-256(pepper, secret)
// when k is not nil. Once as many states exist as run at once, it allocates
// nothing.
func generatedDigest(k *pepperKey, secret string) [sha256.Size]byte {
	if k == nil {
		// Sum256 neither keeps nor changes its input: no copy needed.
		return sha256.Sum256(unsafeBytes(secret))
	}
	var st *pepperState
	select {
	case st = <-k.idle:
	default:
		st = k.newState()
	}
	st.mac.Reset()
	st.mac.Write(unsafeBytes(secret)) // copied into the digest's block, not kept
	st.mac.Sum(st.sum[:0])
	sum := st.sum
	select {
	case k.idle <- st:
	default: // enough are idle
	}
	return sum
}

// hashGenerated hashes a library-generated secret: "$sha256$<b64>" without
// a pepper, "$hmac-sha256$k=<pepperID>$<b64>" under the primary pepper. The
// pepper ID travels in the hash so peppers can be rotated: hashes made under
// a retired pepper keep verifying and are re-hashed on use. The only
// allocation is the returned string.
func (h *hasher) hashGenerated(secret string) string {
	sum := generatedDigest(h.primary, secret)
	// The longest prefix is len(hmacPrefix) + maxPepperIDLen + 1 = 80.
	var buf [128]byte
	b := append(buf[:0], h.genPrefix...)
	n := len(b)
	b = b[:n+digestB64Len]
	base64.RawStdEncoding.Encode(b[n:], sum[:])
	return string(b)
}

// verifyGenerated is the hot path Authenticate uses for generated secrets:
// verify restricted to the "$sha256$" and "$hmac-sha256$" encodings, with
// zero heap allocations. ok reports a match, in constant time with respect
// to the secret; outdated reports a match that should be re-hashed (an
// unpeppered digest while a pepper is configured, or a retired pepper). Any
// other encoding, a malformed one, or an unknown pepper ID gives
// (false, false).
func (h *hasher) verifyGenerated(encoded, secret string) (ok, outdated bool) {
	var k *pepperKey
	var b64 string
	switch {
	case strings.HasPrefix(encoded, sha256Prefix):
		b64 = encoded[len(sha256Prefix):]
	case strings.HasPrefix(encoded, hmacPrefix):
		rest := encoded[len(hmacPrefix):]
		i := strings.IndexByte(rest, '$')
		if i <= 0 {
			return false, false
		}
		if k = h.peppers[rest[:i]]; k == nil {
			return false, false
		}
		b64 = rest[i+1:]
	default:
		return false, false
	}
	if len(b64) != digestB64Len {
		return false, false
	}
	sum := generatedDigest(k, secret)
	var enc [digestB64Len]byte
	base64.RawStdEncoding.Encode(enc[:], sum[:])
	// Comparing the canonical base64 text is comparing the digest: the
	// encoding is a bijection, and only canonical encodings are accepted.
	ok = ctEqualString(b64, enc[:])
	return ok, ok && k != h.primary
}

// lacksPepperOf reports whether encoded is an "$hmac-sha256$" hash under a
// pepper this hasher is not configured with: no secret can match it.
func (h *hasher) lacksPepperOf(encoded string) bool {
	rest, ok := strings.CutPrefix(encoded, hmacPrefix)
	if !ok {
		return false
	}
	id, _, ok := strings.Cut(rest, "$")
	return ok && h.peppers[id] == nil
}

// decoyVerifyGenerated does the work of a failed verifyGenerated against a
// current hash (the same digest, encoding and comparison), so that a secret
// presented for an unknown client or secret ID costs what a wrong secret
// costs, and client IDs cannot be told apart by timing. It allocates
// nothing.
func (h *hasher) decoyVerifyGenerated(secret string) {
	h.verifyGenerated(h.decoyGenerated, secret)
}

// generatedHash is a parsed "$sha256$" or "$hmac-sha256$" hash.
type generatedHash struct {
	pepperID string // "" for plain SHA-256
	digest   [sha256.Size]byte
}

// String returns the canonical encoding.
func (g *generatedHash) String() string {
	d := base64.RawStdEncoding.EncodeToString(g.digest[:])
	if g.pepperID == "" {
		return sha256Prefix + d
	}
	return hmacPrefix + g.pepperID + "$" + d
}

// parseGenerated parses the library's "$sha256$<b64>" and
// "$hmac-sha256$k=<id>$<b64>" encodings.
func parseGenerated(encoded string) (*generatedHash, error) {
	g := &generatedHash{}
	var what, b64 string
	if rest, found := strings.CutPrefix(encoded, sha256Prefix); found {
		what, b64 = "sha256", rest
	} else {
		what = "hmac-sha256"
		rest, found := strings.CutPrefix(encoded, hmacPrefix)
		if !found {
			return nil, unsupportedf("hmac-sha256: want \"$hmac-sha256$k=<pepper ID>$<digest>\"")
		}
		id, d, found := strings.Cut(rest, "$")
		if !found {
			return nil, unsupportedf("hmac-sha256: missing '$' after the pepper ID")
		}
		if !validPepperID(id) {
			return nil, unsupportedf("hmac-sha256: invalid pepper ID %q", SanitizeInput(id))
		}
		g.pepperID, b64 = id, d
	}
	if strings.Contains(b64, "$") {
		return nil, unsupportedf("%s: unexpected '$' in the digest (too many fields)", what)
	}
	digest, err := decodeBase64(phcBase64, what, b64)
	if err != nil {
		return nil, err
	}
	if len(digest) != sha256.Size {
		return nil, unsupportedf("%s: digest of %d bytes; want %d", what, len(digest), sha256.Size)
	}
	copy(g.digest[:], digest)
	return g, nil
}

// verifyParsedGenerated is verify for a parsed generated hash. Unlike
// verifyGenerated it reports an unknown pepper ID as an error: the hash
// cannot be checked with this configuration.
func (h *hasher) verifyParsedGenerated(g *generatedHash, secret string) (ok, outdated bool, err error) {
	var k *pepperKey
	if g.pepperID != "" {
		if k = h.peppers[g.pepperID]; k == nil {
			return false, false, unsupportedf("hmac-sha256: pepper %q is not configured (configure it as a retired pepper to keep its hashes verifying)", g.pepperID)
		}
	}
	sum := generatedDigest(k, secret)
	ok = ctEqual(sum[:], g.digest[:])
	return ok, ok && k != h.primary, nil
}
