package clientauth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/oauthreg/oauthreg"
)

// Error codes of RFC 6749 §5.2 (and RFC 6749 §4.1.2.1's
// temporarily_unavailable) that client authentication produces.
const (
	CodeInvalidClient          = "invalid_client"
	CodeInvalidRequest         = "invalid_request"
	CodeServerError            = "server_error"
	CodeTemporarilyUnavailable = "temporarily_unavailable"
)

// Error is why a request's client could not be authenticated, as a token
// endpoint answers it (RFC 6749 §5.2): the error code, the HTTP status, and
// a description that tells the client's developer what to check or
// configure. The description never contains a secret, an assertion, key
// material or any other value the request carried, and never says whether a
// client ID exists. Reason is the internal reason, for logs and events only:
// never send it to the client.
//
// Check it with errors.As, or with errors.Is against ErrInvalidClient,
// ErrInvalidRequest, oauthreg.ErrInvalidCredentials (every invalid_client)
// and oauthreg.ErrUnavailable. WriteError writes it as a response.
type Error struct {
	// Code is the RFC 6749 §5.2 error code.
	Code string
	// Status is the HTTP status: 401 for invalid_client, 400 for
	// invalid_request, 503 for temporarily_unavailable, 500 otherwise.
	Status int
	// Description is safe to send as error_description.
	Description string
	// Method is the authentication method the request used, when known.
	Method oauthreg.AuthMethod
	// Reason is why, for operators. It is empty for a failed
	// client_secret_basic or client_secret_post, which the Registry decides
	// and reports to its observers itself (with the reason) without telling
	// its caller.
	Reason oauthreg.FailureReason
	// Err is the underlying error of a server-side failure (a store or key
	// fetch error), or nil.
	Err error

	challenge string // WWW-Authenticate value of a 401
}

// ErrInvalidClient matches (errors.Is) every Error with code invalid_client.
var ErrInvalidClient = errors.New("clientauth: invalid_client")

// ErrInvalidRequest matches (errors.Is) every Error with code
// invalid_request.
var ErrInvalidRequest = errors.New("clientauth: invalid_request")

// Error returns the code, the description and the reason.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("clientauth: ")
	b.WriteString(e.Code)
	if e.Description != "" {
		b.WriteString(": ")
		b.WriteString(e.Description)
	}
	if e.Reason != "" {
		b.WriteString(" (reason: ")
		b.WriteString(string(e.Reason))
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the sentinels the error matches and its cause.
func (e *Error) Unwrap() []error {
	var out []error
	switch e.Code {
	case CodeInvalidClient:
		out = append(out, ErrInvalidClient, oauthreg.ErrInvalidCredentials)
	case CodeInvalidRequest:
		out = append(out, ErrInvalidRequest)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

func invalidClient(reason oauthreg.FailureReason, description string) *Error {
	return &Error{Code: CodeInvalidClient, Status: http.StatusUnauthorized, Reason: reason, Description: description}
}

func invalidRequest(reason oauthreg.FailureReason, description string) *Error {
	return &Error{Code: CodeInvalidRequest, Status: http.StatusBadRequest, Reason: reason, Description: description}
}

// serverError turns an error that is not about the client's credentials (a
// store outage, a cancelled request) into a 503 or a 500.
func serverError(err error) *Error {
	if errors.Is(err, oauthreg.ErrUnavailable) {
		return &Error{Code: CodeTemporarilyUnavailable, Status: http.StatusServiceUnavailable, Reason: ReasonServerError,
			Description: "the server cannot authenticate clients right now; retry later", Err: err}
	}
	return &Error{Code: CodeServerError, Status: http.StatusInternalServerError, Reason: ReasonServerError,
		Description: "the server could not authenticate the client", Err: err}
}
