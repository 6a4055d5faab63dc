package testdb

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// within fails t if f has not returned after a minute: what it guards
// against is blocking forever, not slowness.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s: still blocked after a minute", what)
	}
}

// TestSkipNoteNeverBlocks: the note reopens another process's stderr, so
// a pipe nobody reads (full) or a named pipe nobody has open for reading
// must not block the test binary; and only a terminal or a pipe is opened.
func TestSkipNoteNeverBlocks(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("no /proc: the note goes to the test's own stderr")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	// Fill the pipe: nobody reads r.
	w.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	for {
		if _, err := w.Write(make([]byte, 4096)); err != nil {
			break
		}
	}
	f := openTermOrPipe(fmt.Sprintf("/proc/self/fd/%d", w.Fd()))
	if f == nil {
		t.Fatal("openTermOrPipe refused a pipe")
	}
	defer f.Close()
	within(t, "writing the note to a full pipe", func() { writeNote(f, "note") })

	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	within(t, "opening a named pipe without a reader", func() {
		if f := openTermOrPipe(fifo); f != nil {
			f.Close()
			t.Error("opened a named pipe nobody reads")
		}
	})

	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", filepath.Join(dir, "sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, path := range []string{file, filepath.Join(dir, "sock"), dir, filepath.Join(dir, "missing")} {
		if f := openTermOrPipe(path); f != nil {
			f.Close()
			t.Errorf("openTermOrPipe(%s) opened what is not a terminal or a pipe", path)
		}
	}
	if b, _ := os.ReadFile(file); len(b) != 0 {
		t.Errorf("the regular file was written: %q", b)
	}
}
