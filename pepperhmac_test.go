package oauthreg_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// TestHMACPepperHashesForRollingUpgrades: a server of an older release
// verifies only "$hmac-sha256$" peppered hashes, and a server of this one
// re-hashes every hash it verifies into "$sha256-keyed$". While both share
// a store, WithHMACPepperHashes keeps every hash this release writes in the
// encoding the older one reads (exactly crypto/hmac's digest), new secrets
// and re-hashed ones alike; without it, hashes move to "$sha256-keyed$" on
// use.
func TestHMACPepperHashesForRollingUpgrades(t *testing.T) {
	ctx := t.Context()
	key := []byte("0123456789abcdef0123")
	store := memstore.New()
	newReg := func(opts ...oauthreg.Option) *oauthreg.Registry {
		t.Helper()
		r, err := oauthreg.New(store, append([]oauthreg.Option{oauthreg.WithPepper("k1", key)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	compat, current := newReg(oauthreg.WithHMACPepperHashes()), newReg()
	olderReleaseHash := func(secret string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(secret))
		return "$hmac-sha256$k=k1$" + base64.RawStdEncoding.EncodeToString(m.Sum(nil))
	}
	var token oauthreg.PlainSecret
	c, secret, err := compat.Register(ctx, oauthreg.Client{Owner: "o"}, oauthreg.WithRegistrationToken(&token))
	if err != nil {
		t.Fatal(err)
	}
	stored := func() *oauthreg.Client {
		got, err := store.GetClient(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := stored(); got.Secrets[0].Hash.Reveal() != olderReleaseHash(secret.Reveal()) ||
		got.RegistrationTokenHash != olderReleaseHash(token.Reveal()) {
		t.Fatal("under WithHMACPepperHashes, a new secret or token is not hashed as the older release hashes it")
	}
	if _, err := compat.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
		t.Fatal(err)
	}
	if _, err := compat.CheckRegistrationToken(ctx, c.ID, token.Reveal()); err != nil {
		t.Fatal(err)
	}
	if got := stored(); got.Secrets[0].Hash.Reveal() != olderReleaseHash(secret.Reveal()) ||
		got.RegistrationTokenHash != olderReleaseHash(token.Reveal()) {
		t.Fatal("under WithHMACPepperHashes, a successful use re-hashed an $hmac-sha256$ hash")
	}

	// A server without the option moves the hashes on; one with it moves
	// them back, so the older servers can read them again.
	if _, err := current.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
		t.Fatal(err)
	}
	if h := stored().Secrets[0].Hash.Reveal(); !strings.HasPrefix(h, "$sha256-keyed$k=k1$") {
		t.Fatalf("without the option, the hash is %q…, want $sha256-keyed$", h[:strings.LastIndex(h, "$")+1])
	}
	if _, err := compat.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
		t.Fatal(err)
	}
	if stored().Secrets[0].Hash.Reveal() != olderReleaseHash(secret.Reveal()) {
		t.Fatal("under WithHMACPepperHashes, a $sha256-keyed$ hash was not re-hashed as $hmac-sha256$")
	}

	// Without a pepper the option changes nothing.
	plain, err := oauthreg.New(memstore.New(), oauthreg.WithHMACPepperHashes())
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := plain.Register(ctx, oauthreg.Client{Owner: "o"})
	if err != nil || !strings.HasPrefix(p.Secrets[0].Hash.Reveal(), "$sha256$") {
		t.Fatalf("without a pepper: %v, %v", p, err)
	}
}
