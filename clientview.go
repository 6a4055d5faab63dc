package oauthreg

import "context"

// ClientViewer is an optional Store interface for the authentication hot
// path. ViewClient returns the stored client as a ClientView, a read-only
// handle on the store's own record, without copying it; or ErrNotFound (it
// may be the bare sentinel), or ctx.Err() for a done context.
//
// A Store implements it only if its records are immutable once handed out:
// an update, a touch or a delete puts a new record in place of the old one
// and never modifies a record a view may point to (copy on write). A view is
// then a consistent snapshot of the client as it was when it was read.
//
// With it, Registry.Authenticate checks credentials against the stored
// record and copies the client only for a caller that receives it (on
// success); a failure copies nothing. Stores without it are read with
// GetClient, which copies. memstore implements it; storetest checks a store
// that does: the view matches GetClient, and nothing a caller gets from a
// view can change the store.
type ClientViewer interface {
	ViewClient(ctx context.Context, id string) (ClientView, error)
}

// ClientView is a read-only view of a stored client, handed out by a
// ClientViewer. It exposes no pointer into the record: its accessors return
// values, and Clone returns a deep copy the caller owns. The zero ClientView
// views no client.
type ClientView struct {
	c *Client
}

// ViewOf returns a view of c, for a Store implementing ClientViewer. The
// store must never modify c afterwards (see ClientViewer); nobody else can,
// since a view hands out no pointer into it.
func ViewOf(c *Client) ClientView { return ClientView{c: c} }

// IsZero reports whether v views no client.
func (v ClientView) IsZero() bool { return v.c == nil }

// ID returns the client's ID.
func (v ClientView) ID() string { return v.c.ID }

// Owner returns the client's owner.
func (v ClientView) Owner() string { return v.c.Owner }

// Version returns the client's version.
func (v ClientView) Version() int64 { return v.c.Version }

// Clone returns a deep copy of the viewed client, the caller's own; nil for
// the zero view.
func (v ClientView) Clone() *Client { return v.c.Clone() }

// readClient reads a client for Authenticate: the stored record itself when
// the store is a ClientViewer (viewed is true: c must not be modified, and
// is cloned for a caller that receives it), or else GetClient's copy.
func (r *Registry) readClient(ctx context.Context, id string) (c *Client, viewed bool, err error) {
	if v, ok := r.store.(ClientViewer); ok {
		view, err := v.ViewClient(ctx, id)
		return view.c, true, err
	}
	c, err = r.store.GetClient(ctx, id)
	return c, false, err
}
