package gooauth2

import (
	"context"
	"errors"
	"net/url"
	"sync/atomic"

	"github.com/go-oauth2/oauth2/v4"

	"github.com/oauthreg/oauthreg"
)

// ClientInfo is the oauth2.ClientInfo that ClientStore.GetByID returns: a
// snapshot of one oauthreg client, read at GetByID, together with the
// context of that call. It also implements oauth2.ClientPasswordVerifier,
// which go-oauth2's manager uses in preference to GetSecret.
//
// The mapping of go-oauth2's fields:
//
//	GetID          Client.ID
//	GetSecret      never a secret or a hash (see GetSecret)
//	GetDomain      the origin of the first of Client.RedirectURIs, or ""
//	IsPublic       Client.Public
//	GetUserID      Client.Owner, the organization that owns the client
//	VerifyPassword Registry.Authenticate(ctx of GetByID, ID, secret) == nil
//
// GetUserID answers with the owner because an oauthreg client belongs to an
// organization, not to a user: go-oauth2's own manager and server never read
// a client's user ID (tokens carry the user of the grant instead), so only
// code of yours that calls GetUserID on a client sees the difference.
//
// A ClientInfo is safe for concurrent use.
type ClientInfo struct {
	ctx    context.Context
	store  *ClientStore
	client atomic.Pointer[oauthreg.Client]
}

var (
	_ oauth2.ClientInfo             = (*ClientInfo)(nil)
	_ oauth2.ClientPasswordVerifier = (*ClientInfo)(nil)
)

// GetID returns the client_id.
func (ci *ClientInfo) GetID() string { return ci.client.Load().ID }

// GetSecret returns no secret: oauthreg keeps only hashes, and a hash is not
// something to hand to code that expects a plaintext.
//
// For a public client it returns "". For a confidential client it returns a
// random value that starts with "gooauth2-not-a-secret.", fixed per
// ClientStore, which no client knows. go-oauth2's manager never reads it,
// because ClientInfo implements oauth2.ClientPasswordVerifier; but a manager
// or generator that falls back to comparing GetSecret with the presented
// secret (go-oauth2's rule for a ClientInfo without VerifyPassword is "an
// empty GetSecret means no check") would let any secret through if this
// returned "". With the random value such code fails closed.
func (ci *ClientInfo) GetSecret() string {
	if ci.client.Load().Public {
		return ""
	}
	return ci.store.sentinel
}

// GetDomain returns the origin (scheme://host[:port]) of the client's first
// redirect URI, or "" when it has none. For a native app's private-use
// scheme without a host ("com.example.app:/callback") it returns the scheme
// and a colon ("com.example.app:").
//
// go-oauth2 uses it in two places: as the default redirect URI of an
// authorization request that has none, and as the base its
// ValidateURIHandler checks a redirect_uri against. go-oauth2's
// DefaultValidateURI accepts any host that ends with the domain's host, and
// any host at all when the domain is "": install ValidateURI instead.
func (ci *ClientInfo) GetDomain() string {
	c := ci.client.Load()
	if len(c.RedirectURIs) == 0 {
		return ""
	}
	return origin(c.RedirectURIs[0])
}

// origin returns scheme://host[:port] of uri, scheme: for a URI without a
// host, and "" when uri does not parse.
func origin(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme == "" {
		return ""
	}
	if u.Host == "" {
		return u.Scheme + ":"
	}
	return u.Scheme + "://" + u.Host
}

// IsPublic reports whether the client is public (it authenticates with
// method none and has no secret). go-oauth2 refuses the client_credentials
// grant to public clients.
func (ci *ClientInfo) IsPublic() bool { return ci.client.Load().Public }

// GetUserID returns the client's Owner, the ID of the organization that owns
// it (see the mapping in ClientInfo's documentation).
func (ci *ClientInfo) GetUserID() string { return ci.client.Load().Owner }

// VerifyPassword implements oauth2.ClientPasswordVerifier: go-oauth2's
// manager calls it with the presented client secret on every token request
// and answers invalid_client when it returns false.
//
// For a confidential client it calls Registry.Authenticate with the context
// of the GetByID call, so every oauthreg rule applies (hashes, rotation
// grace periods, regeneration, revocation, expiry, disabled clients), and
// returns whether it succeeded. On success the ClientInfo's snapshot is
// replaced by the client as it authenticated. An error that is not
// oauthreg.ErrInvalidCredentials (a store outage, a cancelled context)
// makes it return false as well, and is passed to the ClientStore's error
// handler (WithErrorHandler).
//
// A public client has no secret: it passes with an empty secret (go-oauth2
// then refuses it the client_credentials grant, and the authorization_code
// grant relies on PKCE) and fails with any other.
func (ci *ClientInfo) VerifyPassword(secret string) bool {
	c := ci.client.Load()
	if c.Public {
		return secret == ""
	}
	got, err := ci.store.reg.Authenticate(ci.ctx, c.ID, secret)
	if err != nil {
		if !errors.Is(err, oauthreg.ErrInvalidCredentials) {
			ci.store.onError(ci.ctx, c.ID, err)
		}
		return false
	}
	ci.client.Store(got)
	return true
}

// Client returns a copy of the oauthreg client behind the ClientInfo, for
// code that receives a go-oauth2 ClientInfo and needs more than go-oauth2's
// five fields, such as an oauth2.AccessGenerate that puts the owner or the
// scopes in a JWT:
//
//	if ci, ok := data.Client.(*gooauth2.ClientInfo); ok {
//		owner := ci.Client().Owner
//	}
//
// It holds the secrets' hashes (Secret.Hash), as Registry.Get's result
// does: do not log or return it as is (its JSON form omits them).
func (ci *ClientInfo) Client() *oauthreg.Client { return ci.client.Load().Clone() }
