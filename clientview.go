package oauthreg

import (
	"context"
	"errors"
)

// ClientViewer is an optional Store interface for the authentication hot
// path. ViewClient returns the stored client as a ClientView, a read-only
// handle on the store's own record, without copying it; or ErrNotFound (it
// may be the bare sentinel), or ctx.Err() for a done context.
//
// With ErrNotFound, a ViewClient may also return a non-zero view: a decoy,
// the record of another stored client, which the Registry checks the
// presented secret against and decodes in place of the missing client,
// then drops. A store that picks it among all its records (by a keyed hash
// of the ID, say) makes an unknown ID read one record among many, as a
// known ID does, instead of a decoy the CPU's cache keeps warm, so that
// the time of an authentication does not tell which client IDs exist.
// Nothing of a decoy ever reaches a caller, an event or an error; a view
// returned with an error, or without one but of another ID than the one
// asked for (a store's bug), is never authenticated.
//
// A store that keeps its clients as ClientRecords (memstore does)
// implements it by handing out ViewOf its record: records are immutable, so
// a view is a consistent snapshot of the client as it was when it was read,
// whatever the store writes afterwards.
//
// With it, Registry.Authenticate checks credentials against the record's
// header (IDs, digests, expiries, state) without copying anything, and
// decodes the record once: into the client a success returns, or, on a
// failure, into one it drops, so that a failure costs what a success does.
// Stores without it are read with GetClient, which copies.
// storetest checks a store that has it: the view matches GetClient, a
// decoy is one of the store's clients, and nothing a caller gets from a
// view can change the store.
type ClientViewer interface {
	ViewClient(ctx context.Context, id string) (ClientView, error)
}

// ClientView is a read-only view of a stored client, handed out by a
// ClientViewer and by Registry.AuthenticateView. It exposes no pointer into
// the record: its accessors return values, and Clone returns a Client the
// caller owns. A ClientView may be copied and kept; it is safe for
// concurrent use. The zero ClientView views no client.
type ClientView struct {
	rec *ClientRecord
	// full is the client itself when the view was made from one (a store
	// without ClientViewer, or a hash upgrade that decoded it); Clone
	// copies it, and Version is its own.
	full *Client
}

// ViewOf returns a view of rec, for a Store implementing ClientViewer; nil
// gives the zero view.
func ViewOf(rec *ClientRecord) ClientView { return ClientView{rec: rec} }

// IsZero reports whether v views no client.
func (v ClientView) IsZero() bool { return v.rec == nil }

// ID returns the client's ID ("" for the zero view).
func (v ClientView) ID() string {
	if v.rec == nil {
		return ""
	}
	return v.rec.id
}

// Owner returns the client's owner ("" for the zero view).
func (v ClientView) Owner() string {
	if v.rec == nil {
		return ""
	}
	return v.rec.owner
}

// Version returns the client's version (0 for the zero view).
func (v ClientView) Version() int64 {
	switch {
	case v.full != nil:
		return v.full.Version
	case v.rec == nil:
		return 0
	}
	return v.rec.version
}

// Clone returns the viewed client, decoded: a Client the caller owns,
// sharing no memory with the view or with another Clone; nil for the zero
// view.
func (v ClientView) Clone() *Client {
	if v.full != nil {
		return v.full.Clone()
	}
	return v.rec.Client()
}

// readClient reads a client for Authenticate: the header of the client's
// record, which authenticate checks, and the client itself when the store
// handed one out (full; nil for a ClientViewer, whose record authenticate
// decodes itself). With ErrNotFound, rec is the decoy a ClientViewer
// handed out, if any (see ClientViewer), or nil.
func (r *Registry) readClient(ctx context.Context, id string) (rec *ClientRecord, full *Client, err error) {
	if v, ok := r.store.(ClientViewer); ok {
		view, err := v.ViewClient(ctx, id)
		switch {
		case err == nil && view.rec == nil:
			err = ErrNotFound // a store's bug; never authenticate a zero view
		case err == nil && view.rec.id != id:
			// A store's bug, one its decoys invite: another client's
			// record handed out without ErrNotFound serves as a decoy,
			// never as the client asked for.
			err = ErrNotFound
		case err != nil && !errors.Is(err, ErrNotFound):
			view.rec = nil
		}
		return view.rec, nil, err
	}
	c, err := r.store.GetClient(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return recordHead(c), c, nil
}
