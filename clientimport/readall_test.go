package clientimport

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

// TestReadAllStaysWithinTheBound: refusing an export one byte over the
// bound must not grow the buffer to twice the bound first. readAll
// doubled its buffer past MaxExportBytes (64 MiB to 128 MiB) before it
// noticed, allocating about four times the bound in all.
func TestReadAllStaysWithinTheBound(t *testing.T) {
	const max = 8 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := readAll(io.LimitReader(strings.NewReader(strings.Repeat(" ", max+1)), max+1), max)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrExport) {
		t.Fatalf("readAll of %d bytes with a bound of %d: %v, want ErrExport", max+1, max, err)
	}
	// The input string is allocated before the first reading.
	if got := after.TotalAlloc - before.TotalAlloc - (max + 1); got > 5*max/2 {
		t.Errorf("readAll allocated %d MiB to refuse an input one byte over a bound of %d MiB; want at most %d MiB", got>>20, max>>20, 5*max/2>>20)
	}
	buf, err := readAll(strings.NewReader(strings.Repeat("x", max)), max)
	if err != nil || len(buf) != max {
		t.Errorf("readAll of exactly the bound: %d bytes, %v", len(buf), err)
	}
}
