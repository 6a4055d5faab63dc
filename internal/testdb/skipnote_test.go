package testdb

import (
	"strings"
	"testing"
)

func TestSkipNote(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(name string) string { return vars[name] }
	}
	both := skipNote(env(nil))
	for _, want := range []string{"oauthreg ./internal/testdb:", "PostgreSQL and MySQL/MariaDB tests skipped", "export " + PostgresEnv + "=", MySQLEnv + "="} {
		if !strings.Contains(both, want) {
			t.Errorf("note without either engine = %q, want it to contain %q", both, want)
		}
	}
	if strings.Contains(both, "\n") {
		t.Errorf("note %q is more than one line", both)
	}
	onlyMySQL := skipNote(env(map[string]string{PostgresEnv: "postgres://x"}))
	if strings.Contains(onlyMySQL, "PostgreSQL") || !strings.Contains(onlyMySQL, "MySQL/MariaDB tests skipped") {
		t.Errorf("note with PostgreSQL configured = %q", onlyMySQL)
	}
	if got := skipNote(env(map[string]string{PostgresEnv: "postgres://x", MySQLEnv: "root@tcp(x)/y"})); got != "" {
		t.Errorf("note with both engines configured = %q, want none (CI prints nothing)", got)
	}
}
