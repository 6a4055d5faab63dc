package oauthreg

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestValidateRedirectURI(t *testing.T) {
	valid := []string{
		"https://app.example.com/callback",
		"https://app.example.com",
		"https://app.example.com:8443/cb?tenant=a&x=1",
		"https://app.example.com/c%20b",
		"https://[2001:db8::1]/cb",
		"https://192.0.2.1/cb",
		"http://127.0.0.1/cb",
		"http://127.0.0.1:8080/cb",
		"http://127.0.0.1",
		"http://127.10.20.30/cb",
		"http://[::1]/cb",
		"http://[::1]:51004/cb",
		"http://localhost/cb",
		"http://localhost:3000/callback",
		"com.example.app:/oauth2redirect/example-provider",
		"com.example.app://callback",
		"com.example.app:callback",
		"com.googleusercontent.apps.123-abc:/oauth2redirect",
		"https://app.example.com/*/cb",
	}
	for _, u := range valid {
		if err := ValidateRedirectURI(u); err != nil {
			t.Errorf("ValidateRedirectURI(%q) = %v, want nil", u, err)
		}
	}

	invalid := []struct {
		uri, reason string // reason: a fragment the Reason must contain
	}{
		{"", "empty"},
		{"HTTPS://app.example.com/cb", "lowercase"},
		{"HTTP://127.0.0.1/cb", "lowercase"},
		{"Com.Example.App:/cb", "lowercase"},
		{"https://app.example.com/" + strings.Repeat("a", 2000), "at most 2000"},
		{"/callback", "absolute"},
		{"app.example.com/callback", "absolute"},
		{"//app.example.com/callback", "absolute"},
		{"https://app.example.com/cb#frag", "fragment"},
		{"https://app.example.com/cb#", "fragment"},
		{"https://user:pass@app.example.com/cb", "user information"},
		{"https://user@app.example.com/cb", "user information"},
		{"http://app.example.com/cb", "loopback"},
		{"http://10.0.0.1/cb", "loopback"},
		{"http://127.0.0.1.example.com/cb", "loopback"},
		{"http://localhost.example.com/cb", "loopback"},
		{"http://127.1/cb", "loopback"},
		{"http://[::ffff:127.0.0.1]/cb", "loopback"},
		{"http://[::1%25lo0]/cb", "zone"},
		{"https://*.example.com/cb", "wildcard"},
		{"https://*/cb", "wildcard"},
		{"https:app.example.com", "host"},
		{"https:///cb", "host"},
		{"https://:443/cb", "host"},
		{"https://app.example.com:0/cb", "port"},
		{"https://app.example.com:70000/cb", "port"},
		{"https://app.example.com:abc/cb", "URI"},
		{"javascript:alert(1)", "javascript"},
		{"JavaScript:alert(1)", "javascript"},
		{"data:text/html,hello", "data"},
		{"file:///etc/passwd", "file"},
		{"vbscript:msgbox", "vbscript"},
		{"blob:https://app.example.com/uuid", "blob"},
		{"about:blank", "about"},
		{"urn:ietf:wg:oauth:2.0:oob", "out-of-band"},
		{"urn:ietf:wg:oauth:2.0:oob:auto", "out-of-band"},
		{"myapp:/callback", "period"},
		{"ftp://files.example.com/cb", "period"},
		{"com.example.app:", "path"},
		{"https://app.example.com/call back", "space"},
		{"https://app.example.com/cb\n", "control"},
		{"https://app.example.com/café", "non-ASCII"},
		{`https://app.example.com\@evil.example/cb`, `'\\'`},
		{"https://app.example.com/<script>", `'<'`},
		{"https://app.example.com/%zz", "valid URI"},
	}
	for _, tt := range invalid {
		err := ValidateRedirectURI(tt.uri)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("ValidateRedirectURI(%q) = %v, want a *ValidationError", tt.uri, err)
			continue
		}
		if ve.Field != "redirect_uri" || ve.Code != CodeInvalidRedirectURI {
			t.Errorf("ValidateRedirectURI(%q): field %q code %q", tt.uri, ve.Field, ve.Code)
		}
		if !errors.Is(err, ErrInvalidRedirectURI) || !errors.Is(err, ErrInvalidClientMetadata) {
			t.Errorf("ValidateRedirectURI(%q): errors.Is fails for %v", tt.uri, err)
		}
		if !strings.Contains(ve.Reason, tt.reason) {
			t.Errorf("ValidateRedirectURI(%q) reason %q does not mention %q", tt.uri, ve.Reason, tt.reason)
		}
	}
}

func TestMatchRedirectURI(t *testing.T) {
	c := &Client{RedirectURIs: []string{
		"https://app.example.com/callback",
		"https://app.example.com/cb?tenant=a",
		"http://127.0.0.1/native",
		"http://127.0.0.1:8080/fixed",
		"http://[::1]/v6",
		"http://[::1]:9000/v6port?x=1",
		"http://localhost:3000/dev",
		"http://127.0.0.2/other",
		"com.example.app:/oauth2redirect",
	}}
	tests := []struct {
		presented string
		want      bool
	}{
		// Exact matches.
		{"https://app.example.com/callback", true},
		{"https://app.example.com/cb?tenant=a", true},
		{"http://localhost:3000/dev", true},
		{"com.example.app:/oauth2redirect", true},
		{"http://127.0.0.1/native", true},

		// No normalisation, no prefix or pattern matching.
		{"https://app.example.com/callback/", false},
		{"https://app.example.com/callback/../callback", false},
		{"https://app.example.com/Callback", false},
		{"https://APP.example.com/callback", false},
		{"HTTPS://app.example.com/callback", true}, // schemes are case-insensitive (RFC 3986 §3.1)
		{"https://app.example.com:443/callback", false},
		{"https://app.example.com/callback?x=1", false},
		{"https://app.example.com/callback#frag", false},
		{"https://app.example.com/callbackx", false},
		{"https://app.example.com/call", false},
		{"https://app.example.com/cb?tenant=b", false},
		{"https://app.example.com/cb?tenant=a&admin=1", false},
		{"https://app.example.com/cb", false},
		{"https://app.example.com/%63allback", false},
		{"https://evil.example/callback", false},
		{"https://app.example.com.evil.example/callback", false},
		{"https://app.example.com@evil.example/callback", false},
		{"com.example.app:/oauth2redirect/x", false},
		{"", false},

		// RFC 8252 §7.3: any port on loopback IP literals.
		{"http://127.0.0.1:51004/native", true},
		{"http://127.0.0.1:1/native", true},
		{"http://127.0.0.1:65535/native", true},
		{"http://127.0.0.1:8080/fixed", true},
		{"http://127.0.0.1:9999/fixed", true},
		{"http://127.0.0.1/fixed", true},
		{"http://[::1]:51004/v6", true},
		{"http://[::1]/v6", true},
		{"http://[::1]/v6port?x=1", true},
		{"http://[::1]:1234/v6port?x=1", true},
		{"http://127.0.0.2:4000/other", true},
		// ... but everything else must be equal.
		{"http://127.0.0.1:51004/Native", false},
		{"http://127.0.0.1:51004/native/", false},
		{"http://127.0.0.1:51004/native?x=1", false},
		{"http://127.0.0.1:51004/native#f", false},
		{"http://127.0.0.1:51004/other", false},
		{"http://127.0.0.2:51004/native", false},
		{"http://[::1]:1234/v6port?x=2", false},
		{"http://[::1]:1234/v6port", false},
		{"http://[0:0:0:0:0:0:0:1]:1234/v6", false},
		{"https://127.0.0.1:51004/native", false},
		{"HTTP://127.0.0.1:51004/native", true},
		{"hTTp://[::1]:1234/v6port?x=1", true},
		{"http://user@127.0.0.1:51004/native", false},
		{"http://127.0.0.1:51004@evil.example/native", false},
		{"http://127.0.0.1:/native", false},
		{"http://127.0.0.1:0/native", false},
		{"http://127.0.0.1:65536/native", false},
		{"http://127.0.0.1:+80/native", false},
		{"http://127.0.0.1:80:80/native", false},
		{"http://127.0.0.1:8o/native", false},
		{"http://[::1]x/v6", false},
		{"http://[::1]:/v6", false},
		{"http://[::1/v6", false},
		// localhost gets no port exception.
		{"http://localhost:3001/dev", false},
		{"http://localhost/dev", false},
		{"http://localhost:51004/native", false},
	}
	for _, tt := range tests {
		if got := c.MatchRedirectURI(tt.presented); got != tt.want {
			t.Errorf("MatchRedirectURI(%q) = %v, want %v", tt.presented, got, tt.want)
		}
	}
}

func TestMatchRedirectURIEdgeCases(t *testing.T) {
	var nilClient *Client
	if nilClient.MatchRedirectURI("https://a.example/cb") {
		t.Error("nil client matched")
	}
	if (&Client{}).MatchRedirectURI("https://a.example/cb") {
		t.Error("client without redirect URIs matched")
	}
	if (&Client{RedirectURIs: []string{""}}).MatchRedirectURI("") {
		t.Error("empty presented URI matched an empty registration")
	}
	// An exotic IPv6 spelling registered as such matches itself with any
	// port, but not the canonical spelling.
	c := &Client{RedirectURIs: []string{"http://[0:0:0:0:0:0:0:1]/cb"}}
	if !c.MatchRedirectURI("http://[0:0:0:0:0:0:0:1]:5000/cb") {
		t.Error("long-form ::1 with a port did not match")
	}
	if c.MatchRedirectURI("http://[::1]:5000/cb") {
		t.Error("different spelling of the host matched")
	}
	// Registered localhost with a port: only that exact URI.
	c = &Client{RedirectURIs: []string{"http://localhost/cb"}}
	if c.MatchRedirectURI("http://localhost:8080/cb") {
		t.Error("localhost got the loopback port exception")
	}
}

func ExampleClient_MatchRedirectURI() {
	c := &Client{RedirectURIs: []string{
		"https://app.example.com/callback",
		"http://127.0.0.1/oauth", // a native app listening on a loopback port
	}}
	fmt.Println(c.MatchRedirectURI("https://app.example.com/callback"))
	fmt.Println(c.MatchRedirectURI("https://app.example.com/callback/"))
	fmt.Println(c.MatchRedirectURI("http://127.0.0.1:51004/oauth"))
	fmt.Println(c.MatchRedirectURI("http://127.0.0.1:51004/oauth?extra=1"))
	// Output:
	// true
	// false
	// true
	// false
}

func ExampleValidateRedirectURI() {
	for _, uri := range []string{
		"https://app.example.com/callback",
		"com.example.app:/oauth2redirect",
		"http://app.example.com/callback",
	} {
		fmt.Println(ValidateRedirectURI(uri))
	}
	// Output:
	// <nil>
	// <nil>
	// oauthreg: invalid redirect URI: redirect_uri: plain http is allowed only for the loopback interface (127.0.0.1, [::1] or localhost, RFC 8252 §7.3); use https
}

// TestMatchRedirectURISchemeCase: a client stored with an upper-case scheme
// (registered before Validate required lowercase) gets the same answers as
// one registered in lowercase, RFC 8252 §7.3's any-port rule included.
func TestMatchRedirectURISchemeCase(t *testing.T) {
	for _, registered := range []string{"HTTP://127.0.0.1/cb", "http://127.0.0.1/cb", "Http://127.0.0.1/cb"} {
		c := &Client{RedirectURIs: []string{registered}}
		for _, presented := range []string{"http://127.0.0.1/cb", "http://127.0.0.1:5555/cb", "HTTP://127.0.0.1:5555/cb", "HTTP://127.0.0.1/cb"} {
			if !c.MatchRedirectURI(presented) {
				t.Errorf("registered %q: %q does not match", registered, presented)
			}
		}
		for _, presented := range []string{"http://127.0.0.1:5555/CB", "https://127.0.0.1:5555/cb", "HTTP://127.0.0.2:5555/cb"} {
			if c.MatchRedirectURI(presented) {
				t.Errorf("registered %q: %q matches", registered, presented)
			}
		}
	}
}
