package clientauth

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"sync"

	"github.com/go-jose/go-jose/v4"

	"github.com/oauthreg/oauthreg/jwks"
)

// KeyFetcher fetches the JWK Set a client registered by reference
// (jwks_uri). The library opens no connections itself: the caller supplies
// the fetcher (NewHTTPKeyFetcher is a safe ready-made one).
//
// FetchKeys returns the JWK Set document at uri. refresh is true when the
// keys returned before did not include the one an assertion names (a client
// rotated its key): a fetcher should then fetch again unless it did so very
// recently. The Authenticator parses and checks what it returns.
type KeyFetcher interface {
	FetchKeys(ctx context.Context, uri string, refresh bool) ([]byte, error)
}

// Limits of a client's JWK Set as the Authenticator uses it.
const (
	// maxKeySetBytes bounds a JWK Set document.
	maxKeySetBytes = 64 << 10
	// maxKeysTried bounds how many keys one assertion without a kid is
	// tried against.
	maxKeysTried = 8
	// minRSABits is the smallest RSA key accepted (RFC 7518 §3.3).
	minRSABits = 2048
)

// keySet is a parsed, checked JWK Set of public signature keys.
type keySet struct {
	keys []jose.JSONWebKey
}

// parseKeySet parses a JWK Set document with package jwks, the same check
// registration applies (public keys only, usable types and algorithms), and
// keeps the keys whose use is "sig" or unset.
func parseKeySet(raw []byte) (*keySet, error) {
	set, err := jwks.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("the client's JWK Set is unusable: %w", err)
	}
	out := &keySet{}
	for _, k := range set.Keys {
		if k.Use == "" || k.Use == "sig" {
			out.keys = append(out.keys, k)
		}
	}
	return out, nil
}

// candidates returns the keys an assertion signed with alg under kid may
// have been signed by: with a kid, the keys with that kid; without one, every
// key; in both cases only keys whose type and curve fit alg and whose own
// alg, if set, is alg.
func (s *keySet) candidates(alg jose.SignatureAlgorithm, kid string) []jose.JSONWebKey {
	var out []jose.JSONWebKey
	for _, k := range s.keys {
		if kid != "" && k.KeyID != kid {
			continue
		}
		if k.Algorithm != "" && k.Algorithm != string(alg) {
			continue
		}
		if keyFits(k.Key, alg) {
			out = append(out, k)
		}
	}
	return out
}

// keyFits reports whether a public key can verify alg.
func keyFits(key any, alg jose.SignatureAlgorithm) bool {
	switch k := key.(type) {
	case *rsa.PublicKey:
		switch alg {
		case jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512:
			return k.N.BitLen() >= minRSABits
		}
	case *ecdsa.PublicKey:
		switch alg {
		case jose.ES256:
			return k.Curve == elliptic.P256()
		case jose.ES384:
			return k.Curve == elliptic.P384()
		case jose.ES512:
			return k.Curve == elliptic.P521()
		}
	case ed25519.PublicKey:
		return alg == jose.EdDSA
	}
	return false
}

// keyCache keeps parsed JWK Sets by source (a client's jwks, or a
// jwks_uri), each with the SHA-256 of the document it was parsed from, so
// that a changed registration or a rotated document is parsed again. (A
// digest, not the document: the lookup then reads only the bytes the request
// just brought into the cache.) It holds at most size entries and drops an
// arbitrary one when full.
type keyCache struct {
	mu      sync.RWMutex
	size    int
	entries map[keySource]*keyCacheEntry
}

// keySource names where a key set comes from.
type keySource struct {
	byURI bool // name is a jwks_uri, else a client ID (its jwks)
	name  string
}

type keyCacheEntry struct {
	sum [sha256.Size]byte
	set *keySet
	err error
}

func newKeyCache(size int) *keyCache {
	return &keyCache{size: size, entries: map[keySource]*keyCacheEntry{}}
}

// get returns the parsed set of raw under source, parsing it on a miss.
func (c *keyCache) get(source keySource, raw []byte) (*keySet, error) {
	sum := sha256.Sum256(raw)
	c.mu.RLock()
	e, ok := c.entries[source]
	c.mu.RUnlock()
	if ok && e.sum == sum {
		return e.set, e.err
	}
	set, err := parseKeySet(raw)
	if c.size == 0 {
		return set, err
	}
	c.mu.Lock()
	if _, ok := c.entries[source]; !ok && len(c.entries) >= c.size {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[source] = &keyCacheEntry{sum: sum, set: set, err: err}
	c.mu.Unlock()
	return set, err
}
