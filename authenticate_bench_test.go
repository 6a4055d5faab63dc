package oauthreg_test

import (
	"crypto/sha256"
	"crypto/subtle"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// The benchmarks below compare Authenticate on memstore with a baseline: the
// least work any secret check can do, a map lookup, one SHA-256 and a
// constant-time compare. Run them together:
//
//	go test -run '^$' -bench 'Authenticate|Baseline' -benchmem -count 6 . | tee new.txt
//	benchstat new.txt
//
// Targets: the right secret within 3× the baseline and at most 4 allocs/op;
// a wrong secret and an unknown client within ±20% of the right secret.

func benchKit(b *testing.B) (*oauthregtest.Kit, *oauthreg.Client, string) {
	kit := oauthregtest.New(b)
	// A realistic population, so the map is not trivially small.
	for range 1000 {
		kit.ConfidentialClient(b)
	}
	c, secret := kit.ConfidentialClient(b)
	return kit, c, secret.Reveal()
}

func BenchmarkBaselineMapSHA256Compare(b *testing.B) {
	_, c, secret := benchKit(b)
	stored := map[string][32]byte{}
	for i := range 1000 {
		stored[string(rune(i))+"x"] = sha256.Sum256([]byte{byte(i)})
	}
	stored[c.ID] = sha256.Sum256([]byte(secret))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		want, ok := stored[c.ID]
		got := sha256.Sum256([]byte(secret))
		if !ok || subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
			b.Fatal("mismatch")
		}
	}
}

func BenchmarkAuthenticateRightSecret(b *testing.B) {
	kit, c, secret := benchKit(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := kit.Authenticate(ctx, c.ID, secret); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAuthenticateWrongSecret(b *testing.B) {
	kit, c, _ := benchKit(b)
	_, other := kit.ConfidentialClient(b) // well-formed, but not this client's
	wrong := other.Reveal()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := kit.Authenticate(ctx, c.ID, wrong); err == nil {
			b.Fatal("accepted")
		}
	}
}

func BenchmarkAuthenticateWrongSecretSameID(b *testing.B) {
	kit, c, secret := benchKit(b)
	// The right secret ID with different random bits and a valid checksum:
	// the stored hash is found and compared, and does not match.
	wrong := oauthregtest.ForgeSameID(secret)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := kit.Authenticate(ctx, c.ID, wrong); err == nil {
			b.Fatal("accepted")
		}
	}
}

func BenchmarkAuthenticateUnknownClient(b *testing.B) {
	kit, _, secret := benchKit(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := kit.Authenticate(ctx, "0190c3a2-0000-7000-8000-000000000000", secret); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkRegister registers a confidential client (ID, validation, one
// generated secret, SHA-256) on memstore.
func BenchmarkRegister(b *testing.B) {
	kit := oauthregtest.New(b)
	c := oauthreg.Client{Owner: "org", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}, Scopes: []string{"read"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := kit.Register(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRotateSecret rotates one client's secret on memstore (read,
// rotate, versioned write). The policy keeps two secrets active, so the
// aggregate stays small; the revoked ones accumulate as they would until a
// purge.
func BenchmarkRotateSecret(b *testing.B) {
	kit := oauthregtest.New(b)
	c, _ := kit.ConfidentialClient(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := kit.RotateSecret(ctx, c.ID); err != nil {
			b.Fatal(err)
		}
		if i++; i%8 == 0 {
			b.StopTimer()
			kit.Clock.Advance(48 * time.Hour)
			if _, err := kit.PurgeExpired(ctx, 0); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	}
}
