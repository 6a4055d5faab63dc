package oauthreg_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"sync"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// TestRegistrationTokenHashUpgraded: a registration access token hashed
// the old way (unpeppered while a pepper is configured, $hmac-sha256$, or
// under a retired pepper) is re-hashed under the primary pepper on its
// first successful check, as client secrets are, so that the retired
// pepper can be dropped once every hash was used; a wrong token changes
// nothing.
func TestRegistrationTokenHashUpgraded(t *testing.T) {
	ctx := t.Context()
	k0, k1 := []byte("retired-pepper-0123456789abcdef"), []byte("primary-pepper-0123456789abcdef")
	newReg := func(st oauthreg.Store, opts ...oauthreg.Option) *oauthreg.Registry {
		t.Helper()
		r, err := oauthreg.New(st, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	hmacOf := func(id string, key []byte, token string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(token))
		return "$hmac-sha256$k=" + id + "$" + base64.RawStdEncoding.EncodeToString(m.Sum(nil))
	}
	for _, tc := range []struct {
		name   string
		issuer []oauthreg.Option
		// rewrite, when set, replaces the stored hash (an older release's).
		rewrite func(token string) string
	}{
		{"unpeppered", nil, nil},
		{"retired pepper", []oauthreg.Option{oauthreg.WithPepper("p0", k0)}, nil},
		{"hmac under the primary", nil, func(token string) string { return hmacOf("p1", k1, token) }},
		{"hmac under a retired pepper", nil, func(token string) string { return hmacOf("p0", k0, token) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := memstore.New()
			var token oauthreg.PlainSecret
			c, _, err := newReg(st, tc.issuer...).Register(ctx, oauthreg.Client{Owner: "org", Name: "dyn"}, oauthreg.WithRegistrationToken(&token))
			if err != nil {
				t.Fatal(err)
			}
			if tc.rewrite != nil {
				stored, err := st.GetClient(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				stored.RegistrationTokenHash = tc.rewrite(token.Reveal())
				if err := st.UpdateClient(ctx, stored); err != nil {
					t.Fatal(err)
				}
			}
			stored := func() string {
				s, err := st.GetClient(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				return s.RegistrationTokenHash
			}
			before := stored()
			reg := newReg(st, oauthreg.WithPepper("p1", k1), oauthreg.WithRetiredPepper("p0", k0))
			if _, err := reg.CheckRegistrationToken(ctx, c.ID, sameIDOtherValue(token.Reveal())); err == nil {
				t.Fatal("a wrong token was accepted")
			}
			if got := stored(); got != before {
				t.Fatalf("a wrong token changed the stored hash")
			}
			// Concurrent first uses: every one succeeds, one upgrade wins.
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					if _, err := reg.CheckRegistrationToken(ctx, c.ID, token.Reveal()); err != nil {
						t.Errorf("CheckRegistrationToken: %v", err)
					}
				})
			}
			wg.Wait()
			if got := stored(); !strings.HasPrefix(got, "$sha256-keyed$k=p1$") {
				t.Errorf("stored hash after a successful check is %q…, want $sha256-keyed$k=p1$…", got[:strings.LastIndex(got, "$")+1])
			}
			// The retired pepper is no longer needed for this token.
			if _, err := newReg(st, oauthreg.WithPepper("p1", k1)).CheckRegistrationToken(ctx, c.ID, token.Reveal()); err != nil {
				t.Errorf("after the upgrade, without the retired pepper: %v", err)
			}
		})
	}
}

// sameIDOtherValue returns a well-formed generated secret with the secret
// ID of s (its prefix and 16 ID characters kept) and another value, its
// checksum recomputed: it passes the format check and fails the hash.
func sameIDOtherValue(s string) string {
	const checkLen = 7
	b := []byte(s[:len(s)-checkLen])
	i := len(b) - 1 // the last character of the random part
	if b[i] == 'a' {
		b[i] = 'b'
	} else {
		b[i] = 'a'
	}
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
	enc := base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
	return string(enc.AppendEncode(b, sum[:]))
}
