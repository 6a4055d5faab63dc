package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// rewire sends every compose.Compose and compose.ComposeAllEnabled call to
// fositesuite, imports it, drops the compose import a file no longer uses,
// and refuses a part in which it finds no call at all.
func TestRewire(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "integration")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"a_test.go": "package x\n\nimport (\n\t\"github.com/ory/fosite/compose\"\n)\n\n" +
			"var p = compose.Compose(c, s, st, compose.OAuth2ClientCredentialsGrantFactory)\n",
		"b_test.go": "package x\n\nimport (\n\t\"testing\"\n\t\"github.com/ory/fosite/compose\"\n)\n\n" +
			"var q = compose.ComposeAllEnabled(c, s, k)\n",
		"c_test.go": "package x\n\nimport (\n\t\"testing\"\n)\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(pkg, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := rewire(dir, part{pkg: "integration", files: []string{"*"}}); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(pkg, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	a, b, c := read("a_test.go"), read("b_test.go"), read("c_test.go")
	if !strings.Contains(a, "fositesuite.Compose(c, s, st, compose.OAuth2ClientCredentialsGrantFactory)") ||
		!strings.Contains(a, suiteImport) || !strings.Contains(a, `"github.com/ory/fosite/compose"`) {
		t.Errorf("a_test.go:\n%s", a)
	}
	if !strings.Contains(b, "fositesuite.ComposeAllEnabled(c, s, k)") || !strings.Contains(b, suiteImport) ||
		strings.Contains(b, `"github.com/ory/fosite/compose"`) {
		t.Errorf("b_test.go (compose no longer used, its import must go):\n%s", b)
	}
	if c != files["c_test.go"] {
		t.Errorf("c_test.go has no compose call and was changed:\n%s", c)
	}
	if err := rewire(dir, part{pkg: "integration", files: []string{"c_test.go"}}); err == nil {
		t.Error("a part without any compose call was accepted")
	}
}

// rewriteFiles applies each rewrite, imports fositesuite, and refuses a
// rewrite that does not match as often as declared.
func TestRewriteFiles(t *testing.T) {
	dir := t.TempDir()
	src := "package x\n\nimport (\n\t\"testing\"\n)\n\nfunc f() { f.AuthenticateClient(); f.AuthenticateClient() }\n"
	if err := os.WriteFile(filepath.Join(dir, "a_test.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p := part{pkg: ".", files: []string{"a_test.go"}, rewrites: []rewrite{{"f.AuthenticateClient(", "P(f).AuthenticateClient(", 2}}}
	if err := rewire(dir, p); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "a_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); strings.Count(got, "P(f).AuthenticateClient(") != 2 || !strings.Contains(got, suiteImport) {
		t.Errorf("rewritten:\n%s", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "a_test.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p.rewrites[0].n = 3
	if err := rewire(dir, p); err == nil {
		t.Error("a rewrite that matched 2 times, not 3, was accepted")
	}
}

// Only leaf tests count: a test with subtests is counted through them.
func TestHasSubtests(t *testing.T) {
	names := []string{"TestA", "TestA/case=0", "TestA/case=1", "TestAB", "TestB", "TestB/x/y"}
	sort.Strings(names)
	var leaves []string
	for _, n := range names {
		if !hasSubtests(n, names) {
			leaves = append(leaves, n)
		}
	}
	if got, want := strings.Join(leaves, " "), "TestA/case=0 TestA/case=1 TestAB TestB/x/y"; got != want {
		t.Errorf("leaves %q, want %q", got, want)
	}
}
