package oauthreg

// ResponseMode is how the authorization endpoint returns its response to a
// client (OAuth 2.0 Multiple Response Type Encoding Practices, Form Post
// Response Mode, and JARM).
type ResponseMode string

// Response modes a client may be allowed (Client.ResponseModes).
const (
	// ResponseModeQuery: parameters in the redirect URI's query string,
	// the default of the code response type.
	ResponseModeQuery ResponseMode = "query"
	// ResponseModeFragment: parameters in the redirect URI's fragment, the
	// default of response types that return tokens.
	ResponseModeFragment ResponseMode = "fragment"
	// ResponseModeFormPost: an auto-submitted HTML form POSTs the
	// parameters to the redirect URI.
	ResponseModeFormPost ResponseMode = "form_post"
	// ResponseModeQueryJWT, ResponseModeFragmentJWT and
	// ResponseModeFormPostJWT return the parameters as one signed JWT
	// (JARM) in the query, the fragment or a form post;
	// ResponseModeJWT lets the server choose which, by response type.
	ResponseModeQueryJWT    ResponseMode = "query.jwt"
	ResponseModeFragmentJWT ResponseMode = "fragment.jwt"
	ResponseModeFormPostJWT ResponseMode = "form_post.jwt"
	ResponseModeJWT         ResponseMode = "jwt"
)

// isKnownResponseMode reports whether m is one of the ResponseMode
// constants.
func isKnownResponseMode(m ResponseMode) bool {
	switch m {
	case ResponseModeQuery, ResponseModeFragment, ResponseModeFormPost,
		ResponseModeQueryJWT, ResponseModeFragmentJWT, ResponseModeFormPostJWT, ResponseModeJWT:
		return true
	}
	return false
}
