package oauthreg

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// validClient returns a confidential client that passes Validate, for the
// table tests to break one rule at a time.
func validClient() *Client {
	return &Client{
		ID:                      "client-1",
		Owner:                   "org-1",
		Name:                    "Example App ☕",
		Description:             "An example.\n\tSecond line.",
		GrantTypes:              []GrantType{GrantAuthorizationCode, GrantRefreshToken},
		ResponseTypes:           []ResponseType{ResponseCode},
		Scopes:                  []string{"openid", "profile", "https://api.example.com/read"},
		RedirectURIs:            []string{"https://app.example.com/callback", "http://127.0.0.1/cb"},
		TokenEndpointAuthMethod: AuthClientSecretBasic,
		AccessTokenTTL:          time.Hour,
		RefreshTokenTTL:         24 * time.Hour,
		SystemTags:              []string{"zone::a"},
		UserTags:                []string{"team blue"},
		Metadata:                map[string]string{"k": "v\nwith\x01anything"},
		RotationPolicy:          &RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 2},
		Secrets:                 []Secret{{ID: "s1", Kind: SecretGenerated, Hash: Conceal("$sha256$x")}},
	}
}

func publicClient() *Client {
	c := validClient()
	c.Public = true
	c.TokenEndpointAuthMethod = AuthNone
	c.Secrets = nil
	return c
}

func TestValidateClientRules(t *testing.T) {
	const (
		meta  = CodeInvalidClientMetadata
		redir = CodeInvalidRedirectURI
	)
	tests := []struct {
		name   string
		base   func() *Client // validClient when nil
		mutate func(c *Client)
		field  string // expected Field; empty with code "" means valid
		code   string
	}{
		// Valid clients.
		{name: "confidential web app", mutate: func(c *Client) {}},
		{name: "public native app", base: publicClient, mutate: func(c *Client) {
			c.RedirectURIs = []string{"com.example.app:/oauth2redirect", "http://[::1]/cb"}
		}},
		{name: "machine to machine", mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantClientCredentials}
			c.ResponseTypes, c.RedirectURIs = nil, nil
		}},
		{name: "implicit token", mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantImplicit}
			c.ResponseTypes = []ResponseType{ResponseToken}
		}},
		{name: "implicit id_token only", mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantImplicit}
			c.ResponseTypes = []ResponseType{ResponseIDToken, "id_token token"}
		}},
		{name: "OIDC hybrid", mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantAuthorizationCode, GrantImplicit, GrantRefreshToken}
			c.ResponseTypes = []ResponseType{"code", "code id_token", "token id_token code", "none"}
		}},
		{name: "refresh with device code", mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantDeviceCode, GrantRefreshToken}
			c.ResponseTypes, c.RedirectURIs = nil, nil
		}},
		{name: "all extension grants", mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantJWTBearer, GrantSAML2Bearer, GrantTokenExchange, GrantPassword, GrantClientCredentials}
			c.ResponseTypes, c.RedirectURIs = nil, nil
		}},
		{name: "client_id with VSCHAR punctuation and space", mutate: func(c *Client) { c.ID = "my client:~!@#" }},
		{name: "client_id of 255 bytes", mutate: func(c *Client) { c.ID = strings.Repeat("a", 255) }},
		{name: "empty optional texts", mutate: func(c *Client) {
			c.Owner, c.Name, c.Description = "", "", ""
			c.Scopes, c.SystemTags, c.UserTags, c.Metadata, c.RotationPolicy = nil, nil, nil, nil, nil
		}},
		{name: "zero lifetimes", mutate: func(c *Client) { c.AccessTokenTTL, c.RefreshTokenTTL = 0, 0 }},
		{name: "client_secret_jwt with retrievable secrets", mutate: func(c *Client) { c.TokenEndpointAuthMethod = AuthClientSecretJWT }},
		{name: "private_key_jwt without secrets", mutate: func(c *Client) {
			c.TokenEndpointAuthMethod = AuthPrivateKeyJWT
			c.JWKSURI = "https://client.example.com/jwks.json"
			c.Secrets = nil
		}},
		{name: "mTLS methods", mutate: func(c *Client) {
			c.TokenEndpointAuthMethod = AuthSelfSignedTLSClient
			c.JWKS = json.RawMessage(testPublicJWKS)
		}},
		{name: "localhost redirect", mutate: func(c *Client) { c.RedirectURIs = []string{"http://localhost:3000/cb"} }},
		{name: "100 redirect URIs", mutate: func(c *Client) {
			c.RedirectURIs = nil
			for i := range 100 {
				c.RedirectURIs = append(c.RedirectURIs, fmt.Sprintf("https://app.example.com/cb/%d", i))
			}
		}},

		// client_id, owner, names.
		{name: "empty client_id", mutate: func(c *Client) { c.ID = "" }, field: "client_id", code: meta},
		{name: "long client_id", mutate: func(c *Client) { c.ID = strings.Repeat("a", 256) }, field: "client_id", code: meta},
		{name: "client_id with newline", mutate: func(c *Client) { c.ID = "a\nb" }, field: "client_id", code: meta},
		{name: "client_id non-ASCII", mutate: func(c *Client) { c.ID = "café" }, field: "client_id", code: meta},
		{name: "client_id DEL", mutate: func(c *Client) { c.ID = "a\x7f" }, field: "client_id", code: meta},
		{name: "long owner", mutate: func(c *Client) { c.Owner = strings.Repeat("o", 256) }, field: "owner", code: meta},
		{name: "owner control char", mutate: func(c *Client) { c.Owner = "org\x00" }, field: "owner", code: meta},
		{name: "owner tab", mutate: func(c *Client) { c.Owner = "org\t1" }, field: "owner", code: meta},
		{name: "long client_name", mutate: func(c *Client) { c.Name = strings.Repeat("n", 1001) }, field: "client_name", code: meta},
		{name: "client_name invalid UTF-8", mutate: func(c *Client) { c.Name = "bad\xff" }, field: "client_name", code: meta},
		{name: "client_name newline", mutate: func(c *Client) { c.Name = "a\nb" }, field: "client_name", code: meta},
		{name: "client_name bidi override", mutate: func(c *Client) { c.Name = "evil\u202egpj.exe" }, field: "client_name", code: meta},
		{name: "client_name C1 control", mutate: func(c *Client) { c.Name = "a\u0085b" }, field: "client_name", code: meta},
		{name: "long description", mutate: func(c *Client) { c.Description = strings.Repeat("d", 10001) }, field: "description", code: meta},
		{name: "description invalid UTF-8", mutate: func(c *Client) { c.Description = "\xc3(" }, field: "description", code: meta},
		{name: "description NUL", mutate: func(c *Client) { c.Description = "a\x00" }, field: "description", code: meta},
		{name: "description escape char", mutate: func(c *Client) { c.Description = "a\x1b[31m" }, field: "description", code: meta},

		// Auth method and public clients.
		{name: "empty auth method", mutate: func(c *Client) { c.TokenEndpointAuthMethod = "" }, field: "token_endpoint_auth_method", code: meta},
		{name: "unknown auth method", mutate: func(c *Client) { c.TokenEndpointAuthMethod = "client_secret_magic" }, field: "token_endpoint_auth_method", code: meta},
		{name: "public with secret method", base: publicClient, mutate: func(c *Client) { c.TokenEndpointAuthMethod = AuthClientSecretPost }, field: "token_endpoint_auth_method", code: meta},
		{name: "confidential with none", mutate: func(c *Client) { c.TokenEndpointAuthMethod = AuthNone }, field: "token_endpoint_auth_method", code: meta},
		{name: "public with secrets", base: publicClient, mutate: func(c *Client) { c.Secrets = []Secret{{ID: "s"}} }, field: "secrets", code: meta},
		{name: "public client_credentials", base: publicClient, mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantAuthorizationCode, GrantClientCredentials}
		}, field: "grant_types[1]", code: meta},
		{name: "public password", base: publicClient, mutate: func(c *Client) { c.GrantTypes = []GrantType{GrantPassword, GrantAuthorizationCode} }, field: "grant_types[0]", code: meta},

		// Grant types.
		{name: "no grant types", mutate: func(c *Client) { c.GrantTypes = nil }, field: "grant_types", code: meta},
		{name: "unknown grant type", mutate: func(c *Client) { c.GrantTypes = append(c.GrantTypes, "magic") }, field: "grant_types[2]", code: meta},
		{name: "duplicate grant type", mutate: func(c *Client) { c.GrantTypes = append(c.GrantTypes, GrantRefreshToken) }, field: "grant_types[2]", code: meta},
		{name: "refresh_token alone", mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantRefreshToken}
			c.ResponseTypes = nil
		}, field: "grant_types", code: meta},
		{name: "refresh_token with implicit only", mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantImplicit, GrantRefreshToken}
			c.ResponseTypes = []ResponseType{ResponseToken}
		}, field: "grant_types", code: meta},

		// Response types and RFC 7591 §2.1 consistency.
		{name: "unknown response type", mutate: func(c *Client) { c.ResponseTypes = []ResponseType{"code", "magic"} }, field: "response_types[1]", code: meta},
		{name: "empty response type", mutate: func(c *Client) { c.ResponseTypes = []ResponseType{"code", ""} }, field: "response_types[1]", code: meta},
		{name: "double space in response type", mutate: func(c *Client) {
			c.GrantTypes = append(c.GrantTypes, GrantImplicit)
			c.ResponseTypes = []ResponseType{"code  id_token"}
		}, field: "response_types[0]", code: meta},
		{name: "repeated part", mutate: func(c *Client) { c.ResponseTypes = []ResponseType{"code code"} }, field: "response_types[0]", code: meta},
		{name: "none combined", mutate: func(c *Client) { c.ResponseTypes = []ResponseType{"code none"} }, field: "response_types[0]", code: meta},
		{name: "duplicate response type", mutate: func(c *Client) { c.ResponseTypes = []ResponseType{"code", "code"} }, field: "response_types[1]", code: meta},
		{name: "duplicate response type other order", mutate: func(c *Client) {
			c.GrantTypes = append(c.GrantTypes, GrantImplicit)
			c.ResponseTypes = []ResponseType{"code id_token", "id_token code"}
		}, field: "response_types[1]", code: meta},
		{name: "code without authorization_code", mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantClientCredentials}
		}, field: "response_types[0]", code: meta},
		{name: "token without implicit", mutate: func(c *Client) { c.ResponseTypes = []ResponseType{"code", "token"} }, field: "response_types[1]", code: meta},
		{name: "id_token without implicit", mutate: func(c *Client) { c.ResponseTypes = []ResponseType{"code id_token"} }, field: "response_types[0]", code: meta},
		{name: "authorization_code without code", mutate: func(c *Client) { c.ResponseTypes = nil }, field: "response_types", code: meta},
		{name: "implicit without token", mutate: func(c *Client) { c.GrantTypes = append(c.GrantTypes, GrantImplicit) }, field: "response_types", code: meta},
		{name: "none without authorization endpoint grant", mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantClientCredentials}
			c.ResponseTypes = []ResponseType{"none"}
		}, field: "response_types[0]", code: meta},

		// Redirect URIs.
		{name: "authorization_code without redirect", mutate: func(c *Client) { c.RedirectURIs = nil }, field: "redirect_uris", code: redir},
		{name: "implicit without redirect", mutate: func(c *Client) {
			c.GrantTypes = []GrantType{GrantImplicit}
			c.ResponseTypes = []ResponseType{ResponseToken}
			c.RedirectURIs = nil
		}, field: "redirect_uris", code: redir},
		{name: "fragment", mutate: func(c *Client) { c.RedirectURIs[1] = "https://app.example.com/cb#x" }, field: "redirect_uris[1]", code: redir},
		{name: "relative", mutate: func(c *Client) { c.RedirectURIs[0] = "/callback" }, field: "redirect_uris[0]", code: redir},
		{name: "http remote", mutate: func(c *Client) { c.RedirectURIs[0] = "http://app.example.com/cb" }, field: "redirect_uris[0]", code: redir},
		{name: "javascript", mutate: func(c *Client) { c.RedirectURIs[0] = "javascript:alert(1)" }, field: "redirect_uris[0]", code: redir},
		{name: "duplicate redirect", mutate: func(c *Client) { c.RedirectURIs = append(c.RedirectURIs, c.RedirectURIs[0]) }, field: "redirect_uris[2]", code: redir},
		{name: "too many redirects", mutate: func(c *Client) {
			for i := range 100 {
				c.RedirectURIs = append(c.RedirectURIs, fmt.Sprintf("https://app.example.com/x/%d", i))
			}
		}, field: "redirect_uris", code: redir},
		{name: "wildcard host", mutate: func(c *Client) { c.RedirectURIs[0] = "https://*.example.com/cb" }, field: "redirect_uris[0]", code: redir},

		// Scopes.
		{name: "scope with space", mutate: func(c *Client) { c.Scopes = []string{"a b"} }, field: "scope", code: meta},
		{name: "scope with quote", mutate: func(c *Client) { c.Scopes = []string{`a"b`} }, field: "scope", code: meta},
		{name: "scope with backslash", mutate: func(c *Client) { c.Scopes = []string{`a\b`} }, field: "scope", code: meta},
		{name: "empty scope", mutate: func(c *Client) { c.Scopes = []string{"read", ""} }, field: "scope", code: meta},
		{name: "non-ASCII scope", mutate: func(c *Client) { c.Scopes = []string{"lecture"}; c.Scopes[0] = "lecturé" }, field: "scope", code: meta},
		{name: "duplicate scope", mutate: func(c *Client) { c.Scopes = []string{"read", "write", "read"} }, field: "scope", code: meta},
		{name: "long scope", mutate: func(c *Client) { c.Scopes = []string{strings.Repeat("s", 1001)} }, field: "scope", code: meta},
		{name: "too many scopes", mutate: func(c *Client) {
			c.Scopes = nil
			for i := range 1001 {
				c.Scopes = append(c.Scopes, fmt.Sprint("s", i))
			}
		}, field: "scope", code: meta},

		// Lifetimes and rotation.
		{name: "negative access TTL", mutate: func(c *Client) { c.AccessTokenTTL = -time.Second }, field: "access_token_ttl", code: meta},
		{name: "negative refresh TTL", mutate: func(c *Client) { c.RefreshTokenTTL = -1 }, field: "refresh_token_ttl", code: meta},
		{name: "negative grace period", mutate: func(c *Client) { c.RotationPolicy.GracePeriod = -time.Hour }, field: "rotation_policy", code: meta},
		{name: "negative max secrets", mutate: func(c *Client) { c.RotationPolicy.MaxActiveSecrets = -1 }, field: "rotation_policy", code: meta},

		// Tags and metadata.
		{name: "empty system tag", mutate: func(c *Client) { c.SystemTags = []string{"a", ""} }, field: "system_tags[1]", code: meta},
		{name: "long user tag", mutate: func(c *Client) { c.UserTags = []string{strings.Repeat("t", 256)} }, field: "user_tags[0]", code: meta},
		{name: "user tag newline", mutate: func(c *Client) { c.UserTags = []string{"a\nb"} }, field: "user_tags[0]", code: meta},
		{name: "too many tags", mutate: func(c *Client) { c.SystemTags = make([]string, 101) }, field: "system_tags", code: meta},
		{name: "empty metadata key", mutate: func(c *Client) { c.Metadata[""] = "v" }, field: "metadata", code: meta},
		{name: "long metadata key", mutate: func(c *Client) { c.Metadata[strings.Repeat("k", 256)] = "v" }, field: "metadata", code: meta},
		{name: "long metadata value", mutate: func(c *Client) { c.Metadata["k"] = strings.Repeat("v", 4097) }, field: "metadata", code: meta},
		{name: "metadata value NUL", mutate: func(c *Client) { c.Metadata["k"] = "a\x00" }, field: "metadata", code: meta},
		{name: "too many metadata entries", mutate: func(c *Client) {
			for i := range 100 {
				c.Metadata[fmt.Sprint("key", i)] = "v"
			}
		}, field: "metadata", code: meta},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base
			if base == nil {
				base = validClient
			}
			c := base()
			tt.mutate(c)
			err := c.Validate()
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate() = %v (%T), want a *ValidationError", err, err)
			}
			if ve.Field != tt.field || ve.Code != tt.code {
				t.Fatalf("Validate() = field %q code %q (%v), want field %q code %q", ve.Field, ve.Code, err, tt.field, tt.code)
			}
			if ve.Reason == "" {
				t.Error("empty Reason")
			}
			if !errors.Is(err, ErrInvalidClientMetadata) {
				t.Errorf("errors.Is(%v, ErrInvalidClientMetadata) = false", err)
			}
			if got := errors.Is(err, ErrInvalidRedirectURI); got != (tt.code == CodeInvalidRedirectURI) {
				t.Errorf("errors.Is(%v, ErrInvalidRedirectURI) = %v", err, got)
			}
		})
	}
}

func TestValidateClientSecretJWTNeedsKeyRing(t *testing.T) {
	c := validClient()
	c.TokenEndpointAuthMethod = AuthClientSecretJWT
	if err := validateClient(c, validateOptions{SecretsRetrievable: true}); err != nil {
		t.Fatalf("with a key ring: %v", err)
	}
	err := validateClient(c, validateOptions{SecretsRetrievable: false})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "token_endpoint_auth_method" || ve.Code != CodeInvalidClientMetadata {
		t.Fatalf("without a key ring: %v", err)
	}
	for _, want := range []string{"HMAC", "key ring", "sealed"} {
		if !strings.Contains(ve.Reason, want) {
			t.Errorf("reason %q does not mention %q", ve.Reason, want)
		}
	}
	// Other methods do not depend on the key ring.
	c.TokenEndpointAuthMethod = AuthClientSecretPost
	if err := validateClient(c, validateOptions{}); err != nil {
		t.Fatalf("client_secret_post without a key ring: %v", err)
	}
}

func TestValidateNilClient(t *testing.T) {
	var c *Client
	if err := c.Validate(); !errors.Is(err, ErrInvalidClientMetadata) {
		t.Fatalf("nil client: %v", err)
	}
	if err := validateClient(nil, validateOptions{}); err == nil {
		t.Fatal("nil client accepted")
	}
}

func TestValidateReturnsUntypedNil(t *testing.T) {
	// A typed nil *ValidationError in an error interface is not nil; make
	// sure the exported functions never return one.
	if err := validClient().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := ValidateScopeToken("read"); err != nil {
		t.Fatal(err)
	}
	if err := ValidateRedirectURI("https://a.example/cb"); err != nil {
		t.Fatal(err)
	}
}

func TestValidationErrorMessage(t *testing.T) {
	tests := []struct {
		err  *ValidationError
		want string
	}{
		{&ValidationError{Field: "redirect_uris[1]", Code: CodeInvalidClientMetadata, Reason: "must not contain a fragment"},
			"oauthreg: invalid client metadata: redirect_uris[1]: must not contain a fragment"},
		{&ValidationError{Field: "redirect_uris[1]", Code: CodeInvalidRedirectURI, Reason: "must not contain a fragment"},
			"oauthreg: invalid redirect URI: redirect_uris[1]: must not contain a fragment"},
		{&ValidationError{Code: CodeInvalidClientMetadata, Reason: "must be a JSON object"},
			"oauthreg: invalid client metadata: must be a JSON object"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestValidationErrorWrapped(t *testing.T) {
	c := validClient()
	c.RedirectURIs[0] = "https://app.example.com/cb#frag"
	err := fmt.Errorf("register: %w", c.Validate())
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "redirect_uris[0]" {
		t.Fatalf("errors.As through wrapping: %v", err)
	}
	if !errors.Is(err, ErrInvalidRedirectURI) || !errors.Is(err, ErrInvalidClientMetadata) {
		t.Fatalf("errors.Is through wrapping: %v", err)
	}
	if errors.Is(err, ErrInvalidConfig) || errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("matches unrelated sentinels: %v", err)
	}
	want := "oauthreg: invalid redirect URI: redirect_uris[0]: must not contain a fragment (RFC 6749 §3.1.2)"
	if ve.Error() != want {
		t.Fatalf("Error() = %q, want %q", ve.Error(), want)
	}
}

func TestValidationErrorQuotesLongValues(t *testing.T) {
	c := validClient()
	c.GrantTypes = []GrantType{GrantType(strings.Repeat("x", 100000))}
	err := c.Validate()
	if err == nil || len(err.Error()) > 500 {
		t.Fatalf("error for a huge grant type is %d bytes", len(fmt.Sprint(err)))
	}
}

func TestValidateScopeToken(t *testing.T) {
	valid := []string{"read", "openid", "a", "!", "#$%&'()*+,-./:;<=>?@[]^_`{|}~", "https://api.example.com/read", "user:email"}
	for _, s := range valid {
		if err := ValidateScopeToken(s); err != nil {
			t.Errorf("ValidateScopeToken(%q) = %v", s, err)
		}
	}
	invalid := []string{"", " ", "a b", `a"b`, `a\b`, "a\tb", "a\x00", "a\x7f", "é", "read\n"}
	for _, s := range invalid {
		err := ValidateScopeToken(s)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "scope" || ve.Code != CodeInvalidClientMetadata {
			t.Errorf("ValidateScopeToken(%q) = %v, want a scope ValidationError", s, err)
		}
	}
}

func ExampleClient_Validate() {
	c := &Client{
		ID:                      "web-app",
		GrantTypes:              []GrantType{GrantAuthorizationCode},
		ResponseTypes:           []ResponseType{ResponseCode},
		RedirectURIs:            []string{"https://app.example.com/callback#done"},
		TokenEndpointAuthMethod: AuthClientSecretBasic,
	}
	err := c.Validate()
	var ve *ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Code)
		fmt.Println(ve.Field)
	}
	fmt.Println(err)
	// Output:
	// invalid_redirect_uri
	// redirect_uris[0]
	// oauthreg: invalid redirect URI: redirect_uris[0]: must not contain a fragment (RFC 6749 §3.1.2)
}

func TestParseScope(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"read", []string{"read"}},
		{"read write", []string{"read", "write"}},
		{" read  write ", []string{"read", "write"}},
		{"write read write", []string{"write", "read"}},
		{"openid https://api.example.com/x user:email", []string{"openid", "https://api.example.com/x", "user:email"}},
	}
	for _, tt := range tests {
		got, err := ParseScope(tt.in)
		if err != nil {
			t.Errorf("ParseScope(%q) error %v", tt.in, err)
			continue
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) || (got == nil) != (tt.want == nil) {
			t.Errorf("ParseScope(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"read\twrite", "read\nwrite", `"read"`, `a\b`, "lecturé", "read\x00"} {
		got, err := ParseScope(in)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "scope" || got != nil {
			t.Errorf("ParseScope(%q) = %v, %v; want a scope ValidationError", in, got, err)
		}
	}
}

func TestFormatScope(t *testing.T) {
	if got := FormatScope(nil); got != "" {
		t.Errorf("FormatScope(nil) = %q", got)
	}
	if got := FormatScope([]string{"read", "write"}); got != "read write" {
		t.Errorf("FormatScope = %q", got)
	}
	in := []string{"openid", "profile", "https://api.example.com/read"}
	got, err := ParseScope(FormatScope(in))
	if err != nil || fmt.Sprint(got) != fmt.Sprint(in) {
		t.Errorf("round trip = %v, %v", got, err)
	}
}

func TestParseScopeLargeInputIsLinear(t *testing.T) {
	// 200k scope tokens (MaxScopes distinct ones, each repeated) must not
	// take quadratic time.
	var b strings.Builder
	for i := range 200000 {
		fmt.Fprintf(&b, "s%d ", i%MaxScopes)
	}
	got, err := ParseScope(b.String())
	if err != nil || len(got) != MaxScopes {
		t.Fatalf("got %d scopes, %v", len(got), err)
	}
	// One distinct scope more is refused, after keeping MaxScopes at most.
	got, err = ParseScope(b.String() + " one-more")
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "scope" || got != nil {
		t.Fatalf("MaxScopes+1 distinct scopes: got %d scopes, %v; want a *ValidationError for scope", len(got), err)
	}
}
