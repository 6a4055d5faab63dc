package oauthregfosite_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ory/fosite"

	oauthregfosite "github.com/oauthreg/oauthreg/adapters/fosite"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

func TestAssertionJTIs(t *testing.T) {
	ctx := context.Background()
	clock := oauthregtest.NewClock(oauthregtest.Epoch)
	m := oauthregfosite.New(nil, oauthregfosite.WithClock(clock.Now))
	now := clock.Now()

	if err := m.ClientAssertionJWTValid(ctx, "a"); err != nil {
		t.Fatalf("unknown jti: %v", err)
	}
	if err := m.SetClientAssertionJWT(ctx, "a", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := m.ClientAssertionJWTValid(ctx, "a"); !errors.Is(err, fosite.ErrJTIKnown) {
		t.Fatalf("recorded jti: %v, want fosite.ErrJTIKnown", err)
	}
	if err := m.SetClientAssertionJWT(ctx, "a", now.Add(time.Hour)); !errors.Is(err, fosite.ErrJTIKnown) {
		t.Fatalf("recording a known jti again: %v, want fosite.ErrJTIKnown", err)
	}
	if err := m.ClientAssertionJWTValid(ctx, "b"); err != nil {
		t.Fatalf("other jti: %v", err)
	}

	// An assertion that has already expired is not recorded.
	if err := m.SetClientAssertionJWT(ctx, "past", now); err != nil {
		t.Fatal(err)
	}
	if err := m.ClientAssertionJWTValid(ctx, "past"); err != nil {
		t.Fatalf("expired jti: %v", err)
	}

	// At its expiry the jti is forgotten, and may be recorded anew.
	clock.Advance(time.Minute)
	if err := m.ClientAssertionJWTValid(ctx, "a"); err != nil {
		t.Fatalf("jti at its expiry: %v", err)
	}
	if err := m.SetClientAssertionJWT(ctx, "a", clock.Now().Add(time.Minute)); err != nil {
		t.Fatalf("recording an expired jti anew: %v", err)
	}
	if err := m.ClientAssertionJWTValid(ctx, "a"); !errors.Is(err, fosite.ErrJTIKnown) {
		t.Fatalf("re-recorded jti: %v", err)
	}
}

// The cache is bounded: when full it refuses new JTIs (fail closed) until
// some expire, and expired ones are dropped.
func TestAssertionJTICapacity(t *testing.T) {
	ctx := context.Background()
	clock := oauthregtest.NewClock(oauthregtest.Epoch)
	m := oauthregfosite.New(nil, oauthregfosite.WithClock(clock.Now), oauthregfosite.WithMaxAssertionJTIs(3))
	now := clock.Now()
	for i, ttl := range []time.Duration{3 * time.Minute, time.Minute, 2 * time.Minute} {
		if err := m.SetClientAssertionJWT(ctx, fmt.Sprint("j", i), now.Add(ttl)); err != nil {
			t.Fatal(err)
		}
	}
	err := m.SetClientAssertionJWT(ctx, "j3", now.Add(time.Hour))
	if !errors.Is(err, oauthregfosite.ErrTooManyAssertionJTIs) || !errors.Is(err, fosite.ErrServerError) {
		t.Fatalf("full cache: %v", err)
	}
	clock.Advance(time.Minute) // j1 expires
	if err := m.SetClientAssertionJWT(ctx, "j3", now.Add(time.Hour)); err != nil {
		t.Fatalf("after one expired: %v", err)
	}
	for _, jti := range []string{"j0", "j2", "j3"} {
		if err := m.ClientAssertionJWTValid(ctx, jti); !errors.Is(err, fosite.ErrJTIKnown) {
			t.Errorf("%s: %v", jti, err)
		}
	}
	clock.Advance(2 * time.Minute) // j0 and j2 expire
	for i := range 2 {
		if err := m.SetClientAssertionJWT(ctx, fmt.Sprint("k", i), clock.Now().Add(time.Minute)); err != nil {
			t.Fatalf("k%d: %v", i, err)
		}
	}
}

// Concurrent use is safe (run with -race), and of many goroutines recording
// one jti exactly one succeeds.
func TestAssertionJTIsConcurrent(t *testing.T) {
	ctx := context.Background()
	m := oauthregfosite.New(nil)
	exp := time.Now().Add(time.Hour)
	var wg sync.WaitGroup
	var wins atomic.Int32
	for g := range 16 {
		wg.Go(func() {
			for i := range 200 {
				jti := fmt.Sprint("shared-", i)
				if m.SetClientAssertionJWT(ctx, jti, exp) == nil {
					wins.Add(1)
				}
				_ = m.ClientAssertionJWTValid(ctx, jti)
				_ = m.SetClientAssertionJWT(ctx, fmt.Sprint(g, "-", i), exp)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 200 {
		t.Errorf("%d goroutines recorded a shared jti, want exactly one per jti (200)", wins.Load())
	}
}
