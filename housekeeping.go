package oauthreg

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// PurgeExpired removes the records of secrets that stopped working (expired
// or revoked) more than retention ago, so a client's aggregate does not grow
// with every rotation. Keep a retention long enough for audits and for
// "which old secret is still in use" questions (e.g. 30 days). It works
// through the clients one page at a time, each client in one atomic change,
// so it is safe to interrupt and run again. It returns how many secret
// records it removed, and reports each as EventSecretPurged.
//
// A negative retention is a mistake of the program: ErrInvalidConfig.
func (r *Registry) PurgeExpired(ctx context.Context, retention time.Duration) (int, error) {
	if retention < 0 {
		return 0, fmt.Errorf("%w: negative retention %v", ErrInvalidConfig, retention)
	}
	cutoff := r.now().Add(-retention)
	purgeable := func(s Secret) bool {
		ended := s.RevokedAt
		if ended.IsZero() || (!s.ExpiresAt.IsZero() && s.ExpiresAt.Before(ended)) {
			ended = s.ExpiresAt
		}
		return !ended.IsZero() && ended.Before(cutoff)
	}
	return r.sweep(ctx, purgeable, EventSecretPurged, func(c *Client) ([]string, error) {
		var removed []string
		kept := c.Secrets[:0]
		for _, s := range c.Secrets {
			if purgeable(s) {
				removed = append(removed, s.ID)
				continue
			}
			kept = append(kept, s)
		}
		c.Secrets = kept
		return removed, nil
	})
}

// sweep is the loop behind PurgeExpired and Reseal: for every client with a
// secret that needs it, one page of clients at a time, it applies change in
// one atomic change of that client (re-applied on conflict, so change must
// only depend on the client it is given). change returns the IDs of the
// secrets it changed; when there are none, nothing is written. Each changed
// secret is reported as event. It returns how many secrets were changed.
func (r *Registry) sweep(ctx context.Context, needs func(Secret) bool, event EventType, change func(c *Client) ([]string, error)) (int, error) {
	total := 0
	err := r.eachClient(ctx, func(c *Client) error {
		if !anySecret(c, needs) {
			return nil
		}
		var changed []string
		stored, err := r.mutate(ctx, nil, ActionUpdate, c.ID, func(c *Client, _ time.Time) error {
			ids, err := change(c)
			if err != nil {
				return err
			}
			if changed = ids; len(ids) == 0 {
				return errNothingToDo
			}
			return nil
		})
		if errors.Is(err, errNothingToDo) || errors.Is(err, ErrNotFound) {
			return nil // changed or deleted by someone else in the meantime
		}
		if err != nil {
			return err
		}
		for _, id := range changed {
			r.emitChange(ctx, nil, event, stored, id)
		}
		total += len(changed)
		return nil
	})
	return total, err
}

var errNothingToDo = errors.New("oauthreg: nothing to do")

// anySecret reports whether any secret of c satisfies f.
func anySecret(c *Client, f func(Secret) bool) bool {
	for _, s := range c.Secrets {
		if f(s) {
			return true
		}
	}
	return false
}

// eachClient calls f for every client, one store page at a time.
func (r *Registry) eachClient(ctx context.Context, f func(*Client) error) error {
	q := ListQuery{Limit: DefaultPageSize}
	for {
		page, err := r.store.ListClients(ctx, q)
		if err != nil {
			return fmt.Errorf("oauthreg: list clients: %w", err)
		}
		for _, c := range page.Clients {
			if err := f(c); err != nil {
				return err
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		q.Cursor = page.NextCursor
	}
}
