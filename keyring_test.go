package oauthreg

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

var keyAlgorithms = []KeyAlgorithm{AES256GCM, XChaCha20Poly1305}

func mustGenerateKey(t testing.TB, id string, alg KeyAlgorithm) Key {
	t.Helper()
	k, err := GenerateKey(id, alg)
	if err != nil {
		t.Fatalf("GenerateKey(%q, %q): %v", id, alg, err)
	}
	return k
}

func mustKeyRing(t testing.TB, primary Key, others ...Key) *KeyRing {
	t.Helper()
	r, err := NewKeyRing(primary, others...)
	if err != nil {
		t.Fatalf("NewKeyRing: %v", err)
	}
	return r
}

func mustSeal(t testing.TB, r *KeyRing, plaintext, clientID, secretID string) string {
	t.Helper()
	s, err := r.seal(plaintext, clientID, secretID)
	if err != nil {
		t.Fatalf("seal: %v", err)
	}
	return s
}

// wantOpenFails checks that open fails the way every failure must: an error
// wrapping ErrSealedSecret and no plaintext.
func wantOpenFails(t testing.TB, r *KeyRing, sealed, clientID, secretID, what string) error {
	t.Helper()
	got, err := r.open(sealed, clientID, secretID)
	if err == nil {
		t.Fatalf("%s: open(%q) succeeded with %q", what, sealed, got)
	}
	if !errors.Is(err, ErrSealedSecret) {
		t.Fatalf("%s: open(%q): error %v does not wrap ErrSealedSecret", what, sealed, err)
	}
	if got != "" {
		t.Fatalf("%s: open(%q) returned %q with its error", what, sealed, got)
	}
	return err
}

const testPlaintext = "oauthreg_abcdefghijklmnopabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrs4abcdef"

func TestKeyRingSealOpenRoundTrip(t *testing.T) {
	plaintexts := []string{
		testPlaintext,
		"",
		"x",
		strings.Repeat("~", 512),
		"héllo\x00wörld\xff",
		strings.Repeat("a", maxSealPlaintext),
	}
	for _, alg := range keyAlgorithms {
		t.Run(string(alg), func(t *testing.T) {
			r := mustKeyRing(t, mustGenerateKey(t, "k1", alg))
			for _, p := range plaintexts {
				sealed := mustSeal(t, r, p, "client-1", "secret-1")
				prefix := "v1.k1." + string(alg) + "."
				if !strings.HasPrefix(sealed, prefix) {
					t.Fatalf("sealed %q does not start with %q", sealed, prefix)
				}
				for i := 0; i < len(sealed); i++ {
					if !isKeyIDChar(sealed[i]) {
						t.Fatalf("sealed %q has %q, not an RFC 3986 unreserved character", sealed, sealed[i])
					}
				}
				if len(sealed) > maxSealedLen {
					t.Fatalf("sealed is %d bytes, more than maxSealedLen %d", len(sealed), maxSealedLen)
				}
				if len(p) >= 8 && strings.Contains(sealed, p) {
					t.Fatalf("sealed %q contains the plaintext", sealed)
				}
				got, err := r.open(sealed, "client-1", "secret-1")
				if err != nil {
					t.Fatalf("open: %v", err)
				}
				if got != p {
					t.Fatalf("open = %q, want %q", got, p)
				}
				if id, ok := r.sealedWith(sealed); !ok || id != "k1" {
					t.Fatalf("sealedWith = %q, %v; want k1, true", id, ok)
				}
			}
		})
	}
}

func TestKeyRingSealUsesFreshNonces(t *testing.T) {
	for _, alg := range keyAlgorithms {
		r := mustKeyRing(t, mustGenerateKey(t, "k1", alg))
		seen := map[string]bool{}
		for range 100 {
			s := mustSeal(t, r, testPlaintext, "c", "s")
			if seen[s] {
				t.Fatalf("%s: the same plaintext sealed twice to %q", alg, s)
			}
			seen[s] = true
		}
	}
}

func TestKeyRingSealTooLong(t *testing.T) {
	r := mustKeyRing(t, mustGenerateKey(t, "k1", AES256GCM))
	if _, err := r.seal(strings.Repeat("a", maxSealPlaintext+1), "c", "s"); err == nil {
		t.Fatal("sealed a plaintext longer than maxSealPlaintext")
	}
}

func TestKeyRingRotation(t *testing.T) {
	for _, oldAlg := range keyAlgorithms {
		for _, newAlg := range keyAlgorithms {
			t.Run(string(oldAlg)+"->"+string(newAlg), func(t *testing.T) {
				oldKey := mustGenerateKey(t, "2029-07", oldAlg)
				newKey := mustGenerateKey(t, "2030-01", newAlg)
				before := mustKeyRing(t, oldKey)
				sealed := mustSeal(t, before, testPlaintext, "client-1", "secret-1")

				// The new key is primary, the old one still opens.
				after := mustKeyRing(t, newKey, oldKey)
				if after.PrimaryID() != "2030-01" {
					t.Fatalf("PrimaryID = %q", after.PrimaryID())
				}
				got, err := after.open(sealed, "client-1", "secret-1")
				if err != nil || got != testPlaintext {
					t.Fatalf("open with the old key as non-primary = %q, %v", got, err)
				}
				// Reseal: needed iff sealedWith != PrimaryID.
				id, ok := after.sealedWith(sealed)
				if !ok || id != "2029-07" || id == after.PrimaryID() {
					t.Fatalf("sealedWith = %q, %v; want 2029-07, true", id, ok)
				}
				resealed := mustSeal(t, after, got, "client-1", "secret-1")
				if id, ok := after.sealedWith(resealed); !ok || id != after.PrimaryID() {
					t.Fatalf("sealedWith(resealed) = %q, %v; want the primary", id, ok)
				}

				// Once the old key is removed, the resealed value opens and
				// the old one names the missing key.
				final := mustKeyRing(t, newKey)
				if got, err := final.open(resealed, "client-1", "secret-1"); err != nil || got != testPlaintext {
					t.Fatalf("open resealed = %q, %v", got, err)
				}
				err = wantOpenFails(t, final, sealed, "client-1", "secret-1", "old key removed")
				if msg := err.Error(); !strings.Contains(msg, `key "2029-07" is not in the key ring; add it as a non-primary key`) {
					t.Fatalf("error %q does not name the missing key and what to do", msg)
				}
			})
		}
	}
}

func TestKeyRingOpenWrongBinding(t *testing.T) {
	for _, alg := range keyAlgorithms {
		t.Run(string(alg), func(t *testing.T) {
			r := mustKeyRing(t, mustGenerateKey(t, "k1", alg))
			sealed := mustSeal(t, r, testPlaintext, "client-1", "secret-1")
			for _, c := range []struct{ client, secret string }{
				{"client-2", "secret-1"},
				{"client-1", "secret-2"},
				{"secret-1", "client-1"},
				{"", ""},
				{"client-1secret-1", ""},
				{"", "client-1secret-1"},
				{"client-", "1secret-1"},
				{"client-1\x00", "secret-1"},
			} {
				wantOpenFails(t, r, sealed, c.client, c.secret, fmt.Sprintf("client %q secret %q", c.client, c.secret))
			}
			// Length prefixes keep the boundary between the IDs unambiguous.
			s2 := mustSeal(t, r, testPlaintext, "ab", "c")
			wantOpenFails(t, r, s2, "a", "bc", "moved boundary")
			if got, err := r.open(s2, "ab", "c"); err != nil || got != testPlaintext {
				t.Fatalf("open = %q, %v", got, err)
			}
		})
	}
}

func TestKeyRingOpenUnknownKey(t *testing.T) {
	sealed := mustSeal(t, mustKeyRing(t, mustGenerateKey(t, "gone", AES256GCM)), testPlaintext, "c", "s")
	r := mustKeyRing(t, mustGenerateKey(t, "k1", AES256GCM), mustGenerateKey(t, "k0", XChaCha20Poly1305))
	err := wantOpenFails(t, r, sealed, "c", "s", "unknown key")
	if !strings.Contains(err.Error(), `key "gone" is not in the key ring; add it as a non-primary key`) {
		t.Fatalf("error: %v", err)
	}
	// sealedWith still tells which key it was.
	if id, ok := r.sealedWith(sealed); !ok || id != "gone" {
		t.Fatalf("sealedWith = %q, %v", id, ok)
	}
}

func TestKeyRingOpenSameIDOtherBytes(t *testing.T) {
	for _, alg := range keyAlgorithms {
		sealed := mustSeal(t, mustKeyRing(t, mustGenerateKey(t, "k1", alg)), testPlaintext, "c", "s")
		other := mustKeyRing(t, mustGenerateKey(t, "k1", alg))
		err := wantOpenFails(t, other, sealed, "c", "s", "same ID, other bytes")
		if !strings.Contains(err.Error(), "authentication failed") {
			t.Fatalf("error: %v", err)
		}
	}
}

func TestKeyRingOpenAlgorithmMismatch(t *testing.T) {
	gcm := mustGenerateKey(t, "k1", AES256GCM)
	sealed := mustSeal(t, mustKeyRing(t, gcm), testPlaintext, "c", "s")

	// Same ID and bytes, other algorithm in the ring.
	xc := gcm
	xc.Algorithm = XChaCha20Poly1305
	wantOpenFails(t, mustKeyRing(t, xc), sealed, "c", "s", "ring key has another algorithm")

	// Relabelled sealed value against the right ring.
	relabelled := strings.Replace(sealed, ".A256GCM.", ".XC20P.", 1)
	wantOpenFails(t, mustKeyRing(t, gcm), relabelled, "c", "s", "relabelled algorithm")
	wantOpenFails(t, mustKeyRing(t, xc), relabelled, "c", "s", "relabelled algorithm, matching ring")
}

func TestKeyRingOpenRelabelledKeyID(t *testing.T) {
	// The same bytes under two IDs (a renamed key): a value cannot be moved
	// from one ID to the other, because the key ID is in the associated data.
	a := mustGenerateKey(t, "a", AES256GCM)
	b := Key{ID: "b", Algorithm: AES256GCM, Secret: a.Secret}
	r := mustKeyRing(t, a, b)
	sealed := mustSeal(t, r, testPlaintext, "c", "s")
	wantOpenFails(t, r, strings.Replace(sealed, "v1.a.", "v1.b.", 1), "c", "s", "relabelled key ID")
}

// TestKeyRingTamper changes, deletes and inserts every byte of sealed values
// and truncates them at every length: each result must fail to open, with an
// error wrapping ErrSealedSecret and never a plaintext.
func TestKeyRingTamper(t *testing.T) {
	for _, alg := range keyAlgorithms {
		t.Run(string(alg), func(t *testing.T) {
			other := mustGenerateKey(t, "k0", alg)
			r := mustKeyRing(t, mustGenerateKey(t, "k.1", alg), other,
				mustGenerateKey(t, "k2", AES256GCM), mustGenerateKey(t, "k3", XChaCha20Poly1305))
			for _, p := range []string{testPlaintext, ""} {
				sealed := mustSeal(t, r, p, "client-1", "secret-1")
				b := []byte(sealed)
				for i := range b {
					orig := b[i]
					for v := 0; v < 256; v++ {
						if byte(v) == orig {
							continue
						}
						b[i] = byte(v)
						wantOpenFails(t, r, string(b), "client-1", "secret-1", fmt.Sprintf("byte %d set to %#x", i, v))
					}
					b[i] = orig
					wantOpenFails(t, r, sealed[:i]+sealed[i+1:], "client-1", "secret-1", fmt.Sprintf("byte %d deleted", i))
					wantOpenFails(t, r, sealed[:i], "client-1", "secret-1", fmt.Sprintf("truncated to %d", i))
					for _, ins := range []string{"A", "_", ".", "\n", "\r", "=", " "} {
						wantOpenFails(t, r, sealed[:i]+ins+sealed[i:], "client-1", "secret-1", fmt.Sprintf("%q inserted at %d", ins, i))
					}
				}
				for _, suffix := range []string{"A", "AA", "AAAA", "=", "==", "\n", "."} {
					wantOpenFails(t, r, sealed+suffix, "client-1", "secret-1", fmt.Sprintf("%q appended", suffix))
				}
				if got, err := r.open(sealed, "client-1", "secret-1"); err != nil || got != p {
					t.Fatalf("untampered value no longer opens: %q, %v", got, err)
				}
			}
		})
	}
}

func TestKeyRingOpenMalformed(t *testing.T) {
	r := mustKeyRing(t, mustGenerateKey(t, "k1", AES256GCM), mustGenerateKey(t, "k2", XChaCha20Poly1305))
	good := mustSeal(t, r, testPlaintext, "c", "s")
	payload := good[strings.LastIndexByte(good, '.')+1:]
	for _, s := range []string{
		"",
		"v1",
		"v1.",
		"v1..",
		"v1...",
		"v1.k1",
		"v1.k1.A256GCM",
		"v1.k1.A256GCM.",
		"v1..A256GCM." + payload,
		"v1.k1..A256GCM." + payload + "x",
		"v2.k1.A256GCM." + payload,
		"V1.k1.A256GCM." + payload,
		"v1.k1.a256gcm." + payload,
		"v1.k1.AES." + payload,
		"v1.k 1.A256GCM." + payload,
		"v1." + strings.Repeat("k", 33) + ".A256GCM." + payload,
		"v1.k1.A256GCM.AA",
		"v1.k1.A256GCM." + strings.Repeat("A", 36), // 27 bytes: shorter than nonce + tag
		"v1.k2.XC20P." + strings.Repeat("A", 52),   // 39 bytes: shorter than nonce + tag
		"v1.k1.A256GCM." + strings.Repeat("A", 38), // 28 bytes of zeros: fails authentication
		"v1.k1.A256GCM.A",                          // impossible base64 length
		"v1.k1.A256GCM." + payload + "=",
		"v1.k1.A256GCM." + strings.ReplaceAll(payload, "-", "+"),
		"v1.k1.A256GCM." + payload[:10] + "\n" + payload[10:],
		"v1.k1.A256GCM." + strings.Repeat("A", maxSealedLen),
		" " + good,
		good + " ",
		strings.ToUpper(good),
	} {
		if s == good {
			continue
		}
		wantOpenFails(t, r, s, "c", "s", "malformed")
	}
	for _, s := range []string{"", "v1", "v1.k1.A256GCM.", "v2.k1.A256GCM." + payload, "v1.k 1.A256GCM.AAAA"} {
		if id, ok := r.sealedWith(s); ok || id != "" {
			t.Errorf("sealedWith(%q) = %q, %v; want \"\", false", s, id, ok)
		}
	}
}

func TestKeyRingNilAndZero(t *testing.T) {
	for name, r := range map[string]*KeyRing{"nil": nil, "zero": {}} {
		if id := r.PrimaryID(); id != "" {
			t.Errorf("%s: PrimaryID = %q", name, id)
		}
		if _, err := r.seal("x", "c", "s"); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: seal error %v, want ErrInvalidConfig", name, err)
		}
		wantOpenFails(t, r, "v1.k1.A256GCM.AAAA", "c", "s", name)
		_ = fmt.Sprintf("%v %+v %#v %s %q", r, r, r, r, r)
		if _, err := json.Marshal(r); err != nil {
			t.Errorf("%s: json.Marshal: %v", name, err)
		}
		slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)).Info("m", "ring", r)
	}
}

func TestKeyRingCopiesKeyBytes(t *testing.T) {
	for _, alg := range keyAlgorithms {
		k := mustGenerateKey(t, "k1", alg)
		keep := append([]byte(nil), k.Secret...)
		r := mustKeyRing(t, k)
		sealed := mustSeal(t, r, testPlaintext, "c", "s")
		clear(k.Secret) // the caller wipes its copy
		if got, err := r.open(sealed, "c", "s"); err != nil || got != testPlaintext {
			t.Fatalf("%s: open after the caller cleared its key = %q, %v", alg, got, err)
		}
		sealed = mustSeal(t, r, testPlaintext, "c", "s")
		r2 := mustKeyRing(t, Key{ID: "k1", Algorithm: alg, Secret: keep})
		if got, err := r2.open(sealed, "c", "s"); err != nil || got != testPlaintext {
			t.Fatalf("%s: the ring did not keep its own copy of the key: %q, %v", alg, got, err)
		}
	}
}

func TestKeyRingKeyIDWithDots(t *testing.T) {
	for _, id := range []string{"prod.2030-01", ".", "..", "a.b.c", "~._-", strings.Repeat(".", 32)} {
		r := mustKeyRing(t, mustGenerateKey(t, id, XChaCha20Poly1305), mustGenerateKey(t, "other", AES256GCM))
		sealed := mustSeal(t, r, testPlaintext, "c", "s")
		if got, ok := r.sealedWith(sealed); !ok || got != id {
			t.Fatalf("sealedWith = %q, %v; want %q", got, ok, id)
		}
		if got, err := r.open(sealed, "c", "s"); err != nil || got != testPlaintext {
			t.Fatalf("key ID %q: open = %q, %v", id, got, err)
		}
	}
}

func TestNewKeyRingValidation(t *testing.T) {
	good := func(id string, alg KeyAlgorithm) Key { return mustGenerateKey(t, id, alg) }
	withSecret := func(k Key, s []byte) Key { k.Secret = s; return k }
	withAlg := func(k Key, a KeyAlgorithm) Key { k.Algorithm = a; return k }
	tests := []struct {
		name    string
		primary Key
		others  []Key
		want    string // substring of the error; "" for success
	}{
		{"one GCM key", good("k1", AES256GCM), nil, ""},
		{"one XChaCha key", good("k1", XChaCha20Poly1305), nil, ""},
		{"mixed", good("2030-01", AES256GCM), []Key{good("2029-07", XChaCha20Poly1305), good("2029.01", AES256GCM)}, ""},
		{"32-char ID", good(strings.Repeat("a", 32), AES256GCM), nil, ""},
		{"all allowed characters", good("aZ09._~-", AES256GCM), nil, ""},
		{"empty ID", withSecret(Key{Algorithm: AES256GCM}, make([]byte, 32)), nil, `key ID "": must be 1 to 32 characters`},
		{"zero Key", Key{}, nil, `key ID "": must be 1 to 32 characters`},
		{"33-char ID", withSecret(Key{ID: strings.Repeat("a", 33), Algorithm: AES256GCM}, bytes.Repeat([]byte{1}, 32)), nil, "must be 1 to 32 characters"},
		{"space in ID", withSecret(Key{ID: "k 1", Algorithm: AES256GCM}, bytes.Repeat([]byte{1}, 32)), nil, `key ID "k 1": character ' ' is not allowed`},
		{"slash in ID", withSecret(Key{ID: "k/1", Algorithm: AES256GCM}, bytes.Repeat([]byte{1}, 32)), nil, `character '/' is not allowed`},
		{"dollar in ID", withSecret(Key{ID: "k$1", Algorithm: AES256GCM}, bytes.Repeat([]byte{1}, 32)), nil, `character '$' is not allowed`},
		{"non-ASCII ID", withSecret(Key{ID: "clé", Algorithm: AES256GCM}, bytes.Repeat([]byte{1}, 32)), nil, "is not allowed"},
		{"bad ID in others", good("k1", AES256GCM), []Key{withSecret(Key{ID: "k:2", Algorithm: AES256GCM}, bytes.Repeat([]byte{1}, 32))}, `key ID "k:2"`},
		{"duplicate ID", good("k1", AES256GCM), []Key{good("k1", XChaCha20Poly1305)}, `key ID "k1" appears more than once`},
		{"duplicate among others", good("k1", AES256GCM), []Key{good("k2", AES256GCM), good("k2", AES256GCM)}, `key ID "k2" appears more than once`},
		{"16-byte key", withSecret(good("k1", AES256GCM), bytes.Repeat([]byte{1}, 16)), nil, `key "k1": secret is 16 bytes; A256GCM needs exactly 32 random bytes`},
		{"33-byte key", withSecret(good("k1", XChaCha20Poly1305), bytes.Repeat([]byte{1}, 33)), nil, `key "k1": secret is 33 bytes; XC20P needs exactly 32`},
		{"nil key", withSecret(good("k1", AES256GCM), nil), nil, "secret is 0 bytes"},
		{"short key in others", good("k1", AES256GCM), []Key{withSecret(good("k2", AES256GCM), make([]byte, 31))}, `key "k2": secret is 31 bytes`},
		{"all-zero key", withSecret(good("k1", AES256GCM), make([]byte, 32)), nil, `key "k1": secret is all zero bytes`},
		{"unknown algorithm", withAlg(good("k1", AES256GCM), "AES-256-GCM"), nil, `key "k1": unknown algorithm "AES-256-GCM"; use "A256GCM" (AES256GCM) or "XC20P" (XChaCha20Poly1305)`},
		{"empty algorithm", withAlg(good("k1", AES256GCM), ""), nil, `unknown algorithm ""`},
		{"lower-case algorithm", withAlg(good("k1", AES256GCM), "a256gcm"), nil, `unknown algorithm "a256gcm"`},
		{"unknown algorithm in others", good("k1", AES256GCM), []Key{withAlg(good("k2", AES256GCM), "C20P")}, `key "k2": unknown algorithm "C20P"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewKeyRing(tt.primary, tt.others...)
			if tt.want == "" {
				if err != nil || r == nil {
					t.Fatalf("NewKeyRing = %v, %v", r, err)
				}
				if r.PrimaryID() != tt.primary.ID {
					t.Fatalf("PrimaryID = %q, want %q", r.PrimaryID(), tt.primary.ID)
				}
				sealed := mustSeal(t, r, "x", "c", "s")
				if id, _ := r.sealedWith(sealed); id != tt.primary.ID {
					t.Fatalf("sealed under %q, want the primary %q", id, tt.primary.ID)
				}
				return
			}
			if err == nil {
				t.Fatalf("NewKeyRing succeeded, want an error containing %q", tt.want)
			}
			if r != nil {
				t.Errorf("NewKeyRing returned a ring with its error")
			}
			if !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("error %v does not wrap ErrInvalidConfig", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestGenerateKey(t *testing.T) {
	for _, alg := range keyAlgorithms {
		a, b := mustGenerateKey(t, "k1", alg), mustGenerateKey(t, "k1", alg)
		if a.ID != "k1" || a.Algorithm != alg || len(a.Secret) != KeySize {
			t.Fatalf("GenerateKey = %s with %d bytes", a, len(a.Secret))
		}
		if bytes.Equal(a.Secret, b.Secret) {
			t.Fatal("GenerateKey returned the same bytes twice")
		}
	}
	for _, c := range []struct {
		id   string
		alg  KeyAlgorithm
		want string
	}{
		{"", AES256GCM, "must be 1 to 32"},
		{"a/b", AES256GCM, "not allowed"},
		{"k1", "A128GCM", `unknown algorithm "A128GCM"`},
	} {
		k, err := GenerateKey(c.id, c.alg)
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("GenerateKey(%q, %q) error = %v, want ErrInvalidConfig containing %q", c.id, c.alg, err, c.want)
		}
		if k.Secret != nil || k.ID != "" {
			t.Errorf("GenerateKey(%q, %q) returned a key with its error", c.id, c.alg)
		}
	}
}

// keyLeaks returns the spellings of key material to look for in output.
func keyLeaks(secret []byte) []string {
	return []string{
		string(secret),
		hex.EncodeToString(secret),
		strings.ToUpper(hex.EncodeToString(secret)),
		base64.StdEncoding.EncodeToString(secret),
		base64.RawURLEncoding.EncodeToString(secret),
		fmt.Sprint(secret),                                     // [12 34 ...]
		fmt.Sprintf("%#v", secret)[7:40],                       // []byte{0x..., ...}
		strings.TrimSuffix(fmt.Sprintf("%d", secret[:4]), "]"), // [12 34 56 78
		fmt.Sprintf("%q", secret),
	}
}

func TestKeyRedaction(t *testing.T) {
	k1 := mustGenerateKey(t, "key-one", AES256GCM)
	k2 := mustGenerateKey(t, "key-two", XChaCha20Poly1305)
	ring := mustKeyRing(t, k1, k2)
	type holder struct {
		Key  Key
		KeyP *Key
		Ring *KeyRing
	}
	h := holder{Key: k1, KeyP: &k2, Ring: ring}

	var outputs []string
	add := func(what, s string) { outputs = append(outputs, what+": "+s) }
	for _, v := range []any{k1, &k2, ring, h, &h, []Key{k1, k2}, map[string]Key{"k": k1}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"} {
			add(verb, fmt.Sprintf(verb, v))
		}
		add("Sprint", fmt.Sprint(v))
		add("Sprintln", fmt.Sprintln(v))
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("msg", "v", v, slog.Any("any", v))
		slog.New(slog.NewJSONHandler(&js, nil)).Info("msg", "v", v, slog.Any("any", v))
		add("slog text", text.String())
		add("slog json", js.String())
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal(%T): %v", v, err)
		}
		add("json", string(b))
	}
	add("error", fmt.Errorf("loading %v: %w", k1, errors.New("x")).Error())

	for _, out := range outputs {
		for _, k := range []Key{k1, k2} {
			for _, leak := range keyLeaks(k.Secret) {
				if strings.Contains(out, leak) {
					t.Fatalf("output leaks the key of %s (%q):\n%s", k.ID, leak, out)
				}
			}
		}
	}

	// What they do show.
	checks := []struct{ got, want string }{
		{fmt.Sprint(k1), "Key{ID:key-one Algorithm:A256GCM Secret:[REDACTED]}"},
		{fmt.Sprintf("%+v", k1), "Key{ID:key-one Algorithm:A256GCM Secret:[REDACTED]}"},
		{fmt.Sprintf("%#v", k1), `oauthreg.Key{ID:"key-one", Algorithm:"A256GCM", Secret:[REDACTED]}`},
		{fmt.Sprintf("%q", k1), `"Key{ID:key-one Algorithm:A256GCM Secret:[REDACTED]}"`},
		{fmt.Sprint(ring), "KeyRing{Primary:key-one Keys:[key-one(A256GCM) key-two(XC20P)]}"},
		{fmt.Sprintf("%#v", ring), "&oauthreg.KeyRing{Primary:key-one Keys:[key-one(A256GCM) key-two(XC20P)]}"},
		{fmt.Sprint((*KeyRing)(nil)), "KeyRing(nil)"},
		{mustJSON(t, k1), `{"id":"key-one","algorithm":"A256GCM","secret":"[REDACTED]"}`},
		{mustJSON(t, ring), `{"primary":"key-one","keys":[{"id":"key-one","algorithm":"A256GCM"},{"id":"key-two","algorithm":"XC20P"}]}`},
		{mustJSON(t, (*KeyRing)(nil)), `null`},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("got  %s\nwant %s", c.got, c.want)
		}
	}
	var text bytes.Buffer
	slog.New(slog.NewTextHandler(&text, &slog.HandlerOptions{ReplaceAttr: dropTime})).Info("m", "ring", ring, "key", k2)
	if got, want := text.String(), "level=INFO msg=m ring.primary=key-one ring.keys.key-one=A256GCM ring.keys.key-two=XC20P key.id=key-two key.algorithm=XC20P key.secret=[REDACTED]\n"; got != want {
		t.Errorf("slog text:\ngot  %s\nwant %s", got, want)
	}
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, &slog.HandlerOptions{ReplaceAttr: dropTime})).Info("m", "ring", ring)
	if got, want := js.String(), `{"level":"INFO","msg":"m","ring":{"primary":"key-one","keys":{"key-one":"A256GCM","key-two":"XC20P"}}}`+"\n"; got != want {
		t.Errorf("slog json:\ngot  %s\nwant %s", got, want)
	}
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Key keeps the shape a configuration loader expects: JSON with the key
// bytes in base64 unmarshals into it, though it never marshals them.
func TestKeyUnmarshalJSON(t *testing.T) {
	want := mustGenerateKey(t, "k1", AES256GCM)
	in := fmt.Sprintf(`{"ID":"k1","Algorithm":"A256GCM","Secret":%q}`, base64.StdEncoding.EncodeToString(want.Secret))
	var got Key
	if err := json.Unmarshal([]byte(in), &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != want.ID || got.Algorithm != want.Algorithm || !bytes.Equal(got.Secret, want.Secret) {
		t.Fatalf("unmarshalled %s", got)
	}
	// Its own redacted output does not unmarshal into a usable key.
	var back Key
	if err := json.Unmarshal([]byte(mustJSON(t, want)), &back); err == nil {
		if _, err := NewKeyRing(back); err == nil {
			t.Fatal("a redacted Key round-tripped into a valid key ring")
		}
	}
}

func TestKeyRingConcurrentUse(t *testing.T) {
	r := mustKeyRing(t, mustGenerateKey(t, "k1", AES256GCM), mustGenerateKey(t, "k0", XChaCha20Poly1305))
	// Sealed under a different key that is also called k0: must fail,
	// concurrently too.
	old := mustSeal(t, mustKeyRing(t, mustGenerateKey(t, "k0", XChaCha20Poly1305)), "x", "c", "s")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				client, secret := fmt.Sprint("client-", g), fmt.Sprint("secret-", i)
				p := fmt.Sprint(testPlaintext, g, i)
				s, err := r.seal(p, client, secret)
				if err != nil {
					errs <- err
					return
				}
				if got, err := r.open(s, client, secret); err != nil || got != p {
					errs <- fmt.Errorf("open = %q, %v", got, err)
					return
				}
				if _, err := r.open(old, "c", "s"); !errors.Is(err, ErrSealedSecret) {
					errs <- fmt.Errorf("open with other bytes under k0: %v", err)
					return
				}
				_ = r.String()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestSealAADIsUnambiguous(t *testing.T) {
	seen := map[string]string{}
	for _, c := range [][4]string{
		{"k", "A256GCM", "ab", "c"},
		{"k", "A256GCM", "a", "bc"},
		{"k", "A256GCM", "abc", ""},
		{"k", "A256GCM", "", "abc"},
		{"kA", "256GCM", "ab", "c"},
		{"k", "A256GCM", "c", "ab"},
	} {
		aad := string(sealAAD(c[0], KeyAlgorithm(c[1]), c[2], c[3]))
		if prev, ok := seen[aad]; ok {
			t.Fatalf("%q and %s have the same associated data", c, prev)
		}
		seen[aad] = fmt.Sprintf("%q", c)
	}
}
