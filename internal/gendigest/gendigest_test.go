package gendigest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

var (
	digest    = sha256.Sum256([]byte("oauthreg_secret"))
	digestB64 = base64.RawStdEncoding.EncodeToString(digest[:])
	longID    = strings.Repeat("x", MaxPepperIDLen)
)

func TestParseValid(t *testing.T) {
	for _, tc := range []struct {
		encoded string
		want    Hash
	}{
		{"$sha256$" + digestB64, Hash{SHA256, "", digest}},
		{"$hmac-sha256$k=p1$" + digestB64, Hash{HMACSHA256, "p1", digest}},
		{"$sha256-keyed$k=v1.pepper_2~x-y$" + digestB64, Hash{KeyedSHA256, "v1.pepper_2~x-y", digest}},
		{"$sha256-keyed$k=" + longID + "$" + digestB64, Hash{KeyedSHA256, longID, digest}},
		{"$sha256$" + strings.Repeat("A", 43), Hash{Scheme: SHA256}},
	} {
		got, err := Parse(tc.encoded)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tc.encoded, got, err, tc.want)
			continue
		}
		if !got.Valid() {
			t.Errorf("Parse(%q) is not Valid", tc.encoded)
		}
		if text := got.Text(); text != tc.encoded {
			t.Errorf("Text() = %q, want %q", text, tc.encoded)
		}
		if b := got.AppendText([]byte("x")); string(b) != "x"+tc.encoded {
			t.Errorf("AppendText = %q", b)
		}
		if !IsEncoding(tc.encoded) {
			t.Errorf("IsEncoding(%q) = false", tc.encoded)
		}
	}
	if len("$sha256-keyed$k="+longID+"$"+digestB64) != MaxEncodedLen {
		t.Errorf("MaxEncodedLen = %d, want the longest encoding's length", MaxEncodedLen)
	}
}

func TestParseInvalid(t *testing.T) {
	good := "$sha256-keyed$k=p1$" + digestB64
	for encoded, want := range map[string]error{
		"":                                    ErrNotGenerated,
		"$":                                   ErrNotGenerated,
		"$sha256":                             ErrNotGenerated,
		"$sha512$" + digestB64:                ErrNotGenerated,
		"$hmac-sha512$k=p1$" + digestB64:      ErrNotGenerated,
		"$sha256-keyed$p1$" + digestB64:       ErrNotGenerated,
		"$SHA256$" + digestB64:                ErrNotGenerated,
		"$argon2id$v=19$m=8,t=1,p=1$AAAA$AAA": ErrNotGenerated,
		"$sha256$":                            ErrDigest,
		"$sha256$" + digestB64 + "A":          ErrDigest,
		"$sha256$" + digestB64[1:]:            ErrDigest,
		"$sha256$" + digestB64 + "$":          ErrDigest,
		"$sha256$" + digestB64[:42] + "x":     ErrDigest, // trailing bits not zero
		"$sha256$" + digestB64[:42] + "=":     ErrDigest,
		"$sha256$" + digestB64[:20] + "\n" + digestB64[21:]: ErrDigest,
		"$sha256$" + strings.Repeat("-", 43):                ErrDigest, // URL alphabet
		"$sha256$$" + digestB64[1:]:                         ErrDigest,
		good + "$":                                          ErrDigest,
		good[:len(good)-1]:                                  ErrDigest,
		"$sha256-keyed$k=p1$":                               ErrDigest,
		"$sha256-keyed$k=$" + digestB64:                     ErrPepperID,
		"$sha256-keyed$k=p1":                                ErrPepperID,
		"$sha256-keyed$k=p 1$" + digestB64:                  ErrPepperID,
		"$hmac-sha256$k=p\x001$" + digestB64:                ErrPepperID,
		"$hmac-sha256$k=" + longID + "x$" + digestB64:       ErrPepperID,
		"$hmac-sha256$k=p/1$" + digestB64:                   ErrPepperID,
	} {
		got, err := Parse(encoded)
		if !errors.Is(err, want) || got != (Hash{}) {
			t.Errorf("Parse(%q) = %+v, %v; want the zero Hash, %v", encoded, got, err, want)
		}
		if err != nil && strings.Contains(err.Error(), digestB64[:10]) {
			t.Errorf("Parse(%q): error %q repeats the digest", encoded, err)
		}
	}
}

func TestInvalidHashes(t *testing.T) {
	for _, h := range []Hash{{}, {Scheme: 9}, {Scheme: SHA256, PepperID: "p1"}, {Scheme: KeyedSHA256}, {Scheme: HMACSHA256, PepperID: "a$b"}} {
		if h.Valid() {
			t.Errorf("%+v is Valid", h)
		}
		if h.Scheme == SHA256 {
			continue // written as "$sha256$…": SHA256 has no pepper ID to write
		}
		if _, err := Parse(h.Text()); err == nil {
			t.Errorf("Parse(%+v.Text()) succeeded", h)
		}
	}
}

func TestParseAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation may allocate")
	}
	for _, encoded := range []string{"$sha256$" + digestB64, "$sha256-keyed$k=p1$" + digestB64, "$hmac-sha256$k=p1$x", "x"} {
		if n := testing.AllocsPerRun(100, func() { Parse(encoded) }); n != 0 {
			t.Errorf("Parse(%q): %v allocations, want 0", encoded, n)
		}
	}
	h, _ := Parse("$sha256-keyed$k=p1$" + digestB64)
	var buf [MaxEncodedLen]byte
	if n := testing.AllocsPerRun(100, func() { h.AppendText(buf[:0]) }); n != 0 {
		t.Errorf("AppendText into room enough: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = h.Text() }); n != 1 {
		t.Errorf("Text: %v allocations, want 1", n)
	}
}

// FuzzParse checks that Parse never panics, refuses with one of its errors,
// and accepts exactly the canonical encodings: what it accepts is Valid and
// written back unchanged, and what is written parses to the same value.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"$sha256$" + digestB64, "$hmac-sha256$k=p1$" + digestB64, "$sha256-keyed$k=p1$" + digestB64,
		"$sha256-keyed$k=" + longID + "$" + digestB64, "$sha256-keyed$k=$", "$sha256$", "$hmac-sha256$k=",
		"$sha256$" + digestB64[:42] + "x", "$sha256$" + digestB64[:20] + "\r" + digestB64[21:], "", "$", "\xff$sha256$",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, encoded string) {
		h, err := Parse(encoded)
		if err != nil {
			if !errors.Is(err, ErrNotGenerated) && !errors.Is(err, ErrPepperID) && !errors.Is(err, ErrDigest) {
				t.Fatalf("Parse(%q): unexpected error %v", encoded, err)
			}
			if h != (Hash{}) {
				t.Fatalf("Parse(%q) returned %+v with an error", encoded, h)
			}
			return
		}
		if !h.Valid() || !IsEncoding(encoded) {
			t.Fatalf("Parse(%q) = %+v, which is not Valid or not an encoding", encoded, h)
		}
		if text := h.Text(); text != encoded {
			t.Fatalf("Parse(%q) writes back as %q", encoded, text)
		}
		if !strings.HasSuffix(encoded, base64.RawStdEncoding.EncodeToString(h.Digest[:])) {
			t.Fatalf("Parse(%q): digest %x is not the one encoded", encoded, h.Digest)
		}
		if h.PepperID != "" && !strings.Contains(encoded, "$k="+h.PepperID+"$") {
			t.Fatalf("Parse(%q): pepper ID %q", encoded, h.PepperID)
		}
		if bytes.Contains([]byte(encoded), []byte{'\n'}) {
			t.Fatalf("Parse(%q) accepted a line break", encoded)
		}
	})
}
