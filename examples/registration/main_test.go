package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"testing"
)

// TestUsageErrors: a bad flag or a stray argument is a usage error (exit
// status 2, as in every example); -h is not an error at all.
func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-no-such-flag"}, {"serve"}, {"-addr"}} {
		err := run(context.Background(), args, io.Discard)
		if !errors.As(err, new(*usageError)) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
	if err := run(context.Background(), []string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("run(-h) = %v, want flag.ErrHelp", err)
	}
}
