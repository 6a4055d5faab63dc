package oauthreg

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

func TestSanitizeInputRedactsSecretShapedInput(t *testing.T) {
	secret, _, err := generateSecret(DefaultSecretPrefix)
	if err != nil {
		t.Fatal(err)
	}
	body := secret[len(DefaultSecretPrefix):]
	for name, in := range map[string]string{
		"as is":                 secret,
		"upper case":            strings.ToUpper(secret),
		"mixed case":            secret[:20] + strings.ToUpper(secret[20:]),
		"trailing space":        secret + " ",
		"trailing newline":      secret + "\n",
		"CRLF":                  secret + "\r\n",
		"double quotes":         `"` + secret + `"`,
		"single quotes":         "'" + secret + "'",
		"client: prefix":        "client:" + secret,
		"NUL after it":          secret + "\x00",
		"NUL and junk after":    secret + "\x00\xff\xfe",
		"no prefix":             body,
		"corrupt checksum":      body[:len(body)-1] + "a",
		"truncated to 40":       body[:40],
		"after 1 MB of junk":    strings.Repeat("-", 1<<20) + secret,
		"other prefix":          "acme_cs_" + body,
		"Basic-style pair":      "client-1:" + secret,
		"leading whitespace":    "\t " + secret,
		"secret then long id":   secret + strings.Repeat("x.", 200),
		"url-ish":               "https://example.com/cb?client_secret=" + secret,
		"random 32 of alphabet": strings.Repeat("ab27", 8),
	} {
		got := SanitizeInput(in)
		if got != redacted {
			t.Errorf("%s: SanitizeInput(%.40q…) = %q, want %q", name, in, got, redacted)
		}
	}
}

func TestSanitizeInputKeepsOrdinaryInputReadable(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"client-1", "client-1"},
		{"0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b", "0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b"},
		{"my client", "my client"},
		{"crème brûlée", "crème brûlée"},
		{"a\nb", "a%0Ab"},
		{"a\x00b", "a%00b"},
		{"tab\there", "tab%09here"},
		{`quote"back\slash%pct`, "quote%22back%5Cslash%25pct"},
		{"bad\xffutf8", "bad%FFutf8"},
		{"bidi\u202eevil", "bidi%E2%80%AEevil"},
		{"esc\x1b[31mred", "esc%1B[31mred"},
		{"del\x7f", "del%7F"},
		{strings.Repeat("a", 31), strings.Repeat("a", 31)},
	} {
		if got := SanitizeInput(c.in); got != c.want {
			t.Errorf("SanitizeInput(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSanitizeInputIsBounded(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("a-", 1<<20),    // 2 MB client ID
		strings.Repeat("\x00", 70_000), // escapes triple the length
		strings.Repeat("é", 1000),
		strings.Repeat("\u202e", 1000),
	} {
		got := SanitizeInput(in)
		if len(got) > MaxSanitizedLen {
			t.Errorf("SanitizeInput of %d bytes returned %d bytes, more than %d", len(in), len(got), MaxSanitizedLen)
		}
		if want := fmt.Sprintf("…(%d bytes)", len(in)); !strings.HasSuffix(got, want) {
			t.Errorf("SanitizeInput of %d bytes = %q, want it to end in %q", len(in), got, want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("SanitizeInput cut a character in two: %q", got)
		}
	}
}

func TestSanitizeInputSharesNoMemoryWithItsInput(t *testing.T) {
	in := strings.Repeat("client-1.", 4)
	got := SanitizeInput(in)
	if got != in {
		t.Fatalf("SanitizeInput(%q) = %q", in, got)
	}
	if sharesMemory(got, in) {
		t.Error("SanitizeInput returned a string that shares its input's memory")
	}
}

// sharesMemory reports whether the bytes of a lie within those of b.
func sharesMemory(a, b string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	pa, pb := uintptr(unsafe.Pointer(unsafe.StringData(a))), uintptr(unsafe.Pointer(unsafe.StringData(b)))
	return pa >= pb && pa < pb+uintptr(len(b))
}

// FuzzSanitizeInput checks, for any input, that SanitizeInput does not
// panic, stays within MaxSanitizedLen, returns one line of printable text that
// %q only wraps in quotes, and never repeats 32 characters of a generated
// secret placed anywhere in the input, in any case.
func FuzzSanitizeInput(f *testing.F) {
	f.Add("client-1", "", false)
	f.Add("client:", "\x00", true)
	f.Add(`"`, "\"\r\n", false)
	f.Add(strings.Repeat("x", 200), " ", true)
	f.Add("", "\xff", false)
	secret, _, err := generateSecret(DefaultSecretPrefix)
	if err != nil {
		f.Fatal(err)
	}
	body := strings.ToLower(secret[len(DefaultSecretPrefix):])
	f.Fuzz(func(t *testing.T, before, after string, upper bool) {
		for _, in := range []string{before + after, before + secret + after, before + strings.ToUpper(secret) + after} {
			if upper {
				in = strings.ToUpper(in)
			}
			got := SanitizeInput(in)
			if len(got) > MaxSanitizedLen {
				t.Fatalf("SanitizeInput returned %d bytes, more than %d", len(got), MaxSanitizedLen)
			}
			if q := fmt.Sprintf("%q", got); q != `"`+got+`"` {
				t.Fatalf("%%q escapes SanitizeInput's result %s", q)
			}
			for _, r := range got {
				if !unicode.IsPrint(r) {
					t.Fatalf("SanitizeInput returned the unprintable %U in %q", r, got)
				}
			}
			if hasSecretShapedRun(got) {
				t.Fatalf("SanitizeInput returned a secret-shaped run: %q", got)
			}
			low := strings.ToLower(got)
			for i := 0; i+SecretShapedRun <= len(body); i++ {
				if strings.Contains(low, body[i:i+SecretShapedRun]) {
					t.Fatalf("SanitizeInput(%q) = %q repeats part of the secret", in, got)
				}
			}
		}
	})
}
