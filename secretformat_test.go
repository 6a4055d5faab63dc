package oauthreg

import (
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"
)

func TestGeneratedSecretFormat(t *testing.T) {
	for _, prefix := range []string{DefaultSecretPrefix, "", "acme_cs_", "A-b.c~"} {
		s, id, err := generateSecret(prefix)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(s, prefix) || len(s) != len(prefix)+secretBodyLen {
			t.Fatalf("prefix %q: secret %q has the wrong shape", prefix, s)
		}
		for i := 0; i < len(s); i++ {
			if !isUnreserved(s[i]) {
				t.Fatalf("secret has %q, outside RFC 3986 unreserved", s[i])
			}
		}
		gotID, shape := parseSecret(s)
		if shape != shapeGenerated || gotID != id || len(id) != secretIDLen {
			t.Fatalf("parseSecret(%q) = %q, %v; want %q, generated", s, gotID, shape, id)
		}
	}
}

func TestGeneratedSecretsAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		s, id, err := generateSecret("")
		if err != nil {
			t.Fatal(err)
		}
		if seen[s] || seen[id] {
			t.Fatal("duplicate secret or secret ID")
		}
		seen[s], seen[id] = true, true
	}
}

// Every single-character change of a generated secret is caught by the
// checksum (CRC-32C detects all single-symbol errors).
func TestChecksumCatchesEveryTypo(t *testing.T) {
	s, _, err := generateSecret("acme_")
	if err != nil {
		t.Fatal(err)
	}
	alphabet := "abcdefghijklmnopqrstuvwxyz234567"
	for i := len("acme_"); i < len(s); i++ {
		for _, c := range alphabet {
			if byte(c) == s[i] {
				continue
			}
			typo := s[:i] + string(c) + s[i+1:]
			if _, shape := parseSecret(typo); shape != shapeCorrupt {
				t.Fatalf("typo at %d (%q) not caught: shape %v", i, typo, shape)
			}
		}
	}
	// Truncated or extended secrets are not accepted as generated either.
	for _, bad := range []string{s[:len(s)-1], s + "a", s[1:], "x" + s} {
		if _, shape := parseSecret(bad); shape == shapeGenerated {
			t.Fatalf("%q accepted as a generated secret", bad)
		}
	}
}

func TestParseSecretOther(t *testing.T) {
	for _, s := range []string{"", "short", "correct horse battery staple", strings.Repeat("A", secretBodyLen), strings.Repeat("a", 500), "öäü" + strings.Repeat("a", secretBodyLen)} {
		if _, shape := parseSecret(s); shape == shapeGenerated {
			t.Errorf("parseSecret(%q) = generated", s)
		}
	}
}

func TestParseSecretDoesNotAllocate(t *testing.T) {
	s, _, _ := generateSecret(DefaultSecretPrefix)
	if n := testing.AllocsPerRun(100, func() { parseSecret(s) }); n != 0 {
		t.Fatalf("parseSecret allocates %v times", n)
	}
}

func TestSecretPrefixValidation(t *testing.T) {
	for _, p := range []string{"", "ok_", "A.b-c~d_"} {
		if err := validSecretPrefix(p); err != nil {
			t.Errorf("%q: %v", p, err)
		}
	}
	for _, p := range []string{"has space", "slash/", "percent%", "plus+", strings.Repeat("a", 33), "é"} {
		if err := validSecretPrefix(p); err == nil {
			t.Errorf("%q accepted", p)
		}
	}
}

func FuzzParseSecret(f *testing.F) {
	s, _, _ := generateSecret(DefaultSecretPrefix)
	f.Add(s)
	f.Add(s[:len(s)-1] + "a")
	f.Add("")
	f.Add("oauthreg_")
	f.Add(strings.Repeat("a", secretBodyLen))
	f.Add(strings.Repeat("\xff", secretBodyLen+3))
	f.Add(s[:len(s)-1] + string(s[len(s)-1]^1)) // the checksum's unused low bits set
	f.Fuzz(func(t *testing.T, in string) {
		id, shape := parseSecret(in)
		if shape == shapeGenerated {
			if len(id) != secretIDLen || !strings.Contains(in, id) {
				t.Fatalf("bad ID %q from %q", id, in)
			}
		}
		// The checksum, compared as a number, agrees with its canonical
		// text.
		if shape != shapeOther {
			body := in[:len(in)-secretCheckLen]
			var sum [4]byte
			binary.BigEndian.PutUint32(sum[:], crc32.Checksum([]byte(body), crc32c))
			if want := secretEncoding.EncodeToString(sum[:]); (want == in[len(body):]) != (shape == shapeGenerated) {
				t.Fatalf("parseSecret(%q) = %v, but the checksum's text is %q", in, shape, want)
			}
		}
	})
}
