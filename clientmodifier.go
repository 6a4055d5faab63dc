package oauthreg

import "context"

// ClientModifier is an optional Store interface: ModifyClient changes one
// client in a single read-modify-write that the store makes atomic, in one
// transaction where it has them. Every Registry change of a client
// (Update, the secret methods, housekeeping) goes through it when the Store
// has it; without it the Registry reads with GetClient and writes with
// UpdateClient, two steps that another writer may come between.
//
// ModifyClient reads the client id with its secrets, calls change with
// that copy, and stores what change left in it, the way UpdateClient
// stores a client: only if nothing changed the client in between, at the
// next Version, keeping the stored LastUsedAt of the client and of every
// secret still present. It returns the stored client, its Version the new
// one. The copy is the caller's own: change may modify it freely (its ID
// and Version are ignored: the store writes the client it read).
//
// change may run more than once in one call (when the store retries a
// transaction the database aborted), each time on a fresh read, so it must
// have no effect beyond its argument; it must not call the store, which may
// hold the client's lock, or its database's write lock, while it runs. An
// error from change aborts the call with that same error, unwrapped, and
// nothing is written; a panic in change is propagated after the store has
// released every lock and written nothing.
//
// Errors: ErrNotFound when there is no such client (change is not called),
// and, from a store that does not serialise writers of a client but detects
// them, ErrConflict when another writer changed the client between the read
// and the write (nothing was written; call again). A store that locks the
// client for the whole call never returns ErrConflict. Other errors are the
// store's, as for UpdateClient; a done context is the context's error.
//
// memstore and sqlstore implement it (sqlstore on SQLite and MySQL in one
// transaction that locks the client first; on PostgreSQL, where one
// optimistic statement is cheaper than a transaction's round trips, as a
// read and a versioned write that return ErrConflict), and storetest
// checks it for every store that does.
type ClientModifier interface {
	ModifyClient(ctx context.Context, id string, change func(c *Client) error) (*Client, error)
}
