package registration

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/oauthreg/oauthreg"
)

// Error codes of RFC 7591 §3.2.2, and RFC 6750's invalid_token for the
// client configuration endpoint of RFC 7592.
const (
	CodeInvalidRedirectURI          = oauthreg.CodeInvalidRedirectURI
	CodeInvalidClientMetadata       = oauthreg.CodeInvalidClientMetadata
	CodeInvalidSoftwareStatement    = "invalid_software_statement"
	CodeUnapprovedSoftwareStatement = "unapproved_software_statement"
	// CodeInvalidToken: the registration access token is missing, wrong,
	// or names a client that does not exist (RFC 7592 §2, answered with
	// 401 and a WWW-Authenticate header).
	CodeInvalidToken = "invalid_token"
	// CodeServerError is not an RFC 7591 code: the request may be fine but
	// the server could not serve it (a store outage). Status is 500 or 503.
	CodeServerError = "server_error"
)

// Error is an error response (RFC 7591 §3.2.2): a code, a description for
// the client's developer, and the HTTP status to send. Every error the
// Server and ParseRequest return is an *Error (use AsError to get it);
// the description echoes no secret, and caller input in it has gone
// through oauthreg.SanitizeInput.
type Error struct {
	// Code is the "error" member.
	Code string
	// Description is the "error_description" member.
	Description string
	// Status is the HTTP status: 400 for the RFC 7591 codes, 401 for
	// invalid_token, 500 or 503 for server errors.
	Status int
	cause  error
}

// Error returns "registration: <code>: <description>".
func (e *Error) Error() string { return "registration: " + e.Code + ": " + e.Description }

// Unwrap returns the error behind e, if any (a *oauthreg.ValidationError,
// a store's error), for logs; it is never sent to the client.
func (e *Error) Unwrap() error { return e.cause }

// MarshalJSON writes the RFC 7591 §3.2.2 body: {"error", "error_description"}.
func (e *Error) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Code        string `json:"error"`
		Description string `json:"error_description,omitempty"`
	}{e.Code, e.Description})
}

// Write writes e as an HTTP response: its status, the JSON body, no
// caching, and for invalid_token the WWW-Authenticate challenge of RFC 6750.
func (e *Error) Write(w http.ResponseWriter) {
	if e.Code == CodeInvalidToken {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	writeJSON(w, e.Status, e)
}

func newError(code string, status int, description string) *Error {
	return &Error{Code: code, Description: description, Status: status}
}

func metadataError(description string) *Error {
	return newError(CodeInvalidClientMetadata, http.StatusBadRequest, description)
}

// AsError returns err as an *Error: itself if it is one; a
// *oauthreg.ValidationError becomes its RFC 7591 code with its message;
// oauthreg.ErrInvalidCredentials and oauthreg.ErrNotFound become
// invalid_token (401); oauthreg.ErrUnavailable a 503 server_error; anything
// else a 500 server_error whose description says nothing of the cause.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var ve *oauthreg.ValidationError
	switch {
	case errors.As(err, &ve):
		code := ve.Code
		if code == "" {
			code = CodeInvalidClientMetadata
		}
		e = newError(code, http.StatusBadRequest, ve.Error())
	case errors.Is(err, oauthreg.ErrInvalidCredentials), errors.Is(err, oauthreg.ErrNotFound):
		e = newError(CodeInvalidToken, http.StatusUnauthorized, "the registration access token is not valid for this client")
	case errors.Is(err, oauthreg.ErrSecretsNotUsed), errors.Is(err, oauthreg.ErrInvalidUpdate):
		e = metadataError(err.Error())
	case errors.Is(err, oauthreg.ErrUnavailable):
		e = newError(CodeServerError, http.StatusServiceUnavailable, "temporarily unavailable, try again later")
	default:
		e = newError(CodeServerError, http.StatusInternalServerError, "the registration could not be processed")
	}
	e.cause = err
	return e
}

// writeJSON writes v with the headers RFC 7591 §3.2 asks of responses that
// may carry credentials.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":"server_error"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
