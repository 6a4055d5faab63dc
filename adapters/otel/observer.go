package oauthregotel

import (
	"context"
	"fmt"
	"time"

	"github.com/oauthreg/oauthreg"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// ScopeName is the instrumentation scope of this package's meters and
// tracers.
const ScopeName = "github.com/oauthreg/oauthreg/adapters/otel"

// Metric names and the attributes they carry.
const (
	// MetricAuthentications counts authentications; attributes
	// AttrResult ("success" or "failure"), AttrMethod and, for failures,
	// AttrReason (the internal reason the client never sees).
	MetricAuthentications = "oauthreg.authentications"
	// MetricGraceSecretUses counts successful authentications with a
	// secret in its grace period (an old secret still in use after a
	// rotation); attribute AttrMethod.
	MetricGraceSecretUses = "oauthreg.grace_secret_uses"
	// MetricChanges counts committed changes; attribute AttrEvent, the
	// event type: secret.rotated, secret.regenerated, secret.revoked,
	// client.created, …
	MetricChanges = "oauthreg.changes"
	// MetricSlowHashWait is a histogram of how long argon2, bcrypt and
	// PBKDF2 computations waited for a slot (seconds); attribute
	// AttrAcquired (false: the caller gave up first).
	MetricSlowHashWait = "oauthreg.slow_hash.wait"
	// MetricSecretsExpiring is a gauge of the active secrets that expire
	// within a window (Observer.WatchExpiring); attribute AttrWindow, the
	// window in seconds.
	MetricSecretsExpiring = "oauthreg.secrets.expiring"

	AttrResult   = attribute.Key("oauthreg.result")
	AttrMethod   = attribute.Key("oauthreg.auth.method")
	AttrReason   = attribute.Key("oauthreg.auth.failure_reason")
	AttrEvent    = attribute.Key("oauthreg.event")
	AttrAcquired = attribute.Key("oauthreg.acquired")
	AttrWindow   = attribute.Key("oauthreg.window_seconds")
)

// Observer records the Registry's events as OpenTelemetry metrics. It
// implements oauthreg.Observer and oauthreg.SlowHashWaitObserver; create it
// with NewObserver and pass it to oauthreg.New with oauthreg.WithObserver.
// It is safe for concurrent use.
type Observer struct {
	meter    metric.Meter
	auths    metric.Int64Counter
	grace    metric.Int64Counter
	changes  metric.Int64Counter
	slowWait metric.Float64Histogram
}

var (
	_ oauthreg.Observer             = (*Observer)(nil)
	_ oauthreg.SlowHashWaitObserver = (*Observer)(nil)
)

// NewObserver creates the instruments on a meter of mp (the global
// MeterProvider when mp is nil).
func NewObserver(mp metric.MeterProvider) (*Observer, error) {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	m := mp.Meter(ScopeName)
	o := &Observer{meter: m}
	var err error
	if o.auths, err = m.Int64Counter(MetricAuthentications, metric.WithUnit("{authentication}"),
		metric.WithDescription("Client authentications by method, result and internal failure reason")); err != nil {
		return nil, fmt.Errorf("oauthregotel: %w", err)
	}
	if o.grace, err = m.Int64Counter(MetricGraceSecretUses, metric.WithUnit("{authentication}"),
		metric.WithDescription("Successful authentications with a secret in its grace period after a rotation")); err != nil {
		return nil, fmt.Errorf("oauthregotel: %w", err)
	}
	if o.changes, err = m.Int64Counter(MetricChanges, metric.WithUnit("{change}"),
		metric.WithDescription("Committed changes of clients and secrets, by event type")); err != nil {
		return nil, fmt.Errorf("oauthregotel: %w", err)
	}
	if o.slowWait, err = m.Float64Histogram(MetricSlowHashWait, metric.WithUnit("s"),
		metric.WithDescription("Time argon2, bcrypt and PBKDF2 computations waited for one of the WithMaxConcurrentArgon2 slots"),
		metric.WithExplicitBucketBoundaries(0, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)); err != nil {
		return nil, fmt.Errorf("oauthregotel: %w", err)
	}
	return o, nil
}

// Observe records one event.
func (o *Observer) Observe(ctx context.Context, e oauthreg.Event) {
	switch e.Type {
	case oauthreg.EventAuthSucceeded:
		o.auths.Add(ctx, 1, metric.WithAttributes(AttrResult.String("success"), AttrMethod.String(methodLabel(e.Method))))
	case oauthreg.EventAuthFailed:
		o.auths.Add(ctx, 1, metric.WithAttributes(AttrResult.String("failure"), AttrMethod.String(methodLabel(e.Method)),
			AttrReason.String(reasonLabel(e.Reason))))
	case oauthreg.EventGraceSecretUsed:
		o.grace.Add(ctx, 1, metric.WithAttributes(AttrMethod.String(methodLabel(e.Method))))
	default:
		o.changes.Add(ctx, 1, metric.WithAttributes(AttrEvent.String(labelOf(string(e.Type), "unspecified"))))
	}
}

// ObserveSlowHashWait records one wait for a slow-hash slot.
func (o *Observer) ObserveSlowHashWait(ctx context.Context, waited time.Duration, acquired bool) {
	o.slowWait.Record(ctx, waited.Seconds(), metric.WithAttributes(AttrAcquired.Bool(acquired)))
}
