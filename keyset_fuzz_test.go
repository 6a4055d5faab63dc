package oauthreg

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzCheckKeySetStructure: the structural JWK Set check never panics, and
// what it accepts is a JSON object whose keys carry no private or symmetric
// member under any spelling.
func FuzzCheckKeySetStructure(f *testing.F) {
	for _, s := range []string{
		testPublicJWKS,
		`{"keys":[{"kty":"RSA","n":"0vx7","e":"AQAB","alg":"PS256","use":"sig","key_ops":["verify"]}]}`,
		`{"keys":[{"kty":"OKP","crv":"X25519","x":"3p7b","alg":"ECDH-ES"}]}`,
		`{"keys":[{"kty":"RSA","n":"0vx7","e":"AQAB","D":"X4cT"}]}`,
		`{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`,
		`{"KEYS":[]}`, `{"keys":{}}`, `[]`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if err := checkKeySetStructure("jwks", raw); err != nil {
			if err.Code != CodeInvalidClientMetadata || !strings.HasPrefix(err.Field, "jwks") {
				t.Fatalf("error %v has field %q code %q", err, err.Field, err.Code)
			}
			return
		}
		var set map[string]json.RawMessage
		if err := json.Unmarshal(raw, &set); err != nil {
			t.Fatalf("accepted something that is not a JSON object: %q", raw)
		}
		var keys []map[string]json.RawMessage
		if err := json.Unmarshal(set["keys"], &keys); err != nil || len(keys) == 0 {
			t.Fatalf("accepted a set without keys: %q", raw)
		}
		for _, k := range keys {
			for name := range k {
				for _, m := range privateKeyMembers {
					if strings.EqualFold(name, m) {
						t.Fatalf("accepted a key with member %q: %q", name, raw)
					}
				}
			}
		}
	})
}
