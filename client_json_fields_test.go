package oauthreg

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// withEveryField is fullClient with every metadata field of issue 9 set too.
func withEveryField() Client {
	c := fullClient()
	c.ClientURI = "https://app.example.com/"
	c.LogoURI = "https://app.example.com/logo.png"
	c.TOSURI = "https://app.example.com/tos"
	c.PolicyURI = "https://app.example.com/privacy"
	c.Contacts = []string{"ops@example.com", "security@example.com"}
	c.SoftwareID = "4NRB1-0XZABZI9E6-5SM3R"
	c.SoftwareVersion = "2.1"
	c.RegistrationTokenHash = "$sha256$registration-token-hash"
	c.Localized = map[string]string{"client_name#ja-Jpan-JP": "クライアント名", "logo_uri#fr": "https://app.example.com/logo-fr.png"}
	c.JWKS = json.RawMessage(`{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","use":"sig","kid":"k1"}]}`)
	c.JWKSURI = "https://app.example.com/jwks.json" // with JWKS: Validate refuses both, JSON keeps both
	c.TokenEndpointAuthSigningAlg = "ES256"
	c.TLSClientAuthSubjectDN = "CN=client,O=Example"
	c.TLSClientAuthSANDNS = "client.example.com"
	c.TLSClientAuthSANURI = "https://client.example.com/"
	c.TLSClientAuthSANIP = "192.0.2.1"
	c.TLSClientAuthSANEmail = "client@example.com"
	c.TLSClientCertificateBoundAccessTokens = true
	c.DPoPBoundAccessTokens = true
	c.RequirePushedAuthorizationRequests = true
	c.ApplicationType = "web"
	c.IDTokenSignedResponseAlg = "RS256"
	c.IDTokenEncryptedResponseAlg = "RSA-OAEP"
	c.IDTokenEncryptedResponseEnc = "A128CBC-HS256"
	c.UserinfoSignedResponseAlg = "ES256"
	c.UserinfoEncryptedResponseAlg = "ECDH-ES"
	c.UserinfoEncryptedResponseEnc = "A256GCM"
	c.RequestObjectSigningAlg = "PS256"
	c.RequestObjectEncryptionAlg = "RSA-OAEP-256"
	c.RequestObjectEncryptionEnc = "A128GCM"
	c.RequestURIs = []string{"https://app.example.com/request.jwt"}
	c.SubjectType = "pairwise"
	c.SectorIdentifierURI = "https://app.example.com/sector.json"
	c.DefaultMaxAge = 3600 * time.Second
	c.RequireAuthTime = true
	c.DefaultACRValues = []string{"urn:mace:incommon:iap:silver"}
	c.InitiateLoginURI = "https://app.example.com/login"
	c.PostLogoutRedirectURIs = []string{"https://app.example.com/bye"}
	c.FrontchannelLogoutURI = "https://app.example.com/fc-logout"
	c.FrontchannelLogoutSessionRequired = true
	c.BackchannelLogoutURI = "https://app.example.com/bc-logout"
	c.BackchannelLogoutSessionRequired = true
	c.Audience = []string{"https://api.example.com"}
	c.AllowedCORSOrigins = []string{"https://app.example.com"}
	c.ResponseModes = []ResponseMode{ResponseModeQuery, ResponseModeFormPost}
	c.RequirePKCE = true
	c.Lifetimes = TokenLifetimes{
		AccessToken: time.Hour, RefreshToken: 30 * 24 * time.Hour, IDToken: 15 * time.Minute, AuthorizationCode: 5 * time.Minute,
		Grants: map[GrantType]GrantLifetimes{
			GrantClientCredentials: {AccessToken: 10 * time.Minute},
			GrantRefreshToken:      {AccessToken: 20 * time.Minute, RefreshToken: 60 * 24 * time.Hour, IDToken: 1500 * time.Millisecond},
		},
	}
	c.Extensions = map[string]json.RawMessage{
		"example_extension_parameter": json.RawMessage(`"example_value"`),
		"nested":                      json.RawMessage(`{"a":[1,2.50,null,true],"b":"<&>"}`),
	}
	return c
}

func TestWithEveryFieldSetsEveryField(t *testing.T) {
	c := withEveryField()
	v := reflect.ValueOf(c)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if v.Field(i).IsZero() && name != "Public" {
			t.Errorf("withEveryField leaves Client.%s zero: give it a value so its JSON is tested", name)
		}
	}
}

func TestClientJSONRoundTripEveryField(t *testing.T) {
	c := withEveryField()
	// Without HTML escaping, extension values come back byte for byte
	// (json.Marshal would write "<" as "\u003c": the same JSON value).
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		t.Fatal(err)
	}
	b := bytes.TrimSpace(buf.Bytes())
	var got Client
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	// Secrets come back without hashes and sealed values, the client
	// without its registration access token's hash; times in UTC.
	if bytes.Contains(b, []byte(c.RegistrationTokenHash)) {
		t.Errorf("the registration access token's hash is in the JSON: %s", b)
	}
	want := c.Clone()
	want.RegistrationTokenHash = ""
	for i := range want.Secrets {
		want.Secrets[i].Hash, want.Secrets[i].Sealed = Concealed{}, Concealed{}
	}
	want.UpdatedAt = want.UpdatedAt.UTC()
	if !reflect.DeepEqual(&got, want) {
		gv, wv := reflect.ValueOf(got), reflect.ValueOf(*want)
		for i := range gv.NumField() {
			if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
				t.Errorf("%s: got %#v, want %#v", gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
			}
		}
		t.Logf("json: %s", b)
	}
	for _, member := range []string{`"client_name#ja-Jpan-JP":"クライアント名"`, `"example_extension_parameter":"example_value"`,
		`"nested":{"a":[1,2.50,null,true],"b":"<&>"}`, `"jwks":{"keys":[{"kty":"EC"`, `"default_max_age":3600`,
		`"token_lifetimes":{"access_token":3600,"refresh_token":2592000,"id_token":900,"authorization_code":300,"grants":{"client_credentials":{"access_token":600},"refresh_token":{"access_token":1200,"refresh_token":5184000,"id_token":1.5}}}`,
		`"response_modes":["query","form_post"]`, `"audience":["https://api.example.com"]`} {
		if !bytes.Contains(b, []byte(member)) {
			t.Errorf("JSON lacks %s:\n%s", member, b)
		}
	}
}

func TestClientUnmarshalJSONNewMemberErrors(t *testing.T) {
	for in, field := range map[string]string{
		`{"jwks":"not an object"}`:                                     "jwks",
		`{"jwks":[1]}`:                                                 "jwks",
		`{"default_max_age":1.5}`:                                      "default_max_age",
		`{"default_max_age":"60"}`:                                     "default_max_age",
		`{"client_name#fr":7}`:                                         "client_name#fr",
		`{"contacts":"a@example.com"}`:                                 "contacts",
		`{"token_lifetimes":[]}`:                                       "token_lifetimes",
		`{"token_lifetimes":{"access_token":"1h"}}`:                    "token_lifetimes.access_token",
		`{"token_lifetimes":{"grants":{"refresh_token":3}}}`:           "token_lifetimes.grants.refresh_token",
		`{"token_lifetimes":{"grants":{"implicit":{"id_token":"x"}}}}`: "token_lifetimes.grants.implicit.id_token",
		`{"require_pkce":"yes"}`:                                       "require_pkce",
	} {
		var c Client
		err := json.Unmarshal([]byte(in), &c)
		ve, ok := err.(*ValidationError)
		if !ok || ve.Field != field || ve.Code != CodeInvalidClientMetadata {
			t.Errorf("%s: got %v, want a ValidationError on %s", in, err, field)
		}
	}
}

func TestClientJSONDropsSecretsEchoedBack(t *testing.T) {
	in := `{"client_secret":"` + leakMarker + `","registration_access_token":"` + leakMarker + `","registration_client_uri":"https://as/x"}`
	var c Client
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(c)
	if len(c.Extensions) != 0 || strings.Contains(string(b), leakMarker) {
		t.Fatalf("an echoed secret was kept: %v %s", c.Extensions, b)
	}
}

func TestClientMarshalJSONRefusesShadowingExtensions(t *testing.T) {
	for _, name := range []string{"client_id", "scope", "client_name#de", "client_secret"} {
		c := Client{Extensions: map[string]json.RawMessage{name: json.RawMessage(`"x"`)}}
		if b, err := json.Marshal(c); err == nil {
			t.Errorf("extension %q marshalled: %s", name, b)
		}
	}
	c := Client{Extensions: map[string]json.RawMessage{"x": json.RawMessage(`{bad`)}}
	if _, err := json.Marshal(c); err == nil {
		t.Error("an invalid extension value marshalled")
	}
	c = Client{Localized: map[string]string{"redirect_uris#fr": "x"}}
	if _, err := json.Marshal(c); err == nil {
		t.Error("a localized variant of a member that has none marshalled")
	}
}
