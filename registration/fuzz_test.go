package registration

import (
	"errors"
	"fmt"
	"testing"
)

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// FuzzParseRequest: any body either parses into metadata whose client
// holds only Metadata fields, or fails with an *Error of a registration
// code; it never panics.
func FuzzParseRequest(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"redirect_uris":["https://a.example/cb"],"client_name":"a","scope":"read"}`,
		`{"owner":"org-victim","token_lifetimes":{"access_token":31536000}}`,
		`{"client_name":"a","client_name":"b"}`,
		`{"jwks":{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b"}]}}`,
		`{"client_name#ja-Jpan-JP":"x","software_statement":"a.b.c"}`,
		`{"grant_types":null,"redirect_uris":[],"default_max_age":-1}`,
		`[1,2,3]`, `{"a":` + "\xff" + `}`, `{"scope":"a\u0000b"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := ParseRequest(body)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || (e.Code != CodeInvalidClientMetadata && e.Code != CodeInvalidRedirectURI) || e.Status != 400 {
				t.Fatalf("ParseRequest error %v is not a registration error", err)
			}
			return
		}
		c := req.Metadata.toClient()
		if c.Owner != "" || c.Disabled || c.RotationPolicy != nil || c.Audience != nil || c.Metadata != nil ||
			c.SystemTags != nil || c.UserTags != nil || c.ID != "" || c.Lifetimes.AccessToken != 0 || len(c.Secrets) > 0 {
			t.Fatalf("a request set a server field: %+v", c)
		}
	})
}
