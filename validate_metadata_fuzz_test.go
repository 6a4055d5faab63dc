package oauthreg

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// FuzzValidateRegistrationMetadata: the checks of the registration fields
// never panic, return only *ValidationError, never modify the client, and
// what they accept holds: URI fields are http(s) URLs with a host, a
// kept extension is valid JSON under a name that is not a known member,
// and the client's JSON round-trips.
func FuzzValidateRegistrationMetadata(f *testing.F) {
	f.Add("https://app.example.com/logo.png", "https://app.example.com/jwks.json", "ES256", "web", "pairwise",
		"https://app.example.com", "client_name#ja", "名前", "ext", `{"a":1}`, "client.example.com")
	f.Add("javascript:alert(1)", "http://x", "none", "desktop", "private", "https://a/b", "redirect_uris#fr", "x", "client_secret", `{`, "-bad")
	f.Add("https://u:p@h/", "https://h/#f", "HS256", "native", "", "null", "logo_uri#e n", "javascript:x", "", ``, "192.0.2.1")
	f.Fuzz(func(t *testing.T, logo, jwksURI, alg, appType, subject, origin, locKey, locValue, extName, extValue, san string) {
		c := metadataClient()
		c.JWKS, c.JWKSURI = nil, jwksURI
		c.LogoURI, c.TokenEndpointAuthSigningAlg, c.ApplicationType, c.SubjectType = logo, alg, appType, subject
		c.AllowedCORSOrigins = []string{origin}
		c.Localized = map[string]string{locKey: locValue}
		c.Extensions = map[string]json.RawMessage{extName: json.RawMessage(extValue)}
		if san != "" {
			c.TokenEndpointAuthMethod, c.TokenEndpointAuthSigningAlg, c.TLSClientAuthSANDNS = AuthTLSClient, "", san
		}
		before := c.Clone()
		err := c.Validate()
		checkValidationErr(t, err)
		if !reflect.DeepEqual(c, before) {
			t.Fatal("Validate modified the client")
		}
		if err != nil {
			return
		}
		for _, u := range []string{c.LogoURI, c.JWKSURI, origin} {
			p, perr := url.Parse(u)
			if perr != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
				t.Fatalf("accepted URI %q", u)
			}
		}
		if IsKnownMember(extName) || !json.Valid([]byte(extValue)) {
			t.Fatalf("accepted extension %q = %q", extName, extValue)
		}
		if !strings.Contains(locKey, "#") {
			t.Fatalf("accepted localized member %q", locKey)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("a valid client does not marshal: %v", err)
		}
		var back Client
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("a valid client's JSON does not decode: %v\n%s", err, b)
		}
	})
}
