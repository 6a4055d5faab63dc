package oauthreg

import (
	"context"
	"time"
)

// SlowHashWaitObserver is an optional interface of an Observer (see
// WithObserver). An observer that has it is told, for every argon2, bcrypt
// or PBKDF2 computation, how long the call waited for one of the
// WithMaxConcurrentArgon2 slots: zero when a slot was free at once. A steady
// non-zero wait means the cap is too low for the load, or that someone sends
// the token endpoint secrets that are not generated ones.
//
// acquired is false when the caller's context ended before a slot was free
// (the computation did not run). ObserveSlowHashWait is called in the
// goroutine of the waiting call, once per slow computation: keep it cheap.
// A panic in it is recovered and ignored.
type SlowHashWaitObserver interface {
	ObserveSlowHashWait(ctx context.Context, waited time.Duration, acquired bool)
}

// slowHashWaitReporter returns the function the hasher calls after each
// wait for a slow-hash slot, or nil when no observer wants it.
func slowHashWaitReporter(observers []Observer) func(context.Context, time.Duration, bool) {
	var ws []SlowHashWaitObserver
	for _, o := range observers {
		if w, ok := o.(SlowHashWaitObserver); ok {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return nil
	}
	return func(ctx context.Context, waited time.Duration, acquired bool) {
		for _, w := range ws {
			func() {
				defer func() { _ = recover() }()
				w.ObserveSlowHashWait(ctx, waited, acquired)
			}()
		}
	}
}
