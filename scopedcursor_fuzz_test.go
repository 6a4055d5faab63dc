package oauthreg

import (
	"errors"
	"testing"
)

// FuzzOpenScopedCursor: any string is either refused with ErrInvalidCursor
// (with a bounded message) or is a cursor this sealer issued for this
// organization; a sealed cursor opens to what was sealed, and only for its
// own organization.
func FuzzOpenScopedCursor(f *testing.F) {
	cs, err := newCursorSealer(make([]byte, cursorKeyLen))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{"", "AQ", "garbage", "\x00", cs.seal("org", "YWJj"), cs.seal("other", "x"), cs.seal("org", "")} {
		f.Add("org", seed)
	}
	f.Fuzz(func(t *testing.T, org, cursor string) {
		got, err := cs.open(org, cursor)
		if err != nil {
			if !errors.Is(err, ErrInvalidCursor) || len(err.Error()) > 120 {
				t.Fatalf("open(%q): %v", cursor, err)
			}
		} else if cs.seal(org, got) == cursor {
			t.Fatalf("open(%q) = %q: a sealed cursor repeated a nonce", cursor, got)
		}
		sealed := cs.seal(org, cursor)
		if again, err := cs.open(org, sealed); err != nil || again != cursor {
			t.Fatalf("round trip of %q: %q, %v", cursor, again, err)
		}
		if _, err := cs.open(org+"x", sealed); !errors.Is(err, ErrInvalidCursor) {
			t.Fatalf("a cursor of %q opened for %q: %v", org, org+"x", err)
		}
	})
}
