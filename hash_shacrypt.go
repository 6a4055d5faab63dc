package oauthreg

// Verification of SHA-crypt hashes ("sha2crypt"): crypt(3)'s "$5$" (SHA-256)
// and "$6$" (SHA-512) schemes, as glibc, passlib, Authelia (through
// github.com/go-crypt/crypt) and most Unix systems write them:
//
//	$6$rounds=<rounds>$<salt>$<86 characters>
//	$6$<salt>$<86 characters>            (rounds omitted: 5000)
//	$5$rounds=<rounds>$<salt>$<43 characters>
//
// The algorithm is Ulrich Drepper's specification
// (https://www.akkadia.org/drepper/SHA-crypt.txt), implemented here from it
// and checked against the specification's own vectors, glibc's crypt(3) and
// go-crypt's output (testdata/glibc_shacrypt_vectors.json,
// testdata/gocrypt_vectors.json). The library never writes SHA-crypt: it is
// not memory-hard, so a hash that verifies is reported outdated and replaced
// with argon2id.

import (
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"strconv"
	"strings"
)

// SHA-crypt's bounds, from the specification.
const (
	shaCryptDefaultRounds = 5000
	shaCryptMinRounds     = 1000
	shaCryptMaxRounds     = 999_999_999
	shaCryptMaxSalt       = 16 // characters; crypt(3) ignores the rest

	// shaCryptMaxSecret is the longest secret tried against a SHA-crypt
	// hash. Each round hashes the secret twice, so its length multiplies
	// the cost of every round (a 1024-byte secret costs about eight times a
	// 72-byte one): without a bound, an attacker presenting long guesses
	// would make each verification cost several times what the cost limit
	// allows. A longer secret never matches, as one longer than 72 bytes
	// never matches bcrypt. (Solaris' crypt_sha256 and crypt_sha512 stop at
	// 255 characters too.)
	shaCryptMaxSecret = 256
)

// crypt64 is the alphabet of crypt(3)'s base64 ("./0-9A-Za-z", in that
// order), which SHA-crypt writes least significant bits first.
const crypt64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// shaCryptOrder256 and shaCryptOrder512 are the specification's
// permutations of the digest bytes: each triple becomes four characters
// (the last, shorter group fewer).
var (
	shaCryptOrder256 = []byte{
		0, 10, 20, 21, 1, 11, 12, 22, 2, 3, 13, 23, 24, 4, 14,
		15, 25, 5, 6, 16, 26, 27, 7, 17, 18, 28, 8, 9, 19, 29, 31, 30,
	}
	shaCryptOrder512 = []byte{
		0, 21, 42, 22, 43, 1, 44, 2, 23, 3, 24, 45, 25, 46, 4,
		47, 5, 26, 6, 27, 48, 28, 49, 7, 50, 8, 29, 9, 30, 51,
		31, 52, 10, 53, 11, 32, 12, 33, 54, 34, 55, 13, 56, 14, 35,
		15, 36, 57, 37, 58, 16, 59, 17, 38, 18, 39, 60, 40, 61, 19,
		62, 20, 41, 63,
	}
)

// shaCryptHash is a parsed "$5$" or "$6$" hash.
type shaCryptHash struct {
	sha512 bool   // "$6$"; "$5$" otherwise
	rounds int    // shaCryptMinRounds..shaCryptMaxRounds
	named  bool   // "rounds=" was written (even for 5000), and is written back
	salt   string // 1..16 characters, no '$'
	key    string // 43 or 86 characters of crypt64
}

// shaCryptKeyLen is the length of the encoded digest: 43 characters for
// SHA-256, 86 for SHA-512.
func shaCryptKeyLen(sha512 bool) int {
	if sha512 {
		return 86
	}
	return 43
}

// String returns the hash as crypt(3) writes it.
func (s *shaCryptHash) String() string {
	var b strings.Builder
	b.Grow(20 + len(s.salt) + len(s.key))
	if s.sha512 {
		b.WriteString("$6$")
	} else {
		b.WriteString("$5$")
	}
	if s.named {
		b.WriteString("rounds=")
		b.WriteString(strconv.Itoa(s.rounds))
		b.WriteByte('$')
	}
	b.WriteString(s.salt)
	b.WriteByte('$')
	b.WriteString(s.key)
	return b.String()
}

// match computes SHA-crypt of secret with the hash's salt and rounds and
// compares the encodings in constant time. A secret longer than
// shaCryptMaxSecret never matches. shaCrypt only reads the secret: it gets
// the string's bytes (unsafeBytes), not a copy that would stay in memory.
func (s *shaCryptHash) match(secret string) (bool, error) {
	if len(secret) > shaCryptMaxSecret {
		// Do the work all the same, on the first bytes (result
		// discarded), so a long guess costs what a wrong one does.
		_ = shaCrypt(s.sha512, unsafeBytes(secret[:shaCryptMaxSecret]), []byte(s.salt), s.rounds)
		return false, nil
	}
	return ctEqualString(s.key, shaCrypt(s.sha512, unsafeBytes(secret), []byte(s.salt), s.rounds)), nil
}

// name is the scheme's name in messages.
func (s *shaCryptHash) name() string {
	if s.sha512 {
		return "sha512-crypt"
	}
	return "sha256-crypt"
}

// current is always false: SHA-crypt hashes are upgraded to argon2id.
func (s *shaCryptHash) current() bool { return false }

// shaCrypt returns the encoded digest (without salt and parameters) of
// password under salt and rounds, following the numbered steps of
// Drepper's specification.
func shaCrypt(use512 bool, password, salt []byte, rounds int) []byte {
	var (
		newHash func() hash.Hash
		order   []byte
	)
	if use512 {
		newHash, order = sha512.New, shaCryptOrder512
	} else {
		newHash, order = sha256.New, shaCryptOrder256
	}
	h := newHash()
	size := h.Size()

	// Steps 4-8: digest B = H(password || salt || password).
	h.Write(password)
	h.Write(salt)
	h.Write(password)
	b := h.Sum(make([]byte, 0, size))

	// Steps 1-3 and 9-12: digest A.
	h.Reset()
	h.Write(password)
	h.Write(salt)
	n := len(password)
	for ; n > size; n -= size {
		h.Write(b)
	}
	h.Write(b[:n])
	for n = len(password); n > 0; n >>= 1 {
		if n&1 != 0 {
			h.Write(b)
		} else {
			h.Write(password)
		}
	}
	a := h.Sum(make([]byte, 0, size))

	// Steps 13-16: the byte sequence P, DP repeated to the password's length.
	h.Reset()
	for range len(password) {
		h.Write(password)
	}
	dp := h.Sum(make([]byte, 0, size))
	p := make([]byte, len(password))
	for i := 0; i < len(p); i += size {
		copy(p[i:], dp)
	}

	// Steps 17-20: the byte sequence S, DS repeated to the salt's length.
	h.Reset()
	for range 16 + int(a[0]) {
		h.Write(salt)
	}
	ds := h.Sum(make([]byte, 0, size))
	sq := make([]byte, len(salt))
	for i := 0; i < len(sq); i += size {
		copy(sq[i:], ds)
	}

	// Step 21: the rounds.
	for i := range rounds {
		h.Reset()
		if i&1 != 0 {
			h.Write(p)
		} else {
			h.Write(a)
		}
		if i%3 != 0 {
			h.Write(sq)
		}
		if i%7 != 0 {
			h.Write(p)
		}
		if i&1 != 0 {
			h.Write(a)
		} else {
			h.Write(p)
		}
		a = h.Sum(a[:0])
	}

	// Step 22: crypt64 of the permuted digest, 24 bits at a time.
	out := make([]byte, 0, shaCryptKeyLen(use512))
	emit := func(w uint32, chars int) {
		for range chars {
			out = append(out, crypt64[w&0x3f])
			w >>= 6
		}
	}
	i := 0
	for ; i+3 <= len(order); i += 3 {
		emit(uint32(a[order[i]])<<16|uint32(a[order[i+1]])<<8|uint32(a[order[i+2]]), 4)
	}
	if use512 {
		emit(uint32(a[order[i]]), 2) // the 64th byte
	} else {
		emit(uint32(a[order[i]])<<8|uint32(a[order[i+1]]), 3) // bytes 31 and 30
	}
	return out
}

// parseShaCrypt parses a "$5$" or "$6$" hash (ident is "5" or "6"): an
// optional "rounds=<1000..999999999>$" (decimal, no leading zeros), a salt
// of 1 to 16 printable ASCII characters other than '$', '$', and the
// digest in crypt64, 43 characters for "$5$" and 86 for "$6$", whose unused
// high bits are zero.
func parseShaCrypt(ident, encoded string) (*shaCryptHash, error) {
	s := &shaCryptHash{sha512: ident == "6", rounds: shaCryptDefaultRounds}
	name := s.name()
	rest := encoded[len(ident)+2:]
	if r, found := strings.CutPrefix(rest, "rounds="); found {
		num, after, found := strings.Cut(r, "$")
		if !found {
			return nil, unsupportedf("%s: want \"$%s$rounds=<rounds>$<salt>$<hash>\"", name, ident)
		}
		n, ok := parseDecimal(num, shaCryptMinRounds, shaCryptMaxRounds)
		if !ok {
			return nil, unsupportedf("%s: rounds=%s: want a decimal number in %d..%d", name, SanitizeInput(num), shaCryptMinRounds, shaCryptMaxRounds)
		}
		s.rounds, s.named, rest = int(n), true, after
	}
	salt, key, found := strings.Cut(rest, "$")
	if !found || strings.Contains(key, "$") {
		return nil, unsupportedf("%s: want \"$%s$[rounds=<rounds>$]<salt>$<hash>\"", name, ident)
	}
	if len(salt) == 0 || len(salt) > shaCryptMaxSalt {
		return nil, unsupportedf("%s: salt of %d characters; want 1..%d", name, len(salt), shaCryptMaxSalt)
	}
	for i := 0; i < len(salt); i++ {
		if salt[i] <= ' ' || salt[i] > '~' {
			return nil, unsupportedf("%s: the salt holds a byte that is not printable ASCII", name)
		}
	}
	want := shaCryptKeyLen(s.sha512)
	if len(key) != want {
		return nil, unsupportedf("%s: hash of %d characters; want %d", name, len(key), want)
	}
	for i := 0; i < len(key); i++ {
		if strings.IndexByte(crypt64, key[i]) < 0 {
			return nil, unsupportedf("%s: invalid character %q in the hash (crypt's base64 is ./0-9A-Za-z)", name, key[i])
		}
	}
	// The last character holds 2 bits (SHA-512) or 4 bits (SHA-256, whose
	// last group is 16 bits in 3 characters): the rest must be zero, or no
	// digest could encode to it.
	if last := strings.IndexByte(crypt64, key[len(key)-1]); last >= 4 && s.sha512 || last >= 16 && !s.sha512 {
		return nil, unsupportedf("%s: the last character of the hash has bits set that no digest sets", name)
	}
	s.salt, s.key = salt, key
	return s, nil
}
