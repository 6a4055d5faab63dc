package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestQuickstartStory(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"first secret                             accepted",
		"old secret, right after rotation         accepted",
		"old secret, 1 minute before grace ends   accepted",
		"old secret, grace period over            refused",
		"leaked secret                            refused",
		"regenerated secret                       accepted",
		"[REDACTED]",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "shown once"); n != 3 {
		t.Errorf("%d plaintext secrets printed, want exactly 3 (one per issue)", n)
	}
}
