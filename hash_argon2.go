package oauthreg

// argon2id for secrets a person supplies, and verification of imported
// argon2id / argon2i hashes.
//
// A person's secret may be guessable, so its hash must make each guess
// expensive: argon2id is memory-hard (an attacker's GPU needs the same 19 MiB
// per guess as the server) and is the first choice of OWASP and RFC 9106.
// The cost is paid by the server too, so every argon2 run holds a slot of the
// hasher's semaphore: memory stays bounded however many requests arrive.

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// hashSupplied hashes a secret a person supplied with argon2id at OWASP's
// parameters (m=19456 KiB, t=2, p=1, a 16-byte salt from crypto/rand, a
// 32-byte key), as the PHC string "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>".
// It waits for a slow-hash slot, giving up with ctx's error when ctx ends
// first.
func (h *hasher) hashSupplied(ctx context.Context, secret string) (string, error) {
	k, err := h.acquire(ctx, argon2Memory)
	if err != nil {
		return "", err
	}
	defer h.release(k, argon2Memory)
	a := &argon2Hash{
		id:      true,
		memory:  argon2Memory,
		time:    argon2Time,
		threads: argon2Threads,
		salt:    make([]byte, argon2SaltLen),
	}
	rand.Read(a.salt) // never fails (it crashes the program instead)
	// unsafeBytes: a copy of the plaintext would stay in memory.
	a.key = argon2.IDKey(unsafeBytes(secret), a.salt, a.time, a.memory, a.threads, argon2KeyLen)
	return a.String(), nil
}

// decoyVerifySupplied does the work of a failed slow verification (argon2id
// at the parameters hashSupplied uses, holding a slot like a real one)
// against a hash no secret matches, so an unknown client or a client without
// slow secrets costs what a wrong secret costs. Its only error is ctx's,
// when ctx ends while waiting for a slot.
func (h *hasher) decoyVerifySupplied(ctx context.Context, secret string) error {
	k, err := h.acquire(ctx, argon2Memory)
	if err != nil {
		return err
	}
	defer h.release(k, argon2Memory)
	_, _ = h.decoySupplied.match(secret)
	return nil
}

// argon2Hash is a parsed argon2id or argon2i PHC string:
//
//	$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>
//
// with salt and hash in PHC base64 (standard alphabet, no padding).
type argon2Hash struct {
	id      bool   // argon2id; argon2i otherwise
	memory  uint32 // KiB
	time    uint32 // passes
	threads uint8  // lanes
	salt    []byte
	key     []byte
}

// String returns the canonical PHC encoding.
func (a *argon2Hash) String() string {
	variant := "argon2i"
	if a.id {
		variant = "argon2id"
	}
	return fmt.Sprintf("$%s$v=%d$m=%d,t=%d,p=%d$%s$%s", variant, argon2.Version, a.memory, a.time, a.threads,
		base64.RawStdEncoding.EncodeToString(a.salt), base64.RawStdEncoding.EncodeToString(a.key))
}

// match derives the key for secret and compares it in constant time.
// argon2 only reads the secret: it gets the string's bytes (unsafeBytes),
// not a copy that would stay in memory.
func (a *argon2Hash) match(secret string) (bool, error) {
	var k []byte
	if a.id {
		k = argon2.IDKey(unsafeBytes(secret), a.salt, a.time, a.memory, a.threads, uint32(len(a.key)))
	} else {
		k = argon2.Key(unsafeBytes(secret), a.salt, a.time, a.memory, a.threads, uint32(len(a.key)))
	}
	return ctEqual(k, a.key), nil
}

// current reports whether the hash is argon2id with OWASP's parameters or
// stronger ones on every axis (memory, passes, salt and key length). Any
// other argon2 hash verifies but is replaced after a successful
// verification.
func (a *argon2Hash) current() bool {
	return a.id && a.memory >= argon2Memory && a.time >= argon2Time &&
		len(a.salt) >= argon2SaltLen && len(a.key) >= argon2KeyLen
}

// parseArgon2 parses an argon2id or argon2i PHC string and checks its
// parameters against the bounds an import may use: at most 1 GiB of memory
// (and at least 8 KiB per lane, as RFC 9106 requires), 1..64 passes, 1..255
// lanes, an 8..1024-byte salt and a 16..128-byte hash. Only version 19
// (0x13, the current one) is accepted; the optional keyid and data
// parameters are not.
func parseArgon2(encoded string) (*argon2Hash, error) {
	parts := strings.Split(encoded, "$")
	// "", variant, "v=19", "m=…,t=…,p=…", salt, hash
	if len(parts) < 2 {
		return nil, unsupportedf("argon2: malformed")
	}
	variant := parts[1]
	a := &argon2Hash{id: variant == "argon2id"}
	if len(parts) == 5 && strings.HasPrefix(parts[2], "m=") {
		return nil, unsupportedf("%s: missing version \"v=19\" (argon2 1.0 hashes are not supported)", variant)
	}
	if len(parts) != 6 {
		return nil, unsupportedf("%s: want \"$%s$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>\", got %d '$'-separated fields",
			variant, variant, len(parts)-1)
	}
	v, found := strings.CutPrefix(parts[2], "v=")
	if !found {
		return nil, unsupportedf("%s: want \"v=19\" as the second field", variant)
	}
	if n, ok := parseDecimal(v, 0, 1<<32); !ok || n != argon2.Version {
		return nil, unsupportedf("%s: version %q is not supported; only v=%d", variant, SanitizeInput(v), argon2.Version)
	}

	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return nil, unsupportedf("%s: want exactly the parameters m=<KiB>,t=<passes>,p=<lanes>, in that order", variant)
	}
	var vals [3]uint64
	for i, spec := range []struct {
		name   string
		lo, hi uint64
	}{{"m", 1, maxArgon2Memory}, {"t", 1, maxArgon2Time}, {"p", 1, maxArgon2Threads}} {
		val, found := strings.CutPrefix(params[i], spec.name+"=")
		if !found {
			return nil, unsupportedf("%s: parameter %d is %q; want %s=<number> (parameters m, t, p in that order)",
				variant, i+1, SanitizeInput(params[i]), spec.name)
		}
		n, ok := parseDecimal(val, spec.lo, spec.hi)
		if !ok {
			return nil, unsupportedf("%s: %s=%s: want a decimal number in %d..%d", variant, spec.name, SanitizeInput(val), spec.lo, spec.hi)
		}
		vals[i] = n
	}
	a.memory, a.time, a.threads = uint32(vals[0]), uint32(vals[1]), uint8(vals[2])
	if a.memory < 8*uint32(a.threads) {
		return nil, unsupportedf("%s: m=%d is below 8 KiB per lane (p=%d), which argon2 requires", variant, a.memory, a.threads)
	}

	var err error
	if a.salt, err = decodeBase64(phcBase64, variant+" salt", parts[4]); err != nil {
		return nil, err
	}
	if a.key, err = decodeBase64(phcBase64, variant+" hash", parts[5]); err != nil {
		return nil, err
	}
	if err := checkSaltKey(variant, a.salt, a.key); err != nil {
		return nil, err
	}
	return a, nil
}
