package oauthreg

import (
	"context"
	"errors"
	"net/http"
)

// HTTPStatus returns the status an admin API (or the token endpoint) built
// on a Registry should answer when a call failed with err, so that every
// server maps the library's errors alike:
//
//	nil                                         200 OK
//	ErrInvalidCredentials                       401 Unauthorized (the token endpoint's invalid_client)
//	ErrForbidden                                403 Forbidden
//	ErrNotFound, ErrSecretNotFound,
//	ErrSecretNotRecognized                      404 Not Found
//	ErrAlreadyExists, ErrConflict,
//	ErrTooManySecrets, ErrSecretsNotUsed,
//	ErrNotRetrievable                           409 Conflict: the client's state does not allow it
//	*ValidationError, ErrInvalidSecret,
//	ErrUnsupportedHash, ErrInvalidUpdate,
//	ErrInvalidCursor, ErrInvalidScope,
//	ErrImportRefused                            400 Bad Request: the caller's input is wrong
//	ErrUnavailable, context.Canceled            503 Service Unavailable: retry later
//	context.DeadlineExceeded                    504 Gateway Timeout
//	anything else (ErrInvalidConfig,
//	ErrSealedSecret, ErrUnsupportedStore, a
//	store failure)                              500 Internal Server Error: not the caller's fault
//
// Errors are matched with errors.Is and errors.As, so wrapped errors map
// like the sentinel they wrap. Write the body from the error only through
// an explicit choice (a ValidationError's Code and field are meant for the
// caller; a store failure's text is not).
func HTTPStatus(err error) int {
	var ve *ValidationError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, ErrUnavailable), errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	case errors.Is(err, ErrInvalidCredentials):
		return http.StatusUnauthorized
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrSecretNotFound), errors.Is(err, ErrSecretNotRecognized):
		return http.StatusNotFound
	case errors.Is(err, ErrAlreadyExists), errors.Is(err, ErrConflict), errors.Is(err, ErrTooManySecrets),
		errors.Is(err, ErrSecretsNotUsed), errors.Is(err, ErrNotRetrievable):
		return http.StatusConflict
	case errors.As(err, &ve), errors.Is(err, ErrInvalidSecret), errors.Is(err, ErrUnsupportedHash),
		errors.Is(err, ErrInvalidUpdate), errors.Is(err, ErrInvalidCursor), errors.Is(err, ErrInvalidScope),
		errors.Is(err, ErrInvalidClientMetadata), errors.Is(err, ErrInvalidRedirectURI), errors.Is(err, ErrImportRefused):
		return http.StatusBadRequest
	default:
		return http.StatusInternalServerError
	}
}
