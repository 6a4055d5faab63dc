package oauthreg

// Hashes of generated secrets: SHA-256, or under a pepper a keyed SHA-256
// that costs what the plain one costs.
//
// A generated secret is 256 random bits, so one fast digest is as strong as
// any KDF: there is nothing to guess. What matters here is speed and
// predictability on the token endpoint's hot path, so verifying does no heap
// allocation: the stored hash is parsed into a fixed-size value
// (internal/gendigest), the secret is digested into a stack array, and the
// two digests are compared as bytes in constant time.
//
// The encodings (see internal/gendigest):
//
//	$sha256$<digest>                       no pepper
//	$sha256-keyed$k=<pepper ID>$<digest>   under a pepper: written today
//	$hmac-sha256$k=<pepper ID>$<digest>    under a pepper: written before
//	                                       the keyed digest; still verified,
//	                                       and replaced on first use (written
//	                                       and kept with WithHMACPepperHashes)
//
// # The keyed digest
//
// "$sha256-keyed$" is SHA-256(K ‖ secret), where K is one full 64-byte
// SHA-256 block derived from the pepper with HKDF-SHA-256 (RFC 5869, info
// "oauthreg sha256-keyed key block v1"). The state after K is computed once
// per pepper, so a verification compresses only the secret's own blocks:
// the same work as the plain SHA-256, where HMAC-SHA-256 costs one block
// more (its outer hash) even with both of its states precomputed.
//
// It is sound for what it protects, for these reasons:
//
//   - A keyed Merkle–Damgård hash is a pseudorandom function on a
//     prefix-free set of inputs: this is the "cascade" of Bellare, Canetti
//     and Krawczyk ("Pseudorandom functions revisited: the cascade
//     construction and its concrete security", FOCS 1996), the same result
//     NMAC and HMAC rest on. Its key here is the chaining value after K;
//     that K is a uniformly random block (an HKDF output), and that the
//     compression function keyed through its data input gives a
//     pseudorandom chaining value, is the assumption HMAC's own proof makes
//     of its padded keys (Bellare, "New proofs for NMAC and HMAC", 2006).
//   - The inputs are prefix-free. Only secrets in the generated format are
//     hashed or verified this way (Authenticate, CheckRegistrationToken and
//     RevokeLeaked check the format and its checksum first; a secret in
//     another format is checked only against supplied and imported
//     secrets, whose hashes are never in these encodings, as ImportSecret
//     refuses them: only a record written around the Registry could hold
//     one, and verify then matches no secret with a byte of 0x80 or more
//     against a keyed hash), and they are ASCII: every byte is below 0x80. SHA-256's
//     padding starts with the byte 0x80, so one padded input can be a
//     proper prefix of another only if the longer secret has 0x80 at that
//     position, which none has. This holds across secret prefixes of
//     different lengths.
//   - So length extension gives nothing. Someone holding a stored digest
//     can compute the digest of the secret followed by SHA-256's padding
//     and more, but that string holds the byte 0x80: it is no generated
//     secret, Authenticate never checks it against a generated secret's
//     hash, and no stored hash is ever made of it. Without the pepper, a
//     stored digest neither confirms a guessed secret nor yields the
//     digest of any other valid one, which is all the pepper is for (a
//     database leak alone is not enough to test guesses offline).
//
// The key block is derived from the pepper rather than being the pepper, so
// that it is a full block of uniformly random bytes whatever the pepper's
// length, and independent of the HMAC key the same pepper gave the older
// encoding.

import (
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/subtle"
	"encoding"
	"strings"

	"github.com/oauthreg/oauthreg/internal/gendigest"
)

// keyedInfo is the HKDF info string of the keyed digest's key block: a
// different string would be a different scheme.
const keyedInfo = "oauthreg sha256-keyed key block v1"

// pepperKey is one pepper, kept as SHA-256 states computed once: the state
// after the keyed digest's key block, and HMAC's inner and outer states
// after its padded keys (for the older encoding). A digest restores a state
// instead of compressing those blocks again, and allocates nothing. None of
// these is the pepper, and the pepper is not kept.
type pepperKey struct {
	id                  string
	keyed, inner, outer []byte // marshalled sha256 states (encoding.BinaryMarshaler)
}

// newPepperKey computes the states of key, of which it keeps nothing else.
func newPepperKey(id string, key []byte) *pepperKey {
	kb, err := hkdf.Key(sha256.New, key, nil, keyedInfo, sha256.BlockSize)
	if err != nil {
		panic("oauthreg: HKDF refused a 64-byte key: " + err.Error()) // cannot happen: 64 ≤ 255·32
	}
	// HMAC (RFC 2104): a key longer than a block is hashed first; then it
	// is padded with zeros to a block and XORed with ipad and opad.
	var hk, pad [sha256.BlockSize]byte
	if len(key) > sha256.BlockSize {
		sum := sha256.Sum256(key)
		copy(hk[:], sum[:])
	} else {
		copy(hk[:], key)
	}
	p := &pepperKey{id: id, keyed: stateAfter(kb)}
	for i := range pad {
		pad[i] = hk[i] ^ 0x36
	}
	p.inner = stateAfter(pad[:])
	for i := range pad {
		pad[i] = hk[i] ^ 0x5c
	}
	p.outer = stateAfter(pad[:])
	clear(kb)
	clear(hk[:])
	clear(pad[:])
	return p
}

// stateAfter returns the marshalled SHA-256 state after block.
func stateAfter(block []byte) []byte {
	d := sha256.New()
	d.Write(block)
	state, err := d.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		panic("oauthreg: crypto/sha256 cannot marshal its state: " + err.Error())
	}
	return state
}

// sumAfter returns the SHA-256 of the blocks state was taken after,
// followed by data. The digest lives on the stack: no allocation.
func sumAfter(state, data []byte) (sum [sha256.Size]byte) {
	d := sha256.New()
	if err := d.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
		// Our own marshalled state, from the same package: cannot happen.
		panic("oauthreg: crypto/sha256 refused its own state: " + err.Error())
	}
	d.Write(data)
	d.Sum(sum[:0])
	return sum
}

// generatedDigest returns the digest of secret under scheme: SHA-256(secret),
// SHA-256(K ‖ secret) or HMAC-SHA-256(pepper, secret). k is the pepper of a
// peppered scheme. Neither the secret nor the digest leaves the stack.
func generatedDigest(scheme gendigest.Scheme, k *pepperKey, secret string) [sha256.Size]byte {
	b := unsafeBytes(secret) // read, never kept or written
	switch scheme {
	case gendigest.KeyedSHA256:
		return sumAfter(k.keyed, b)
	case gendigest.HMACSHA256:
		inner := sumAfter(k.inner, b)
		return sumAfter(k.outer, inner[:])
	default:
		return sha256.Sum256(b)
	}
}

// hashGenerated hashes a library-generated secret: "$sha256$<digest>"
// without a pepper, "$sha256-keyed$k=<pepperID>$<digest>" under the primary
// pepper ("$hmac-sha256$k=…" with WithHMACPepperHashes). The pepper ID travels in the hash so peppers can be rotated:
// hashes made under a retired pepper keep verifying and are re-hashed on use.
// secret must be in the generated format (see the package's note on the
// keyed digest). The only allocation is the returned string.
func (h *hasher) hashGenerated(secret string) string {
	g := gendigest.Hash{Scheme: h.scheme}
	if h.primary != nil {
		g.PepperID = h.primary.id
	}
	g.Digest = generatedDigest(g.Scheme, h.primary, secret)
	return g.Text()
}

// generatedResult is what verifying a generated secret found.
type generatedResult uint8

const (
	// generatedMismatch: a wrong secret, or a stored hash that is not a
	// well-formed generated-secret hash (nothing matches it).
	generatedMismatch generatedResult = iota
	// generatedMatch: the secret matches a hash in today's scheme.
	generatedMatch
	// generatedOutdated: the secret matches a hash that should be
	// re-hashed: unpeppered while a pepper is configured, the older HMAC
	// encoding, or a retired pepper.
	generatedOutdated
	// generatedNoPepper: the hash names a pepper this hasher is not
	// configured with, so no secret can match it. The digest work a
	// verification costs was done all the same (against the decoy).
	generatedNoPepper
)

// ok reports a match.
func (r generatedResult) ok() bool { return r == generatedMatch || r == generatedOutdated }

// verifyGenerated is the hot path for generated secrets: it parses the
// stored hash, digests secret under the hash's scheme and pepper, and
// compares the digests as bytes in constant time. It allocates nothing.
func (h *hasher) verifyGenerated(encoded, secret string) generatedResult {
	g, err := gendigest.Parse(encoded)
	if err != nil {
		return generatedMismatch
	}
	return h.verifyGeneratedHash(&g, secret)
}

// verifyGeneratedHash is verifyGenerated for a hash already parsed, for
// instance by a Store that keeps it parsed. It allocates nothing.
func (h *hasher) verifyGeneratedHash(g *gendigest.Hash, secret string) generatedResult {
	var k *pepperKey
	switch g.Scheme {
	case gendigest.SHA256:
	case gendigest.KeyedSHA256, gendigest.HMACSHA256:
		// Most hashes are under the primary pepper: a string comparison
		// finds it for a fraction of a map lookup.
		if k = h.primary; k == nil || k.id != g.PepperID {
			k = h.peppers[g.PepperID]
		}
		if k == nil {
			// The digest the missing pepper skipped, so that this failure
			// costs what a wrong secret costs.
			h.verifyGeneratedHash(&h.decoy, secret)
			return generatedNoPepper
		}
	default:
		return generatedMismatch // the zero Hash: no hash at all
	}
	sum := generatedDigest(g.Scheme, k, secret)
	switch {
	case subtle.ConstantTimeCompare(sum[:], g.Digest[:]) != 1:
		return generatedMismatch
	case g.Scheme != h.scheme || k != h.primary:
		return generatedOutdated
	}
	return generatedMatch
}

// decoyVerifyGenerated does the work of a failed verifyGenerated against a
// current hash (the same parse, digest and comparison), so that a secret
// presented for an unknown client or secret ID costs what a wrong secret
// costs, and client IDs cannot be told apart by timing. It allocates
// nothing.
func (h *hasher) decoyVerifyGenerated(secret string) {
	h.verifyGenerated(h.decoyGenerated, secret)
}

// decoyVerifyGeneratedHash is decoyVerifyGenerated for a caller whose real
// verifications take hashes already parsed (verifyGeneratedHash): the same
// digest and comparison, without the parse, so an unknown client costs
// what a wrong secret costs there too.
func (h *hasher) decoyVerifyGeneratedHash(secret string) {
	h.verifyGeneratedHash(&h.decoy, secret)
}

// generatedHash is a parsed generated-secret hash, for parseHash.
type generatedHash struct {
	gendigest.Hash
}

// String returns the canonical encoding.
func (g *generatedHash) String() string { return g.Text() }

// schemeNames name the schemes in errors, as their encodings do.
var schemeNames = [...]string{
	gendigest.SHA256:      "sha256",
	gendigest.HMACSHA256:  "hmac-sha256",
	gendigest.KeyedSHA256: "sha256-keyed",
}

// parseGenerated parses the library's "$sha256$", "$sha256-keyed$" and
// "$hmac-sha256$" encodings; an error wraps ErrUnsupportedHash and names
// the encoding (its text never repeats the digest).
func parseGenerated(encoded string) (*generatedHash, error) {
	g, err := gendigest.Parse(encoded)
	if err != nil {
		ident, _, _ := strings.Cut(strings.TrimPrefix(encoded, "$"), "$")
		return nil, unsupportedf("%s: %v", SanitizeInput(ident), err)
	}
	return &generatedHash{g}, nil
}

// verifyParsedGenerated is verify for a parsed generated hash. Unlike
// verifyGenerated it reports an unknown pepper ID as an error: the hash
// cannot be checked with this configuration.
func (h *hasher) verifyParsedGenerated(g *generatedHash, secret string) (ok, outdated bool, err error) {
	res := h.verifyGeneratedHash(&g.Hash, secret)
	if res == generatedNoPepper {
		return false, false, unsupportedf("%s: pepper %q is not configured (configure it as a retired pepper to keep its hashes verifying)",
			schemeNames[g.Scheme], SanitizeInput(g.PepperID))
	}
	if res.ok() && g.Scheme == gendigest.KeyedSHA256 && !isASCII(secret) {
		// This path takes any secret (a supplied-kind record holding a
		// generated encoding); the keyed digest is only sound for the
		// ASCII inputs generated secrets are, so nothing else matches.
		return false, false, nil
	}
	return res.ok(), res == generatedOutdated, nil
}

// isASCII reports whether every byte of s is below 0x80.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
