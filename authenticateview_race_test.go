package oauthreg_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// TestAuthenticateConcurrentWithWrites runs Authenticate and
// AuthenticateView, with known, unknown and invalid IDs, while other
// goroutines register, rotate and delete clients, on a zero memstore.Store
// (no New: its seed is made by the first write). Under -race this checks
// the decoys a miss reads (records moved by a delete's swap, the first
// client's seed) and the views handed out; in any run, that a success is
// always of the client asked for and its event names it, and that a
// failure is ErrInvalidCredentials, never another error.
func TestAuthenticateConcurrentWithWrites(t *testing.T) {
	var mu sync.Mutex
	var bad []string
	report := func(format string, args ...any) {
		mu.Lock()
		bad = append(bad, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	reg, err := oauthreg.New(&memstore.Store{}, oauthreg.WithLastUsedInterval(0),
		oauthreg.WithObserver(oauthreg.ObserverFunc(func(ctx context.Context, e oauthreg.Event) {
			if want, ok := ctx.Value(askedKey{}).(string); ok && e.Type == oauthreg.EventAuthSucceeded && e.ClientID != want {
				report("asked for %q, event of a success names %q", want, e.ClientID)
			}
		})))
	if err != nil {
		t.Fatal(err)
	}
	type cred struct{ id, secret string }
	const writers, readers, rounds = 2, 4, 60
	creds := make(chan cred, writers*rounds)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				c, secret, err := reg.Register(ctx, oauthreg.Client{Name: fmt.Sprintf("w%d-%d", w, i)})
				if err != nil {
					report("Register: %v", err)
					return
				}
				creds <- cred{c.ID, secret.Reveal()}
				if i%3 == 1 {
					if _, err := reg.RotateSecret(ctx, c.ID); err != nil {
						report("RotateSecret: %v", err)
					}
				}
				if i%2 == 0 {
					if err := reg.Delete(ctx, c.ID); err != nil {
						report("Delete: %v", err)
					}
				}
			}
		}()
	}
	var rwg sync.WaitGroup
	for r := range readers {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			var known []cred
			for i := 0; ; i++ {
				select {
				case c, ok := <-creds:
					if !ok {
						return
					}
					known = append(known, c)
				default:
				}
				if len(known) == 0 {
					continue
				}
				c := known[i%len(known)]
				for _, id := range []string{c.id, c.id + "x", "nobody", "bad\x00id", ""} {
					actx := context.WithValue(ctx, askedKey{}, id)
					var got string
					var err error
					if (i+r)%2 == 0 {
						var full *oauthreg.Client
						if full, err = reg.Authenticate(actx, id, c.secret); full != nil {
							got = full.ID
						}
					} else {
						var view oauthreg.ClientView
						view, err = reg.AuthenticateView(actx, "", id, c.secret)
						got = view.ID()
					}
					switch {
					case err == nil && (id != c.id || got != id):
						report("Authenticate(%q) with %q's secret succeeded as %q", id, c.id, got)
					case err != nil && !errors.Is(err, oauthreg.ErrInvalidCredentials):
						report("Authenticate(%q): %v", id, err)
					case err != nil && got != "":
						report("a failed Authenticate(%q) returned %q", id, got)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(creds)
	rwg.Wait()
	for _, b := range bad {
		t.Error(b)
	}
}

type askedKey struct{}
