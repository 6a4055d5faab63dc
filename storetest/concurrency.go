package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

func (s suite) testConcurrency(t *testing.T) {
	s.run(t, "NoLostUpdates", func(t *testing.T, st oauthreg.Store) {
		// 32 writers each run a read-modify-write loop, retrying on
		// ErrConflict, that increments a counter, appends a tag and appends
		// a secret (a rotation), while 4 goroutines touch the client.
		const writers, touchers, maxAttempts = 32, 4, 1000
		t0 := BaseTime()
		mustCreate(t, st, &oauthreg.Client{
			ID:       "hot",
			Metadata: map[string]string{"n": "0"},
			Secrets:  []oauthreg.Secret{NewSecret("s0", t0)},
		})

		var (
			wg, tw    sync.WaitGroup
			conflicts atomic.Int64
			touches   atomic.Int64
			start     = make(chan struct{})
			stop      = make(chan struct{})
			errs      = make(chan error, writers+touchers)
		)
		ctx := t.Context()
		for i := range writers {
			tag := fmt.Sprintf("w%02d", i)
			wg.Go(func() {
				<-start
				for attempt := 1; attempt <= maxAttempts; attempt++ {
					c, err := st.GetClient(ctx, "hot")
					if err != nil {
						errs <- fmt.Errorf("writer %s: GetClient: %w", tag, err)
						return
					}
					n, err := strconv.Atoi(c.Metadata["n"])
					if err != nil {
						errs <- fmt.Errorf("writer %s: GetClient returned counter %q: %w", tag, c.Metadata["n"], err)
						return
					}
					c.Metadata["n"] = strconv.Itoa(n + 1)
					c.UserTags = append(c.UserTags, tag)
					c.Secrets = append(c.Secrets, NewSecret(tag, t0.Add(time.Duration(i)*time.Millisecond)))
					err = st.UpdateClient(ctx, c)
					if err == nil {
						return
					}
					if !errors.Is(err, oauthreg.ErrConflict) {
						errs <- fmt.Errorf("writer %s: UpdateClient: %w (concurrent updates must fail with ErrConflict or succeed)", tag, err)
						return
					}
					conflicts.Add(1)
					// A short, growing, jittered pause, as Registry does.
					time.Sleep(rand.N(time.Duration(min(attempt, 8))*200*time.Microsecond) + time.Microsecond)
				}
				errs <- fmt.Errorf("writer %s: still conflicting after %d attempts", tag, maxAttempts)
			})
		}
		for i := range touchers {
			tw.Go(func() {
				<-start
				for {
					select {
					case <-stop:
						return
					default:
					}
					at := t0.Add(time.Duration(i+1) * time.Second)
					if err := st.TouchClient(ctx, "hot", "s0", at); err != nil {
						errs <- fmt.Errorf("TouchClient during concurrent updates: %w", err)
						return
					}
					touches.Add(1)
					time.Sleep(100 * time.Microsecond)
				}
			})
		}
		began := time.Now()
		close(start)
		wg.Wait()
		close(stop)
		tw.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		t.Logf("%d writers: %d conflicts retried, %d touches, in %v", writers, conflicts.Load(), touches.Load(), time.Since(began).Round(time.Millisecond))
		if t.Failed() {
			return
		}

		c := mustGet(t, st, "hot")
		if c.Version != 1+writers {
			t.Errorf("after %d successful updates the version is %d, want %d", writers, c.Version, 1+writers)
		}
		if c.Metadata["n"] != strconv.Itoa(writers) {
			t.Errorf("after %d increments the counter is %q, want %q: updates were lost", writers, c.Metadata["n"], strconv.Itoa(writers))
		}
		var wantTags []string
		for i := range writers {
			wantTags = append(wantTags, fmt.Sprintf("w%02d", i))
		}
		if got := sorted(c.UserTags); !slices.Equal(got, wantTags) {
			t.Errorf("after every writer appended its tag the tags are %q, want each of %q once: updates were lost or applied twice", got, wantTags)
		}
		var ids []string
		for _, sec := range c.Secrets[min(1, len(c.Secrets)):] {
			ids = append(ids, sec.ID)
		}
		if len(c.Secrets) == 0 || c.Secrets[0].ID != "s0" || !slices.Equal(sorted(ids), wantTags) {
			t.Errorf("after every writer appended a secret the secrets are %q, want s0 and then each of %q once: a rotation was lost",
				append([]string{}, secretIDs(c)...), wantTags)
		}
	})

	s.run(t, "CreateSameID", func(t *testing.T, st oauthreg.Store) {
		const creators = 32
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  = make([]error, creators)
		)
		for i := range creators {
			wg.Go(func() {
				<-start
				c := &oauthreg.Client{ID: "contested", Name: fmt.Sprintf("creator %02d", i),
					Secrets: []oauthreg.Secret{NewSecret(fmt.Sprintf("s%02d", i), BaseTime())}}
				errs[i] = st.CreateClient(t.Context(), c)
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("creators %d and %d both created client %q", winner, i, "contested")
			case err == nil:
				winner = i
			case !errors.Is(err, oauthreg.ErrAlreadyExists):
				t.Errorf("creator %d: CreateClient returned %q, want success or an error wrapping ErrAlreadyExists", i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("none of %d concurrent CreateClient calls with one ID succeeded", creators)
		}
		c := mustGet(t, st, "contested")
		want := fmt.Sprintf("creator %02d", winner)
		if c.Name != want || c.Version != 1 || len(c.Secrets) != 1 || c.Secrets[0].ID != fmt.Sprintf("s%02d", winner) {
			t.Errorf("the stored client has name %q, version %d and secrets %q; want the winner's: %q, 1, [s%02d]",
				c.Name, c.Version, secretIDs(c), want, winner)
		}
	})

	s.run(t, "CreateDeleteWhileListing", func(t *testing.T, st oauthreg.Store) {
		// 8 goroutines create 12 clients each and delete every other one,
		// while another keeps listing: every listing must be in order.
		const creators, each = 8, 12
		var (
			wg, lw sync.WaitGroup
			done   = make(chan struct{})
			errs   = make(chan error, creators+1)
			want   []string
			passes atomic.Int64
		)
		for g := range creators {
			for i := range each {
				if i%2 == 0 {
					want = append(want, fmt.Sprintf("g%d-%02d", g, i))
				}
			}
			wg.Go(func() {
				for i := range each {
					id := fmt.Sprintf("g%d-%02d", g, i)
					if err := st.CreateClient(t.Context(), &oauthreg.Client{ID: id}); err != nil {
						errs <- fmt.Errorf("CreateClient(%q): %w", id, err)
						return
					}
					if i%2 == 1 {
						if err := st.DeleteClient(t.Context(), id); err != nil {
							errs <- fmt.Errorf("DeleteClient(%q): %w", id, err)
							return
						}
					}
				}
			})
		}
		lw.Go(func() {
			for {
				if err := listOnce(st, t); err != nil {
					errs <- err
					return
				}
				passes.Add(1)
				select {
				case <-done:
					return
				default:
				}
			}
		})
		wg.Wait()
		close(done)
		lw.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if t.Failed() {
			return
		}
		t.Logf("%d listings during the changes", passes.Load())
		if got := clientIDs(listAll(t, st, oauthreg.ListQuery{Limit: 7})); !slices.Equal(got, sorted(want)) {
			t.Errorf("after concurrent creates and deletes ListClients listed\n\t%q\nwant\n\t%q", got, sorted(want))
		}
	})
}

// listOnce pages through every client with limit 7 and reports a listing
// that is out of order.
func listOnce(st oauthreg.Store, t *testing.T) error {
	q := oauthreg.ListQuery{Limit: 7}
	last := ""
	for range 1000 {
		page, err := st.ListClients(t.Context(), q)
		if err != nil {
			return fmt.Errorf("ListClients during concurrent creates and deletes: %w", err)
		}
		for _, c := range page.Clients {
			if c == nil {
				return errors.New("ListClients during concurrent creates and deletes returned a nil client")
			}
			if last != "" && c.ID <= last {
				return fmt.Errorf("ListClients during concurrent creates and deletes listed %q after %q (twice or out of order)", c.ID, last)
			}
			last = c.ID
		}
		if page.NextCursor == "" {
			return nil
		}
		q.Cursor = page.NextCursor
	}
	return errors.New("ListClients during concurrent creates and deletes: still paging after 1000 pages")
}

func secretIDs(c *oauthreg.Client) []string {
	ids := make([]string, len(c.Secrets))
	for i, s := range c.Secrets {
		ids[i] = s.ID
	}
	return ids
}
