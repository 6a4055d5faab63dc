package oauthreg

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// Sealing keeps each client secret a Registry issues also encrypted
// ("sealed") in Secret.Sealed, so that it can be shown again (the "Get
// Client Secret" call of ZStack, an open-source cloud platform) or used as the HMAC key that verifies client_secret_jwt
// assertions (RFC 7523). It is off unless the Registry is given a KeyRing.
//
// The sealed format is one ASCII string of RFC 3986 unreserved characters:
//
//	v1.<key ID>.<algorithm>.<base64url(nonce || ciphertext || tag)>
//
//	v1         the format version
//	key ID     the ID of the ring key that sealed it (1 to 32 characters of
//	           [A-Za-z0-9._~-]; it may contain dots, so the string is parsed
//	           from the right: the algorithm and the payload never contain one)
//	algorithm  "A256GCM" or "XC20P" (the JOSE names)
//	payload    unpadded base64url (RFC 4648 §5) of the random nonce (12 bytes
//	           for A256GCM, 24 for XC20P), the ciphertext and the 16-byte tag
//
// The AEAD's associated data binds the sealed value to where it belongs: a
// domain label, the format version, the key ID, the algorithm, the client ID
// and the secret ID, each preceded by its length as a 64-bit big-endian
// integer, so no two different (client ID, secret ID) pairs produce the same
// associated data. A sealed value copied to another client or secret, or
// relabelled with another key ID or algorithm, does not open.

// ErrSealedSecret is returned (wrapped, with the reason) when a sealed secret
// cannot be opened: it was sealed under a key that is not in the key ring, it
// is malformed, or it fails authentication because it was altered, belongs to
// another client or secret, or the key with its ID has different bytes. No
// plaintext is ever returned with it.
var ErrSealedSecret = errors.New("oauthreg: sealed secret cannot be opened")

// KeyAlgorithm names the AEAD a Key is used with. Both take 32-byte keys and
// are safe choices; pick AES256GCM where AES hardware or FIPS 140 matters,
// XChaCha20Poly1305 otherwise.
type KeyAlgorithm string

const (
	// AES256GCM is AES-256 in Galois/Counter Mode with a random 96-bit
	// nonce per seal. Random 96-bit nonces limit a key to 2^32 seals (NIST
	// SP 800-38D) before the chance of a nonce repeat stops being
	// negligible. A key ring seals once per secret issued (registration,
	// rotation, regeneration) and once per secret moved to a new key
	// (Reseal), so even a very large deployment stays orders of magnitude
	// below that; rotating the key resets the count.
	AES256GCM KeyAlgorithm = "A256GCM"
	// XChaCha20Poly1305 is ChaCha20-Poly1305 with a random 192-bit nonce
	// per seal (golang.org/x/crypto/chacha20poly1305). Its nonces are long
	// enough that no practical number of seals risks a repeat.
	XChaCha20Poly1305 KeyAlgorithm = "XC20P"
)

// KeySize is the length in bytes of Key.Secret for every KeyAlgorithm.
const KeySize = 32

const (
	maxKeyIDLen  = 32
	sealVersion  = "v1"
	sealAADLabel = "oauthreg sealed client secret"
	// maxSealPlaintext bounds what seal accepts (generated secrets are under
	// 128 bytes, supplied ones at most 512), and maxSealedLen what open
	// looks at: anything longer cannot be ours.
	maxSealPlaintext = 4096
	maxSealedLen     = len(sealVersion) + 1 + maxKeyIDLen + 1 + len("A256GCM") + 1 +
		(24+maxSealPlaintext+16+2)/3*4
)

// sealEncoding rejects non-canonical encodings (non-zero trailing bits), so
// that each sealed string decodes to exactly one byte string.
var sealEncoding = base64.RawURLEncoding.Strict()

// Key is one AEAD key of a KeyRing: an ID, an algorithm and 32 secret bytes.
//
// Generate one with GenerateKey (or 32 bytes from any cryptographic random
// source, e.g. `openssl rand -base64 32`) and keep it where you keep other
// server secrets: a secrets manager, a KMS-protected file, an environment
// variable of the auth server. Never keep it in the database that holds the
// clients: whoever has both the database and the key can read every sealed
// secret.
//
// The ID is stored in every value sealed under the key, so that the key ring
// finds the key again after a rotation; use something that says when or why
// the key was made, such as "2030-01" or "prod-3". It is 1 to 32 characters
// of letters, digits, '.', '_', '~' or '-', and not secret.
//
// A Key prints (fmt, including %#v), logs (log/slog) and marshals to JSON
// with its ID and algorithm only; its Secret is shown as "[REDACTED]".
// (encoding/json can still unmarshal a Key from {"ID":…, "Algorithm":…,
// "Secret":"<base64>"}, for loading configuration.) A Key held in an
// unexported struct field is printed by fmt through reflection, which shows
// the bytes: hand keys to NewKeyRing and let them go.
type Key struct {
	// ID names the key in the values it seals (not secret; see Key).
	ID string
	// Algorithm is AES256GCM or XChaCha20Poly1305.
	Algorithm KeyAlgorithm
	// Secret is the key material: exactly KeySize (32) random bytes. Its
	// type prints and encodes as "[REDACTED]" (see KeyMaterial).
	Secret KeyMaterial
}

// KeyMaterial is secret key bytes. Any []byte converts to it. fmt (every
// verb), log/slog, encoding/json, encoding/text, encoding/xml, encoding/gob
// and text/template show "[REDACTED]" instead of the bytes; encoding/json
// still decodes it from base64, for loading configuration. Use it as the
// []byte it is (slicing, len, crypto calls) where the key is needed.
type KeyMaterial []byte

// String returns "[REDACTED]".
func (KeyMaterial) String() string { return redacted }

// GoString returns "[REDACTED]".
func (KeyMaterial) GoString() string { return redacted }

// Format prints "[REDACTED]" whatever the verb.
func (k KeyMaterial) Format(f fmt.State, verb rune) { formatRedacted(f, verb, redacted, redacted) }

// LogValue makes log/slog print "[REDACTED]".
func (KeyMaterial) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON returns the JSON string "[REDACTED]".
func (KeyMaterial) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns "[REDACTED]".
func (KeyMaterial) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// GobEncode returns "[REDACTED]": a gob stream never carries key bytes.
func (KeyMaterial) GobEncode() ([]byte, error) { return []byte(redacted), nil }

// GobDecode refuses: a gob stream carries no key bytes to decode.
func (k *KeyMaterial) GobDecode([]byte) error {
	return fmt.Errorf("%w: key material is never gob-encoded; load it from base64", ErrInvalidConfig)
}

// GenerateKey returns a new Key with the given ID and algorithm and 32 bytes
// from crypto/rand. Use it in setup tools and tests; store Key.Secret (for
// example base64-encoded) outside the database, and build the KeyRing from it
// at start-up. The error wraps ErrInvalidConfig when the ID or algorithm is
// invalid.
func GenerateKey(id string, alg KeyAlgorithm) (Key, error) {
	if err := checkKeyID(id); err != nil {
		return Key{}, err
	}
	if err := checkKeyAlgorithm(id, alg); err != nil {
		return Key{}, err
	}
	secret := make([]byte, KeySize)
	if _, err := rand.Read(secret); err != nil {
		return Key{}, fmt.Errorf("oauthreg: reading random bytes: %w", err)
	}
	return Key{ID: id, Algorithm: alg, Secret: secret}, nil
}

// String describes the key without its secret bytes:
// Key{ID:2030-01 Algorithm:A256GCM Secret:[REDACTED]}.
func (k Key) String() string {
	return "Key{ID:" + k.ID + " Algorithm:" + string(k.Algorithm) + " Secret:" + redacted + "}"
}

// GoString describes the key for %#v without its secret bytes.
func (k Key) GoString() string {
	return fmt.Sprintf("oauthreg.Key{ID:%q, Algorithm:%q, Secret:%s}", k.ID, string(k.Algorithm), redacted)
}

// Format prints String for every verb (GoString for %#v, String quoted for
// %q), so no verb (%x, %v, %+v, %d…) shows the secret bytes.
func (k Key) Format(f fmt.State, verb rune) { formatRedacted(f, verb, k.String(), k.GoString()) }

// LogValue makes log/slog record the key's ID and algorithm only.
func (k Key) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", k.ID), slog.String("algorithm", string(k.Algorithm)),
		slog.String("secret", redacted))
}

// MarshalJSON returns {"id":…,"algorithm":…,"secret":"[REDACTED]"}.
func (k Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID        string `json:"id"`
		Algorithm string `json:"algorithm"`
		Secret    string `json:"secret"`
	}{k.ID, string(k.Algorithm), redacted})
}

// MarshalText returns String, for encoders (YAML, TOML…) that use
// encoding.TextMarshaler.
func (k Key) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// KeyRing holds AEAD keys by ID, one of them primary: new secrets are sealed
// under the primary, any key in the ring opens. Give it to the Registry with
// WithKeyRing to keep secrets retrievable.
//
// # Setting up
//
// Generate a key once (GenerateKey, or `openssl rand -base64 32`), store it
// outside the database (see Key), and at start-up:
//
//	ring, err := oauthreg.NewKeyRing(oauthreg.Key{
//		ID: "2030-01", Algorithm: oauthreg.AES256GCM, Secret: keyBytes,
//	})
//
// # Rotating the key
//
//  1. Generate a new key. If several servers share the database, first
//     deploy NewKeyRing(oldKey, newKey) to all of them, so that every server
//     can open what the new key will seal.
//  2. Make the new key primary and keep the old one as a non-primary key:
//     NewKeyRing(newKey, oldKey). New secrets are sealed under the new key;
//     the old key still opens the secrets it sealed.
//  3. Run the Registry's Reseal, which re-seals under the primary every
//     secret still sealed under another key.
//  4. When Reseal reports nothing left under the old key, remove it:
//     NewKeyRing(newKey). Destroy the old key only after that, and after
//     the backups that still hold values sealed under it have expired.
//
// Sealed values (Secret.Sealed) name their key in clear, so you can see in
// the database which key each one needs:
//
//	v1.<key ID>.<algorithm>.<base64url nonce, ciphertext and tag>
//
// A secret sealed under a key that is no longer in the ring cannot be opened:
// the error wraps ErrSealedSecret and names the key to add back.
//
// A KeyRing is immutable after NewKeyRing and safe for concurrent use. It
// prints (fmt), logs (log/slog) and marshals to JSON with its key IDs and
// algorithms only, never key bytes.
type KeyRing struct {
	primary *ringKey
	keys    []*ringKey // primary first, then the others in the order given
	byID    map[string]*ringKey
}

// ringKey is a key ready to use: the key bytes live only inside the AEAD.
type ringKey struct {
	id   string
	alg  KeyAlgorithm
	aead cipher.AEAD
	// nonceSize is how many random bytes seal generates itself (XChaCha);
	// 0 when the AEAD generates and prepends its nonce (GCM).
	nonceSize int
	// minPayload is the shortest payload that can open: nonce and tag.
	minPayload int
}

// NewKeyRing returns a key ring whose primary key seals new secrets and whose
// keys (primary and others) all open. Pass the keys that were primary before
// as others, until Reseal has moved every secret off them (see KeyRing).
//
// Every key needs a distinct valid ID, a known Algorithm and exactly 32 bytes
// of Secret; an all-zero Secret is refused as a sure sign of a key never
// filled in. The error wraps ErrInvalidConfig and says which key is wrong and
// why. NewKeyRing copies the key bytes: changing or zeroing the Keys'
// Secret slices afterwards does not affect the ring.
func NewKeyRing(primary Key, others ...Key) (*KeyRing, error) {
	all := append([]Key{primary}, others...)
	r := &KeyRing{keys: make([]*ringKey, 0, len(all)), byID: make(map[string]*ringKey, len(all))}
	for _, k := range all {
		if err := checkKeyID(k.ID); err != nil {
			return nil, err
		}
		if _, dup := r.byID[k.ID]; dup {
			return nil, fmt.Errorf("%w: key ID %q appears more than once in the key ring; give every key its own ID", ErrInvalidConfig, k.ID)
		}
		rk, err := newRingKey(k)
		if err != nil {
			return nil, err
		}
		r.keys = append(r.keys, rk)
		r.byID[k.ID] = rk
	}
	r.primary = r.keys[0]
	return r, nil
}

func newRingKey(k Key) (*ringKey, error) {
	if err := checkKeyAlgorithm(k.ID, k.Algorithm); err != nil {
		return nil, err
	}
	if len(k.Secret) != KeySize {
		return nil, fmt.Errorf("%w: key %q: secret is %d bytes; %s needs exactly %d random bytes (see GenerateKey)",
			ErrInvalidConfig, k.ID, len(k.Secret), k.Algorithm, KeySize)
	}
	var zero [KeySize]byte
	if subtle.ConstantTimeCompare(k.Secret, zero[:]) == 1 {
		return nil, fmt.Errorf("%w: key %q: secret is all zero bytes; fill it from a cryptographic random source (see GenerateKey)", ErrInvalidConfig, k.ID)
	}
	// Both constructors copy the key into their own state, so the caller's
	// slice is not retained.
	rk := &ringKey{id: k.ID, alg: k.Algorithm}
	var err error
	switch k.Algorithm {
	case AES256GCM:
		var block cipher.Block
		if block, err = aes.NewCipher(k.Secret); err == nil {
			rk.aead, err = cipher.NewGCMWithRandomNonce(block)
		}
		rk.minPayload = 12 + 16
	case XChaCha20Poly1305:
		rk.aead, err = chacha20poly1305.NewX(k.Secret)
		rk.nonceSize = chacha20poly1305.NonceSizeX
		rk.minPayload = chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead
	}
	if err != nil {
		// E.g. XChaCha20-Poly1305 under GODEBUG=fips140=only.
		return nil, fmt.Errorf("%w: key %q: %s: %v", ErrInvalidConfig, k.ID, k.Algorithm, err)
	}
	return rk, nil
}

func checkKeyID(id string) error {
	if id == "" || len(id) > maxKeyIDLen {
		return fmt.Errorf("%w: key ID %q: must be 1 to %d characters (letters, digits, '.', '_', '~' or '-')", ErrInvalidConfig, id, maxKeyIDLen)
	}
	for i := 0; i < len(id); i++ {
		if !isKeyIDChar(id[i]) {
			return fmt.Errorf("%w: key ID %q: character %q is not allowed; use letters, digits, '.', '_', '~' or '-'", ErrInvalidConfig, id, id[i])
		}
	}
	return nil
}

func checkKeyAlgorithm(id string, alg KeyAlgorithm) error {
	switch alg {
	case AES256GCM, XChaCha20Poly1305:
		return nil
	}
	return fmt.Errorf("%w: key %q: unknown algorithm %q; use %q (AES256GCM) or %q (XChaCha20Poly1305)",
		ErrInvalidConfig, id, string(alg), string(AES256GCM), string(XChaCha20Poly1305))
}

// isKeyIDChar reports whether c may appear in a key ID: RFC 3986 unreserved.
func isKeyIDChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// isSealPayloadChar reports whether c is in the base64url alphabet.
func isSealPayloadChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// PrimaryID returns the ID of the key new secrets are sealed under ("" for a
// nil or zero KeyRing).
func (k *KeyRing) PrimaryID() string {
	if k == nil || k.primary == nil {
		return ""
	}
	return k.primary.id
}

// sealAAD returns the associated data binding a sealed value to its key,
// algorithm, client and secret. Every part is length-prefixed.
func sealAAD(keyID string, alg KeyAlgorithm, clientID, secretID string) []byte {
	parts := [...]string{sealAADLabel, sealVersion, keyID, string(alg), clientID, secretID}
	n := 0
	for _, p := range parts {
		n += 8 + len(p)
	}
	aad := make([]byte, 0, n)
	for _, p := range parts {
		aad = binary.BigEndian.AppendUint64(aad, uint64(len(p)))
		aad = append(aad, p...)
	}
	return aad
}

// seal encrypts plaintext under the primary key, bound to clientID and
// secretID, and returns the sealed string (see the format above). Every call
// uses a fresh random nonce, so sealing the same secret twice gives different
// strings.
func (k *KeyRing) seal(plaintext, clientID, secretID string) (string, error) {
	if k == nil || k.primary == nil {
		return "", fmt.Errorf("%w: the key ring has no keys; build it with NewKeyRing", ErrInvalidConfig)
	}
	if len(plaintext) > maxSealPlaintext {
		return "", fmt.Errorf("oauthreg: cannot seal a secret of %d bytes; at most %d", len(plaintext), maxSealPlaintext)
	}
	rk := k.primary
	aad := sealAAD(rk.id, rk.alg, clientID, secretID)
	buf := make([]byte, rk.nonceSize, rk.minPayload+len(plaintext))
	if rk.nonceSize > 0 {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("oauthreg: reading random bytes: %w", err)
		}
	}
	// GCM (NonceSize 0) generates its nonce and prepends it; for XChaCha
	// the nonce is buf, and the ciphertext is appended after it.
	payload := rk.aead.Seal(buf, buf[:rk.nonceSize], unsafeBytes(plaintext), aad)

	var sb strings.Builder
	sb.Grow(len(sealVersion) + len(rk.id) + len(rk.alg) + 3 + sealEncoding.EncodedLen(len(payload)))
	sb.WriteString(sealVersion)
	sb.WriteByte('.')
	sb.WriteString(rk.id)
	sb.WriteByte('.')
	sb.WriteString(string(rk.alg))
	sb.WriteByte('.')
	sb.WriteString(sealEncoding.EncodeToString(payload))
	return sb.String(), nil
}

// parseSealed splits a sealed string into its key ID, algorithm and base64url
// payload, checking only the syntax.
func parseSealed(sealed string) (keyID string, alg KeyAlgorithm, payload string, err error) {
	if sealed == "" {
		return "", "", "", errors.New("the sealed value is empty")
	}
	if len(sealed) > maxSealedLen {
		return "", "", "", fmt.Errorf("malformed: %d bytes is longer than any sealed secret", len(sealed))
	}
	rest, ok := strings.CutPrefix(sealed, sealVersion+".")
	if !ok {
		return "", "", "", fmt.Errorf("malformed: does not start with %q (an unknown format version, or not a sealed value)", sealVersion+".")
	}
	dot := strings.LastIndexByte(rest, '.')
	if dot < 0 {
		return "", "", "", errors.New("malformed: expected v1.<key ID>.<algorithm>.<payload>")
	}
	rest, payload = rest[:dot], rest[dot+1:]
	dot = strings.LastIndexByte(rest, '.')
	if dot < 0 {
		return "", "", "", errors.New("malformed: expected v1.<key ID>.<algorithm>.<payload>")
	}
	keyID, alg = rest[:dot], KeyAlgorithm(rest[dot+1:])
	if keyID == "" || len(keyID) > maxKeyIDLen {
		return "", "", "", errors.New("malformed: the key ID must be 1 to 32 characters")
	}
	for i := 0; i < len(keyID); i++ {
		if !isKeyIDChar(keyID[i]) {
			return "", "", "", errors.New("malformed: invalid character in the key ID")
		}
	}
	if alg != AES256GCM && alg != XChaCha20Poly1305 {
		return "", "", "", errors.New("malformed: unknown algorithm")
	}
	if payload == "" {
		return "", "", "", errors.New("malformed: empty payload")
	}
	// base64 decoders skip '\r' and '\n'; refuse them (and anything else
	// outside the alphabet) so that one payload has one spelling.
	for i := 0; i < len(payload); i++ {
		if !isSealPayloadChar(payload[i]) {
			return "", "", "", errors.New("malformed: the payload is not unpadded base64url")
		}
	}
	return keyID, alg, payload, nil
}

// open decrypts a string made by seal with the same clientID and secretID,
// under whichever key of the ring its key ID names. Every failure wraps
// ErrSealedSecret and returns "".
func (k *KeyRing) open(sealed, clientID, secretID string) (string, error) {
	plain, err := k.openBytes(sealed, clientID, secretID)
	if err != nil {
		return "", err
	}
	s := string(plain)
	clear(plain) // the plaintext was decrypted in place; leave no copy behind
	return s, nil
}

// openBytes is open returning the plaintext in a fresh buffer the caller
// owns and must clear when done, so that a plaintext used as a key (an HMAC
// key for client_secret_jwt) never becomes an immutable string.
func (k *KeyRing) openBytes(sealed, clientID, secretID string) ([]byte, error) {
	if k == nil || k.primary == nil {
		return nil, fmt.Errorf("%w: the key ring has no keys", ErrSealedSecret)
	}
	keyID, alg, payload, err := parseSealed(sealed)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSealedSecret, err)
	}
	rk, ok := k.byID[keyID]
	if !ok {
		return nil, fmt.Errorf("%w: key %q is not in the key ring; add it as a non-primary key", ErrSealedSecret, keyID)
	}
	if rk.alg != alg {
		return nil, fmt.Errorf("%w: sealed with %s, but key %q in the key ring is %s", ErrSealedSecret, alg, keyID, rk.alg)
	}
	raw, err := sealEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: malformed: the payload is not unpadded base64url", ErrSealedSecret)
	}
	if len(raw) < rk.minPayload {
		return nil, fmt.Errorf("%w: malformed: the payload is %d bytes, shorter than a nonce and tag", ErrSealedSecret, len(raw))
	}
	nonce, ciphertext := raw[:rk.nonceSize], raw[rk.nonceSize:]
	plain, err := rk.aead.Open(ciphertext[:0], nonce, ciphertext, sealAAD(keyID, alg, clientID, secretID))
	if err != nil {
		return nil, fmt.Errorf("%w: authentication failed (altered, sealed for another client or secret, or key %q has other bytes than when it sealed)", ErrSealedSecret, keyID)
	}
	return plain, nil
}

// sealedWith returns the ID of the key that sealed a value, and whether the
// value is well-formed. It does not check that the key is in the ring nor
// that the value opens. Reseal uses it: a value needs resealing iff its key
// ID is not PrimaryID.
func (k *KeyRing) sealedWith(sealed string) (keyID string, ok bool) {
	keyID, _, _, err := parseSealed(sealed)
	if err != nil {
		return "", false
	}
	return keyID, true
}

// String describes the ring by key IDs and algorithms, primary first:
// KeyRing{Primary:2030-01 Keys:[2030-01(A256GCM) 2029-07(XC20P)]}.
func (k *KeyRing) String() string {
	if k == nil {
		return "KeyRing(nil)"
	}
	var sb strings.Builder
	sb.WriteString("KeyRing{Primary:")
	sb.WriteString(k.PrimaryID())
	sb.WriteString(" Keys:[")
	for i, rk := range k.keys {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(rk.id + "(" + string(rk.alg) + ")")
	}
	sb.WriteString("]}")
	return sb.String()
}

// GoString is "&oauthreg." followed by String: no key bytes for %#v either.
func (k *KeyRing) GoString() string {
	if k == nil {
		return "(*oauthreg.KeyRing)(nil)"
	}
	return "&oauthreg." + k.String()
}

// Format prints String for every verb (GoString for %#v, String quoted for
// %q).
func (k *KeyRing) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, k.String(), k.GoString())
}

// LogValue makes log/slog record the primary key ID and each key's algorithm
// by ID, e.g. ring.primary=2030-01 ring.keys.2030-01=A256GCM.
func (k *KeyRing) LogValue() slog.Value {
	if k == nil {
		return slog.StringValue("<nil>")
	}
	keys := make([]slog.Attr, len(k.keys))
	for i, rk := range k.keys {
		keys[i] = slog.String(rk.id, string(rk.alg))
	}
	return slog.GroupValue(slog.String("primary", k.PrimaryID()), slog.Attr{Key: "keys", Value: slog.GroupValue(keys...)})
}

// MarshalJSON returns the key IDs and algorithms, primary first:
// {"primary":"2030-01","keys":[{"id":"2030-01","algorithm":"A256GCM"},…]}.
func (k *KeyRing) MarshalJSON() ([]byte, error) {
	if k == nil {
		return []byte("null"), nil
	}
	type keyJSON struct {
		ID        string `json:"id"`
		Algorithm string `json:"algorithm"`
	}
	keys := make([]keyJSON, len(k.keys))
	for i, rk := range k.keys {
		keys[i] = keyJSON{rk.id, string(rk.alg)}
	}
	return json.Marshal(struct {
		Primary string    `json:"primary"`
		Keys    []keyJSON `json:"keys"`
	}{k.PrimaryID(), keys})
}

// MarshalText returns String.
func (k *KeyRing) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// formatRedacted implements fmt.Formatter for the key types: whatever the
// verb, only the redacted description is printed.
func formatRedacted(f fmt.State, verb rune, s, gs string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		s = gs
	case verb == 'q':
		s = fmt.Sprintf("%q", s)
	}
	_, _ = f.Write([]byte(s))
}

var (
	_ fmt.Formatter  = Key{}
	_ fmt.GoStringer = Key{}
	_ slog.LogValuer = Key{}
	_ json.Marshaler = Key{}
	_ fmt.Formatter  = (*KeyRing)(nil)
	_ fmt.GoStringer = (*KeyRing)(nil)
	_ slog.LogValuer = (*KeyRing)(nil)
	_ json.Marshaler = (*KeyRing)(nil)
)
