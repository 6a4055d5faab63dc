package oauthreg_test

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

var b64 = base64.RawStdEncoding.EncodeToString

// argon2Import returns an argon2id PHC string for secret with the given
// parameters; its key is computed only when compute is true (a hash that is
// refused is never run).
func argon2Import(secret string, m, t uint32, p uint8, compute bool) string {
	salt := []byte("0123456789abcdef")
	key := make([]byte, 32)
	if compute {
		key = argon2.IDKey([]byte(secret), salt, t, m, p, 32)
	}
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", m, t, p, b64(salt), b64(key))
}

func pbkdf2Import(digest string, iter int) string {
	return fmt.Sprintf("$pbkdf2-%s$i=%d,l=32$%s$%s", digest, iter, b64([]byte("0123456789abcdef")), b64(make([]byte, 32)))
}

// passlibShapePBKDF2, shaCryptAt, bcryptSHA256At and scryptAt return
// syntactically valid hashes with the given parameters (never run).
func passlibShapePBKDF2(digest string, iter, keyLen int) string {
	ab64 := base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./").WithPadding(base64.NoPadding)
	return fmt.Sprintf("$pbkdf2-%s$%d$%s$%s", digest, iter, ab64.EncodeToString([]byte("0123456789abcdef")), ab64.EncodeToString(make([]byte, keyLen)))
}

func shaCryptAt(variant, rounds int) string {
	key := "5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"
	if variant == 6 {
		key = "svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"
	}
	return fmt.Sprintf("$%d$rounds=%d$saltstring$%s", variant, rounds, key)
}

func bcryptSHA256At(cost int) string {
	return fmt.Sprintf("$bcrypt-sha256$v=2,t=2b,r=%d$n79VH.0Q2TMWmt3Oqt9uku$Kq4Noyk3094Y2QlB8NdRT8SvGiI4ft2", cost)
}

func scryptAt(logN, r, p int) string {
	return fmt.Sprintf("$scrypt$ln=%d,r=%d,p=%d$%s$%s", logN, r, p, b64([]byte("0123456789abcdef")), b64(make([]byte, 32)))
}

// TestImportRefusesExpensiveHashes: ImportSecret refuses, with an error
// matching ErrHashTooExpensive (and ErrUnsupportedHash), a hash one step
// over any of the default HashCostLimits, and accepts one at the limit;
// WithHashCostLimits moves the limits.
func TestImportRefusesExpensiveHashes(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{MaxActiveSecrets: oauthreg.MaxActiveSecretsCeiling}))
	ctx := t.Context()
	bcryptAt := func(cost int) string {
		// A syntactically valid bcrypt hash of the given cost (never run).
		return fmt.Sprintf("$2b$%02d$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", cost)
	}
	for _, tc := range []struct {
		name     string
		at, over string
	}{
		{"pbkdf2-sha256", pbkdf2Import("sha256", 1_300_000), pbkdf2Import("sha256", 1_300_001)},
		{"pbkdf2-sha1", pbkdf2Import("sha1", 650_000), pbkdf2Import("sha1", 650_001)},
		{"pbkdf2-sha512", pbkdf2Import("sha512", 433_333), pbkdf2Import("sha512", 433_334)},
		{"pbkdf2-sha384 (SHA3)", pbkdf2Import("sha384", 216_666), pbkdf2Import("sha384", 216_667)},
		{"bcrypt", bcryptAt(14), bcryptAt(15)},
		{"argon2 m", argon2Import("x", 64<<10, 1, 1, false), argon2Import("x", 64<<10+1, 1, 1, false)},
		{"argon2 t", argon2Import("x", 1024, 10, 1, false), argon2Import("x", 1024, 11, 1, false)},
		{"argon2 p", argon2Import("x", 1024, 1, 4, false), argon2Import("x", 1024, 1, 5, false)},
		// go-crypt's (Authelia's) PBKDF2 shape: its sha224 and sha384 are SHA-2.
		{"pbkdf2-sha384 (go-crypt, SHA-2)", passlibShapePBKDF2("sha384", 433_333, 48), passlibShapePBKDF2("sha384", 433_334, 48)},
		{"pbkdf2-sha224 (go-crypt, SHA-2)", passlibShapePBKDF2("sha224", 1_300_000, 28), passlibShapePBKDF2("sha224", 1_300_001, 28)},
		{"sha256-crypt", shaCryptAt(5, 433_333), shaCryptAt(5, 433_334)},
		{"sha512-crypt", shaCryptAt(6, 185_714), shaCryptAt(6, 185_715)},
		{"bcrypt-sha256", bcryptSHA256At(14), bcryptSHA256At(15)},
		// 128·2^16·8 bytes = 64 MiB, and 128·2^16·4·2·5 = 640 MiB of passes.
		{"scrypt memory", scryptAt(16, 8, 1), scryptAt(16, 9, 1)},
		{"scrypt work", scryptAt(16, 8, 5), scryptAt(16, 8, 6)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := kit.ConfidentialClient(t)
			before, _ := kit.Get(ctx, c.ID)
			_, err := kit.ImportSecret(ctx, c.ID, tc.over)
			if !errors.Is(err, oauthreg.ErrHashTooExpensive) || !errors.Is(err, oauthreg.ErrUnsupportedHash) {
				t.Fatalf("ImportSecret one step over the limit: %v, want ErrHashTooExpensive and ErrUnsupportedHash", err)
			}
			if after, _ := kit.Get(ctx, c.ID); after.Version != before.Version {
				t.Fatal("a refused import changed the client")
			}
			if _, err := kit.ImportSecret(ctx, c.ID, tc.at); err != nil {
				t.Fatalf("ImportSecret at the limit: %v", err)
			}
		})
	}
	raised := oauthregtest.New(t, oauthreg.WithHashCostLimits(oauthreg.HashCostLimits{BcryptCost: 16}))
	c, _ := raised.ConfidentialClient(t)
	if _, err := raised.ImportSecret(ctx, c.ID, bcryptAt(16)); err != nil {
		t.Fatalf("bcrypt cost 16 with BcryptCost 16: %v", err)
	}
	if _, err := oauthreg.New(kit.Store, oauthreg.WithHashCostLimits(oauthreg.HashCostLimits{Argon2MemoryKiB: 1024})); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Fatalf("limits below the library's own argon2: %v, want ErrInvalidConfig", err)
	}
}

// TestScryptMemoryCeiling: HashCostLimits is scrypt's one memory bound,
// and it never lets scrypt past 256 MiB: raised limits that argon2 may use
// admit a 256 MiB scrypt and still refuse a 512 MiB one, as too expensive
// like any hash over the limits (wrapping ErrUnsupportedHash as before).
func TestScryptMemoryCeiling(t *testing.T) {
	ctx := t.Context()
	raised := oauthregtest.New(t, oauthreg.WithHashCostLimits(oauthreg.HashCostLimits{Argon2MemoryKiB: 1 << 20}),
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{MaxActiveSecrets: oauthreg.MaxActiveSecretsCeiling}))
	c, _ := raised.ConfidentialClient(t)
	if _, err := raised.ImportSecret(ctx, c.ID, argon2Import("x", 512<<10, 1, 1, false)); err != nil {
		t.Fatalf("argon2 m=512 MiB under Argon2MemoryKiB 1 GiB: %v", err)
	}
	if _, err := raised.ImportSecret(ctx, c.ID, scryptAt(18, 8, 1)); err != nil {
		t.Fatalf("scrypt at 256 MiB under Argon2MemoryKiB 1 GiB: %v", err)
	}
	for _, h := range []string{scryptAt(19, 8, 1), scryptAt(18, 9, 1), scryptAt(20, 32, 1)} {
		_, err := raised.ImportSecret(ctx, c.ID, h)
		if !errors.Is(err, oauthreg.ErrHashTooExpensive) || !errors.Is(err, oauthreg.ErrUnsupportedHash) {
			t.Errorf("ImportSecret(%s) under Argon2MemoryKiB 1 GiB: %v, want ErrHashTooExpensive and ErrUnsupportedHash", h, err)
		}
	}
}

// TestStoredExpensiveHashIsNotRun: a hash over the limits that is already
// stored (imported under higher limits) never runs and never
// authenticates.
func TestStoredExpensiveHashIsNotRun(t *testing.T) {
	const secret = "correct horse battery staple"
	raised := oauthregtest.New(t)
	c, _ := raised.ConfidentialClient(t)
	salt := []byte("0123456789abcdef")
	key, _ := pbkdf2.Key(sha256.New, secret, salt, 20_000, 32)
	if _, err := raised.ImportSecret(t.Context(), c.ID, fmt.Sprintf("$pbkdf2-sha256$i=20000,l=32$%s$%s", b64(salt), b64(key))); err != nil {
		t.Fatal(err)
	}
	// The same store under limits the stored hash exceeds.
	strict, err := oauthreg.New(raised.Store, oauthreg.WithHashCostLimits(oauthreg.HashCostLimits{PBKDF2SHA256Iterations: 10_000}))
	if err != nil {
		t.Fatal(err)
	}
	slots := 0
	oauthreg.OnSlowHashSlot(strict, func(_, _ string, acquired bool) {
		if acquired {
			slots++
		}
	})
	if _, err := strict.Authenticate(t.Context(), c.ID, secret); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatalf("Authenticate against a stored hash over the limits: %v, want ErrInvalidCredentials", err)
	}
	if slots != 0 {
		t.Fatalf("%d slow-hash runs for a hash over the limits, want none", slots)
	}
}

// TestSlowHashFairness: while wrong guesses flood one client's slow hash,
// that client holds its share of the slots and its other guesses wait,
// and another tenant's client gets a slot and authenticates ahead of them.
// The assertions are on slot ownership and order, not on time.
func TestSlowHashFairness(t *testing.T) {
	const slots, flood = 4, 20
	kit := oauthregtest.New(t, oauthreg.WithMaxConcurrentArgon2(slots))
	ctx := t.Context()
	a, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "tenant-a" })
	b, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "tenant-b" })
	const bSecret = "tenant b's imported password"
	for _, imp := range []struct{ id, secret string }{{a.ID, "tenant a's imported password"}, {b.ID, bSecret}} {
		if _, err := kit.ImportSecret(ctx, imp.id, argon2Import(imp.secret, 64, 1, 1, true)); err != nil {
			t.Fatal(err)
		}
	}

	var (
		mu     sync.Mutex
		held   = map[string]int{}
		order  []string
		gate   = make(chan struct{})
		wg     sync.WaitGroup
		result = make(chan error, flood)
	)
	oauthreg.OnSlowHashSlot(kit.Registry, func(client, _ string, acquired bool) {
		mu.Lock()
		if acquired {
			held[client]++
			order = append(order, client)
		} else {
			held[client]--
		}
		mu.Unlock()
		if acquired && client == a.ID {
			<-gate // tenant A's runs hold their slots until the end
		}
	})
	for i := range flood {
		wg.Go(func() {
			_, err := kit.Authenticate(ctx, a.ID, fmt.Sprintf("wrong guess number %d", i))
			result <- err
		})
	}
	// Wait until the flood has taken what it may and queued the rest.
	for {
		mu.Lock()
		n := held[a.ID]
		mu.Unlock()
		if n+oauthreg.SlowHashWaiting(kit.Registry) == flood {
			break
		}
		runtime.Gosched()
	}
	mu.Lock()
	heldByA := held[a.ID]
	mu.Unlock()
	if heldByA >= slots {
		close(gate)
		t.Fatalf("the flood against one client holds all %d slots: every other client's login waits for it", heldByA)
	}
	if _, err := kit.Authenticate(ctx, b.ID, bSecret); err != nil {
		t.Fatalf("tenant B's login during the flood: %v", err)
	}
	mu.Lock()
	stillA, gotB := held[a.ID], 0
	for _, c := range order {
		if c == b.ID {
			gotB++
		}
	}
	mu.Unlock()
	waiting := oauthreg.SlowHashWaiting(kit.Registry)
	close(gate)
	wg.Wait()
	close(result)
	for err := range result {
		if !errors.Is(err, oauthreg.ErrInvalidCredentials) {
			t.Errorf("a flood guess: %v, want ErrInvalidCredentials", err)
		}
	}
	if gotB < 1 || stillA != heldByA || waiting != flood-heldByA {
		t.Fatalf("tenant B got %d slots while A held %d (then %d) and %d of A's guesses waited; want B served ahead of all %d waiting",
			gotB, heldByA, stillA, waiting, flood-heldByA)
	}
	t.Logf("%d slots: the flood held %d, %d of its guesses waited, tenant B authenticated ahead of them", slots, heldByA, waiting)
}

// TestSlowHashLatencyUnderFlood measures (it does not judge) how long
// another tenant's login takes while wrong guesses flood one client's
// expensive imported hash: bcrypt at the highest cost the Registry
// imports, against a 4-slot Registry. Run it with
//
//	OAUTHREG_MEASURE_FLOOD=1 go test -run TestSlowHashLatencyUnderFlood -v .
//
// (on code before the limits existed, the flood used bcrypt cost 16).
func TestSlowHashLatencyUnderFlood(t *testing.T) {
	if os.Getenv("OAUTHREG_MEASURE_FLOOD") == "" {
		t.Skip("set OAUTHREG_MEASURE_FLOOD=1 to measure")
	}
	kit := oauthregtest.New(t, oauthreg.WithMaxConcurrentArgon2(4))
	ctx := t.Context()
	a, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "tenant-a" })
	b, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "tenant-b" })
	cost := 16
	var hash []byte
	var err error
	for ; cost >= 4; cost-- {
		hash, err = bcrypt.GenerateFromPassword([]byte("tenant a's password"), cost)
		if err != nil {
			t.Fatal(err)
		}
		if _, err = kit.ImportSecret(ctx, a.ID, string(hash)); err == nil {
			break
		}
	}
	if _, err := kit.AddSecret(ctx, b.ID, "tenant b's password"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := kit.Authenticate(ctx, b.ID, "tenant b's password"); err != nil {
		t.Fatal(err)
	}
	idle := time.Since(start)
	floodCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for floodCtx.Err() == nil {
				kit.Authenticate(floodCtx, a.ID, "a wrong guess of tenant a's password")
			}
		})
	}
	time.Sleep(200 * time.Millisecond) // let the flood fill the slots
	start = time.Now()
	_, err = kit.Authenticate(ctx, b.ID, "tenant b's password")
	loaded := time.Since(start)
	stop()
	wg.Wait()
	t.Logf("flood on bcrypt cost %d: tenant B's login took %v idle, %v under the flood (err %v)", cost, idle, loaded, err)
}

// TestSlowHashKeys: Authenticate takes a client's slow-hash slot under the
// client and its owner, and a made-up client ID's under the one share of
// all unknown IDs, so a flood of made-up IDs competes with itself.
func TestSlowHashKeys(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = "tenant-k" })
	if _, err := kit.AddSecret(t.Context(), c.ID, "a supplied password"); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var keys []string
	oauthreg.OnSlowHashSlot(kit.Registry, func(client, owner string, acquired bool) {
		if acquired {
			mu.Lock()
			keys = append(keys, client+"/"+owner)
			mu.Unlock()
		}
	})
	kit.Authenticate(t.Context(), c.ID, "a wrong password")
	kit.Authenticate(t.Context(), "no-such-client", "a wrong password")
	mu.Lock()
	defer mu.Unlock()
	want := []string{c.ID + "/tenant-k", oauthreg.UnknownClientSlotKey + "/" + oauthreg.UnknownClientSlotKey}
	if fmt.Sprint(keys) != fmt.Sprint(want) {
		t.Fatalf("slots taken for %q, want %q", keys, want)
	}
}
