package clientimport

import (
	"errors"
	"io"
	"testing"
)

// bufferWatcher is an io.Reader of n spaces that records the buffers
// readAll reads into: each Read gets the free part of readAll's buffer, so
// what was read before plus len(p) is that buffer's capacity. It measures
// readAll alone, unlike the process-wide runtime.MemStats, which counts
// whatever other goroutines allocate meanwhile.
type bufferWatcher struct {
	n, read  int
	lastCap  int
	maxCap   int
	allocSum int // the capacities of the buffers seen, each once
}

func (w *bufferWatcher) Read(p []byte) (int, error) {
	if c := w.read + len(p); c != w.lastCap {
		w.lastCap, w.allocSum, w.maxCap = c, w.allocSum+c, max(w.maxCap, c)
	}
	if w.read >= w.n {
		return 0, io.EOF
	}
	k := min(len(p), w.n-w.read)
	for i := range p[:k] {
		p[i] = ' '
	}
	w.read += k
	return k, nil
}

// TestReadAllStaysWithinTheBound: refusing an export one byte over the
// bound must not grow the buffer to twice the bound first. readAll
// doubled its buffer past MaxExportBytes (64 MiB to 128 MiB) before it
// noticed, allocating about four times the bound in all.
func TestReadAllStaysWithinTheBound(t *testing.T) {
	const max = 8 << 20
	w := &bufferWatcher{n: max + 1}
	if _, err := readAll(w, max); !errors.Is(err, ErrExport) {
		t.Fatalf("readAll of %d bytes with a bound of %d: %v, want ErrExport", max+1, max, err)
	}
	if w.maxCap > max+1 {
		t.Errorf("readAll made a buffer of %d bytes to refuse an input one byte over a bound of %d", w.maxCap, max)
	}
	if w.allocSum > 5*max/2 {
		t.Errorf("readAll allocated buffers of %d MiB in all to refuse an input one byte over a bound of %d MiB; want at most %d MiB", w.allocSum>>20, max>>20, 5*max/2>>20)
	}
	w = &bufferWatcher{n: max}
	buf, err := readAll(w, max)
	if err != nil || len(buf) != max {
		t.Errorf("readAll of exactly the bound: %d bytes, %v", len(buf), err)
	}
	if w.maxCap > max+1 {
		t.Errorf("readAll made a buffer of %d bytes to read %d", w.maxCap, max)
	}
}
