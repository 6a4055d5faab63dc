package oauthreg

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"testing"

	xpbkdf2 "golang.org/x/crypto/pbkdf2"
)

// The benchmarks below put the hot path (generated secrets, one SHA-256 or
// HMAC) next to the slow hashes that supplied and imported secrets cost:
// argon2id at OWASP's parameters, bcrypt at fosite's default cost 12, and
// PBKDF2-SHA256 at Hydra's default 25,000 iterations.

const benchSecret = "oauthreg_sk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"

func BenchmarkVerifyGeneratedSHA256(b *testing.B) {
	h := mustHasher(b, hasherConfig{})
	encoded := h.hashGenerated(benchSecret)
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := h.verifyGenerated(encoded, benchSecret); !ok {
			b.Fatal("no match")
		}
	}
}

func BenchmarkVerifyGeneratedHMAC(b *testing.B) {
	h := mustHasher(b, hasherConfig{PepperID: "p1", Pepper: testPepper1})
	encoded := h.hashGenerated(benchSecret)
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := h.verifyGenerated(encoded, benchSecret); !ok {
			b.Fatal("no match")
		}
	}
}

func BenchmarkHashGeneratedHMAC(b *testing.B) {
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
