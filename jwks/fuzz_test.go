package jwks_test

import (
	"encoding/json"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/jwks"
)

// FuzzParse: Parse never panics, and what it accepts holds public keys
// only, passes the core's structural check, and carries no private member.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"keys":[{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"enc","kid":"1"}]}`,
		`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`,
		`{"keys":[{"kty":"RSA","n":"0vx7","e":"AQAB","d":"X4cT"}]}`,
		`{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`,
		`{"keys":[]}`, `{"keys":null}`, `[]`, `{`, ``, `{"keys":[1]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		set, err := jwks.Parse(raw)
		if err != nil {
			return
		}
		for _, k := range set.Keys {
			if !k.IsPublic() {
				t.Fatalf("accepted a private key: %s", raw)
			}
		}
		var doc struct {
			Keys []map[string]json.RawMessage `json:"keys"`
		}
		if json.Unmarshal(raw, &doc) == nil {
			for _, k := range doc.Keys {
				for _, m := range []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"} {
					if _, ok := k[m]; ok {
						t.Fatalf("accepted a key with member %q: %s", m, raw)
					}
				}
			}
		}
		c := oauthreg.Client{ID: "c", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
			TokenEndpointAuthMethod: oauthreg.AuthPrivateKeyJWT, JWKS: raw}
		if err := c.Validate(); err != nil {
			t.Fatalf("jwks.Parse accepted what the core's structural check refuses: %v\n%s", err, raw)
		}
	})
}
