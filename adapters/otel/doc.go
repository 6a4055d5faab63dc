// Package oauthregotel sees an oauthreg Registry in production with
// OpenTelemetry: metrics from the Registry's events and traces of every
// Store call.
//
//   - NewObserver returns an oauthreg.Observer (give it to oauthreg.New
//     with oauthreg.WithObserver) that counts authentications by method,
//     result and internal failure reason, uses of secrets in their grace
//     period, every change (rotations, regenerations, revocations, …), and
//     records how long argon2/bcrypt/PBKDF2 computations waited for a slot.
//     Observer.WatchExpiring adds a gauge of the secrets that expire within
//     a window.
//   - TraceStore wraps an oauthreg.Store so that every call is a span named
//     after the method, with the client ID as an attribute; the wrapper
//     has each of the Store's optional interfaces exactly when the wrapped
//     store does.
//
// Nothing this package records holds a secret, a hash or a key: metrics
// carry only bounded labels (method, reason, event type), never a client
// ID; spans carry client and secret IDs passed through
// oauthreg.SanitizeInput (which redacts anything shaped like a secret) and
// a classification of errors, never their text.
//
// It is a module of its own (github.com/oauthreg/oauthreg/adapters/otel), so
// the core module does not depend on OpenTelemetry. The cmd/tokenserver
// program shows both with a Prometheus exporter at /metrics.
package oauthregotel
