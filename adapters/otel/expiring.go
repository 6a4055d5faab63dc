package oauthregotel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oauthreg/oauthreg"
	"go.opentelemetry.io/otel/metric"
)

// WatchExpiring adds the gauge MetricSecretsExpiring: at every collection,
// for each window, the number of active secrets (across all clients) that
// expire within it, from reg.ExpiringSecrets. Each collection therefore
// reads the store once per window; collect every few minutes, not every
// second, on a large registry. Windows must be positive; call
// Registration.Unregister to stop.
//
// reg is usually the Registry this Observer was given to (WithObserver
// comes first, so the Registry exists only afterwards).
func (o *Observer) WatchExpiring(reg *oauthreg.Registry, windows ...time.Duration) (metric.Registration, error) {
	if reg == nil {
		return nil, errors.New("oauthregotel: WatchExpiring: nil Registry")
	}
	if len(windows) == 0 {
		return nil, errors.New("oauthregotel: WatchExpiring: no window")
	}
	for _, w := range windows {
		if w <= 0 {
			return nil, fmt.Errorf("oauthregotel: WatchExpiring: window %v is not positive", w)
		}
	}
	windows = append([]time.Duration(nil), windows...)
	gauge, err := o.meter.Int64ObservableGauge(MetricSecretsExpiring, metric.WithUnit("{secret}"),
		metric.WithDescription("Active secrets that expire within the window"))
	if err != nil {
		return nil, fmt.Errorf("oauthregotel: %w", err)
	}
	return o.meter.RegisterCallback(func(ctx context.Context, obs metric.Observer) error {
		var errs []error
		for _, w := range windows {
			secrets, err := reg.ExpiringSecrets(ctx, w)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			obs.ObserveInt64(gauge, int64(len(secrets)), metric.WithAttributes(AttrWindow.Int64(int64(w/time.Second))))
		}
		return errors.Join(errs...)
	}, gauge)
}
