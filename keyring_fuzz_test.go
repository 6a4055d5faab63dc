package oauthreg

import (
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
)

// fuzzKeyRing has fixed keys, so that sealed values kept in the fuzz corpus
// (testdata/fuzz) stay valid from run to run.
func fuzzKeyRing(tb testing.TB) *KeyRing {
	key := func(id string, alg KeyAlgorithm) Key {
		sum := sha256.Sum256([]byte("oauthreg fuzz key " + id))
		return Key{ID: id, Algorithm: alg, Secret: sum[:]}
	}
	r, err := NewKeyRing(key("k1", AES256GCM), key("k.0", XChaCha20Poly1305), key("k2", XChaCha20Poly1305))
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// fuzzPlaintext is the plaintext the fuzz seeds seal for a client and secret:
// whatever opens must be exactly this, or the ring opened a forgery.
func fuzzPlaintext(clientID, secretID string) string {
	return "plain|" + clientID + "|" + secretID
}

// FuzzOpenSealed feeds arbitrary sealed strings and bindings to open and
// sealedWith: they must never panic, every failure must wrap ErrSealedSecret
// with no plaintext, and a success must return the one plaintext sealed for
// that client and secret.
func FuzzOpenSealed(f *testing.F) {
	r := fuzzKeyRing(f)
	xc, err := NewKeyRing(Key{ID: "k.0", Algorithm: XChaCha20Poly1305, Secret: func() []byte {
		sum := sha256.Sum256([]byte("oauthreg fuzz key k.0"))
		return sum[:]
	}()})
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range [][2]string{{"client-1", "secret-1"}, {"", ""}, {"c", "s"}, {"ab", "c"}} {
		for _, ring := range []*KeyRing{r, xc} {
			s, err := ring.seal(fuzzPlaintext(b[0], b[1]), b[0], b[1])
			if err != nil {
				f.Fatal(err)
			}
			f.Add(s, b[0], b[1])
			f.Add(s, b[1], b[0])
			f.Add(s[:len(s)-1], b[0], b[1])
			f.Add(strings.Replace(s, "A256GCM", "XC20P", 1), b[0], b[1])
		}
	}
	for _, s := range []string{
		"", "v1", "v1.", "v1...", "v1.k1.A256GCM.", "v1.k1.A256GCM.AAAA", "v1.k1.XC20P.AAAA",
		"v1.unknown.A256GCM." + strings.Repeat("A", 40), "v1.k1.A256GCM." + strings.Repeat("_", 38),
		"v2.k1.A256GCM.AAAA", "v1.k1.A256GCM.AA\nAA", "v1.k1.A256GCM.AAA=", "\xff\xfe",
	} {
		f.Add(s, "c", "s")
	}

	f.Fuzz(func(t *testing.T, sealed, clientID, secretID string) {
		keyID, wellFormed := r.sealedWith(sealed)
		got, err := r.open(sealed, clientID, secretID)
		if err != nil {
			if !errors.Is(err, ErrSealedSecret) {
				t.Fatalf("open(%q): error %v does not wrap ErrSealedSecret", sealed, err)
			}
			if got != "" {
				t.Fatalf("open(%q) returned %q with its error", sealed, got)
			}
			if strings.Contains(err.Error(), fuzzPlaintext(clientID, secretID)) {
				t.Fatalf("error %q contains the plaintext", err)
			}
			return
		}
		if want := fuzzPlaintext(clientID, secretID); got != want {
			t.Fatalf("open(%q, %q, %q) = %q; only %q was ever sealed for them", sealed, clientID, secretID, got, want)
		}
		if !wellFormed {
			t.Fatalf("open(%q) succeeded but sealedWith says it is malformed", sealed)
		}
		if _, inRing := r.byID[keyID]; !inRing {
			t.Fatalf("open(%q) succeeded under %q, which is not in the ring", sealed, keyID)
		}
	})
}

// FuzzSealRoundTrip seals arbitrary plaintexts for arbitrary bindings: what
// seal returns must open to the same plaintext, with the same binding only.
func FuzzSealRoundTrip(f *testing.F) {
	r := fuzzKeyRing(f)
	f.Add("secret", "client", "id")
	f.Add("", "", "")
	f.Add("\x00\xff", "a.b", "c.d")
	f.Fuzz(func(t *testing.T, plaintext, clientID, secretID string) {
		sealed, err := r.seal(plaintext, clientID, secretID)
		if len(plaintext) > maxSealPlaintext {
			if err == nil {
				t.Fatalf("sealed %d bytes", len(plaintext))
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if id, ok := r.sealedWith(sealed); !ok || id != r.PrimaryID() {
			t.Fatalf("sealedWith(%q) = %q, %v", sealed, id, ok)
		}
		got, err := r.open(sealed, clientID, secretID)
		if err != nil || got != plaintext {
			t.Fatalf("open = %q, %v; want %q", got, err, plaintext)
		}
		if _, err := r.open(sealed, clientID+"x", secretID); !errors.Is(err, ErrSealedSecret) {
			t.Fatalf("opened for another client: %v", err)
		}
		if _, err := r.open(sealed, clientID, secretID+"x"); !errors.Is(err, ErrSealedSecret) {
			t.Fatalf("opened for another secret: %v", err)
		}
	})
}
