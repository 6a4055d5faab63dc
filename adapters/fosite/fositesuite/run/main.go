// Command run runs Ory fosite's own tests with oauthreg as fosite's client
// store and hasher, and counts what passes.
//
// From adapters/fosite:
//
//	go run ./fositesuite/run                  # both modes, fails unless every test passes
//	go run ./fositesuite/run -strategy=off    # without the adapter's AuthenticationStrategy
//	go run ./fositesuite/run -allow-failures  # measure only: exit 0 whatever the count
//
// It takes the source of the fosite version the adapter module requires
// from the module cache (go mod download), copies it to a temporary
// directory, and rewires the tests that build fosite from a
// storage.MemoryStore: fosite's integration/ tests, and the introspection
// tests of its root package that use storage.NewExampleStore. Their calls to
// compose.Compose and compose.ComposeAllEnabled become calls to the
// fositesuite package's functions of the same name, which hand fosite the
// adapter as client store, secret hasher and (in the "on" mode) client
// authentication strategy; nothing else in the tests changes. The copy's
// go.mod gets the adapter and oauthreg from this checkout (replace
// directives); then go test runs there and its JSON events are counted, one
// count per leaf test (a test without subtests, or a subtest).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

const (
	fositeModule  = "github.com/ory/fosite"
	adapterModule = "github.com/oauthreg/oauthreg/adapters/fosite"
	rootModule    = "github.com/oauthreg/oauthreg"
	suiteImport   = `fositesuite "github.com/oauthreg/oauthreg/adapters/fosite/fositesuite"`
	strategyEnv   = "OAUTHREG_FOSITESUITE_STRATEGY" // fositesuite.StrategyEnv
)

// A part is one go test run of the copied fosite module.
type part struct {
	name  string
	pkg   string   // package pattern, relative to the module root
	files []string // test files to rewire; "*" for every _test.go in pkg
	run   string   // -run pattern, "" for all
	// skip is a -skip pattern: the tests oauthreg refuses by design, each
	// explained where the part is declared.
	skip string
	// min is the number of leaf tests fosite v0.49.0 has in this part: a run
	// that counts fewer did not run the whole suite (a rewrite went wrong, a
	// test was skipped), and fails.
	min int
	// rewrites, when set, replace the compose rewiring: each is applied to
	// every file of the part and must match exactly n times in all.
	rewrites []rewrite
}

// A rewrite replaces the exact text old by new, n times.
type rewrite struct {
	old, new string
	n        int
}

var parts = []part{
	{name: "integration", pkg: "./integration/", files: []string{"*"}, min: 121},
	{
		name:  "root introspection",
		pkg:   ".",
		files: []string{"introspection_request_handler_test.go"},
		run:   "^(TestIntrospectionResponseTokenUse|TestNewIntrospectionRequest)$",
		min:   8,
	},
	{
		// fosite's client authentication tests, private_key_jwt among them:
		// they build a fosite.Fosite by hand, so their AuthenticateClient
		// calls go through fositesuite.Provider, and their comparison of the
		// authenticated client with the fixture (which the adapter's client
		// type can never equal) through fositesuite.SameClient.
		name:  "root client auth",
		pkg:   ".",
		files: []string{"client_authentication_test.go"},
		run:   "^(TestAuthenticateClient|TestAuthenticateClientTwice)$",
		// Case 7's client ID "foo — bar! +<&>*" is not RFC 6749 VSCHAR
		// (printable ASCII), which oauthreg refuses to register.
		skip: "^TestAuthenticateClient$/^case=7$",
		min:  42,
		rewrites: []rewrite{
			{"f.AuthenticateClient(", "fositesuite.Provider(f).AuthenticateClient(", 3},
			{"assert.EqualValues(t, tc.client, c)", "assert.True(t, fositesuite.SameClient(tc.client, c), \"%#v\", c)", 1},
			// oauthreg takes only an https jwks_uri.
			{"httptest.NewServer(h)", "fositesuite.TLSJWKSServer(f, h)", 1},
			{"\t\"net/http/httptest\"\n", "", 1},
			{"assert.Equal(t, client, c)", "assert.True(t, fositesuite.SameClient(client, c), \"%#v\", c)", 1},
		},
	},
}

func main() {
	strategy := flag.String("strategy", "both", `run with the adapter's AuthenticationStrategy "off", "on", or "both"`)
	allowFailures := flag.Bool("allow-failures", false, "exit 0 even when tests fail (to measure)")
	keep := flag.Bool("keep", false, "keep the temporary copy of fosite and print its path")
	verbose := flag.Bool("v", false, "print the output of every failing test in full")
	only := flag.String("part", "", `run only the part of this name ("integration", "root introspection", "root client auth")`)
	flag.Parse()

	var modes []bool
	switch *strategy {
	case "off":
		modes = []bool{false}
	case "on":
		modes = []bool{true}
	case "both":
		modes = []bool{false, true}
	default:
		fatalf("-strategy must be off, on or both, not %q", *strategy)
	}

	adapterDir, rootDir, version, goVersion, err := locate()
	if err != nil {
		fatalf("%v", err)
	}
	src, err := moduleSource(adapterDir, version)
	if err != nil {
		fatalf("%v", err)
	}
	work, err := os.MkdirTemp("", "fositesuite-")
	if err != nil {
		fatalf("%v", err)
	}
	if *keep {
		fmt.Println("fositesuite: copy kept in", work)
	} else {
		defer os.RemoveAll(work)
	}
	dir := filepath.Join(work, "fosite")
	if err := copyTree(src, dir); err != nil {
		fatalf("copying %s: %v", src, err)
	}
	for _, p := range parts {
		if err := rewire(dir, p); err != nil {
			fatalf("rewiring %s: %v", p.name, err)
		}
	}
	if err := wireModule(dir, adapterDir, rootDir, goVersion); err != nil {
		fatalf("%v", err)
	}

	fmt.Printf("fositesuite: fosite %s from %s, with the adapter in %s\n", version, src, adapterDir)
	ok := true
	for _, on := range modes {
		mode := "without the AuthenticationStrategy"
		if on {
			mode = "with the AuthenticationStrategy"
		}
		for _, p := range parts {
			if *only != "" && p.name != *only {
				continue
			}
			r, err := runPart(dir, p, on)
			if err != nil {
				fatalf("%s, %s: %v", p.name, mode, err)
			}
			fmt.Printf("fositesuite: %-18s %s: %d/%d passed, %d failed, %d skipped\n",
				p.name, mode, r.passed, r.total(), len(r.failed), len(r.skipped))
			if len(r.failed) > 0 || len(r.skipped) > 0 || r.total() < p.min {
				ok = false
			}
			if r.total() < p.min {
				fmt.Printf("fositesuite:   only %d leaf tests ran; fosite %s has %d here\n", r.total(), version, p.min)
			}
			for _, name := range r.skipped {
				fmt.Printf("    SKIP %s\n", name)
			}
			for _, name := range r.failed {
				fmt.Printf("    FAIL %s\n", name)
				printOutput(r.output[name], *verbose)
			}
		}
	}
	var changed []string
	for n := range notes {
		changed = append(changed, n)
	}
	sort.Strings(changed)
	for _, n := range changed {
		fmt.Println(n)
	}
	if !ok && !*allowFailures {
		fmt.Println("fositesuite: FAILED")
		os.Exit(1)
	}
	if ok {
		fmt.Println("fositesuite: every test passed")
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fositesuite: "+format+"\n", args...)
	os.Exit(2)
}

// locate finds the adapter module (the current module), oauthreg's root
// module (the directory of the go.work that builds the adapter against this
// working tree), the fosite version the adapter requires and the adapter's
// go version.
func locate() (adapterDir, rootDir, version, goVersion string, err error) {
	out, err := command("", nil, "go", "env", "GOMOD", "GOWORK")
	if err != nil {
		return "", "", "", "", err
	}
	lines := strings.Split(strings.TrimSpace(out)+"\n", "\n")
	gomod, gowork := strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1])
	if gomod == "" || gomod == os.DevNull {
		return "", "", "", "", errors.New("run this from the adapter module (adapters/fosite)")
	}
	if gowork == "" || gowork == "off" {
		return "", "", "", "", errors.New("run this inside the repository, whose go.work builds the adapter against the working tree")
	}
	adapterDir, rootDir = filepath.Dir(gomod), filepath.Dir(gowork)
	out, err = command(adapterDir, nil, "go", "mod", "edit", "-json")
	if err != nil {
		return "", "", "", "", err
	}
	var mod struct {
		Module  struct{ Path string }
		Go      string
		Require []struct{ Path, Version string }
	}
	if err := json.Unmarshal([]byte(out), &mod); err != nil {
		return "", "", "", "", fmt.Errorf("reading %s: %w", gomod, err)
	}
	if mod.Module.Path != adapterModule {
		return "", "", "", "", fmt.Errorf("run this from the adapter module %s, not %s", adapterModule, mod.Module.Path)
	}
	for _, r := range mod.Require {
		if r.Path == fositeModule {
			version = r.Version
		}
	}
	if version == "" {
		return "", "", "", "", fmt.Errorf("%s does not require %s", gomod, fositeModule)
	}
	if _, err := os.Stat(filepath.Join(rootDir, "go.mod")); err != nil {
		return "", "", "", "", fmt.Errorf("no core module next to %s: %w", gowork, err)
	}
	return adapterDir, rootDir, version, mod.Go, nil
}

// moduleSource returns the module cache directory of fosite at version,
// downloading it if needed.
func moduleSource(dir, version string) (string, error) {
	out, err := command(dir, nil, "go", "mod", "download", "-json", fositeModule+"@"+version)
	if err != nil {
		return "", err
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		return "", fmt.Errorf("go mod download: %w", err)
	}
	if m.Error != "" || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s: %s", fositeModule, version, m.Error)
	}
	return m.Dir, nil
}

// copyTree copies the regular files under src to dst, writable (the module
// cache is read-only).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

var (
	composeCall   = regexp.MustCompile(`\bcompose\.(Compose|ComposeAllEnabled)\(`)
	composeImport = regexp.MustCompile(`(?m)^\s*"github\.com/ory/fosite/compose"\s*\n`)
)

// rewire sends the compose calls of p's test files to fositesuite. Every
// file that calls compose.Compose or compose.ComposeAllEnabled is rewired,
// and at least one must be: otherwise fosite changed and the harness must
// be looked at.
func rewire(dir string, p part) error {
	if len(p.rewrites) > 0 {
		return rewriteFiles(dir, p)
	}
	files := p.files
	if slices.Equal(files, []string{"*"}) {
		m, err := filepath.Glob(filepath.Join(dir, p.pkg, "*_test.go"))
		if err != nil {
			return err
		}
		files = nil
		for _, f := range m {
			files = append(files, filepath.Base(f))
		}
	}
	calls := 0
	for _, name := range files {
		path := filepath.Join(dir, p.pkg, name)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n := len(composeCall.FindAllIndex(b, -1))
		if n == 0 {
			continue
		}
		calls += n
		b = composeCall.ReplaceAll(b, []byte("fositesuite.$1("))
		if !bytes.Contains(b, []byte("compose.")) {
			b = composeImport.ReplaceAll(b, nil)
		}
		i := bytes.Index(b, []byte("\nimport (\n"))
		if i < 0 {
			return fmt.Errorf("%s: no import block", name)
		}
		i += len("\nimport (\n")
		b = slices.Concat(b[:i], []byte("\t"+suiteImport+"\n"), b[i:])
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
	}
	if calls == 0 {
		return fmt.Errorf("no compose.Compose or compose.ComposeAllEnabled call found in %s %v", p.pkg, files)
	}
	return nil
}

// rewriteFiles applies p's rewrites to its files, and adds the fositesuite
// import. A rewrite that does not match as often as it should means fosite
// changed and the harness must be looked at.
func rewriteFiles(dir string, p part) error {
	found := make([]int, len(p.rewrites))
	for _, name := range p.files {
		path := filepath.Join(dir, p.pkg, name)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, r := range p.rewrites {
			found[i] += bytes.Count(b, []byte(r.old))
			b = bytes.ReplaceAll(b, []byte(r.old), []byte(r.new))
		}
		i := bytes.Index(b, []byte("\nimport (\n"))
		if i < 0 {
			return fmt.Errorf("%s: no import block", name)
		}
		i += len("\nimport (\n")
		b = slices.Concat(b[:i], []byte("\t"+suiteImport+"\n"), b[i:])
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
	}
	for i, r := range p.rewrites {
		if found[i] != r.n {
			return fmt.Errorf("%q found %d times in %s %v, not %d", r.old, found[i], p.pkg, p.files, r.n)
		}
	}
	return nil
}

// wireModule makes the copied fosite module use the adapter and oauthreg
// from this checkout.
func wireModule(dir, adapterDir, rootDir, goVersion string) error {
	args := []string{"mod", "edit",
		"-require=" + adapterModule + "@v0.0.0",
		"-replace=" + adapterModule + "=" + adapterDir,
		"-replace=" + rootModule + "=" + rootDir,
	}
	if goVersion != "" {
		args = append(args, "-go="+goVersion)
	}
	if _, err := command(dir, noWork, "go", args...); err != nil {
		return err
	}
	if _, err := command(dir, noWork, "go", "mod", "tidy", "-e"); err != nil {
		return err
	}
	return nil
}

// noWork keeps a go.work of the environment away from the copy, which is
// its own main module.
var noWork = []string{"GOWORK=off"}

// fixtureNote starts the line fositesuite prints when it changed a fixture
// client to make oauthreg take it (fositesuite.MakeValid).
const fixtureNote = "fositesuite: fixture client "

// notes are the distinct fixture notes of every run, printed at the end.
var notes = map[string]bool{}

type result struct {
	passed  int
	failed  []string
	skipped []string
	output  map[string][]string
}

func (r result) total() int { return r.passed + len(r.failed) + len(r.skipped) }

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// runPart runs one part and counts its leaf tests.
func runPart(dir string, p part, strategy bool) (result, error) {
	args := []string{"test", "-count=1", "-json"}
	if p.run != "" {
		args = append(args, "-run", p.run)
	}
	if p.skip != "" {
		args = append(args, "-skip", p.skip)
	}
	args = append(args, p.pkg)
	env := strategyEnv + "=0"
	if strategy {
		env = strategyEnv + "=1"
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append(noWork, env)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return result{}, err
	}
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	final := map[string]string{}
	out := map[string][]string{}
	var pkgOutput []string
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			pkgOutput = append(pkgOutput, sc.Text())
			continue
		}
		if e.Test == "" {
			if e.Action == "output" {
				pkgOutput = append(pkgOutput, strings.TrimRight(e.Output, "\n"))
			}
			continue
		}
		switch e.Action {
		case "output":
			line := strings.TrimRight(e.Output, "\n")
			out[e.Test] = append(out[e.Test], line)
			if i := strings.Index(line, fixtureNote); i >= 0 {
				notes[line[i:]] = true
			}
		case "pass", "fail", "skip":
			final[e.Test] = e.Action
		}
	}
	waitErr := cmd.Wait()
	if len(final) == 0 {
		return result{}, fmt.Errorf("no test ran (%v):\n%s\n%s", waitErr, strings.Join(pkgOutput, "\n"), stderr.String())
	}
	r := result{output: out}
	names := make([]string, 0, len(final))
	for name := range final {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if hasSubtests(name, names) {
			continue
		}
		switch final[name] {
		case "pass":
			r.passed++
		case "fail":
			r.failed = append(r.failed, name)
		case "skip":
			r.skipped = append(r.skipped, name)
		}
	}
	if waitErr != nil && len(r.failed) == 0 {
		return r, fmt.Errorf("go test failed with no failing test (%v):\n%s\n%s", waitErr, strings.Join(pkgOutput, "\n"), stderr.String())
	}
	return r, nil
}

// hasSubtests reports whether a test in sorted names is a subtest of name.
func hasSubtests(name string, names []string) bool {
	i := sort.SearchStrings(names, name+"/")
	return i < len(names) && strings.HasPrefix(names[i], name+"/")
}

// printOutput prints a failing test's output: its last lines, or all of it
// when full.
func printOutput(lines []string, full bool) {
	const tail = 12
	var kept []string
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "=== ") {
			continue
		}
		kept = append(kept, l)
	}
	if !full && len(kept) > tail {
		fmt.Printf("        ... %d lines (-v prints them all)\n", len(kept)-tail)
		kept = kept[len(kept)-tail:]
	}
	for _, l := range kept {
		fmt.Println("       ", l)
	}
}

// command runs name args in dir and returns its standard output.
func command(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}
