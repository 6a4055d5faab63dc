package oauthreg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

const leakMarker = "LEAK-MARKER-must-never-appear"

var jsonT0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// fullClient sets every field of Client, with hashes and sealed values that
// must never reach JSON.
func fullClient() Client {
	t0 := jsonT0
	return Client{
		ID:                      "c-1",
		Owner:                   "org-1",
		Name:                    "Example",
		Description:             "Demo app",
		GrantTypes:              []GrantType{GrantAuthorizationCode, GrantRefreshToken},
		ResponseTypes:           []ResponseType{ResponseCode},
		Scopes:                  []string{"openid", "profile"},
		RedirectURIs:            []string{"https://app.example.com/cb", "http://127.0.0.1/cb"},
		TokenEndpointAuthMethod: AuthClientSecretBasic,
		Public:                  false,
		AccessTokenTTL:          24 * time.Hour,
		RefreshTokenTTL:         10 * 24 * time.Hour,
		Disabled:                true,
		SystemTags:              []string{"sys"},
		UserTags:                []string{"usr"},
		Metadata:                map[string]string{"b": "2", "a": "1"},
		RotationPolicy: &RotationPolicy{
			GracePeriod:       time.Hour,
			SecretLifetime:    90 * 24 * time.Hour,
			MaxActiveSecrets:  2,
			OwnerOnlyRotation: true,
		},
		CreatedAt:  t0,
		UpdatedAt:  t0.Add(time.Hour + 500*time.Millisecond).In(time.FixedZone("CEST", 2*3600)),
		LastUsedAt: t0.Add(2 * time.Hour),
		Version:    7,
		Secrets: []Secret{
			{ID: "s1", Kind: SecretGenerated, Hash: Conceal(leakMarker), Sealed: Conceal(leakMarker), Hint: "ab12", Description: "old",
				CreatedAt: t0, ExpiresAt: t0.Add(25 * time.Hour), LastUsedAt: t0.Add(time.Hour)},
			{ID: "s2", Kind: SecretSupplied, Hash: Conceal(leakMarker), Sealed: Conceal(leakMarker),
				CreatedAt: t0.Add(24 * time.Hour), ExpiresAt: t0.Add(91 * 24 * time.Hour)},
			{ID: "s3", Kind: SecretImported, Hash: Conceal(leakMarker),
				CreatedAt: t0.Add(24*time.Hour + time.Second), RevokedAt: t0.Add(24*time.Hour + 2*time.Second)},
		},
	}
}

const fullClientGolden = `{
  "client_id": "c-1",
  "client_id_issued_at": 1714564800,
  "client_name": "Example",
  "description": "Demo app",
  "redirect_uris": [
    "https://app.example.com/cb",
    "http://127.0.0.1/cb"
  ],
  "grant_types": [
    "authorization_code",
    "refresh_token"
  ],
  "response_types": [
    "code"
  ],
  "scope": "openid profile",
  "token_endpoint_auth_method": "client_secret_basic",
  "client_secret_expires_at": 1722427200,
  "owner": "org-1",
  "public": false,
  "disabled": true,
  "access_token_ttl": 86400,
  "refresh_token_ttl": 864000,
  "system_tags": [
    "sys"
  ],
  "user_tags": [
    "usr"
  ],
  "metadata": {
    "a": "1",
    "b": "2"
  },
  "rotation_policy": {
    "grace_period_seconds": 3600,
    "secret_lifetime_seconds": 7776000,
    "max_active_secrets": 2,
    "owner_only_rotation": true
  },
  "created_at": "2024-05-01T12:00:00Z",
  "updated_at": "2024-05-01T13:00:00.5Z",
  "last_used": "2024-05-01T14:00:00Z",
  "version": 7,
  "secrets": [
    {
      "id": "s1",
      "kind": "generated",
      "hint": "ab12",
      "description": "old",
      "created_at": "2024-05-01T12:00:00Z",
      "expires_at": "2024-05-02T13:00:00Z",
      "last_used_at": "2024-05-01T13:00:00Z"
    },
    {
      "id": "s2",
      "kind": "supplied",
      "created_at": "2024-05-02T12:00:00Z",
      "expires_at": "2024-07-31T12:00:00Z"
    },
    {
      "id": "s3",
      "kind": "imported",
      "created_at": "2024-05-02T12:00:01Z",
      "revoked_at": "2024-05-02T12:00:02Z"
    }
  ]
}`

func indentJSON(t *testing.T, b []byte) string {
	t.Helper()
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b)
	}
	return out.String()
}

func TestClientMarshalJSONGolden(t *testing.T) {
	c := fullClient()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := indentJSON(t, b); got != fullClientGolden {
		t.Errorf("Marshal(client) =\n%s\nwant\n%s", got, fullClientGolden)
	}
	// A pointer marshals the same way.
	bp, err := json.Marshal(&c)
	if err != nil || !bytes.Equal(b, bp) {
		t.Errorf("Marshal(&client) differs: %v\n%s", err, bp)
	}
}

func TestClientMarshalJSONNeverLeaksSecrets(t *testing.T) {
	c := fullClient()
	c.Public = false
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(leakMarker)) {
		t.Fatalf("hash or sealed value in JSON: %s", b)
	}
	for _, key := range []string{`"hash"`, `"sealed"`, `"Hash"`, `"Sealed"`, `"client_secret"`} {
		if bytes.Contains(b, []byte(key)) {
			t.Errorf("JSON has member %s: %s", key, b)
		}
	}
	// Also inside other containers.
	b, err = json.Marshal(map[string]any{"clients": []*Client{&c}, "one": c})
	if err != nil || bytes.Contains(b, []byte(leakMarker)) {
		t.Fatalf("nested marshal leaked or failed: %v", err)
	}
}

func TestClientJSONRoundTrip(t *testing.T) {
	c := fullClient()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var got Client
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := c
	want.UpdatedAt = want.UpdatedAt.UTC()
	want.Secrets = nil
	for _, s := range c.Secrets {
		s.Hash, s.Sealed = Concealed{}, Concealed{}
		want.Secrets = append(want.Secrets, s)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip\n got %#v\nwant %#v", got, want)
	}
	// And once more: the second encoding is identical.
	b2, err := json.Marshal(got)
	if err != nil || !bytes.Equal(b, b2) {
		t.Errorf("second encoding differs: %v\n%s\n%s", err, b, b2)
	}
}

func TestClientJSONRoundTripEachField(t *testing.T) {
	// Each field alone, so a field that does not survive is named.
	t0 := jsonT0
	tests := map[string]func(c *Client){
		"ID":                      func(c *Client) { c.ID = "id" },
		"Owner":                   func(c *Client) { c.Owner = "org" },
		"Name":                    func(c *Client) { c.Name = "Name ☕" },
		"Description":             func(c *Client) { c.Description = "line\nline" },
		"GrantTypes":              func(c *Client) { c.GrantTypes = []GrantType{GrantDeviceCode} },
		"ResponseTypes":           func(c *Client) { c.ResponseTypes = []ResponseType{"code id_token"} },
		"Scopes":                  func(c *Client) { c.Scopes = []string{"a", "b:c"} },
		"RedirectURIs":            func(c *Client) { c.RedirectURIs = []string{"com.example.app:/cb"} },
		"TokenEndpointAuthMethod": func(c *Client) { c.TokenEndpointAuthMethod = AuthPrivateKeyJWT },
		"Public":                  func(c *Client) { c.Public = true },
		"AccessTokenTTL":          func(c *Client) { c.AccessTokenTTL = 90 * time.Second },
		"AccessTokenTTL fraction": func(c *Client) { c.AccessTokenTTL = 1500*time.Millisecond + 7 },
		"RefreshTokenTTL":         func(c *Client) { c.RefreshTokenTTL = 5 * time.Minute },
		"Disabled":                func(c *Client) { c.Disabled = true },
		"SystemTags":              func(c *Client) { c.SystemTags = []string{"x"} },
		"UserTags":                func(c *Client) { c.UserTags = []string{"y"} },
		"Metadata":                func(c *Client) { c.Metadata = map[string]string{"k": "v"} },
		"RotationPolicy":          func(c *Client) { c.RotationPolicy = &RotationPolicy{GracePeriod: 90 * time.Minute} },
		"RotationPolicy zero":     func(c *Client) { c.RotationPolicy = &RotationPolicy{} },
		"CreatedAt":               func(c *Client) { c.CreatedAt = t0.Add(123456789) },
		"UpdatedAt":               func(c *Client) { c.UpdatedAt = t0 },
		"LastUsedAt":              func(c *Client) { c.LastUsedAt = t0 },
		"Version":                 func(c *Client) { c.Version = 1 << 40 },
		"Secrets":                 func(c *Client) { c.Secrets = []Secret{{ID: "s", Kind: SecretGenerated, CreatedAt: t0}} },
	}
	for name, set := range tests {
		t.Run(name, func(t *testing.T) {
			var c Client
			set(&c)
			b, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			var got Client
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c) {
				t.Errorf("round trip of %s\n got %#v\nwant %#v\njson %s", name, got, c, b)
			}
		})
	}
}

func TestClientMarshalJSONEmpty(t *testing.T) {
	b, err := json.Marshal(Client{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"client_id":"","redirect_uris":[],"grant_types":[],"response_types":[],"scope":"","public":false,"disabled":false,` +
		`"access_token_ttl":0,"refresh_token_ttl":0,"system_tags":[],"user_tags":[],"metadata":{},"version":0,"secrets":[]}`
	if string(b) != want {
		t.Errorf("Marshal(Client{}) =\n%s\nwant\n%s", b, want)
	}
	// Empty and nil slices encode alike.
	e := Client{GrantTypes: []GrantType{}, Scopes: []string{}, Metadata: map[string]string{}, Secrets: []Secret{}}
	b2, err := json.Marshal(e)
	if err != nil || string(b2) != want {
		t.Errorf("Marshal(empty slices) = %s, %v", b2, err)
	}
	if strings.Contains(string(b), "null") {
		t.Errorf("null in %s", b)
	}
}

func TestClientSecretExpiresAt(t *testing.T) {
	t0 := jsonT0
	tests := []struct {
		name    string
		public  bool
		secrets []Secret
		want    string // "" means omitted
	}{
		{"no secrets", false, nil, ""},
		{"never expires", false, []Secret{{ID: "a"}}, "0"},
		{"newest counts", false, []Secret{{ID: "a"}, {ID: "b", ExpiresAt: t0}}, "1714564800"},
		{"revoked newest skipped", false, []Secret{{ID: "a", ExpiresAt: t0}, {ID: "b", RevokedAt: t0}}, "1714564800"},
		{"all revoked", false, []Secret{{ID: "a", RevokedAt: t0}}, ""},
		{"expired newest still reported", false, []Secret{{ID: "a", ExpiresAt: time.Unix(1, 0)}}, "1"},
		{"public", true, []Secret{{ID: "a"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(Client{Public: tt.public, Secrets: tt.secrets})
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			got, ok := m["client_secret_expires_at"]
			switch {
			case tt.want == "" && ok:
				t.Errorf("client_secret_expires_at = %s, want omitted", got)
			case tt.want != "" && string(got) != tt.want:
				t.Errorf("client_secret_expires_at = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestClientUnmarshalJSONRegistrationRequest(t *testing.T) {
	// An RFC 7591 §3.1 registration request, with members the library does
	// not know (kept in Extensions), a localized name (kept in Localized)
	// and computed or secret ones (dropped).
	in := `{
	  "redirect_uris": ["https://client.example.org/callback", "https://client.example.org/callback2"],
	  "client_name": "My Example Client",
	  "client_name#ja-Jpan-JP": "クライアント名",
	  "token_endpoint_auth_method": "client_secret_basic",
	  "logo_uri": "https://client.example.org/logo.png",
	  "jwks_uri": "https://client.example.org/my_public_keys.jwks",
	  "example_extension_parameter": "example_value",
	  "scope": " read  write read ",
	  "client_secret": "should-be-ignored",
	  "client_secret_expires_at": 12345,
	  "CLIENT_ID": "case-differs"
	}`
	var c Client
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	want := Client{
		Name:                    "My Example Client",
		RedirectURIs:            []string{"https://client.example.org/callback", "https://client.example.org/callback2"},
		TokenEndpointAuthMethod: AuthClientSecretBasic,
		Scopes:                  []string{"read", "write"},
		LogoURI:                 "https://client.example.org/logo.png",
		JWKSURI:                 "https://client.example.org/my_public_keys.jwks",
		Localized:               map[string]string{"client_name#ja-Jpan-JP": "クライアント名"},
		Extensions: map[string]json.RawMessage{
			"example_extension_parameter": json.RawMessage(`"example_value"`),
			"CLIENT_ID":                   json.RawMessage(`"case-differs"`),
		},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %#v\nwant %#v", c, want)
	}
}

func TestClientUnmarshalJSONDetails(t *testing.T) {
	t.Run("null is a no-op", func(t *testing.T) {
		c := Client{ID: "keep"}
		if err := json.Unmarshal([]byte("null"), &c); err != nil || c.ID != "keep" {
			t.Fatalf("got %v, %q", err, c.ID)
		}
	})
	t.Run("replaces every field", func(t *testing.T) {
		c := fullClient()
		if err := json.Unmarshal([]byte(`{"client_id":"new"}`), &c); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c, Client{ID: "new"}) {
			t.Fatalf("got %#v", c)
		}
	})
	t.Run("client_id_issued_at without created_at", func(t *testing.T) {
		var c Client
		if err := json.Unmarshal([]byte(`{"client_id_issued_at":1714564800}`), &c); err != nil {
			t.Fatal(err)
		}
		if !c.CreatedAt.Equal(jsonT0) || c.CreatedAt.Location() != time.UTC {
			t.Fatalf("CreatedAt = %v", c.CreatedAt)
		}
	})
	t.Run("created_at wins over client_id_issued_at", func(t *testing.T) {
		var c Client
		if err := json.Unmarshal([]byte(`{"client_id_issued_at":1,"created_at":"2024-05-01T14:00:00+02:00"}`), &c); err != nil {
			t.Fatal(err)
		}
		if !c.CreatedAt.Equal(jsonT0) || c.CreatedAt.Location() != time.UTC {
			t.Fatalf("CreatedAt = %v", c.CreatedAt)
		}
	})
	t.Run("nulls and empties", func(t *testing.T) {
		var c Client
		in := `{"redirect_uris":null,"grant_types":[],"metadata":{},"secrets":null,"rotation_policy":null,` +
			`"access_token_ttl":null,"created_at":null,"client_name":null,"scope":""}`
		if err := json.Unmarshal([]byte(in), &c); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c, Client{}) {
			t.Fatalf("got %#v", c)
		}
	})
	t.Run("durations", func(t *testing.T) {
		for in, want := range map[string]time.Duration{
			"0":                   0,
			"1":                   time.Second,
			"1.5":                 1500 * time.Millisecond,
			"0.000000001":         1,
			"0.0000000019":        1,
			"-2.25":               -2250 * time.Millisecond,
			"1e3":                 1000 * time.Second,
			"2.5E-1":              250 * time.Millisecond,
			"9223372035":          9223372035 * time.Second,
			"86400.000000000":     24 * time.Hour,
			"1.10000000000000000": 1100 * time.Millisecond,
		} {
			var c Client
			if err := json.Unmarshal([]byte(`{"access_token_ttl":`+in+`}`), &c); err != nil || c.AccessTokenTTL != want {
				t.Errorf("access_token_ttl %s = %v, %v; want %v", in, c.AccessTokenTTL, err, want)
			}
		}
	})
	t.Run("format seconds", func(t *testing.T) {
		for d, want := range map[time.Duration]string{
			0:                                  "0",
			time.Second:                        "1",
			1500 * time.Millisecond:            "1.5",
			1:                                  "0.000000001",
			-1:                                 "-0.000000001",
			-90 * time.Second:                  "-90",
			time.Duration(1<<63 - 1):           "9223372036.854775807",
			time.Duration(-1 << 63):            "-9223372036.854775808",
			24*time.Hour + 10*time.Millisecond: "86400.01",
		} {
			if got := formatSeconds(d); got != want {
				t.Errorf("formatSeconds(%d) = %s, want %s", int64(d), got, want)
			}
		}
	})
}

func TestClientUnmarshalJSONErrors(t *testing.T) {
	tests := []struct {
		in    string
		field string
	}{
		{`[]`, ""},
		{`"client"`, ""},
		{`42`, ""},
		{`{"client_id":1}`, "client_id"},
		{`{"client_id_issued_at":"yesterday"}`, "client_id_issued_at"},
		{`{"client_id_issued_at":1.5}`, "client_id_issued_at"},
		{`{"client_name":["a"]}`, "client_name"},
		{`{"description":{}}`, "description"},
		{`{"redirect_uris":"https://a.example/cb"}`, "redirect_uris"},
		{`{"redirect_uris":[1]}`, "redirect_uris"},
		{`{"grant_types":"authorization_code"}`, "grant_types"},
		{`{"response_types":[null, 1]}`, "response_types"},
		{`{"scope":["read"]}`, "scope"},
		{`{"scope":"read\twrite"}`, "scope"},
		{`{"scope":"a\\b"}`, "scope"},
		{`{"token_endpoint_auth_method":true}`, "token_endpoint_auth_method"},
		{`{"owner":1}`, "owner"},
		{`{"public":"true"}`, "public"},
		{`{"disabled":1}`, "disabled"},
		{`{"access_token_ttl":"3600"}`, "access_token_ttl"},
		{`{"access_token_ttl":"1h"}`, "access_token_ttl"},
		{`{"refresh_token_ttl":true}`, "refresh_token_ttl"},
		{`{"refresh_token_ttl":1e300}`, "refresh_token_ttl"},
		{`{"refresh_token_ttl":99999999999999999999}`, "refresh_token_ttl"},
		{`{"access_token_ttl":[]}`, "access_token_ttl"},
		{`{"system_tags":"a"}`, "system_tags"},
		{`{"user_tags":[{}]}`, "user_tags"},
		{`{"metadata":[]}`, "metadata"},
		{`{"metadata":{"k":1}}`, "metadata"},
		{`{"rotation_policy":[]}`, "rotation_policy"},
		{`{"rotation_policy":"24h"}`, "rotation_policy"},
		{`{"rotation_policy":{"grace_period_seconds":"1h"}}`, "rotation_policy.grace_period_seconds"},
		{`{"rotation_policy":{"secret_lifetime_seconds":{}}}`, "rotation_policy.secret_lifetime_seconds"},
		{`{"rotation_policy":{"max_active_secrets":1.5}}`, "rotation_policy.max_active_secrets"},
		{`{"rotation_policy":{"owner_only_rotation":"yes"}}`, "rotation_policy.owner_only_rotation"},
		{`{"created_at":"yesterday"}`, "created_at"},
		{`{"created_at":1714564800}`, "created_at"},
		{`{"updated_at":"2024-13-01T00:00:00Z"}`, "updated_at"},
		{`{"last_used":true}`, "last_used"},
		{`{"version":"7"}`, "version"},
		{`{"version":1e100}`, "version"},
		{`{"secrets":{}}`, "secrets"},
		{`{"secrets":[1]}`, "secrets[0]"},
		{`{"secrets":[{"id":"a"},null]}`, "secrets[1]"},
		{`{"secrets":[{"id":1}]}`, "secrets[0].id"},
		{`{"secrets":[{"kind":[]}]}`, "secrets[0].kind"},
		{`{"secrets":[{"expires_at":"soon"}]}`, "secrets[0].expires_at"},
		{`{"secrets":[{"revoked_at":0}]}`, "secrets[0].revoked_at"},
		{`{"secrets":[{"last_used_at":false}]}`, "secrets[0].last_used_at"},
	}
	for _, tt := range tests {
		c := Client{ID: "unchanged"}
		err := json.Unmarshal([]byte(tt.in), &c)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("Unmarshal(%s) = %v (%T), want a *ValidationError", tt.in, err, err)
			continue
		}
		if ve.Field != tt.field || ve.Code != CodeInvalidClientMetadata || !errors.Is(err, ErrInvalidClientMetadata) {
			t.Errorf("Unmarshal(%s): field %q code %q, want field %q: %v", tt.in, ve.Field, ve.Code, tt.field, err)
		}
		if c.ID != "unchanged" {
			t.Errorf("Unmarshal(%s) changed the client on error", tt.in)
		}
	}
	// Called directly (an admin API might), malformed JSON is an error too.
	for _, in := range []string{``, `{`, `{"a":}`, `nul`, `{"client_id":"a"} x`} {
		var c Client
		if err := c.UnmarshalJSON([]byte(in)); !errors.Is(err, ErrInvalidClientMetadata) {
			t.Errorf("UnmarshalJSON(%q) = %v", in, err)
		}
	}
}

func TestClientUnmarshalJSONLeavesHashesEmpty(t *testing.T) {
	in := `{"secrets":[{"id":"s","kind":"generated","hash":"$sha256$abc","Hash":"$sha256$abc","sealed":"x","Sealed":"x"}]}`
	var c Client
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Secrets) != 1 || !c.Secrets[0].Hash.IsZero() || !c.Secrets[0].Sealed.IsZero() || c.Secrets[0].ID != "s" {
		t.Fatalf("secrets = %#v", c.Secrets)
	}
}

func ExampleClient_MarshalJSON() {
	c := Client{
		ID:                      "svc-reports",
		Name:                    "Reports service",
		GrantTypes:              []GrantType{GrantClientCredentials},
		Scopes:                  []string{"reports:read", "reports:write"},
		TokenEndpointAuthMethod: AuthClientSecretBasic,
		AccessTokenTTL:          time.Hour,
		CreatedAt:               time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		Version:                 1,
		Secrets: []Secret{{
			ID: "k7f3", Kind: SecretGenerated, Hash: Conceal("$sha256$..."), Hint: "x9Qz",
			CreatedAt: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		}},
	}
	b, _ := json.MarshalIndent(c, "", "  ")
	fmt.Println(string(b))
	// Output:
	// {
	//   "client_id": "svc-reports",
	//   "client_id_issued_at": 1714564800,
	//   "client_name": "Reports service",
	//   "redirect_uris": [],
	//   "grant_types": [
	//     "client_credentials"
	//   ],
	//   "response_types": [],
	//   "scope": "reports:read reports:write",
	//   "token_endpoint_auth_method": "client_secret_basic",
	//   "client_secret_expires_at": 0,
	//   "public": false,
	//   "disabled": false,
	//   "access_token_ttl": 3600,
	//   "refresh_token_ttl": 0,
	//   "system_tags": [],
	//   "user_tags": [],
	//   "metadata": {},
	//   "created_at": "2024-05-01T12:00:00Z",
	//   "version": 1,
	//   "secrets": [
	//     {
	//       "id": "k7f3",
	//       "kind": "generated",
	//       "hint": "x9Qz",
	//       "created_at": "2024-05-01T12:00:00Z"
	//     }
	//   ]
	// }
}

func TestClientJSONDoesNotForceHTMLEscaping(t *testing.T) {
	c := Client{ID: "c", RedirectURIs: []string{"https://app.example.com/cb?a=1&b=2"}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "a=1&b=2") {
		t.Fatalf("SetEscapeHTML(false) not honoured: %s", buf.String())
	}
	plain, _ := json.Marshal(c)
	var back Client
	if err := json.Unmarshal(plain, &back); err != nil || back.RedirectURIs[0] != c.RedirectURIs[0] {
		t.Fatalf("round trip: %v %v", err, back.RedirectURIs)
	}
}
