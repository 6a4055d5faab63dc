package oauthregotel_test

import (
	"context"
	"fmt"

	"github.com/oauthreg/oauthreg"
	oauthregotel "github.com/oauthreg/oauthreg/adapters/otel"
	"github.com/oauthreg/oauthreg/memstore"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// A Registry with metrics from its events and a span around every store
// call. In production, give the providers real exporters (Prometheus, OTLP).
func Example() {
	ctx := context.Background()
	reader := sdkmetric.NewManualReader()
	obs, err := oauthregotel.NewObserver(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
	if err != nil {
		panic(err)
	}
	spans := tracetest.NewSpanRecorder()
	store := oauthregotel.TraceStore(memstore.New(), sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)))
	reg, err := oauthreg.New(store, oauthreg.WithObserver(obs))
	if err != nil {
		panic(err)
	}

	client, secret, _ := reg.Register(ctx, oauthreg.Client{Owner: "org-acme", Name: "billing",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}})
	_, _ = reg.Authenticate(ctx, client.ID, secret.Reveal())
	_, _ = reg.Authenticate(ctx, client.ID, "wrong")

	var rm metricdata.ResourceMetrics
	_ = reader.Collect(ctx, &rm)
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if m.Name == oauthregotel.MetricAuthentications {
			for _, p := range m.Data.(metricdata.Sum[int64]).DataPoints {
				result, _ := p.Attributes.Value(oauthregotel.AttrResult)
				reason, _ := p.Attributes.Value(oauthregotel.AttrReason)
				fmt.Printf("%s %s: %d\n", result.AsString(), reason.AsString(), p.Value)
			}
		}
	}
	fmt.Println("first span:", spans.Ended()[0].Name())
	// Unordered output:
	// success : 1
	// failure unknown_secret: 1
	// first span: oauthreg.store.CreateClient
}
