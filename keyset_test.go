package oauthreg_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// rfc7517ECKey is the EC public key of RFC 7517 Appendix A.1.
const rfc7517ECKey = `{"keys":[{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"enc","kid":"1"}]}`

// TestKeySetValidatorHook: a Registry runs its validator after the
// structural check, reports its error on "jwks" with the RFC 7591 code,
// sanitized, and stores nothing; without one the structural check alone
// decides.
func TestKeySetValidatorHook(t *testing.T) {
	var seen [][]byte
	refuse := oauthreg.KeySetValidatorFunc(func(b []byte) error {
		seen = append(seen, b)
		return errors.New("key 1: RSA modulus of 1024 bits is too short\x1b[31m")
	})
	store := memstore.New()
	reg, err := oauthreg.New(store, oauthreg.WithKeySetValidator(refuse))
	if err != nil {
		t.Fatal(err)
	}
	c := oauthreg.Client{
		Owner:                   "org",
		TokenEndpointAuthMethod: oauthreg.AuthPrivateKeyJWT,
		JWKS:                    json.RawMessage(rfc7517ECKey),
	}
	_, _, err = reg.Register(t.Context(), c)
	var ve *oauthreg.ValidationError
	if !errors.As(err, &ve) || ve.Field != "jwks" || ve.Code != oauthreg.CodeInvalidClientMetadata ||
		strings.Contains(ve.Reason, "\x1b") || !strings.Contains(ve.Reason, "1024 bits") {
		t.Fatalf("Register with a refusing validator: %v", err)
	}
	if len(seen) != 1 || string(seen[0]) != rfc7517ECKey {
		t.Fatalf("the validator saw %q", seen)
	}
	if page, _ := store.ListClients(t.Context(), oauthreg.ListQuery{}); len(page.Clients) != 0 {
		t.Fatal("a refused client was stored")
	}
	// The structural check runs first: a private key never reaches the
	// validator.
	c.JWKS = json.RawMessage(`{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c"}]}`)
	if _, _, err := reg.Register(t.Context(), c); !errors.As(err, &ve) || ve.Field != "jwks.keys[0]" || len(seen) != 1 {
		t.Fatalf("a private key: %v (validator calls %d)", err, len(seen))
	}
	if _, err := oauthreg.New(memstore.New(), oauthreg.WithKeySetValidator(nil)); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Fatalf("WithKeySetValidator(nil): %v", err)
	}
	plain, err := oauthreg.New(memstore.New())
	if err != nil {
		t.Fatal(err)
	}
	c.JWKS = json.RawMessage(rfc7517ECKey)
	if _, _, err := plain.Register(t.Context(), c); err != nil {
		t.Fatalf("without a validator, a structurally valid public key set: %v", err)
	}
}
