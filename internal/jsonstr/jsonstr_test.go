package jsonstr

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

var seeds = []string{
	`""`, `"plain"`, `"a\"b\\c\/d\b\f\n\r\t"`, `"\u00e9\u00E9"`, `"\ud83d\ude00"`, `"ünï ✓ 😀"`,
	`"\ud800"`, `"\udc00"`, `"\ud800\u0041"`, `"\ud800\ud800\udc00"`, `"\ud83d"x`, `"\ufffd"`,
	"\"\xff\"", "\"a\xe2\x82\"", "\"\xed\xa0\x80\"", `"\u12"`, `"\u12g4"`, `"\x"`, `"x` + "\x01" + `"`,
	`"unterminated`, `"ends in \"`, `"\`, `"`, ``, `x`, `null`, `"a" trailing`, `"a"b"`,
}

// FuzzDecode holds Append and Value to encoding/json: on a JSON string both
// modes give encoding/json's value, Refuse failing only where
// encoding/json wrote U+FFFD; on anything else Append fails or stops before
// the end. A failed Append leaves zeros where it wrote.
func FuzzDecode(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		const prefix = "kept"
		dst := append(make([]byte, 0, len(prefix)+MaxLen(len(b))), prefix...)
		rep, next, err := Append(dst, b, 0, Replace)
		if !bytes.HasPrefix(rep, []byte(prefix)) {
			t.Fatalf("Append(%q) lost the prefix: %q", b, rep)
		}
		if err != nil {
			if len(rep) != len(prefix) || next != 0 {
				t.Fatalf("Append(%q) failed with %v, returning %q, %d", b, err, rep, next)
			}
			if tail := dst[len(prefix):cap(dst)]; bytes.ContainsFunc(tail, func(r rune) bool { return r != 0 }) {
				t.Fatalf("Append(%q) failed with %v and left %q behind", b, err, tail)
			}
		} else if &rep[:cap(rep)][cap(rep)-1] != &dst[:cap(dst)][cap(dst)-1] {
			t.Fatalf("Append(%q) grew dst past MaxLen", b)
		}
		rep = rep[len(prefix):]

		val, vnext, verr := Value(b, 0, Replace)
		if (verr == nil) != (err == nil) || verr == nil && (string(val) != string(rep) || vnext != next) {
			t.Fatalf("Value(%q) = %q, %d, %v; Append: %q, %d, %v", b, val, vnext, verr, rep, next, err)
		}
		ref, rnext, rerr := Value(b, 0, Refuse)
		if rerr == nil && (string(ref) != string(rep) || rnext != next) {
			t.Fatalf("Value(%q, Refuse) = %q, %d; Replace gives %q, %d", b, ref, rnext, rep, next)
		}
		if rerr != nil && !errors.Is(rerr, ErrInvalid) && err == nil {
			t.Fatalf("Value(%q, Refuse): %v, but Replace decodes it", b, rerr)
		}

		var want string
		if json.Unmarshal(b, &want) != nil || len(b) == 0 || b[0] != '"' {
			// Not one JSON string (or one after blanks, which the
			// decoder does not skip): it must not take the whole input
			// for one.
			if err == nil && next == len(b) {
				var v any
				if json.Unmarshal(b, &v) != nil {
					t.Fatalf("Append(%q) decoded %q from what encoding/json refuses", b, rep)
				}
			}
			return
		}
		if err != nil || len(bytes.TrimRight(b[next:], " \t\r\n")) != 0 {
			t.Fatalf("Append(%q) = %q, next %d, %v; encoding/json reads %q", b, rep, next, err, want)
		}
		if string(rep) != want {
			t.Fatalf("Append(%q) = %q; encoding/json reads %q", b, rep, want)
		}
		switch {
		case rerr != nil && !strings.ContainsRune(want, utf8.RuneError):
			t.Fatalf("Value(%q, Refuse): %v, but encoding/json replaced nothing", b, rerr)
		case rerr != nil && !errors.Is(rerr, ErrInvalid):
			t.Fatalf("Value(%q, Refuse): %v, want ErrInvalid", b, rerr)
		}
	})
}

// TestValueAliases: a string without escapes is not copied, and the value
// cannot be appended to over the input.
func TestValueAliases(t *testing.T) {
	src := []byte(`"abc","d\"e"`)
	v, next, err := Value(src, 0, Refuse)
	if err != nil || string(v) != "abc" || next != 5 || &v[0] != &src[1] || cap(v) != 3 {
		t.Fatalf("Value = %q (cap %d), %d, %v; want src's own bytes", v, cap(v), next, err)
	}
	v, next, err = Value(src, 6, Refuse)
	if err != nil || string(v) != `d"e` || next != len(src) || &v[0] == &src[7] {
		t.Fatalf("Value of an escaped string = %q, %d, %v; want a copy", v, next, err)
	}
}

// TestModes: what each mode does with what encoding/json replaces.
func TestModes(t *testing.T) {
	for _, s := range []string{"\"\xff\"", `"\ud800"`, `"\udc00\u0041"`, "\"\xed\xa0\x80\""} {
		if _, _, err := Value([]byte(s), 0, Refuse); !errors.Is(err, ErrInvalid) {
			t.Errorf("Value(%q, Refuse): %v, want ErrInvalid", s, err)
		}
		v, _, err := Value([]byte(s), 0, Replace)
		if err != nil || !strings.ContainsRune(string(v), utf8.RuneError) {
			t.Errorf("Value(%q, Replace) = %q, %v; want U+FFFD", s, v, err)
		}
	}
	for _, s := range []string{`"\x"`, `"\u12"`, `"a`, "\"\x01\"", `x`, ``} {
		for _, inv := range []Invalid{Refuse, Replace} {
			if _, _, err := Value([]byte(s), 0, inv); !errors.Is(err, ErrSyntax) {
				t.Errorf("Value(%q, %d): %v, want ErrSyntax", s, inv, err)
			}
		}
	}
	if v, _, err := Value([]byte(`"\ud83d\ude00"`), 0, Refuse); err != nil || string(v) != "😀" {
		t.Errorf("a surrogate pair under Refuse: %q, %v", v, err)
	}
}
