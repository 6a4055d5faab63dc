package registration

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/oauthreg/oauthreg"
)

// Server implements the client registration endpoint of RFC 7591 and the
// client configuration endpoint of RFC 7592 over an oauthreg.Registry. It
// has no HTTP routing of its own: a handler parses the body with
// ParseRequest, takes the registration access token with BearerToken, calls
// Register, Read, Update or Delete, and writes the Response or the *Error
// (see examples/registration). A Server is safe for concurrent use once
// configured.
type Server struct {
	// Registry keeps the clients. Required.
	Registry *oauthreg.Registry
	// ClientURI returns a client's registration_client_uri: the URL of its
	// client configuration endpoint, where Read, Update and Delete are
	// served. Required.
	ClientURI func(clientID string) string

	// AllowClientCredentialsDefault decides what a request with neither
	// grant_types nor redirect_uris registers. RFC 7591 defaults
	// grant_types to authorization_code, which is useless without a
	// redirect URI, so by default (false) such a request is refused with
	// invalid_redirect_uri. When true, it registers a confidential
	// client_credentials client (a machine client with a secret): turn it
	// on only where the registration endpoint itself is protected (an
	// initial access token, mTLS, a private network).
	AllowClientCredentialsDefault bool

	// SoftwareStatements verifies software statements (RFC 7591 §2.3).
	// When nil, a request that carries one is refused with
	// invalid_software_statement.
	SoftwareStatements SoftwareStatementVerifier
	// SoftwareIDs, when set, decides which software may register: it is
	// called with the software_id of every registration and update
	// ("" when there is none) and whether it came from a verified software
	// statement; an error refuses the request with
	// unapproved_software_statement.
	SoftwareIDs func(ctx context.Context, softwareID string, fromStatement bool) error

	// Review, when set, is called before every registration and update
	// with the metadata about to be stored and the server's values, which
	// it may change (narrow the scopes, set the owner from the initial
	// access token, ...); an error refuses the request (return an *Error
	// to choose its code; any other error is a server_error).
	Review func(ctx context.Context, op Operation, clientID string, md *Metadata, sv *ServerValues) error

	// RotateTokenOnUpdate makes every update issue a new registration
	// access token, which the response carries (RFC 7592 §2.2 lets the
	// server do so); the old one stops working at once. By default the
	// token is kept.
	RotateTokenOnUpdate bool
}

// Operation says which request Review is called for.
type Operation string

// Operations of Review.
const (
	OpRegister Operation = "register"
	OpUpdate   Operation = "update"
)

// ServerValues are the values of a client that only the embedding server
// sets: nothing in a request can change them. Register applies them to the
// new client; an update keeps the stored ones (Review may change them).
type ServerValues struct {
	// Owner is the organization the client belongs to.
	Owner string
	// Description is free text for administrators.
	Description string
	// Disabled registers the client disabled (for example until an
	// administrator approves it).
	Disabled bool
	// Lifetimes are the client's token lifetimes (zero: the Registry's).
	Lifetimes oauthreg.TokenLifetimes
	// RotationPolicy overrides the Registry's policy when not nil.
	RotationPolicy *oauthreg.RotationPolicy
	// Audience, AllowedCORSOrigins, ResponseModes and RequirePKCE are the
	// client's server-side policy (see oauthreg.Client).
	Audience           []string
	AllowedCORSOrigins []string
	ResponseModes      []oauthreg.ResponseMode
	RequirePKCE        bool
	// SystemTags, UserTags and Metadata label the client.
	SystemTags []string
	UserTags   []string
	Metadata   map[string]string
}

// applyTo sets the server's fields of c.
func (sv ServerValues) applyTo(c *oauthreg.Client) {
	tmp := oauthreg.Client{
		Owner: sv.Owner, Description: sv.Description, Disabled: sv.Disabled, Lifetimes: sv.Lifetimes,
		RotationPolicy: sv.RotationPolicy, Audience: sv.Audience, AllowedCORSOrigins: sv.AllowedCORSOrigins,
		ResponseModes: sv.ResponseModes, RequirePKCE: sv.RequirePKCE,
		SystemTags: sv.SystemTags, UserTags: sv.UserTags, Metadata: sv.Metadata,
	}
	cl := tmp.Clone()
	c.Owner, c.Description, c.Disabled, c.Lifetimes = cl.Owner, cl.Description, cl.Disabled, cl.Lifetimes
	c.RotationPolicy, c.Audience, c.AllowedCORSOrigins = cl.RotationPolicy, cl.Audience, cl.AllowedCORSOrigins
	c.ResponseModes, c.RequirePKCE = cl.ResponseModes, cl.RequirePKCE
	c.SystemTags, c.UserTags, c.Metadata = cl.SystemTags, cl.UserTags, cl.Metadata
}

// serverValuesOf returns the server's values of a stored client.
func serverValuesOf(c *oauthreg.Client) ServerValues {
	cl := c.Clone()
	return ServerValues{
		Owner: cl.Owner, Description: cl.Description, Disabled: cl.Disabled, Lifetimes: cl.Lifetimes,
		RotationPolicy: cl.RotationPolicy, Audience: cl.Audience, AllowedCORSOrigins: cl.AllowedCORSOrigins,
		ResponseModes: cl.ResponseModes, RequirePKCE: cl.RequirePKCE,
		SystemTags: cl.SystemTags, UserTags: cl.UserTags, Metadata: cl.Metadata,
	}
}

var errNotConfigured = errors.New("registration: Server needs a Registry and a ClientURI function")

// Register registers a new client from a parsed request (RFC 7591 §3):
// it verifies the software statement, applies the default for a request
// with neither grant_types nor redirect_uris, lets Review see the result,
// and registers the client with sv, issuing its secret (for a confidential
// client) and its registration access token in the same store write. The
// Response is the body to send with 201 Created.
func (s *Server) Register(ctx context.Context, req *Request, sv ServerValues) (*Response, error) {
	if s.Registry == nil || s.ClientURI == nil {
		return nil, AsError(errNotConfigured)
	}
	md, err := s.prepare(ctx, OpRegister, "", req, &sv)
	if err != nil {
		return nil, err
	}
	c := md.toClient()
	sv.applyTo(c)
	var token oauthreg.PlainSecret
	stored, secret, err := s.Registry.Register(ctx, *c, oauthreg.WithRegistrationToken(&token))
	if err != nil {
		return nil, AsError(err)
	}
	return &Response{Client: stored, ClientSecret: secret, RegistrationClientURI: s.ClientURI(stored.ID), token: token.Reveal()}, nil
}

// prepare turns a request into the metadata to store: software statement,
// software_id policy, the anonymous default, Review.
func (s *Server) prepare(ctx context.Context, op Operation, clientID string, req *Request, sv *ServerValues) (Metadata, error) {
	if req == nil {
		return Metadata{}, metadataError("no request")
	}
	md := req.Metadata.Clone()
	fromStatement := false
	if req.SoftwareStatement != "" {
		if s.SoftwareStatements == nil {
			return Metadata{}, newError(CodeInvalidSoftwareStatement, http.StatusBadRequest, "this server accepts no software statements")
		}
		claims, err := s.SoftwareStatements.VerifySoftwareStatement(ctx, req.SoftwareStatement)
		if err != nil {
			if errors.Is(err, ErrUnapprovedSoftware) {
				return Metadata{}, newError(CodeUnapprovedSoftwareStatement, http.StatusBadRequest, "the software statement is not approved")
			}
			return Metadata{}, newError(CodeInvalidSoftwareStatement, http.StatusBadRequest, "the software statement could not be verified")
		}
		if md, err = overlayStatement(md, claims); err != nil {
			return Metadata{}, err
		}
		fromStatement = true
	}
	if s.SoftwareIDs != nil {
		if err := s.SoftwareIDs(ctx, md.SoftwareID, fromStatement); err != nil {
			return Metadata{}, newError(CodeUnapprovedSoftwareStatement, http.StatusBadRequest, "this software may not register here")
		}
	}
	if len(md.GrantTypes) == 0 && len(md.RedirectURIs) == 0 {
		if !s.AllowClientCredentialsDefault {
			return Metadata{}, newError(CodeInvalidRedirectURI, http.StatusBadRequest,
				"redirect_uris is required (grant_types defaults to authorization_code); a machine client must ask for grant_types [\"client_credentials\"]")
		}
		md.GrantTypes = []oauthreg.GrantType{oauthreg.GrantClientCredentials}
	}
	if s.Review != nil {
		if err := s.Review(ctx, op, clientID, &md, sv); err != nil {
			return Metadata{}, AsError(err)
		}
	}
	return md, nil
}

// Read returns a client's registration (RFC 7592 §2.1) to the holder of its
// registration access token. A wrong token, or a client that does not
// exist, is invalid_token (401), at the same cost. The response carries the
// token that was presented (the server keeps only its hash) and no client
// secret (the server keeps only hashes of those too).
func (s *Server) Read(ctx context.Context, clientID, token string) (*Response, error) {
	if s.Registry == nil || s.ClientURI == nil {
		return nil, AsError(errNotConfigured)
	}
	c, err := s.Registry.CheckRegistrationToken(ctx, clientID, token)
	if err != nil {
		return nil, AsError(err)
	}
	return &Response{Client: c, RegistrationClientURI: s.ClientURI(c.ID), token: token}, nil
}

// Update replaces a client's metadata (RFC 7592 §2.2): every client
// metadata member the request leaves out is cleared (or gets its default),
// as the RFC asks; the server's values stay. The request must carry the
// client's client_id, and if it carries a client_secret, that must be one
// of the client's valid secrets. With RotateTokenOnUpdate the response
// carries a new registration access token.
func (s *Server) Update(ctx context.Context, clientID, token string, req *Request) (*Response, error) {
	if s.Registry == nil || s.ClientURI == nil {
		return nil, AsError(errNotConfigured)
	}
	current, err := s.Registry.CheckRegistrationToken(ctx, clientID, token)
	if err != nil {
		return nil, AsError(err)
	}
	if req == nil || req.ClientID != current.ID {
		return nil, metadataError("the request must carry the client's client_id (RFC 7592 §2.2)")
	}
	if req.clientSecret != "" {
		if _, err := s.Registry.Authenticate(ctx, current.ID, req.clientSecret); err != nil {
			if errors.Is(err, oauthreg.ErrInvalidCredentials) {
				return nil, metadataError("client_secret does not match the client's secret")
			}
			return nil, AsError(err)
		}
	}
	sv := serverValuesOf(current)
	md, err := s.prepare(ctx, OpUpdate, current.ID, req, &sv)
	if err != nil {
		return nil, err
	}
	updated, err := s.Registry.Update(ctx, current.ID, func(c *oauthreg.Client) error {
		md.applyTo(c)
		sv.applyTo(c)
		return nil
	})
	if err != nil {
		return nil, AsError(err)
	}
	resp := &Response{Client: updated, RegistrationClientURI: s.ClientURI(updated.ID), token: token}
	if s.RotateTokenOnUpdate {
		fresh, err := s.Registry.RotateRegistrationToken(ctx, updated.ID)
		if err != nil {
			return nil, AsError(err)
		}
		resp.token = fresh.Reveal()
	}
	return resp, nil
}

// Delete deletes a client (RFC 7592 §2.3) for the holder of its
// registration access token; answer 204 No Content.
func (s *Server) Delete(ctx context.Context, clientID, token string) error {
	if s.Registry == nil {
		return AsError(errNotConfigured)
	}
	if _, err := s.Registry.CheckRegistrationToken(ctx, clientID, token); err != nil {
		return AsError(err)
	}
	if err := s.Registry.Delete(ctx, clientID); err != nil {
		return AsError(err)
	}
	return nil
}

// BearerToken returns the token of an "Authorization: Bearer" header (RFC
// 6750 §2.1), the way RFC 7592 sends the registration access token, and
// false when there is none.
func BearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
