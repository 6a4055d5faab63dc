package memstore

import (
	"errors"
	"testing"

	"github.com/oauthreg/oauthreg"
)

// FuzzDecodeCursor: any string is the first page (""), is refused with
// ErrInvalidCursor and a bounded message, or decodes to an ID a store could
// hold (valid UTF-8 without NUL) that encodes back to the same position.
func FuzzDecodeCursor(f *testing.F) {
	for _, seed := range []string{"", "YQ", encodeCursor("client-000001"), "AA", "\x00", "!!!", "_w", encodeCursor("ä")} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, c string) {
		id, err := decodeCursor(c)
		if err != nil {
			if !errors.Is(err, oauthreg.ErrInvalidCursor) {
				t.Fatalf("decodeCursor(%q): %v, want ErrInvalidCursor", c, err)
			}
			if len(err.Error()) > 100+oauthreg.MaxSanitizedLen {
				t.Fatalf("decodeCursor(%q): error of %d bytes echoes the input", c, len(err.Error()))
			}
			return
		}
		if c == "" {
			if id != "" {
				t.Fatalf(`decodeCursor("") = %q`, id)
			}
			return
		}
		if id == "" || !storableID(id) {
			t.Fatalf("decodeCursor(%q) = %q: not an ID a store holds", c, id)
		}
		if again, err := decodeCursor(encodeCursor(id)); err != nil || again != id {
			t.Fatalf("round trip of %q: %q, %v", id, again, err)
		}
	})
}
