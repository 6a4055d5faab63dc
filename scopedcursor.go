package oauthreg

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// Scoped.List reads the store in ID order and keeps the clients within the
// principal's reach; when it stops at its scan cap, the store's cursor it
// would continue from names the last client it read, which may be out of
// reach. Handing that cursor out would tell the caller a foreign client's
// ID (a store cursor is only an encoded ID). So the cursors of such
// listings are sealed: encrypted and authenticated with AES-256-GCM under a
// key of the Registry, bound to the principal's organization. They reveal
// nothing, cannot be forged to start anywhere, and are refused
// (ErrInvalidCursor) by another Registry key or another organization.
//
// The key is random for each Registry unless WithCursorKey sets one:
// deployments that run several replicas behind one load balancer give them
// all the same key, so that a page fetched from one replica can be
// continued on another.

// cursorKeyLen is the length of a cursor key: AES-256.
const cursorKeyLen = 32

// maxSealedCursorLen bounds the sealed cursors opened, before any decoding:
// store cursors are short (an encoded ID of at most 255 bytes).
const maxSealedCursorLen = 8 << 10

// sealedCursorVersion is the first byte of a sealed cursor.
const sealedCursorVersion = 1

// WithCursorKey sets the 32-byte key that seals the cursors of scoped
// listings which scan past clients out of the principal's reach (see
// Scoped.List). Give every replica of a deployment the same random key so
// that they accept each other's cursors; without it each Registry draws
// its own, and its cursors are valid only for that Registry. The key is
// not a secret of the same weight as a pepper (it protects only the
// positions of listings), but keep it out of logs all the same.
func WithCursorKey(key []byte) Option {
	return func(c *config) {
		if len(key) != cursorKeyLen {
			c.errs = append(c.errs, fmt.Errorf("%w: WithCursorKey: the key must be %d bytes (got %d)", ErrInvalidConfig, cursorKeyLen, len(key)))
			return
		}
		c.cursorKey = append([]byte(nil), key...)
	}
}

// cursorSealer seals and opens the cursors of scoped listings.
type cursorSealer struct{ aead cipher.AEAD }

// newCursorSealer returns a sealer under key, or under a random key when
// key is nil.
func newCursorSealer(key []byte) (*cursorSealer, error) {
	if key == nil {
		key = make([]byte, cursorKeyLen)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("oauthreg: drawing a cursor key: %w", err)
		}
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: cursor key: %w", ErrInvalidConfig, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("%w: cursor key: %w", ErrInvalidConfig, err)
	}
	return &cursorSealer{aead: aead}, nil
}

// cursorAAD binds a sealed cursor to the organization it was issued to.
func cursorAAD(org string) []byte {
	return append([]byte("oauthreg scoped list cursor\x00"), org...)
}

// seal returns the sealed form of a store cursor for org.
func (cs *cursorSealer) seal(org, storeCursor string) string {
	buf := make([]byte, 1+cs.aead.NonceSize(), 1+cs.aead.NonceSize()+len(storeCursor)+cs.aead.Overhead())
	buf[0] = sealedCursorVersion
	_, _ = rand.Read(buf[1:]) // crypto/rand.Read never fails (Go 1.24+)
	buf = cs.aead.Seal(buf, buf[1:], []byte(storeCursor), cursorAAD(org))
	return base64.RawURLEncoding.EncodeToString(buf)
}

// open returns the store cursor sealed in cursor for org, or an error
// matching ErrInvalidCursor.
func (cs *cursorSealer) open(org, cursor string) (string, error) {
	invalid := fmt.Errorf("%w: not a cursor of this listing (%d bytes)", ErrInvalidCursor, len(cursor))
	if len(cursor) > maxSealedCursorLen {
		return "", invalid
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	n := cs.aead.NonceSize()
	if err != nil || len(b) < 1+n+cs.aead.Overhead() || b[0] != sealedCursorVersion {
		return "", invalid
	}
	plain, err := cs.aead.Open(nil, b[1:1+n], b[1+n:], cursorAAD(org))
	if err != nil {
		return "", invalid
	}
	return string(plain), nil
}
