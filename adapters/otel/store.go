package oauthregotel

import (
	"context"
	"errors"
	"time"

	"github.com/oauthreg/oauthreg"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Span attributes of TraceStore.
const (
	// AttrClientID is the client ID of the call, through
	// oauthreg.SanitizeInput.
	AttrClientID = attribute.Key("oauthreg.client_id")
	// AttrSecretID is TouchClient's secret ID, through
	// oauthreg.SanitizeInput.
	AttrSecretID = attribute.Key("oauthreg.secret_id")
	// AttrOwner is ListClients' owner filter, through
	// oauthreg.SanitizeInput.
	AttrOwner = attribute.Key("oauthreg.owner")
	// AttrCount is how many clients (ListClients) or secrets
	// (SecretsExpiring) the call returned.
	AttrCount = attribute.Key("oauthreg.count")
	// AttrErrorType classifies a failed call: not_found, already_exists,
	// conflict, unavailable, canceled, deadline_exceeded or other. The
	// error's text is never recorded (it may hold caller input).
	AttrErrorType = attribute.Key("error.type")
)

// TraceStore returns a Store that runs every call of s in a span named
// "oauthreg.store.<Method>" (SpanKind internal) from a tracer of tp (the
// global TracerProvider when tp is nil), with the client ID, and records
// how the call failed. Not-found, already-exists and conflict answers are
// part of normal operation: they are classified in AttrErrorType but do not
// mark the span as an error; any other failure does.
//
// The result implements oauthreg.VersionedDeleter and
// oauthreg.BatchCreator exactly when s does, so the Registry behaves the
// same over it (Registry.ImportClients stays one atomic write).
func TraceStore(s oauthreg.Store, tp trace.TracerProvider) oauthreg.Store {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	t := &tracedStore{s: s, tracer: tp.Tracer(ScopeName)}
	vd, isVD := s.(oauthreg.VersionedDeleter)
	bc, isBC := s.(oauthreg.BatchCreator)
	switch {
	case isVD && isBC:
		return &tracedVersionedBatchStore{&tracedVersionedStore{tracedStore: t, vd: vd}, tracedBatch{t, bc}}
	case isVD:
		return &tracedVersionedStore{tracedStore: t, vd: vd}
	case isBC:
		return &tracedBatchStore{t, tracedBatch{t, bc}}
	}
	return t
}

// tracedBatch traces oauthreg.BatchCreator.
type tracedBatch struct {
	t  *tracedStore
	bc oauthreg.BatchCreator
}

type tracedBatchStore struct {
	*tracedStore
	tracedBatch
}

type tracedVersionedBatchStore struct {
	*tracedVersionedStore
	tracedBatch
}

// AttrClients is the number of clients of a CreateClients call.
const AttrClients = attribute.Key("oauthreg.clients")

// CreateClients traces one batch: the number of clients, not their IDs.
func (b tracedBatch) CreateClients(ctx context.Context, cs []*oauthreg.Client) (err error) {
	ctx, span := b.t.start(ctx, "CreateClients", AttrClients.Int(len(cs)))
	defer func() { end(span, err) }()
	return b.bc.CreateClients(ctx, cs)
}

type tracedStore struct {
	s      oauthreg.Store
	tracer trace.Tracer
}

type tracedVersionedStore struct {
	*tracedStore
	vd oauthreg.VersionedDeleter
}

// start opens the span of one Store call.
func (t *tracedStore) start(ctx context.Context, method string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	return t.tracer.Start(ctx, "oauthreg.store."+method, trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attrs...))
}

// end closes span, classifying err.
func end(span trace.Span, err error) {
	if err != nil {
		class := errorClass(err)
		span.SetAttributes(AttrErrorType.String(class))
		switch class {
		case "not_found", "already_exists", "conflict":
		default:
			span.SetStatus(codes.Error, class)
		}
	}
	span.End()
}

// errorClass names the kind of a Store error without its text.
func errorClass(err error) string {
	switch {
	case errors.Is(err, oauthreg.ErrNotFound):
		return "not_found"
	case errors.Is(err, oauthreg.ErrAlreadyExists):
		return "already_exists"
	case errors.Is(err, oauthreg.ErrConflict):
		return "conflict"
	case errors.Is(err, oauthreg.ErrUnavailable):
		return "unavailable"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline_exceeded"
	default:
		return "other"
	}
}

func clientID(id string) attribute.KeyValue { return AttrClientID.String(oauthreg.SanitizeInput(id)) }

func (t *tracedStore) CreateClient(ctx context.Context, c *oauthreg.Client) (err error) {
	id := ""
	if c != nil {
		id = c.ID
	}
	ctx, span := t.start(ctx, "CreateClient", clientID(id))
	defer func() { end(span, err) }()
	return t.s.CreateClient(ctx, c)
}

func (t *tracedStore) GetClient(ctx context.Context, id string) (c *oauthreg.Client, err error) {
	ctx, span := t.start(ctx, "GetClient", clientID(id))
	defer func() { end(span, err) }()
	return t.s.GetClient(ctx, id)
}

func (t *tracedStore) UpdateClient(ctx context.Context, c *oauthreg.Client) (err error) {
	id := ""
	if c != nil {
		id = c.ID
	}
	ctx, span := t.start(ctx, "UpdateClient", clientID(id))
	defer func() { end(span, err) }()
	return t.s.UpdateClient(ctx, c)
}

func (t *tracedStore) DeleteClient(ctx context.Context, id string) (err error) {
	ctx, span := t.start(ctx, "DeleteClient", clientID(id))
	defer func() { end(span, err) }()
	return t.s.DeleteClient(ctx, id)
}

func (t *tracedStore) ListClients(ctx context.Context, q oauthreg.ListQuery) (page oauthreg.ClientPage, err error) {
	attrs := []attribute.KeyValue{}
	if q.Owner != "" {
		attrs = append(attrs, AttrOwner.String(oauthreg.SanitizeInput(q.Owner)))
	}
	ctx, span := t.start(ctx, "ListClients", attrs...)
	defer func() {
		if err == nil {
			span.SetAttributes(AttrCount.Int(len(page.Clients)))
		}
		end(span, err)
	}()
	return t.s.ListClients(ctx, q)
}

func (t *tracedStore) TouchClient(ctx context.Context, id, secretID string, at time.Time) (err error) {
	ctx, span := t.start(ctx, "TouchClient", clientID(id), AttrSecretID.String(oauthreg.SanitizeInput(secretID)))
	defer func() { end(span, err) }()
	return t.s.TouchClient(ctx, id, secretID, at)
}

func (t *tracedStore) SecretsExpiring(ctx context.Context, after, notAfter time.Time) (out []oauthreg.ExpiringSecret, err error) {
	ctx, span := t.start(ctx, "SecretsExpiring")
	defer func() {
		if err == nil {
			span.SetAttributes(AttrCount.Int(len(out)))
		}
		end(span, err)
	}()
	return t.s.SecretsExpiring(ctx, after, notAfter)
}

func (t *tracedVersionedStore) DeleteClientAt(ctx context.Context, id string, version int64) (err error) {
	ctx, span := t.start(ctx, "DeleteClientAt", clientID(id))
	defer func() { end(span, err) }()
	return t.vd.DeleteClientAt(ctx, id, version)
}
