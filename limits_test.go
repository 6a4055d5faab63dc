package oauthreg_test

import (
	"errors"
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
