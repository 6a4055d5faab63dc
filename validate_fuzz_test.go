package oauthreg

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The seeds added with f.Add run as ordinary tests with `go test`; run
// `go test -fuzz=FuzzName .` to explore further.

// checkValidationErr fails unless err is nil or a well-formed
// *ValidationError.
func checkValidationErr(t *testing.T, err error) *ValidationError {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *ValidationError", err, err)
	}
	if ve.Code != CodeInvalidClientMetadata && ve.Code != CodeInvalidRedirectURI {
		t.Fatalf("unknown code %q", ve.Code)
	}
	if ve.Reason == "" || !errors.Is(err, ErrInvalidClientMetadata) {
		t.Fatalf("malformed error %#v", ve)
	}
	return ve
}

func FuzzValidateClient(f *testing.F) {
	f.Add("client-1", "Example", "authorization_code refresh_token", "code", "openid profile",
		"https://app.example.com/cb", "client_secret_basic", false, "tag", "k", "v")
	f.Add("native", "App", "authorization_code", "code", "",
		"com.example.app:/cb http://127.0.0.1/cb", "none", true, "", "", "")
	f.Add("svc", "", "client_credentials", "", "read", "", "private_key_jwt", false, "a", "b", "c")
	f.Add("hybrid", "H", "authorization_code implicit", "code,code id_token,token", "openid",
		"https://a.example/cb", "client_secret_jwt", false, "", "", "")
	f.Add("", "\xff", "refresh_token", "none", "a\"b", "javascript:alert(1)", "magic", true, "", "", "\x00")
	f.Add("a\x00", "evil\u202e", "password", "code  token", "a  b", "https://u@*.x/#", "none", false, "\n", "", "")
	f.Fuzz(func(t *testing.T, id, name, grants, responses, scope, redirects, method string, public bool, tag, key, value string) {
		c := &Client{
			ID:                      id,
			Name:                    name,
			Description:             name,
			Owner:                   tag,
			GrantTypes:              splitAs[GrantType](grants, " "),
			ResponseTypes:           splitAs[ResponseType](responses, ","),
			Scopes:                  strings.Split(scope, " "),
			RedirectURIs:            splitAs[string](redirects, " "),
			TokenEndpointAuthMethod: AuthMethod(method),
			Public:                  public,
			SystemTags:              []string{tag},
			Metadata:                map[string]string{key: value},
		}
		before := c.Clone()
		err := c.Validate()
		ve := checkValidationErr(t, err)
		if !reflect.DeepEqual(c, before) {
			t.Fatal("Validate modified the client")
		}
		keyRingErr := validateClient(c, validateOptions{SecretsRetrievable: false})
		if err != nil && keyRingErr == nil {
			t.Fatalf("valid without a key ring but not with one: %v", err)
		}
		if err == nil && keyRingErr != nil && c.TokenEndpointAuthMethod != AuthClientSecretJWT {
			t.Fatalf("key ring changes the verdict for %q: %v", c.TokenEndpointAuthMethod, keyRingErr)
		}
		if ve != nil {
			return
		}
		// Invariants of a valid client.
		for _, u := range c.RedirectURIs {
			if err := ValidateRedirectURI(u); err != nil {
				t.Fatalf("valid client has invalid redirect URI %q: %v", u, err)
			}
			if !c.MatchRedirectURI(u) {
				t.Fatalf("registered URI %q does not match itself", u)
			}
		}
		for _, s := range c.Scopes {
			if err := ValidateScopeToken(s); err != nil {
				t.Fatalf("valid client has invalid scope %q", s)
			}
		}
		if c.Public != (c.TokenEndpointAuthMethod == AuthNone) {
			t.Fatal("public client with a secret method, or confidential one with none")
		}
		if len(c.ID) == 0 || len(c.ID) > 255 {
			t.Fatalf("client_id length %d accepted", len(c.ID))
		}
		// A valid client survives JSON unchanged.
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("marshal valid client: %v", err)
		}
		var back Client
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("unmarshal %s: %v", b, err)
		}
		if err := back.Validate(); err != nil {
			t.Fatalf("client invalid after JSON round trip: %v\n%s", err, b)
		}
	})
}

func splitAs[T ~string](s, sep string) []T {
	if s == "" {
		return nil
	}
	var out []T
	for part := range strings.SplitSeq(s, sep) {
		out = append(out, T(part))
	}
	return out
}

func FuzzValidateRedirectURI(f *testing.F) {
	for _, seed := range []string{
		"https://app.example.com/callback",
		"http://127.0.0.1:8080/cb",
		"http://[::1]/cb",
		"http://localhost/cb",
		"com.example.app:/oauth2redirect",
		"https://app.example.com/cb#frag",
		"javascript:alert(1)",
		"http://evil.example/cb",
		"https://*.example.com/",
		"https://user@host/",
		"urn:ietf:wg:oauth:2.0:oob",
		"http://[::1%25eth0]/",
		"https://host:99999/",
		"%",
		"",
		"https://[",
		"a.b:",
		"HTTP://127.0.0.1/",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		err := ValidateRedirectURI(uri)
		ve := checkValidationErr(t, err)
		if ve != nil {
			if ve.Code != CodeInvalidRedirectURI || ve.Field != "redirect_uri" || !errors.Is(err, ErrInvalidRedirectURI) {
				t.Fatalf("wrong error shape: %#v", ve)
			}
			return
		}
		u, perr := url.Parse(uri)
		switch {
		case perr != nil:
			t.Fatalf("valid URI %q does not parse: %v", uri, perr)
		case !u.IsAbs():
			t.Fatalf("valid URI %q is not absolute", uri)
		case strings.Contains(uri, "#") || u.Fragment != "":
			t.Fatalf("valid URI %q has a fragment", uri)
		case u.User != nil:
			t.Fatalf("valid URI %q has user information", uri)
		case strings.Contains(u.Host, "*"):
			t.Fatalf("valid URI %q has a wildcard host", uri)
		case len(uri) > 2000:
			t.Fatalf("valid URI of %d bytes", len(uri))
		}
		switch s := strings.ToLower(u.Scheme); s {
		case "https":
		case "http":
			if !isLoopbackHost(u.Hostname()) {
				t.Fatalf("valid http URI %q is not loopback", uri)
			}
		default:
			if !strings.Contains(s, ".") {
				t.Fatalf("valid URI %q has scheme %q", uri, s)
			}
		}
		for i := 0; i < len(uri); i++ {
			if uri[i] <= ' ' || uri[i] >= 0x7f {
				t.Fatalf("valid URI %q has byte 0x%02X", uri, uri[i])
			}
		}
	})
}

func FuzzMatchRedirectURI(f *testing.F) {
	for _, seed := range [][2]string{
		{"https://app.example.com/cb", "https://app.example.com/cb"},
		{"https://app.example.com/cb", "https://app.example.com/cb/"},
		{"http://127.0.0.1/cb", "http://127.0.0.1:51004/cb"},
		{"http://127.0.0.1:8080/cb", "http://127.0.0.1/cb"},
		{"http://[::1]/cb", "http://[::1]:8080/cb"},
		{"http://[::1]/cb?x=1", "http://[::1]:8080/cb?x=2"},
		{"http://localhost/cb", "http://localhost:8080/cb"},
		{"http://127.0.0.1/cb", "http://127.0.0.1:80@evil/cb"},
		{"http://127.0.0.1/cb", "http://127.0.0.1:/cb"},
		{"http://[::1]", "http://[::1]:99999"},
		{"", ""},
		{"http://", "http://:1"},
		{"http://[", "http://[:1"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, registered, presented string) {
		c := &Client{RedirectURIs: []string{registered}}
		got := c.MatchRedirectURI(presented)
		if registered == presented && presented != "" && !got {
			t.Fatalf("%q does not match itself", registered)
		}
		if !got || registered == presented {
			return
		}
		// A match that is not exact is only the loopback port exception.
		reg, ok1 := splitLoopbackRedirect(registered)
		pre, ok2 := splitLoopbackRedirect(presented)
		if !ok1 || !ok2 || reg != pre {
			t.Fatalf("%q matched %q without being equal or a loopback port variant", presented, registered)
		}
		if !strings.HasPrefix(presented, "http://") {
			t.Fatalf("non-http %q matched %q", presented, registered)
		}
		ru, err1 := url.Parse(registered)
		pu, err2 := url.Parse(presented)
		if err1 != nil || err2 != nil {
			t.Fatalf("match of unparsable URIs %q, %q", registered, presented)
		}
		if ru.Hostname() != pu.Hostname() || ru.EscapedPath() != pu.EscapedPath() || ru.RawQuery != pu.RawQuery ||
			pu.User != nil || !isLoopbackIP(pu.Hostname()) || pu.Fragment != ru.Fragment {
			t.Fatalf("%q matched %q but differs beyond the port", presented, registered)
		}
	})
}

func FuzzParseScope(f *testing.F) {
	for _, seed := range []string{"", "read", "read write", " a  b ", "a\tb", `a"b`, `a\b`, "é", "a a a", "\x00", "!#[]~"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		scopes, err := ParseScope(s)
		if checkValidationErr(t, err) != nil {
			if scopes != nil {
				t.Fatal("scopes returned with an error")
			}
			return
		}
		seen := map[string]bool{}
		for _, tok := range scopes {
			if err := ValidateScopeToken(tok); err != nil {
				t.Fatalf("ParseScope(%q) returned invalid token %q", s, tok)
			}
			if seen[tok] {
				t.Fatalf("ParseScope(%q) returned %q twice", s, tok)
			}
			seen[tok] = true
		}
		again, err := ParseScope(FormatScope(scopes))
		if err != nil || !reflect.DeepEqual(again, scopes) {
			t.Fatalf("ParseScope(FormatScope(%q)) = %q, %v", scopes, again, err)
		}
	})
}

func mustMarshal(c Client) []byte {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err)
	}
	return b
}

func FuzzClientUnmarshalJSON(f *testing.F) {
	full, err := json.Marshal(fullClient())
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(full),
		`{}`,
		`null`,
		`[]`,
		`{"client_id":"a","scope":"read write","access_token_ttl":1.5}`,
		`{"rotation_policy":{"grace_period_seconds":1e3,"max_active_secrets":2}}`,
		`{"secrets":[{"id":"s","created_at":"2024-05-01T12:00:00Z"}]}`,
		`{"client_id":1}`,
		`{"access_token_ttl":-0.000000001}`,
		`{"access_token_ttl":9223372036.9}`,
		`{"created_at":"0000-01-01T00:00:00Z"}`,
		`{"client_id_issued_at":-62135596801}`,
		`{"client_id_issued_at":253402300800}`,
		`{"scope":"a\u0000"}`,
		`{`,
		string(mustMarshal(withEveryField())),
		`{"client_name#fr":"x","logo_uri#de-DE":"https://x","ext":{"a":[1,"<&>"]},"jwks":{"keys":[]}}`,
		`{"token_lifetimes":{"access_token":1,"grants":{"client_credentials":{"id_token":2.5}}}}`,
		`{"default_max_age":1e2,"response_modes":["query"],"audience":["a"],"contacts":[]}`,
		`{"client_secret":"s","registration_access_token":"t","unknown":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Client
		err := c.UnmarshalJSON(data)
		if checkValidationErr(t, err) != nil {
			return
		}
		for _, s := range c.Secrets {
			if !s.Hash.IsZero() || !s.Sealed.IsZero() {
				t.Fatal("unmarshal filled a hash or sealed value")
			}
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("marshal after unmarshal: %v", err)
		}
		var back Client
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("re-unmarshal %s: %v", b, err)
		}
		if !reflect.DeepEqual(normalizeForJSON(c), normalizeForJSON(back)) {
			t.Fatalf("round trip differs\n%#v\n%#v\n%s", c, back, b)
		}
	})
}

// normalizeForJSON drops what JSON does not carry exactly: CreatedAt may
// come from client_id_issued_at (whole seconds), and durations beyond the
// parseable range.
func normalizeForJSON(c Client) Client {
	c.CreatedAt = c.CreatedAt.Truncate(time.Second)
	// Raw JSON (a JWK Set, extension values) keeps its meaning, not its
	// bytes: json.Marshal writes "<" as "\u003c".
	c.JWKS = canonicalJSON(c.JWKS)
	if c.Extensions != nil {
		ext := make(map[string]json.RawMessage, len(c.Extensions))
		for k, v := range c.Extensions {
			ext[k] = canonicalJSON(v)
		}
		c.Extensions = ext
	}
	return c
}

// canonicalJSON re-encodes a JSON value with sorted object members and
// numbers as written.
func canonicalJSON(raw json.RawMessage) json.RawMessage {
	if raw == nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return raw
	}
	out, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return out
}
