package oauthreg

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/oauthreg/oauthreg/internal/benchratio"
	xpbkdf2 "golang.org/x/crypto/pbkdf2"
)

// The benchmarks below put the hot path (generated secrets, one plain or
// keyed SHA-256) next to the slow hashes that supplied and imported secrets cost:
// argon2id at OWASP's parameters, bcrypt at fosite's default cost 12, and
// PBKDF2-SHA256 at Hydra's default 25,000 iterations.

const benchSecret = "oauthreg_sk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"

func BenchmarkVerifyGeneratedSHA256(b *testing.B) {
	h := mustHasher(b, hasherConfig{})
	benchVerifyGenerated(b, h, h.hashGenerated(benchSecret))
}

// BenchmarkVerifyGeneratedPeppered verifies what a Registry with a pepper
// writes ("$sha256-keyed$"; before it, "$hmac-sha256$").
func BenchmarkVerifyGeneratedPeppered(b *testing.B) {
	h := mustHasher(b, hasherConfig{PepperID: "p1", Pepper: testPepper1})
	benchVerifyGenerated(b, h, h.hashGenerated(benchSecret))
}

// BenchmarkVerifyGeneratedHMAC verifies the older peppered encoding,
// "$hmac-sha256$", which a Registry still verifies (and replaces on use).
func BenchmarkVerifyGeneratedHMAC(b *testing.B) {
	h := mustHasher(b, hasherConfig{PepperID: "p1", Pepper: testPepper1})
	benchVerifyGenerated(b, h, hmacHash("p1", testPepper1, benchSecret))
}

func benchVerifyGenerated(b *testing.B, h *hasher, encoded string) {
	b.ReportAllocs()
	for b.Loop() {
		if !h.verifyGenerated(encoded, benchSecret).ok() {
			b.Fatal("no match")
		}
	}
}

// BenchmarkVerifyGeneratedPepperedVsSHA256 reports, as the metric "ratio",
// what verifying a peppered hash costs next to a plain one, timed in
// alternating blocks of one run (benchratio.Interleave).
//
//	go test -run '^$' -bench VerifyGeneratedPepperedVsSHA256 -benchtime 20000x .
func BenchmarkVerifyGeneratedPepperedVsSHA256(b *testing.B) {
	plain := mustHasher(b, hasherConfig{})
	peppered := mustHasher(b, hasherConfig{PepperID: "p1", Pepper: testPepper1})
	verify := func(h *hasher) func(int) {
		encoded := h.hashGenerated(benchSecret)
		return func(int) {
			if !h.verifyGenerated(encoded, benchSecret).ok() {
				b.Fatal("no match")
			}
		}
	}
	benchratio.Interleave(b, 100, verify(plain), verify(peppered))
}

func BenchmarkHashGeneratedPeppered(b *testing.B) {
	h := mustHasher(b, hasherConfig{PepperID: "p1", Pepper: testPepper1})
	b.ReportAllocs()
	for b.Loop() {
		_ = h.hashGenerated(benchSecret)
	}
}

func BenchmarkVerifyArgon2idOWASP(b *testing.B) {
	h := mustHasher(b, hasherConfig{})
	ctx := context.Background()
	encoded, err := h.hashSupplied(ctx, benchSecret)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, _, err := h.verify(ctx, encoded, benchSecret); !ok || err != nil {
			b.Fatal("no match", err)
		}
	}
}

// BenchmarkVerifyBcryptCost12 verifies ory/x hasherx's published cost-12
// vector (fosite's default cost), which doubles as its known-answer test.
func BenchmarkVerifyBcryptCost12(b *testing.B) {
	h := mustHasher(b, hasherConfig{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if ok, _, err := h.verify(ctx, hydraBcrypt12, "test"); !ok || err != nil {
			b.Fatal("no match", err)
		}
	}
}

func BenchmarkVerifyPBKDF2SHA256Iter25000(b *testing.B) {
	h := mustHasher(b, hasherConfig{})
	salt := []byte("hydra-salt-16byt")
	key := xpbkdf2.Key([]byte(benchSecret), salt, 25000, 32, sha256.New)
	encoded := fmt.Sprintf("$pbkdf2-sha256$i=25000,l=32$%s$%s",
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if ok, _, err := h.verify(ctx, encoded, benchSecret); !ok || err != nil {
			b.Fatal("no match", err)
		}
	}
}
