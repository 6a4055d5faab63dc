package testdb

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// skipEngine skips t because the engine named by env is not configured,
// and, the first time in this test binary (one package), says so where
// `go test ./...` shows it.
func skipEngine(t testing.TB, msg string) {
	t.Helper()
	noteOnce.Do(func() { writeSkipNote(skipNote(os.Getenv)) })
	t.Skip(msg)
}

var noteOnce sync.Once

// skipNote is the one line a package whose engine tests skip prints: which
// engines are missing and how to turn them on. "" when both are configured.
func skipNote(getenv func(string) string) string {
	var missing, vars []string
	if getenv(PostgresEnv) == "" {
		missing, vars = append(missing, "PostgreSQL"), append(vars, PostgresEnv+"='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'")
	}
	if getenv(MySQLEnv) == "" {
		missing, vars = append(missing, "MySQL/MariaDB"), append(vars, MySQLEnv+"='root@tcp(127.0.0.1:3306)/test'")
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("oauthreg %s: %s tests skipped; to run them: export %s",
		packageDir(), strings.Join(missing, " and "), strings.Join(vars, " "))
}

// packageDir names the package under test by its directory relative to the
// module root (go test runs a test binary in its package's directory).
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return filepath.Base(os.Args[0])
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if rel, err := filepath.Rel(dir, wd); err == nil {
				return "./" + filepath.ToSlash(rel)
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return wd
}

// writeSkipNote writes note where the person running the tests sees it.
// With -v (or -json) the skip messages themselves are shown: nothing more
// is written. Without -v, `go test ./...` discards a passing package's
// output, its stderr included, so on Linux the note goes to the go
// command's own stderr when that is a terminal or a pipe (never a regular
// file, whose offset the go command owns). Elsewhere it goes to the test's
// stderr, which `go test` (in the package's directory, no arguments) and a
// test binary run by hand show.
func writeSkipNote(note string) {
	if note == "" || testing.Verbose() {
		return
	}
	if f := goCommandStderr(); f != nil {
		defer f.Close()
		if writeNote(f, note) {
			return
		}
	}
	_, _ = io.WriteString(os.Stderr, note+"\n")
}

// noteTimeout bounds the write of the note to the go command's stderr: a
// pipe nobody is reading (full) or a stopped terminal must not hang the
// tests; the note is dropped instead.
const noteTimeout = 200 * time.Millisecond

// writeNote writes note to f, giving up after noteTimeout. It reports
// false, having written nothing, when f cannot take a deadline (a file
// the poller cannot wait on), so that the caller writes elsewhere rather
// than risk blocking.
func writeNote(f *os.File, note string) bool {
	if err := f.SetWriteDeadline(time.Now().Add(noteTimeout)); err != nil {
		return false
	}
	_, _ = io.WriteString(f, note+"\n")
	return true
}

// goCommandStderr opens the stderr of the go command that started this
// test binary, or returns nil when the parent is not a go command, its
// stderr is not a terminal or a pipe, or /proc does not exist.
func goCommandStderr() *os.File {
	ppid := strconv.Itoa(os.Getppid())
	exe, err := os.Readlink("/proc/" + ppid + "/exe")
	if err != nil || strings.TrimSuffix(filepath.Base(exe), ".exe") != "go" {
		return nil
	}
	return openTermOrPipe("/proc/" + ppid + "/fd/2")
}

// openTermOrPipe opens path for appending if it is a terminal (character
// device) or a pipe, and returns nil otherwise. It checks before opening,
// so that nothing else is opened (opening some devices has effects), and
// opens without blocking: a named pipe without a reader is refused at once
// (ENXIO) where a blocking open would wait for one forever.
func openTermOrPipe(path string) *os.File {
	if st, err := os.Stat(path); err != nil || st.Mode()&(os.ModeCharDevice|os.ModeNamedPipe) == 0 {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil
	}
	// What was opened, in case path changed since the check.
	if st, err := f.Stat(); err != nil || st.Mode()&(os.ModeCharDevice|os.ModeNamedPipe) == 0 {
		f.Close()
		return nil
	}
	return f
}
