package oauthreg_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
	"github.com/oauthreg/oauthreg/storetest"
)

// A client with every field and count at its limit is valid and its JSON
// stays within MaxClientJSONBytes.
func TestLimitsClientAtEveryLimitIsValid(t *testing.T) {
	c := storetest.ClientAtLimits("limits")
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate of a client at every limit: %v", err)
	}
	data, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > oauthreg.MaxClientJSONBytes {
		t.Fatalf("the client at every limit marshals to %d bytes, above MaxClientJSONBytes (%d)", len(data), oauthreg.MaxClientJSONBytes)
	}
	t.Logf("a client at every limit: %d bytes of JSON", len(data))
}

// One byte or one element over any limit is a *ValidationError naming the
// field, with the RFC 7591 code.
func TestLimitsOverAnyLimitIsTypedError(t *testing.T) {
	for _, v := range storetest.LimitViolations() {
		t.Run(v.Name, func(t *testing.T) {
			c := storetest.ClientAtLimits("limits")
			v.Apply(c)
			err := c.Validate()
			var ve *oauthreg.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate returned %v, want a *ValidationError", err)
			}
			if ve.Field != v.Field || ve.Code != v.Code {
				t.Fatalf("Validate returned Field %q Code %q, want %q %q (%v)", ve.Field, ve.Code, v.Field, v.Code, err)
			}
			if !errors.Is(err, oauthreg.ErrInvalidClientMetadata) {
				t.Fatalf("%v does not match ErrInvalidClientMetadata", err)
			}
		})
	}
}

// MaxActiveSecrets: 0 used to mean "unbounded"; it now means the ceiling,
// and a policy above the ceiling is refused.
func TestLimitsActiveSecretsHaveACeiling(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{MaxActiveSecrets: 0}))
	c, _ := kit.ConfidentialClient(t)
	ctx := t.Context()
	added := 1 // Register issued one
	for i := range oauthreg.MaxActiveSecretsCeiling + 5 {
		_, err := kit.ImportSecret(ctx, c.ID, "$2a$04$"+bcryptSaltAndHash(i))
		if errors.Is(err, oauthreg.ErrTooManySecrets) {
			break
		}
		if err != nil {
			t.Fatalf("ImportSecret %d: %v", i, err)
		}
		added++
	}
	got, err := kit.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.ActiveSecrets(kit.Clock.Now())); n != oauthreg.MaxActiveSecretsCeiling || added != n {
		t.Fatalf("%d active secrets (%d added) under MaxActiveSecrets 0, want the ceiling %d", n, added, oauthreg.MaxActiveSecretsCeiling)
	}
	for range 3 {
		if _, err := kit.RotateSecret(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	got, _ = kit.Get(ctx, c.ID)
	if n := len(got.ActiveSecrets(kit.Clock.Now())); n > oauthreg.MaxActiveSecretsCeiling {
		t.Fatalf("%d active secrets after rotations, above the ceiling %d", n, oauthreg.MaxActiveSecretsCeiling)
	}
	if err := (oauthreg.RotationPolicy{MaxActiveSecrets: oauthreg.MaxActiveSecretsCeiling + 1}).Validate(); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Fatalf("a policy above the ceiling: Validate returned %v, want ErrInvalidConfig", err)
	}
	if _, err := oauthreg.New(kit.Store, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{MaxActiveSecrets: 1000})); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Fatalf("New with MaxActiveSecrets 1000 returned %v, want ErrInvalidConfig", err)
	}
}

// bcryptSaltAndHash returns a syntactically valid bcrypt salt and hash
// (22 + 31 characters of bcrypt's base64) that differs for each i.
func bcryptSaltAndHash(i int) string {
	const alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := []byte("abcdefghijklmnopqrstuu" + "abcdefghijklmnopqrstuvwxyz01234")
	b[0] = alphabet[i%len(alphabet)]
	b[1] = alphabet[(i/len(alphabet))%len(alphabet)]
	return string(b)
}

// FuzzValidateLimits: a text field of a client at every limit set to any
// length around its limit is refused, naming the field, exactly when it is
// over the limit (a plain-letter value within the limit stays valid).
func FuzzValidateLimits(f *testing.F) {
	f.Add(uint8(0), int16(0))
	f.Add(uint8(1), int16(1))
	f.Add(uint8(4), int16(-3))
	f.Add(uint8(7), int16(2))
	fields := []struct {
		name  string
		limit int
		set   func(c *oauthreg.Client, v string)
	}{
		{"client_id", oauthreg.MaxClientIDBytes, func(c *oauthreg.Client, v string) { c.ID = v }},
		{"owner", oauthreg.MaxOwnerBytes, func(c *oauthreg.Client, v string) { c.Owner = v }},
		{"client_name", oauthreg.MaxClientNameBytes, func(c *oauthreg.Client, v string) { c.Name = v }},
		{"description", oauthreg.MaxDescriptionBytes, func(c *oauthreg.Client, v string) { c.Description = v }},
		{"redirect_uris[0]", oauthreg.MaxURIBytes, func(c *oauthreg.Client, v string) {
			c.RedirectURIs[0] = "https://a.example/" + v[len("https://a.example/"):]
		}},
		{"scope", oauthreg.MaxScopeBytes, func(c *oauthreg.Client, v string) { c.Scopes[0] = v }},
		{"system_tags[0]", oauthreg.MaxTagBytes, func(c *oauthreg.Client, v string) { c.SystemTags[0] = v }},
		{"user_tags[0]", oauthreg.MaxTagBytes, func(c *oauthreg.Client, v string) { c.UserTags[0] = v }},
		{"secrets[0].description", oauthreg.MaxSecretDescriptionBytes, func(c *oauthreg.Client, v string) { c.Secrets[0].Description = v }},
		{"secrets[0].id", oauthreg.MaxSecretIDBytes, func(c *oauthreg.Client, v string) { c.Secrets[0].ID = v }},
	}
	base := storetest.ClientAtLimits("fuzz")
	f.Fuzz(func(t *testing.T, which uint8, delta int16) {
		fd := fields[int(which)%len(fields)]
		n := fd.limit + int(delta)%64
		if n < 32 {
			n = 32
		}
		c := base.Clone()
		fd.set(c, strings.Repeat("q", n))
		err := c.Validate()
		if n <= fd.limit {
			if err != nil {
				t.Fatalf("%s of %d bytes (limit %d): %v", fd.name, n, fd.limit, err)
			}
			return
		}
		var ve *oauthreg.ValidationError
		if !errors.As(err, &ve) || ve.Field != fd.name {
			t.Fatalf("%s of %d bytes (limit %d): %v, want a *ValidationError for %s", fd.name, n, fd.limit, err, fd.name)
		}
	})
}
