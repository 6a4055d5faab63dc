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
	total := 0
	err := r.eachClient(ctx, func(c *Client) error {
		if !anySecret(c, purgeable) {
			return nil
		}
		var removed []string
		stored, err := r.mutate(ctx, nil, ActionUpdate, c.ID, func(c *Client, _ time.Time) error {
			removed = removed[:0]
			kept := c.Secrets[:0]
			for _, s := range c.Secrets {
				if purgeable(s) {
					removed = append(removed, s.ID)
					continue
				}
				kept = append(kept, s)
			}
			c.Secrets = kept
			if len(removed) == 0 {
				return errNothingToDo
			}
			return nil
		})
		if errors.Is(err, errNothingToDo) || errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, id := range removed {
			r.emitChange(ctx, nil, EventSecretPurged, stored, id)
		}
		total += len(removed)
		return nil
	})
	return total, err
}
