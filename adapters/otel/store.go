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
// The result implements each of the Registry's optional interfaces
// (oauthreg.ClientViewer, oauthreg.SecretLocator,
// oauthreg.VersionedDeleter, oauthreg.BatchCreator) exactly when s does,
// and forwards its calls, so the Registry behaves the same over it:
// Authenticate keeps a ClientViewer's copy-free reads,
// Registry.ImportClients stays one atomic write.
func TraceStore(s oauthreg.Store, tp trace.TracerProvider) oauthreg.Store {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	t := &tracedStore{s: s, tracer: tp.Tracer(ScopeName)}
	vd, isVD := s.(oauthreg.VersionedDeleter)
	bc, isBC := s.(oauthreg.BatchCreator)
	sl, isSL := s.(oauthreg.SecretLocator)
	cv, isCV := s.(oauthreg.ClientViewer)
	v, b, l, w := tracedVersioned{t, vd}, tracedBatch{t, bc}, tracedLocator{t, sl}, tracedViewer{t, cv}
	// One type per combination: a type assertion on the result must
	// succeed exactly for the interfaces s has.
	type (
		st = *tracedStore
		V  = tracedVersioned
		B  = tracedBatch
		L  = tracedLocator
		W  = tracedViewer
	)
	switch bits(isVD, isBC, isSL, isCV) {
	case 0b0000:
		return t
	case 0b0001:
		return struct {
			st
			W
		}{t, w}
	case 0b0010:
		return struct {
			st
			L
		}{t, l}
	case 0b0011:
		return struct {
			st
			L
			W
		}{t, l, w}
	case 0b0100:
		return struct {
			st
			B
		}{t, b}
	case 0b0101:
		return struct {
			st
			B
			W
		}{t, b, w}
	case 0b0110:
		return struct {
			st
			B
			L
		}{t, b, l}
	case 0b0111:
		return struct {
			st
			B
			L
			W
		}{t, b, l, w}
	case 0b1000:
		return struct {
			st
			V
		}{t, v}
	case 0b1001:
		return struct {
			st
			V
			W
		}{t, v, w}
	case 0b1010:
		return struct {
			st
			V
			L
		}{t, v, l}
	case 0b1011:
		return struct {
			st
			V
			L
			W
		}{t, v, l, w}
	case 0b1100:
		return struct {
			st
			V
			B
		}{t, v, b}
	case 0b1101:
		return struct {
			st
			V
			B
			W
		}{t, v, b, w}
	case 0b1110:
		return struct {
			st
			V
			B
			L
		}{t, v, b, l}
	default:
		return struct {
			st
			V
			B
			L
			W
		}{t, v, b, l, w}
	}
}

// bits packs the flags, the first in the highest bit.
func bits(flags ...bool) int {
	n := 0
	for _, f := range flags {
		n <<= 1
		if f {
			n |= 1
		}
	}
	return n
}

// tracedBatch traces oauthreg.BatchCreator.
type tracedBatch struct {
	t  *tracedStore
	bc oauthreg.BatchCreator
}

// AttrClients is the number of clients of a CreateClients call.
const AttrClients = attribute.Key("oauthreg.clients")

// CreateClients traces one batch: the number of clients, not their IDs.
func (b tracedBatch) CreateClients(ctx context.Context, cs []*oauthreg.Client) (err error) {
	ctx, span := b.t.start(ctx, "CreateClients", AttrClients.Int(len(cs)))
	defer func() { end(span, err) }()
	return b.bc.CreateClients(ctx, cs)
}

// tracedVersioned traces oauthreg.VersionedDeleter.
type tracedVersioned struct {
	t  *tracedStore
	vd oauthreg.VersionedDeleter
}

// DeleteClientAt traces one versioned delete, with the client ID.
func (v tracedVersioned) DeleteClientAt(ctx context.Context, id string, version int64) (err error) {
	ctx, span := v.t.start(ctx, "DeleteClientAt", clientID(id))
	defer func() { end(span, err) }()
	return v.vd.DeleteClientAt(ctx, id, version)
}

// tracedLocator traces oauthreg.SecretLocator.
type tracedLocator struct {
	t  *tracedStore
	sl oauthreg.SecretLocator
}

// ClientsWithSecret traces one lookup, with the secret ID and the number
// of clients found (not their IDs).
func (l tracedLocator) ClientsWithSecret(ctx context.Context, secretID string) (ids []string, err error) {
	ctx, span := l.t.start(ctx, "ClientsWithSecret", AttrSecretID.String(oauthreg.SanitizeInput(secretID)))
	defer func() {
		if err == nil {
			span.SetAttributes(AttrCount.Int(len(ids)))
		}
		end(span, err)
	}()
	return l.sl.ClientsWithSecret(ctx, secretID)
}

// tracedViewer traces oauthreg.ClientViewer.
type tracedViewer struct {
	t  *tracedStore
	cv oauthreg.ClientViewer
}

// ViewClient traces one read on the authentication path, with the
// requested client ID only: nothing of the view is recorded (on a miss a
// store may return a decoy view beside ErrNotFound). The store's view and
// error are returned as they are.
func (w tracedViewer) ViewClient(ctx context.Context, id string) (view oauthreg.ClientView, err error) {
	ctx, span := w.t.start(ctx, "ViewClient", clientID(id))
	defer func() { end(span, err) }()
	return w.cv.ViewClient(ctx, id)
}

type tracedStore struct {
	s      oauthreg.Store
	tracer trace.Tracer
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
