package clientauth

import (
	"encoding/json"
	"errors"
	"net/http"
)

// DefaultRealm is the realm of the WWW-Authenticate challenge of a 401 when
// the Authenticator has none (WithRealm).
const DefaultRealm = "token endpoint"

// errorBody is the JSON body of RFC 6749 §5.2.
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// WriteError writes err as a token endpoint error response (RFC 6749 §5.2):
// a JSON body with error and error_description, Cache-Control: no-store,
// and the status of the Error. A 401 always carries WWW-Authenticate (RFC
// 9110 §15.5.2 requires it, whatever method the client used): a Basic
// challenge with the Authenticator's realm. An error that is not an *Error
// is written as 503 temporarily_unavailable when it matches
// oauthreg.ErrUnavailable, else 500 server_error; its text is never sent.
func WriteError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = serverError(err)
	}
	h := w.Header()
	if e.Status == http.StatusUnauthorized {
		challenge := e.challenge
		if challenge == "" {
			challenge = basicChallenge(DefaultRealm)
		}
		h.Set("WWW-Authenticate", challenge)
	}
	if e.Status == http.StatusServiceUnavailable {
		h.Set("Retry-After", "1")
	}
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(errorBody{Error: e.Code, Description: e.Description})
}

// basicChallenge is the WWW-Authenticate value of a 401 (RFC 7617).
func basicChallenge(realm string) string {
	return `Basic realm="` + realm + `", charset="UTF-8"`
}
