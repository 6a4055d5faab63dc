package testdb

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
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
	w := io.Writer(os.Stderr)
	if f := goCommandStderr(); f != nil {
		defer f.Close()
		w = f
	}
	_, _ = io.WriteString(w, note+"\n")
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
	f, err := os.OpenFile("/proc/"+ppid+"/fd/2", os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&(os.ModeCharDevice|os.ModeNamedPipe) == 0 {
		f.Close()
		return nil
	}
	return f
}
