package gooauth2_test

import (
	"testing"

	"github.com/go-oauth2/oauth2/v4/manage"

	"github.com/oauthreg/oauthreg/adapters/gooauth2"
)

func TestValidateURI(t *testing.T) {
	cases := []struct {
		base, redirect string
		ok             bool
	}{
		{"https://app.example.com", "https://app.example.com/cb", true},
		{"https://app.example.com", "https://app.example.com/other?x=1", true},
		{"https://app.example.com:8443", "https://app.example.com:8443/cb", true},
		{"https://app.example.com:8443", "https://app.example.com/cb", false},
		{"https://app.example.com", "https://app.example.com:8443/cb", false},
		{"https://app.example.com", "https://evil-app.example.com/cb", false},
		{"https://example.com", "https://evil-example.com/cb", false},
		{"https://example.com", "https://sub.example.com/cb", false},
		{"https://app.example.com", "http://app.example.com/cb", false},
		{"https://app.example.com", "https://app.example.com/cb#frag", false},
		{"https://app.example.com", "https://user@app.example.com/cb", false},
		{"https://app.example.com", "/cb", false},
		{"https://app.example.com", "", false},
		{"https://app.example.com", "https://app.example.com.evil.com/cb", false},
		{"", "https://anything.example.com/cb", false},
		// RFC 8252 loopback: any port.
		{"http://127.0.0.1", "http://127.0.0.1:53122/cb", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:9090/cb", true},
		{"http://[::1]", "http://[::1]:4000/cb", true},
		{"http://127.0.0.1", "http://127.0.0.2:4000/cb", false},
		{"http://127.0.0.1", "https://127.0.0.1:4000/cb", false},
		{"http://localhost", "http://localhost:4000/cb", false},
		{"http://localhost", "http://localhost/cb", true},
		// Private-use schemes of native apps.
		{"com.example.app:", "com.example.app:/oauth2redirect", true},
		{"com.example.app:", "com.example.app://evil.com/x", false},
		{"com.example.app:", "com.example.evil:/x", false},
	}
	for _, c := range cases {
		err := gooauth2.ValidateURI(c.base, c.redirect)
		if (err == nil) != c.ok {
			t.Errorf("ValidateURI(%q, %q) = %v, want ok=%v", c.base, c.redirect, err, c.ok)
		}
	}
	// The gaps ValidateURI closes, as go-oauth2's default handles them.
	if manage.DefaultValidateURI("", "https://evil.example/cb") != nil ||
		manage.DefaultValidateURI("https://example.com", "https://evil-example.com/cb") != nil {
		t.Log("go-oauth2's DefaultValidateURI changed; update ValidateURI's documentation")
	}
}

// ValidateURI has the type the manager expects.
var _ manage.ValidateURIHandler = gooauth2.ValidateURI
