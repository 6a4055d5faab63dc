package oauthregotel_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	oauthregotel "github.com/oauthreg/oauthreg/adapters/otel"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/storetest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func newTracer() (*tracetest.SpanRecorder, *sdktrace.TracerProvider) {
	rec := tracetest.NewSpanRecorder()
	return rec, sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
}

// TestTraceStorePassesStoretest: the wrapper changes nothing a Store does,
// including the optional VersionedDeleter.
func TestTraceStorePassesStoretest(t *testing.T) {
	rec, tp := newTracer()
	storetest.Run(t, func(t *testing.T) oauthreg.Store {
		st := oauthregotel.TraceStore(memstore.New(), tp)
		if _, ok := st.(oauthreg.VersionedDeleter); !ok {
			t.Fatal("TraceStore(memstore) lost VersionedDeleter")
		}
		if _, ok := st.(oauthreg.BatchCreator); !ok {
			t.Fatal("TraceStore(memstore) lost BatchCreator")
		}
		if _, ok := st.(oauthreg.ClientViewer); !ok {
			t.Fatal("TraceStore(memstore) lost ClientViewer")
		}
		if _, ok := st.(oauthreg.SecretLocator); !ok {
			t.Fatal("TraceStore(memstore) lost SecretLocator")
		}
		return st
	})
	if len(rec.Ended()) == 0 {
		t.Error("no span recorded")
	}
	counted := false
	for _, attrs := range spanAttrs(rec, "oauthreg.store.CreateClients") {
		for _, a := range attrs {
			counted = counted || a.Key == oauthregotel.AttrClients
		}
	}
	if !counted {
		t.Error("no CreateClients span with the number of clients")
	}
}

// bareStore is a Store without the optional interfaces.
type bareStore struct{ oauthreg.Store }

func TestTraceStoreKeepsOptionalInterfacesExact(t *testing.T) {
	_, tp := newTracer()
	if _, ok := oauthregotel.TraceStore(bareStore{memstore.New()}, tp).(oauthreg.VersionedDeleter); ok {
		t.Error("TraceStore added VersionedDeleter to a store without it")
	}
	if _, ok := oauthregotel.TraceStore(bareStore{memstore.New()}, tp).(oauthreg.BatchCreator); ok {
		t.Error("TraceStore added BatchCreator to a store without it")
	}
	type batchOnly struct {
		oauthreg.Store
		oauthreg.BatchCreator
	}
	m := memstore.New()
	st := oauthregotel.TraceStore(batchOnly{m, m}, tp)
	if _, ok := st.(oauthreg.VersionedDeleter); ok {
		t.Error("TraceStore added VersionedDeleter to a store with BatchCreator only")
	}
	if _, ok := st.(oauthreg.BatchCreator); !ok {
		t.Error("TraceStore lost BatchCreator of a store without VersionedDeleter")
	}
}

// spanAttrs returns the attributes of the spans named name.
func spanAttrs(rec *tracetest.SpanRecorder, name string) [][]attribute.KeyValue {
	var out [][]attribute.KeyValue
	for _, s := range rec.Ended() {
		if s.Name() == name {
			out = append(out, s.Attributes())
		}
	}
	return out
}

func attr(kvs []attribute.KeyValue, k attribute.Key) (string, bool) {
	for _, kv := range kvs {
		if kv.Key == k {
			return kv.Value.Emit(), true
		}
	}
	return "", false
}

// TestTraceStoreSpans: a Registry over the traced store; every Store call is
// a span with the client ID; failures are classified; no attribute ever
// holds a secret, a hash or an ID shaped like a secret.
func TestTraceStoreSpans(t *testing.T) {
	ctx := context.Background()
	rec, tp := newTracer()
	inner := memstore.New()
	reg, err := oauthreg.New(oauthregotel.TraceStore(inner, tp))
	if err != nil {
		t.Fatal(err)
	}
	client, secret, err := reg.Register(ctx, oauthreg.Client{Owner: "org-a", Name: "svc",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Authenticate(ctx, client.ID, secret.Reveal()); err != nil {
		t.Fatal(err)
	}
	rotated, err := reg.RotateSecret(ctx, client.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Get(ctx, "missing-client"); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Fatalf("Get(missing) = %v", err)
	}
	// A client that pasted its secret as its ID: the lookup's span must
	// not carry it.
	_, _ = reg.Authenticate(ctx, secret.Reveal(), secret.Reveal())
	if _, err := reg.List(ctx, oauthreg.ListQuery{Owner: "org-a"}); err != nil {
		t.Fatal(err)
	}

	// Get reads with GetClient, Authenticate with memstore's ViewClient.
	gets := append(spanAttrs(rec, "oauthreg.store.GetClient"), spanAttrs(rec, "oauthreg.store.ViewClient")...)
	if len(gets) < 3 {
		t.Fatalf("%d GetClient and ViewClient spans, want at least 3", len(gets))
	}
	var sawClient, sawMissing, sawRedacted bool
	for _, kvs := range gets {
		id, ok := attr(kvs, oauthregotel.AttrClientID)
		if !ok {
			t.Errorf("read span without %s: %v", oauthregotel.AttrClientID, kvs)
		}
		switch id {
		case client.ID:
			sawClient = true
		case "missing-client":
			sawMissing = true
			if class, _ := attr(kvs, oauthregotel.AttrErrorType); class != "not_found" {
				t.Errorf("missing client's span: error.type %q, want not_found", class)
			}
		case "[REDACTED]":
			sawRedacted = true
		}
	}
	if !sawClient || !sawMissing || !sawRedacted {
		t.Errorf("read spans: client %v, missing %v, redacted secret-shaped ID %v; want all", sawClient, sawMissing, sawRedacted)
	}
	for _, s := range rec.Ended() {
		if (s.Name() == "oauthreg.store.GetClient" || s.Name() == "oauthreg.store.ViewClient") && s.Status().Code == codes.Error {
			t.Errorf("a not-found lookup marked its span as an error: %v", s.Attributes())
		}
	}
	for _, name := range []string{"CreateClient", "UpdateClient", "ListClients"} {
		if len(spanAttrs(rec, "oauthreg.store."+name)) == 0 {
			t.Errorf("no %s span", name)
		}
	}
	if lists := spanAttrs(rec, "oauthreg.store.ListClients"); len(lists) > 0 {
		if n, _ := attr(lists[0], oauthregotel.AttrCount); n != "1" {
			t.Errorf("ListClients count %q, want 1", n)
		}
	}

	stored, err := inner.GetClient(ctx, client.ID)
	if err != nil {
		t.Fatal(err)
	}
	var forbidden []string
	for _, s := range stored.Secrets {
		forbidden = append(forbidden, s.Hash.Reveal())
	}
	forbidden = append(forbidden, secret.Reveal(), rotated.Reveal())
	for _, s := range rec.Ended() {
		for _, kv := range s.Attributes() {
			for _, f := range forbidden {
				if f != "" && strings.Contains(kv.Value.Emit(), f) {
					t.Errorf("span %s attribute %s holds a secret or hash", s.Name(), kv.Key)
				}
			}
		}
		if strings.Contains(s.Status().Description, "$") {
			t.Errorf("span %s status %q", s.Name(), s.Status().Description)
		}
	}
}

// failingStore fails every call with an error whose text holds input.
type failingStore struct{ oauthreg.Store }

func (failingStore) GetClient(ctx context.Context, id string) (*oauthreg.Client, error) {
	return nil, errors.New("driver: connection refused while reading " + id)
}

func TestTraceStoreRecordsFailuresWithoutTheirText(t *testing.T) {
	rec, tp := newTracer()
	st := oauthregotel.TraceStore(failingStore{memstore.New()}, tp)
	if _, err := st.GetClient(context.Background(), "some-id"); err == nil {
		t.Fatal("no error")
	}
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans", len(spans))
	}
	s := spans[0]
	if s.Status().Code != codes.Error || s.Status().Description != "other" {
		t.Errorf("status %v %q, want Error \"other\"", s.Status().Code, s.Status().Description)
	}
	if class, _ := attr(s.Attributes(), oauthregotel.AttrErrorType); class != "other" {
		t.Errorf("error.type %q, want other", class)
	}
	for _, e := range s.Events() {
		t.Errorf("span event %q recorded (the error text must not be)", e.Name)
	}
}
