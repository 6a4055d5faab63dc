package oauthreg

import "context"

// AuthenticateView is Authenticate for a caller that does not need the
// whole client, or needs it only sometimes: it checks the credentials
// exactly as Authenticate does (same failures, same ErrInvalidCredentials,
// same events, last-used times and hash upgrades) but returns a read-only
// view of the client instead of a copy. On a store that implements
// ClientViewer (memstore) a success then copies and decodes nothing: the
// view's ID, Owner and Version are read from the stored record, and
// ClientView.Clone decodes the client, a copy the caller owns, when it is
// asked for. A token endpoint that only needs to know that the credentials
// are right (a fosite or go-oauth2 adapter's secret check, say) saves the
// allocation of a whole client on every request.
//
// method is "" to accept client_secret_basic or client_secret_post,
// whichever the request used (Authenticate), or one of the two to hold the
// client to it (AuthenticateWith); another method is ErrInvalidConfig.
//
// A failure costs the same whether or not the client exists, as with
// Authenticate; it costs less than a failure of Authenticate, which decodes
// a client it drops so that a failure costs what its success does.
func (r *Registry) AuthenticateView(ctx context.Context, method AuthMethod, clientID, secret string) (ClientView, error) {
	if err := checkPasswordMethod("AuthenticateView", method, true); err != nil {
		return ClientView{}, err
	}
	return r.verifyCredentials(ctx, method, clientID, secret, false)
}
