package oauthregotel_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	oauthregotel "github.com/oauthreg/oauthreg/adapters/otel"
	"github.com/oauthreg/oauthreg/oauthregtest"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// collect returns the data points of reader by metric name.
func collect(t *testing.T, reader *sdkmetric.ManualReader) map[string]metricdata.Aggregation {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatalf("Collect: %v", err)
	}
	out := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != oauthregotel.ScopeName {
			t.Errorf("scope %q, want %q", sm.Scope.Name, oauthregotel.ScopeName)
		}
		for _, m := range sm.Metrics {
			out[m.Name] = m.Data
		}
	}
	return out
}

// sumOf returns the value of the counter point whose attributes are
// exactly attrs.
func sumOf(t *testing.T, data metricdata.Aggregation, attrs ...attribute.KeyValue) int64 {
	t.Helper()
	sum, ok := data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("data is %T, want an int64 sum", data)
	}
	want := attribute.NewSet(attrs...)
	for _, p := range sum.DataPoints {
		if p.Attributes.Equals(&want) {
			return p.Value
		}
	}
	return 0
}

// allAttributeValues lists every attribute value of every point, to check
// that none holds a client ID or a secret.
func allAttributeValues(data map[string]metricdata.Aggregation) []string {
	var out []string
	add := func(s attribute.Set) {
		for _, kv := range s.ToSlice() {
			out = append(out, kv.Value.Emit())
		}
	}
	for _, d := range data {
		switch d := d.(type) {
		case metricdata.Sum[int64]:
			for _, p := range d.DataPoints {
				add(p.Attributes)
			}
		case metricdata.Gauge[int64]:
			for _, p := range d.DataPoints {
				add(p.Attributes)
			}
		case metricdata.Histogram[float64]:
			for _, p := range d.DataPoints {
				add(p.Attributes)
			}
		}
	}
	return out
}

func TestObserverRecordsTheRegistrysLife(t *testing.T) {
	ctx := context.Background()
	reader := sdkmetric.NewManualReader()
	obs, err := oauthregotel.NewObserver(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
	if err != nil {
		t.Fatal(err)
	}
	kit := oauthregtest.New(t, oauthreg.WithObserver(obs),
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: 24 * time.Hour, SecretLifetime: 90 * 24 * time.Hour, MaxActiveSecrets: 3}))
	if _, err := obs.WatchExpiring(kit.Registry, 48*time.Hour, 100*24*time.Hour); err != nil {
		t.Fatal(err)
	}

	client, first := kit.ConfidentialClient(t)
	basic := oauthreg.AuthClientSecretBasic
	if _, err := kit.AuthenticateWith(ctx, basic, client.ID, first.Reveal()); err != nil {
		t.Fatal(err)
	}
	if _, err := kit.AuthenticateWith(ctx, basic, client.ID, first.Reveal()+"x"); err == nil {
		t.Fatal("a wrong secret authenticated")
	}
	if _, err := kit.Authenticate(ctx, "no-such-client", first.Reveal()); err == nil {
		t.Fatal("an unknown client authenticated")
	}
	second, err := kit.RotateSecret(ctx, client.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The old secret, in its grace period.
	if _, err := kit.AuthenticateWith(ctx, basic, client.ID, first.Reveal()); err != nil {
		t.Fatal(err)
	}
	if err := kit.RevokeSecret(ctx, client.ID, second.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := kit.RegenerateSecret(ctx, client.ID); err != nil {
		t.Fatal(err)
	}
	// A secret a person chose: argon2, under a slow-hash slot.
	if _, err := kit.AddSecret(ctx, client.ID, "correct horse battery staple, long enough"); err != nil {
		t.Fatal(err)
	}

	data := collect(t, reader)
	auths := data[oauthregotel.MetricAuthentications]
	method := oauthregotel.AttrMethod.String("client_secret_basic")
	for _, c := range []struct {
		name  string
		attrs []attribute.KeyValue
		want  int64
	}{
		{"successes", []attribute.KeyValue{oauthregotel.AttrResult.String("success"), method}, 2},
		{"malformed secret", []attribute.KeyValue{oauthregotel.AttrResult.String("failure"), method,
			oauthregotel.AttrReason.String(string(oauthreg.ReasonMalformed))}, 1},
		{"unknown client", []attribute.KeyValue{oauthregotel.AttrResult.String("failure"),
			oauthregotel.AttrMethod.String("unspecified"), oauthregotel.AttrReason.String(string(oauthreg.ReasonUnknownClient))}, 1},
	} {
		if got := sumOf(t, auths, c.attrs...); got != c.want {
			t.Errorf("%s: %s = %d, want %d", c.name, oauthregotel.MetricAuthentications, got, c.want)
		}
	}
	if got := sumOf(t, data[oauthregotel.MetricGraceSecretUses], method); got != 1 {
		t.Errorf("grace-period uses = %d, want 1", got)
	}
	for event, want := range map[oauthreg.EventType]int64{
		oauthreg.EventClientCreated:     1,
		oauthreg.EventSecretRotated:     1,
		oauthreg.EventSecretRevoked:     1,
		oauthreg.EventSecretRegenerated: 1,
		oauthreg.EventSecretAdded:       1,
	} {
		if got := sumOf(t, data[oauthregotel.MetricChanges], oauthregotel.AttrEvent.String(string(event))); got != want {
			t.Errorf("%s{%s} = %d, want %d", oauthregotel.MetricChanges, event, got, want)
		}
	}

	hist, ok := data[oauthregotel.MetricSlowHashWait].(metricdata.Histogram[float64])
	if !ok || len(hist.DataPoints) != 1 {
		t.Fatalf("%s: %#v, want one histogram point", oauthregotel.MetricSlowHashWait, data[oauthregotel.MetricSlowHashWait])
	}
	if p := hist.DataPoints[0]; p.Count < 1 || p.Attributes.Len() != 1 {
		t.Errorf("slow-hash waits: %d recorded with %v, want at least 1 with acquired=true", p.Count, p.Attributes.ToSlice())
	} else if v, _ := p.Attributes.Value(oauthregotel.AttrAcquired); !v.AsBool() {
		t.Errorf("slow-hash wait recorded as not acquired")
	}

	gauge, ok := data[oauthregotel.MetricSecretsExpiring].(metricdata.Gauge[int64])
	if !ok {
		t.Fatalf("%s is %T", oauthregotel.MetricSecretsExpiring, data[oauthregotel.MetricSecretsExpiring])
	}
	// After the regeneration, the client has two active secrets: the
	// regenerated one (lifetime 90 days) and the added one (no lifetime
	// unless the policy gives it one).
	want := map[int64]int64{}
	for _, w := range []time.Duration{48 * time.Hour, 100 * 24 * time.Hour} {
		secrets, err := kit.ExpiringSecrets(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		want[int64(w/time.Second)] = int64(len(secrets))
	}
	if want[int64(100*24*time.Hour/time.Second)] == 0 {
		t.Fatal("test setup: no secret expires within 100 days")
	}
	for _, p := range gauge.DataPoints {
		v, _ := p.Attributes.Value(oauthregotel.AttrWindow)
		if p.Value != want[v.AsInt64()] {
			t.Errorf("expiring within %ds = %d, want %d", v.AsInt64(), p.Value, want[v.AsInt64()])
		}
		delete(want, v.AsInt64())
	}
	if len(want) != 0 {
		t.Errorf("no gauge point for windows %v", want)
	}

	for _, v := range allAttributeValues(data) {
		if strings.Contains(v, client.ID) || strings.Contains(v, first.Reveal()) || strings.Contains(v, second.Reveal()) {
			t.Errorf("a metric attribute holds a client ID or a secret: %q", v)
		}
	}
}

// TestObserverBoundsCallerLabels: an AuthReport's reason and method are
// the caller's strings; anything that is not a code constant becomes
// "other", so labels stay a small set.
func TestObserverBoundsCallerLabels(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	obs, err := oauthregotel.NewObserver(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"Invalid Assertion!", strings.Repeat("a", 41), "jti=12345\n", "client_xyz\x00"} {
		obs.Observe(context.Background(), oauthreg.Event{Type: oauthreg.EventAuthFailed, Reason: oauthreg.FailureReason(r), Method: oauthreg.AuthMethod(r)})
	}
	obs.Observe(context.Background(), oauthreg.Event{Type: oauthreg.EventAuthFailed, Reason: "assertion_replayed", Method: oauthreg.AuthPrivateKeyJWT})
	data := collect(t, reader)
	auths := data[oauthregotel.MetricAuthentications]
	failure := oauthregotel.AttrResult.String("failure")
	if got := sumOf(t, auths, failure, oauthregotel.AttrMethod.String("other"), oauthregotel.AttrReason.String("other")); got != 4 {
		t.Errorf("odd labels counted as other: %d, want 4", got)
	}
	if got := sumOf(t, auths, failure, oauthregotel.AttrMethod.String("private_key_jwt"), oauthregotel.AttrReason.String("assertion_replayed")); got != 1 {
		t.Errorf("a constant-shaped reason: %d, want 1", got)
	}
}

func TestWatchExpiringRefusesBadArguments(t *testing.T) {
	obs, err := oauthregotel.NewObserver(sdkmetric.NewMeterProvider())
	if err != nil {
		t.Fatal(err)
	}
	kit := oauthregtest.New(t)
	for name, call := range map[string]func() error{
		"nil registry":    func() error { _, err := obs.WatchExpiring(nil, time.Hour); return err },
		"no window":       func() error { _, err := obs.WatchExpiring(kit.Registry); return err },
		"negative window": func() error { _, err := obs.WatchExpiring(kit.Registry, -time.Hour); return err },
	} {
		if call() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
