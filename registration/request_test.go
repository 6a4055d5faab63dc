package registration

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
)

// Every Metadata field names an oauthreg.Client field of the same type, and
// every member name is one Client.UnmarshalJSON reads.
func TestMetadataMirrorsClient(t *testing.T) {
	ct := reflect.TypeFor[oauthreg.Client]()
	for _, f := range metadataFields {
		cf, ok := ct.FieldByName(f.Name)
		if !ok || cf.Type != f.Type {
			t.Errorf("Metadata.%s (%v) has no oauthreg.Client field of the same name and type", f.Name, f.Type)
		}
		if n := memberName(f); n != "" && !oauthreg.IsKnownMember(n) {
			t.Errorf("Metadata.%s reads member %q, which oauthreg.Client does not know", f.Name, n)
		}
	}
}

// The server's members in a request body set nothing: the attack
// ({"owner":"org-victim"}, a year-long token lifetime) and every other
// member oauthreg.Client knows but Metadata does not carry.
func TestParseRequestCannotSetServerFields(t *testing.T) {
	body := `{"redirect_uris":["https://app.example/cb"],"client_name":"app",
		"owner":"org-victim","disabled":false,"public":true,"description":"x",
		"access_token_ttl":31536000,"refresh_token_ttl":31536000,
		"token_lifetimes":{"access_token":31536000},
		"rotation_policy":{"grace_period_seconds":31536000,"max_active_secrets":9},
		"audience":["https://api.victim"],"allowed_cors_origins":["https://evil"],
		"response_modes":["fragment"],"require_pkce":false,
		"system_tags":["trusted"],"user_tags":["x"],"metadata":{"role":"admin"},
		"client_id":"chosen-id","client_id_issued_at":1,"client_secret_expires_at":0,
		"created_at":"2000-01-01T00:00:00Z","version":7,
		"secrets":[{"id":"s","kind":"generated"}],
		"registration_access_token":"t","registration_client_uri":"https://evil/x",
		"x_unknown":{"a":1}}`
	req, err := ParseRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	c := req.Metadata.toClient()
	want := oauthreg.Client{RedirectURIs: []string{"https://app.example/cb"}, Name: "app"}
	if !reflect.DeepEqual(*c, want) {
		t.Errorf("the request set more than its metadata:\n got %+v\nwant %+v", *c, want)
	}
	for _, m := range []string{"owner", "disabled", "token_lifetimes", "rotation_policy", "audience", "metadata"} {
		if !slices.Contains(req.Ignored, m) {
			t.Errorf("Ignored = %q, does not list %q", req.Ignored, m)
		}
	}
	if req.ClientID != "chosen-id" {
		t.Errorf("ClientID = %q", req.ClientID)
	}
}

func TestParseRequestRefusals(t *testing.T) {
	for name, body := range map[string]string{
		"not json":          `{"client_name":`,
		"array":             `[{"client_name":"a"}]`,
		"string":            `"x"`,
		"trailing data":     `{"client_name":"a"} {}`,
		"duplicate member":  `{"client_name":"a","client_name":"b"}`,
		"nested duplicate":  `{"jwks":{"keys":[{"kty":"EC","kty":"RSA"}]}}`,
		"wrong type":        `{"redirect_uris":"https://a.example/cb"}`,
		"wrong scope type":  `{"scope":["a","b"]}`,
		"statement type":    `{"software_statement":42}`,
		"too deep":          `{"jwks":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`,
		"too big":           `{"client_name":"` + strings.Repeat("a", MaxRequestBytes) + `"}`,
		"empty":             ``,
		"null":              `null`,
		"client_id type":    `{"client_id":1}`,
		"client_secret obj": `{"client_secret":{}}`,
	} {
		_, err := ParseRequest([]byte(body))
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: ParseRequest = %v, want an *Error", name, err)
			continue
		}
		if e.Code != CodeInvalidClientMetadata || e.Status != 400 {
			t.Errorf("%s: %s %d, want invalid_client_metadata 400", name, e.Code, e.Status)
		}
		if len(e.Description) > 600 {
			t.Errorf("%s: description of %d bytes", name, len(e.Description))
		}
	}
}

func TestParseRequestReadsEveryMember(t *testing.T) {
	body := `{"redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":"client_secret_post",
		"grant_types":["authorization_code","refresh_token"],"response_types":["code"],
		"client_name":"A","client_name#ja":"エー","logo_uri#fr":"https://a.example/fr.png","scope":"read write",
		"contacts":["ops@a.example"],"software_id":"sw-1","software_version":"2","default_max_age":3600,
		"post_logout_redirect_uris":["https://a.example/bye"],"software_statement":"eyJ.x.y"}`
	req, err := ParseRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	m := req.Metadata
	if m.Name != "A" || m.Localized["client_name#ja"] != "エー" || m.Localized["logo_uri#fr"] == "" ||
		!slices.Equal(m.Scopes, []string{"read", "write"}) || m.SoftwareID != "sw-1" || m.DefaultMaxAge.Seconds() != 3600 ||
		m.TokenEndpointAuthMethod != oauthreg.AuthClientSecretPost || len(m.PostLogoutRedirectURIs) != 1 {
		t.Errorf("metadata = %+v", m)
	}
	if req.SoftwareStatement != "eyJ.x.y" || len(req.Ignored) != 0 {
		t.Errorf("statement %q, ignored %q", req.SoftwareStatement, req.Ignored)
	}
}

// A client_secret in an update request never shows when the request is
// printed.
func TestRequestFormatRedactsSecret(t *testing.T) {
	req, err := ParseRequest([]byte(`{"client_id":"c","client_secret":"hunter2-hunter2"}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
		if s := sprintf(verb, *req); strings.Contains(s, "hunter2") {
			t.Errorf("%s printed the client secret: %s", verb, s)
		}
	}
}
