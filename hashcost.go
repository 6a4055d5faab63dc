package oauthreg

import (
	"errors"
	"fmt"
)

// ErrHashTooExpensive matches (with errors.Is) the error ImportSecret
// returns for a hash whose parameters would make each verification cost more
// than the Registry's HashCostLimits allow, and the error a stored hash over
// the limits gets at verification (it is not run, so it never
// authenticates). Such an error also matches ErrUnsupportedHash.
var ErrHashTooExpensive = errors.New("oauthreg: secret hash too expensive to verify")

// HashCostLimits bounds what one verification of an imported hash may cost
// the server. Imported hashes carry their own parameters, so without bounds
// one import (PBKDF2 at 10 M iterations, bcrypt cost 16, argon2 with 1 GiB)
// could make every wrong guess take seconds and hold a slow-hash slot and its
// memory all that time. Set them with WithHashCostLimits; zero fields take
// the defaults of DefaultHashCostLimits.
type HashCostLimits struct {
	// PBKDF2SHA256Iterations caps PBKDF2 work, counted in iterations of
	// HMAC-SHA-256. Other digests cost more per iteration on a server, so
	// their cap is this divided by their relative cost: SHA-1 2, SHA-384
	// and SHA-512 3, the SHA3 digests Ory calls sha224 and sha384 6
	// (measured with crypto/pbkdf2 on amd64; SHA-224 costs what SHA-256
	// does). Default 1,300,000: SHA-256 up to 1.3 M,
	// SHA-1 650,000, SHA-512 433,333, SHA3 216,666 iterations.
	//
	// It caps SHA-crypt's rounds too ("$5$", "$6$"), each round of which
	// costs, for the longest secret tried against them (256 bytes), about
	// 3 (SHA-256-crypt) and 7 (SHA-512-crypt) PBKDF2-HMAC-SHA-256
	// iterations: by default at most 433,333 rounds of "$5$" and 185,714
	// of "$6$" (crypt(3)'s default is 5000, Authelia's 50,000).
	PBKDF2SHA256Iterations int
	// BcryptCost caps bcrypt's cost (log2 of its rounds), of "$2b$" and
	// of passlib's "$bcrypt-sha256$". Default 14.
	BcryptCost int
	// Argon2MemoryKiB caps argon2's m, and the memory of scrypt
	// ("$scrypt$" and Spring's {scrypt}: 128·N·r bytes; scrypt never
	// above 256 MiB, whatever this says). Default 65536 (64 MiB, which
	// Authelia's scrypt default, N=2^16 and r=8, needs).
	Argon2MemoryKiB uint32
	// Argon2Time caps argon2's t (passes). Default 10. scrypt's work
	// (two passes over its memory for each of its p) is capped at
	// Argon2MemoryKiB × Argon2Time.
	Argon2Time uint32
	// Argon2Threads caps argon2's p (lanes, run in parallel). Default 4.
	Argon2Threads uint8
}

// DefaultHashCostLimits are the limits a Registry applies unless
// WithHashCostLimits says otherwise: near OWASP's recommendations (Password
// Storage Cheat Sheet), so the hashes of well-configured systems import, and
// a verification costs at most about a second of one core and 64 MiB.
var DefaultHashCostLimits = HashCostLimits{
	PBKDF2SHA256Iterations: 1_300_000,
	BcryptCost:             14,
	Argon2MemoryKiB:        64 << 10,
	Argon2Time:             10,
	Argon2Threads:          4,
}

// pbkdf2RelativeCost is the cost of one PBKDF2 iteration with each digest,
// relative to HMAC-SHA-256.
var pbkdf2RelativeCost = map[string]int{"sha1": 2, "sha224": 1, "sha256": 1, "sha384": 3, "sha512": 3, "sha3-224": 6, "sha3-384": 6}

// shaCryptRelativeCost is the cost of one SHA-crypt round over a secret of
// shaCryptMaxSecret bytes, relative to one PBKDF2-HMAC-SHA-256 iteration
// (measured with crypto/sha256, which uses SHA-NI, and crypto/sha512 on
// amd64: 2.5 for SHA-256-crypt and 5.9 to 6.0 for SHA-512-crypt, rounded up
// with a margin; OAUTHREG_MEASURE_SHACRYPT=1 go test -run
// TestShaCryptRelativeCost -v . measures it again).
func shaCryptRelativeCost(sha512 bool) int {
	if sha512 {
		return 7
	}
	return 3
}

// withDefaults fills zero fields from DefaultHashCostLimits.
func (l HashCostLimits) withDefaults() HashCostLimits {
	d := DefaultHashCostLimits
	if l.PBKDF2SHA256Iterations == 0 {
		l.PBKDF2SHA256Iterations = d.PBKDF2SHA256Iterations
	}
	if l.BcryptCost == 0 {
		l.BcryptCost = d.BcryptCost
	}
	if l.Argon2MemoryKiB == 0 {
		l.Argon2MemoryKiB = d.Argon2MemoryKiB
	}
	if l.Argon2Time == 0 {
		l.Argon2Time = d.Argon2Time
	}
	if l.Argon2Threads == 0 {
		l.Argon2Threads = d.Argon2Threads
	}
	return l
}

// validate refuses limits below what the library itself writes (argon2id
// at m=19456 KiB, t=2, p=1), which would make its own hashes unverifiable,
// and negative ones.
func (l HashCostLimits) validate() error {
	switch {
	case l.PBKDF2SHA256Iterations < minPBKDF2Iter:
		return fmt.Errorf("%w: HashCostLimits.PBKDF2SHA256Iterations %d is below %d", ErrInvalidConfig, l.PBKDF2SHA256Iterations, minPBKDF2Iter)
	case l.BcryptCost < minBcryptCost || l.BcryptCost > maxBcryptCost:
		return fmt.Errorf("%w: HashCostLimits.BcryptCost %d is outside %d..%d", ErrInvalidConfig, l.BcryptCost, minBcryptCost, maxBcryptCost)
	case l.Argon2MemoryKiB < argon2Memory || l.Argon2Time < argon2Time || l.Argon2Threads < argon2Threads:
		return fmt.Errorf("%w: HashCostLimits for argon2 (m=%d KiB, t=%d, p=%d) are below what the library writes (m=%d, t=%d, p=%d)",
			ErrInvalidConfig, l.Argon2MemoryKiB, l.Argon2Time, l.Argon2Threads, argon2Memory, argon2Time, argon2Threads)
	}
	return nil
}

// check returns an error wrapping ErrHashTooExpensive (and
// ErrUnsupportedHash) when verifying sh would cost more than l allows.
func (l HashCostLimits) check(sh slowHash) error {
	switch v := sh.(type) {
	case *pbkdf2Hash:
		return l.checkPBKDF2("pbkdf2-"+v.digest, v.digest, v.iter)
	case *springPBKDF2Hash:
		return l.checkPBKDF2("spring-pbkdf2-"+v.digest, v.digest, v.iter)
	case *shaCryptHash:
		if maxRounds := l.PBKDF2SHA256Iterations / shaCryptRelativeCost(v.sha512); v.rounds > maxRounds {
			return tooExpensive("%s: %d rounds; at most %d are verified (HashCostLimits.PBKDF2SHA256Iterations %d, SHA-256-equivalent)",
				v.name(), v.rounds, maxRounds, l.PBKDF2SHA256Iterations)
		}
	case *bcryptHash:
		return l.checkBcrypt("bcrypt", v.cost)
	case *bcryptSHA256Hash:
		return l.checkBcrypt("bcrypt-sha256", v.cost)
	case *scryptHash:
		// scrypt holds 128·N·r bytes while it runs, counted against the
		// argon2 memory limit, and never above maxScryptMemoryKiB: the
		// one memory bound of scrypt hashes. (Spring's {pbkdf2}, at most
		// 310,000 HMAC-SHA-256 iterations, and {sha256}, 1024 SHA-256
		// rounds, are fixed and below every limit.)
		if maxKiB := min(uint64(l.Argon2MemoryKiB), maxScryptMemoryKiB); v.memoryKiB() > maxKiB {
			return tooExpensive("%s: N=2^%d, r=%d needs %d KiB; at most %d is verified (HashCostLimits.Argon2MemoryKiB, and %d for scrypt whatever it says)",
				v.name(), v.logN, v.r, v.memoryKiB(), maxKiB, maxScryptMemoryKiB)
		}
		// Its p runs go one after another over that memory, two passes
		// each: bounded like argon2's m·t, so p cannot multiply the time.
		if work, maxWork := v.memoryKiB()*uint64(v.p)*2, uint64(l.Argon2MemoryKiB)*uint64(l.Argon2Time); work > maxWork {
			return tooExpensive("%s: N=2^%d, r=%d, p=%d makes %d KiB of memory passes; at most %d are verified (HashCostLimits.Argon2MemoryKiB × Argon2Time)",
				v.name(), v.logN, v.r, v.p, work, maxWork)
		}
	case *argon2Hash:
		switch {
		case v.memory > l.Argon2MemoryKiB:
			return tooExpensive("argon2: m=%d KiB; at most %d is verified (HashCostLimits.Argon2MemoryKiB)", v.memory, l.Argon2MemoryKiB)
		case v.time > l.Argon2Time:
			return tooExpensive("argon2: t=%d; at most %d is verified (HashCostLimits.Argon2Time)", v.time, l.Argon2Time)
		case v.threads > l.Argon2Threads:
			return tooExpensive("argon2: p=%d; at most %d is verified (HashCostLimits.Argon2Threads)", v.threads, l.Argon2Threads)
		}
	}
	return nil
}

// checkPBKDF2 checks iter iterations of PBKDF2 with digest (a key of
// pbkdf2Digests) against the PBKDF2 budget; name is the scheme in the error.
func (l HashCostLimits) checkPBKDF2(name, digest string, iter int) error {
	if maxIter := l.PBKDF2SHA256Iterations / pbkdf2RelativeCost[digest]; iter > maxIter {
		return tooExpensive("%s: %d iterations; at most %d are verified (HashCostLimits.PBKDF2SHA256Iterations %d, SHA-256-equivalent)",
			name, iter, maxIter, l.PBKDF2SHA256Iterations)
	}
	return nil
}

func tooExpensive(format string, args ...any) error {
	return fmt.Errorf("%w: %w: %s", ErrUnsupportedHash, ErrHashTooExpensive, fmt.Sprintf(format, args...))
}

// memoryKiB is how much memory verifying sh takes, which its slow-hash slot
// accounts for.
func memoryKiB(sh slowHash) uint64 {
	switch v := sh.(type) {
	case *argon2Hash:
		return uint64(v.memory)
	case *bcryptHash, *bcryptSHA256Hash:
		return 8 // bcrypt's state is about 4 KiB
	case *scryptHash:
		return max(v.memoryKiB(), 1)
	default:
		return 1
	}
}

// checkBcrypt refuses a bcrypt cost (of bcrypt or of passlib's
// bcrypt-sha256, which runs bcrypt once) above BcryptCost.
func (l HashCostLimits) checkBcrypt(name string, cost int) error {
	if cost > l.BcryptCost {
		return tooExpensive("%s: cost %d; at most %d is verified (HashCostLimits.BcryptCost)", name, cost, l.BcryptCost)
	}
	return nil
}
