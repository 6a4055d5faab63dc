package clientauth_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg/clientauth"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// TestMemoryReplayCache: a jti is accepted once per client while valid,
// again after it expires, and of many concurrent uses exactly one wins.
func TestMemoryReplayCache(t *testing.T) {
	clock := oauthregtest.NewClock(oauthregtest.Epoch)
	rc := clientauth.NewMemoryReplayCache(clock.Now)
	ctx := context.Background()
	exp := clock.Now().Add(time.Minute)
	use := func(client, jti string) bool {
		ok, err := rc.UseOnce(ctx, client, jti, exp)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !use("a", "1") || use("a", "1") {
		t.Fatal("first use refused or second accepted")
	}
	if !use("b", "1") {
		t.Error("the same jti of another client was refused")
	}
	clock.Advance(time.Minute)
	exp = clock.Now().Add(time.Minute)
	if !use("a", "1") {
		t.Error("an expired entry still refused its jti")
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			if ok, _ := rc.UseOnce(ctx, "c", "race", exp); ok {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d concurrent first uses won, want 1", wins.Load())
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := rc.UseOnce(cancelled, "d", "1", exp); err == nil {
		t.Error("a cancelled context was not reported")
	}
}
