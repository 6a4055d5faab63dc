package oauthreg

// Secret hashing: how a stored secret is turned into a hash, and how a
// presented secret is checked against one.
//
// The cost of a hash is chosen by the entropy of what it protects, not by
// habit. A secret the library generates carries 256 random bits: nobody can
// guess it, so stretching it with a slow KDF buys nothing and would only
// make every token request slow and the token endpoint easy to overload.
// Generated secrets are therefore hashed with one SHA-256 (or, under a
// server-side pepper, a keyed SHA-256 of the same cost, so a leaked database
// alone cannot even confirm a guess; see hash_generated.go). A secret a person supplies may be guessable, so it gets argon2id
// at OWASP's parameters, the memory-hard KDF that makes an offline guess
// expensive.
//
// Every hash is stored as a self-describing string ("$sha256$…",
// "$sha256-keyed$k=…$…", the older "$hmac-sha256$k=…$…", PHC
// "$argon2id$v=19$m=…,t=…,p=…$…$…", bcrypt's "$2b$…", PBKDF2 in Hydra's or
// passlib's encoding). The string says which algorithm and parameters
// produced it, so hashes imported from Ory Hydra, fosite, Spring or passlib
// keep verifying next to the library's own, and verify can report a hash as
// outdated (an old algorithm, weak parameters, an unpeppered, HMAC or
// retired-pepper digest) so the Registry re-hashes the secret with the
// current scheme on the next successful authentication, the only moment it
// holds the plaintext.

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg/internal/gendigest"
)

// hasherConfig is the hashing part of the Registry's configuration, filled
// by its options and validated by newHasher.
type hasherConfig struct {
	// PepperID names the primary pepper; it is written into every
	// "$sha256-keyed$k=<PepperID>$…" hash so the key can be rotated later. ""
	// means no pepper: generated secrets are hashed with plain SHA-256.
	PepperID string
	// Pepper is the primary pepper key, a server-side secret kept outside the
	// store (at least 16 bytes when set). The hasher keeps only SHA-256
	// states derived from it, never a reference to this slice.
	Pepper []byte
	// HMACPepper writes peppered hashes as "$hmac-sha256$" rather than
	// "$sha256-keyed$" (WithHMACPepperHashes), for servers of an older
	// release sharing the store.
	HMACPepper bool
	// RetiredPeppers are earlier peppers by ID. Hashes made with them still
	// verify, and are reported outdated so they get re-hashed under the
	// primary pepper. Like Pepper, they are not referenced after newHasher.
	RetiredPeppers map[string][]byte
	// MaxArgon2 caps how many slow hash operations (argon2 hash or verify,
	// and the verification of imported bcrypt and PBKDF2 hashes) run at once.
	// Each argon2id run at OWASP's parameters holds about 19 MiB, so without
	// a cap a burst of requests could exhaust memory. Zero means
	// 2*runtime.GOMAXPROCS(0).
	MaxArgon2 int
	// SlotMemoryKiB caps the memory all slow hash runs hold at once, each
	// counted at what it needs (argon2's m). Zero means room for every
	// slot at the library's own argon2 parameters plus, for the runs one
	// client may hold (SlotShare), imported argon2 at CostLimits' memory.
	SlotMemoryKiB uint64
	// SlotShare caps the slow hash runs one client, and one owner, may
	// hold at once; the others are left to everyone else. Zero means half
	// of MaxArgon2 (at least 1).
	SlotShare int
	// CostLimits bounds the parameters of imported hashes; zero fields
	// take DefaultHashCostLimits.
	CostLimits HashCostLimits
	// SpringSecrets are the secrets of Spring Pbkdf2PasswordEncoders by
	// ID (WithSpringPBKDF2Secret), which "$spring-pbkdf2-…,k=<ID>$" hashes
	// name.
	SpringSecrets map[string][]byte
}

// Parameters of the hashes the library itself writes.
const (
	// argon2id at OWASP's recommended minimum (Password Storage Cheat
	// Sheet): 19 MiB of memory, 2 passes, 1 lane.
	argon2Memory  = 19456 // KiB
	argon2Time    = 2
	argon2Threads = 1
	argon2SaltLen = 16
	argon2KeyLen  = 32

	// minPepperLen is the shortest pepper accepted: 128 bits.
	minPepperLen = 16
	// maxPepperIDLen bounds pepper IDs, which are written into every hash.
	maxPepperIDLen = gendigest.MaxPepperIDLen
	// maxEncodedHashLen bounds the length of an encoded hash we parse:
	// MaxSecretHashBytes. The longest valid one (a 1024-byte salt, a
	// 128-byte key) fits easily.
	maxEncodedHashLen = MaxSecretHashBytes
)

// Bounds on the parameters of imported hashes. An imported hash decides how
// much work and memory each verification costs, so absurd parameters are
// refused rather than allowed to stall or exhaust the server.
const (
	minSaltLen = 8    // bytes; RFC 9106's minimum for argon2
	maxSaltLen = 1024 // bytes
	minKeyLen  = 16   // bytes of derived key / checksum
	maxKeyLen  = 128

	maxArgon2Memory  = 1 << 20 // KiB, that is 1 GiB
	maxArgon2Time    = 64
	maxArgon2Threads = 255 // the most golang.org/x/crypto/argon2 supports

	minPBKDF2Iter = 1000
	maxPBKDF2Iter = 10_000_000

	minBcryptCost = 4
	maxBcryptCost = 16 // 2^16 rounds: seconds per check; anything above is a denial of service, not a hash
)

// hasher hashes and verifies client secrets. It is safe for concurrent use;
// the Registry holds one, built by newHasher.
type hasher struct {
	// primary is the pepper new generated hashes are made with; nil for
	// plain SHA-256.
	primary *pepperKey
	// peppers holds the primary and every retired pepper by ID.
	peppers map[string]*pepperKey
	// scheme is what hashGenerated writes: gendigest.KeyedSHA256 under a
	// primary pepper (gendigest.HMACSHA256 with WithHMACPepperHashes),
	// else gendigest.SHA256.
	scheme gendigest.Scheme

	// slots admits slow hash runs by count, memory and per-client and
	// per-owner share.
	slots *slowHashSlots
	// limits bounds the cost of the imported hashes verify runs.
	limits HashCostLimits
	// springSecrets are the Spring encoders' secrets by ID.
	springSecrets map[string][]byte

	// decoyGenerated (also parsed, as decoy) and decoySupplied are hashes
	// no secret matches (their digests are random), verified in place of a
	// real one when the client is unknown, so that case costs the same work
	// as a wrong secret.
	decoyGenerated string
	decoy          gendigest.Hash
	decoySupplied  *argon2Hash

	// onSlot, when not nil, is called with true just after a slow-hash slot
	// is acquired and with false just before it is released. Tests use it
	// to observe concurrency.
	onSlot func(k slotKey, acquired bool)

	// onWait, when not nil, is told how long each acquire waited for a
	// slot (SlowHashWaitObserver).
	onWait func(ctx context.Context, waited time.Duration, acquired bool)
}

// newHasher validates cfg and returns a hasher. An invalid configuration is
// an error wrapping ErrInvalidConfig that says what is wrong.
func newHasher(cfg hasherConfig) (*hasher, error) {
	h := &hasher{peppers: make(map[string]*pepperKey, 1+len(cfg.RetiredPeppers))}

	switch {
	case cfg.PepperID != "" && len(cfg.Pepper) == 0:
		return nil, fmt.Errorf("%w: pepper ID %q is set but the pepper key is empty", ErrInvalidConfig, cfg.PepperID)
	case cfg.PepperID == "" && len(cfg.Pepper) != 0:
		return nil, fmt.Errorf("%w: a pepper key is set without a pepper ID (the ID is written into each hash so the pepper can be rotated)", ErrInvalidConfig)
	}
	if cfg.PepperID != "" {
		if err := validatePepper("pepper", cfg.PepperID, cfg.Pepper); err != nil {
			return nil, err
		}
		h.primary = newPepperKey(cfg.PepperID, cfg.Pepper)
		h.peppers[cfg.PepperID] = h.primary
	}
	for id, key := range cfg.RetiredPeppers {
		if err := validatePepper("retired pepper", id, key); err != nil {
			return nil, err
		}
		if id == cfg.PepperID {
			return nil, fmt.Errorf("%w: retired pepper %q has the same ID as the primary pepper; give each pepper its own ID", ErrInvalidConfig, id)
		}
		h.peppers[id] = newPepperKey(id, key)
	}

	switch {
	case cfg.MaxArgon2 < 0:
		return nil, fmt.Errorf("%w: MaxArgon2 is %d; use a positive number, or 0 for 2*GOMAXPROCS", ErrInvalidConfig, cfg.MaxArgon2)
	case cfg.MaxArgon2 == 0:
		cfg.MaxArgon2 = 2 * runtime.GOMAXPROCS(0)
	}
	h.springSecrets = make(map[string][]byte, len(cfg.SpringSecrets))
	for id, secret := range cfg.SpringSecrets {
		h.springSecrets[id] = append([]byte(nil), secret...)
	}
	h.limits = cfg.CostLimits.withDefaults()
	if err := h.limits.validate(); err != nil {
		return nil, err
	}
	switch {
	case cfg.SlotShare < 0:
		return nil, fmt.Errorf("%w: the slow-hash share per client is %d; use a positive number, or 0 for half the slots", ErrInvalidConfig, cfg.SlotShare)
	case cfg.SlotShare == 0:
		cfg.SlotShare = max(1, cfg.MaxArgon2/2)
	}
	cfg.SlotShare = min(cfg.SlotShare, cfg.MaxArgon2)
	if cfg.SlotMemoryKiB == 0 {
		cfg.SlotMemoryKiB = uint64(cfg.MaxArgon2-cfg.SlotShare)*argon2Memory +
			uint64(cfg.SlotShare)*uint64(max(h.limits.Argon2MemoryKiB, argon2Memory))
	}
	if cfg.SlotMemoryKiB < argon2Memory {
		return nil, fmt.Errorf("%w: slow-hash memory of %d KiB cannot hold one argon2 run of the library's (%d KiB)", ErrInvalidConfig, cfg.SlotMemoryKiB, argon2Memory)
	}
	h.slots = newSlowHashSlots(cfg.MaxArgon2, cfg.SlotMemoryKiB, cfg.SlotShare)

	h.scheme = gendigest.SHA256
	switch {
	case h.primary != nil && cfg.HMACPepper:
		h.scheme = gendigest.HMACSHA256
	case h.primary != nil:
		h.scheme = gendigest.KeyedSHA256
	}

	// The decoys hold random digests: no secret matches them, and nobody
	// can compute one that does.
	var random [argon2KeyLen]byte
	rand.Read(random[:])
	h.decoyGenerated = h.hashGenerated(base64.RawStdEncoding.EncodeToString(random[:]))
	h.decoy, _ = gendigest.Parse(h.decoyGenerated) // hashGenerated's own output
	h.decoySupplied = &argon2Hash{
		id:      true,
		memory:  argon2Memory,
		time:    argon2Time,
		threads: argon2Threads,
		salt:    make([]byte, argon2SaltLen),
		key:     make([]byte, argon2KeyLen),
	}
	rand.Read(h.decoySupplied.salt)
	rand.Read(h.decoySupplied.key)
	return h, nil
}

// validatePepper validates one pepper of the configuration; what says which
// ("pepper" or "retired pepper"). The options validate peppers too; this is
// the hasher's own guarantee that every ID can be written into a hash.
func validatePepper(what, id string, key []byte) error {
	if !validPepperID(id) {
		return fmt.Errorf("%w: %s ID %q: use 1 to %d letters, digits, '-', '.', '_' or '~' (it is written into each hash)",
			ErrInvalidConfig, what, id, maxPepperIDLen)
	}
	if len(key) < minPepperLen {
		return fmt.Errorf("%w: %s %q is %d bytes; at least %d random bytes are required",
			ErrInvalidConfig, what, id, len(key), minPepperLen)
	}
	return nil
}

// validPepperID reports whether id may name a pepper: 1 to 64 characters
// from RFC 3986's unreserved set [A-Za-z0-9._~-], none of which has a
// meaning in the encodings.
func validPepperID(id string) bool { return gendigest.ValidPepperID(id) }

// acquire takes a slow-hash slot for a run needing mem KiB, on behalf of
// the slotKey ctx carries (see withSlotKey), waiting while none is free for
// it. It gives up, returning an error that wraps ctx.Err(), when ctx is done
// first (or already was): the caller has gone, and the work would be
// wasted. release must be called with what acquire returned.
func (h *hasher) acquire(ctx context.Context, mem uint64) (slotKey, error) {
	k := slotKeyFrom(ctx)
	start := time.Now()
	waited, err := h.slots.acquire(ctx, k, mem)
	var wait time.Duration
	if waited {
		wait = time.Since(start)
	}
	h.reportWait(ctx, wait, err == nil)
	if err != nil {
		return k, err
	}
	if h.onSlot != nil {
		h.onSlot(k, true)
	}
	return k, nil
}

// reportWait tells the SlowHashWaitObservers how long acquire waited.
func (h *hasher) reportWait(ctx context.Context, waited time.Duration, acquired bool) {
	if h.onWait != nil {
		h.onWait(ctx, waited, acquired)
	}
}

// release gives back a slot taken by acquire.
func (h *hasher) release(k slotKey, mem uint64) {
	if h.onSlot != nil {
		h.onSlot(k, false)
	}
	h.slots.release(k, mem)
}

// storedHash is a parsed encoded hash. String returns its canonical
// encoding, which parses back to the same value.
type storedHash interface {
	String() string
}

// slowHash is a parsed password hash that needs key stretching to verify
// (argon2, bcrypt, PBKDF2). Its verification runs under a slow-hash slot.
type slowHash interface {
	storedHash
	// match derives the key for secret with the hash's parameters and
	// compares it in constant time. An error means the hash cannot be
	// computed at all (it wraps ErrUnsupportedHash).
	match(secret string) (bool, error)
	// current reports whether the hash uses the scheme and parameters the
	// library writes today (argon2id at or above OWASP's parameters);
	// anything else is replaced after a successful verification.
	current() bool
}

// verify checks secret against an encoded hash of any supported kind, in
// constant time with respect to the secret.
//
// ok reports a match. outdated reports a match whose encoding should be
// replaced: a generated secret hashed without the configured pepper or under
// a retired one, or a slow hash other than argon2id at OWASP's parameters or
// above (bcrypt, PBKDF2, argon2i, weaker argon2id). A wrong secret is
// (false, false, nil).
//
// err is either ctx's error, when ctx ends while waiting for a slow-hash
// slot, or an error wrapping ErrUnsupportedHash for an encoding that cannot
// be parsed or verified (including a peppered hash whose pepper ID is not
// configured, which no secret could ever match: a configuration mistake
// that should be seen rather than look like wrong secrets).
func (h *hasher) verify(ctx context.Context, encoded, secret string) (ok, outdated bool, err error) {
	sh, err := parseHash(encoded)
	if err != nil {
		return false, false, err
	}
	switch v := sh.(type) {
	case *generatedHash:
		return h.verifyParsedGenerated(v, secret)
	case slowHash:
		if err := h.limits.check(v); err != nil {
			return false, false, err // never run: too expensive
		}
		if sp, ok := v.(*springPBKDF2Hash); ok {
			if err := h.withSpringSecret(sp); err != nil {
				return false, false, err
			}
		}
		mem := memoryKiB(v)
		k, err := h.acquire(ctx, mem)
		if err != nil {
			return false, false, err
		}
		defer h.release(k, mem)
		ok, err := v.match(secret)
		if err != nil {
			return false, false, err
		}
		return ok, ok && !v.current(), nil
	default:
		// Unreachable: parseHash returns only the types above.
		return false, false, unsupportedf("unexpected hash type %T", sh)
	}
}

// parseImportedHash validates an encoded hash an administrator imports from
// another system and returns it normalised: surrounding ASCII whitespace
// (trimImported) and a
// Spring "{bcrypt}" or "{argon2}" prefix removed, and the rest re-encoded in
// its canonical form (e.g. passlib's salt with '.' rather than '+'). verify
// accepts the result. An unsupported or malformed hash, or one with
// parameters outside the accepted bounds, is an error wrapping
// ErrUnsupportedHash that says what is wrong; the error never repeats the
// salt or digest.
//
// Accepted: bcrypt $2a$, $2b$, $2y$ (cost 4..16) and passlib's
// "$bcrypt-sha256$v=2,t=2b,r=<cost>$…"; PBKDF2 in Hydra's
// "$pbkdf2-<sha1|sha224|sha256|sha384|sha512>$i=<iter>,l=<len>$<salt>$<key>"
// (its sha224 and sha384 being SHA3-224 and SHA3-384, as Ory computes them)
// and in passlib's and go-crypt's "$pbkdf2[-<digest>]$<iter>$<salt>$<checksum>"
// (SHA-1 and SHA-2 digests); argon2id and argon2i PHC strings (v=19);
// SHA-crypt "$5$" and "$6$" (crypt(3), Authelia's sha2crypt); scrypt as
// "$scrypt$ln=…,r=…,p=…$…" (passlib, Authelia); Spring's {bcrypt},
// {argon2}, {scrypt}, {sha256} and default {pbkdf2}; and the library's own
// $sha256$, $sha256-keyed$, $hmac-sha256$ and $argon2id$ encodings. Whether
// the pepper a $sha256-keyed$ or $hmac-sha256$ hash names is configured is
// only known to verify.
func parseImportedHash(encoded string) (string, error) {
	return parseImportedHashWithin(encoded, DefaultHashCostLimits)
}

// parseImportedHashWithin is parseImportedHash that also refuses, with an
// error wrapping ErrHashTooExpensive, a slow hash over limits.
func parseImportedHashWithin(encoded string, limits HashCostLimits) (string, error) {
	s := trimImported(encoded)
	if s == "" {
		return "", unsupportedf("the hash is empty")
	}
	sh, err := parseHash(s)
	if err != nil {
		return "", err
	}
	if slow, ok := sh.(slowHash); ok {
		if err := limits.withDefaults().check(slow); err != nil {
			return "", err
		}
	}
	return sh.String(), nil
}

// importSpace is what an imported hash may be surrounded with: ASCII
// spaces, tabs and line breaks.
const importSpace = " \t\r\n"

// trimImported removes the ASCII spaces, tabs and line breaks around an
// imported hash. None of the accepted encodings holds whitespace (their
// alphabets exclude it), so this never changes which hash is meant; it
// drops what exports and copies add: a line ending, an indentation, or the
// trailing space of the bcrypt hash of fosite's own fixture client
// (storage.NewExampleStore, "$2y$10$X51gLxUQ…1zC "), which authenticates in
// fosite because golang.org/x/crypto/bcrypt reads only the first 60
// characters. Other whitespace (a vertical tab, a no-break space) is not
// trimmed, and makes the hash malformed.
func trimImported(s string) string { return strings.Trim(s, importSpace) }

// parseHash parses any supported encoding into a *generatedHash or a
// slowHash. It accepts exactly what parseImportedHash accepts, without
// trimming whitespace, so verify applies the same bounds to a stored hash as
// the import did.
func parseHash(encoded string) (storedHash, error) {
	if len(encoded) > maxEncodedHashLen {
		return nil, unsupportedf("the hash is %d characters long; at most %d are accepted", len(encoded), maxEncodedHashLen)
	}
	// Spring Security's DelegatingPasswordEncoder prefixes the encoding
	// with the encoder's ID.
	if rest, found := strings.CutPrefix(encoded, "{bcrypt}"); found {
		return parseBcrypt(rest)
	}
	if rest, found := cutAnyPrefix(encoded, "{argon2}", "{argon2"+springV58+"}"); found {
		if !strings.HasPrefix(rest, "$argon2") {
			return nil, unsupportedf("{argon2}: want a PHC string \"$argon2id$…\" after the Spring prefix")
		}
		return parseHash(rest)
	}
	if strings.HasPrefix(encoded, "{") {
		id, _, found := strings.Cut(encoded[1:], "}")
		if !found {
			return nil, unsupportedf("unterminated \"{\" prefix: want a Spring encoder ID such as {bcrypt}")
		}
		if id == "noop" {
			return nil, unsupportedf("{noop} holds a plaintext, not a hash: ImportSecret hashes it on the way in; it cannot be stored as a hash")
		}
		return parseSpring(id, encoded[len(id)+2:])
	}
	if !strings.HasPrefix(encoded, "$") {
		return nil, unsupportedf("not a self-describing hash: want \"$<algorithm>$…\" (e.g. $2b$, $argon2id$, $pbkdf2-sha256$)")
	}
	ident, _, found := strings.Cut(encoded[1:], "$")
	if !found {
		return nil, unsupportedf("no '$' after the algorithm identifier")
	}
	switch ident {
	case "sha256", "sha256-keyed", "hmac-sha256":
		return parseGenerated(encoded)
	case "argon2id", "argon2i":
		return parseArgon2(encoded)
	case "argon2d":
		return nil, unsupportedf("argon2d is not supported for passwords (it is not side-channel resistant); use argon2id")
	case "2a", "2b", "2y":
		return parseBcrypt(encoded)
	case "2", "2x":
		return nil, unsupportedf("bcrypt variant $%s$ is not supported; only $2a$, $2b$ and $2y$", ident)
	case "pbkdf2", "pbkdf2-sha1", "pbkdf2-sha224", "pbkdf2-sha256", "pbkdf2-sha384", "pbkdf2-sha512":
		return parsePBKDF2(ident, encoded)
	case "5", "6":
		return parseShaCrypt(ident, encoded)
	case "scrypt":
		return parseScrypt(encoded)
	case "bcrypt-sha256":
		return parseBcryptSHA256(encoded)
	case "spring-pbkdf2-sha1", "spring-pbkdf2-sha256", "spring-pbkdf2-sha512":
		return parseSpringPBKDF2(ident, encoded)
	default:
		return nil, unsupportedf("unknown hash algorithm %q", SanitizeInput(ident))
	}
}

// cutAnyPrefix is strings.CutPrefix with the first of prefixes s starts
// with.
func cutAnyPrefix(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if rest, found := strings.CutPrefix(s, p); found {
			return rest, true
		}
	}
	return s, false
}

// unsupportedf returns an error wrapping ErrUnsupportedHash with a message
// that says what is wrong.
func unsupportedf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupportedHash, fmt.Sprintf(format, args...))
}

// parseDecimal parses a decimal number within [lo, hi] the way PHC strings
// write them: digits only, no sign, no leading zeros. ok is false otherwise.
func parseDecimal(s string, lo, hi uint64) (n uint64, ok bool) {
	if s == "" || len(s) > 20 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (^uint64(0)-d)/10 {
			return 0, false // overflow
		}
		n = n*10 + d
	}
	return n, lo <= n && n <= hi
}

// isDecimal reports whether s is a non-empty string of ASCII digits.
func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// phcBase64 is the base64 of PHC strings, Hydra (ory/x hasherx) and the
// library's own encodings: the standard alphabet without '=' padding, with
// the unused trailing bits required to be zero so each value has exactly one
// encoding.
var phcBase64 = base64.RawStdEncoding.Strict()

// javaBase64 is what java.util.Base64's basic encoder writes (Spring's
// {scrypt}, and Pbkdf2PasswordEncoder after setEncodeHashAsBase64): the
// standard alphabet with '=' padding, the unused trailing bits zero.
var javaBase64 = base64.StdEncoding.Strict()

// decodeBase64 decodes field (named what, for the error) with enc. Unlike
// encoding/base64, it refuses embedded line breaks, so each hash has one
// canonical encoding.
func decodeBase64(enc *base64.Encoding, what, field string) ([]byte, error) {
	if strings.ContainsAny(field, "\r\n") {
		return nil, unsupportedf("%s: line break in base64", what)
	}
	b, err := enc.DecodeString(field)
	if err != nil {
		want := "unpadded standard base64"
		if enc == javaBase64 {
			want = "standard base64, padded or not"
		}
		return nil, unsupportedf("%s: bad base64 (want %s): %v", what, want, err)
	}
	return b, nil
}

// decodeJavaBase64 decodes field as java.util.Base64's basic decoder reads
// what its encoder writes: padded (javaBase64), or without the padding,
// which that decoder takes too. Only a length that is a multiple of 4 can
// be padded, and at that length both forms are the same.
func decodeJavaBase64(what, field string) ([]byte, error) {
	if len(field)%4 == 0 {
		return decodeBase64(javaBase64, what, field)
	}
	return decodeBase64(phcBase64, what, field)
}

// checkSaltKey checks the decoded salt and key lengths of a salted hash
// against the accepted bounds.
func checkSaltKey(what string, salt, key []byte) error {
	if len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return unsupportedf("%s: salt of %d bytes; want %d..%d", what, len(salt), minSaltLen, maxSaltLen)
	}
	if len(key) < minKeyLen || len(key) > maxKeyLen {
		return unsupportedf("%s: hash of %d bytes; want %d..%d", what, len(key), minKeyLen, maxKeyLen)
	}
	return nil
}

// ctEqual reports whether a and b are equal, taking time that depends only
// on their lengths, not on their contents.
func ctEqual(a, b []byte) bool {
	return subtle.ConstantTimeCompare(a, b) == 1
}

// ctEqualString is ctEqual for a string and a byte slice, without
// converting (and so allocating) either.
func ctEqualString(a string, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(b); i++ {
		v |= a[i] ^ b[i]
	}
	return subtle.ConstantTimeByteEq(v, 0) == 1
}
