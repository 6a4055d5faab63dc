// Command benchreport turns the output of `go test -bench` runs into
// BENCHMARKS.md: the median of every benchmark, and the ratios the project's
// targets are stated in. scripts/bench.sh runs the benchmarks and calls it;
// see there.
//
//	go run ./internal/benchreport -machine machine.txt -o BENCHMARKS.md root.txt memstore.txt sqlstore.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func main() {
	out := flag.String("o", "BENCHMARKS.md", "the Markdown file to write")
	machine := flag.String("machine", "", "a file describing the machine, the Go version and the date, copied into the report")
	instrFile := flag.String("instructions", "", "the output of scripts/instructions.sh, copied into the report")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: benchreport [-o BENCHMARKS.md] [-machine FILE] [-instructions FILE] BENCH_OUTPUT...")
		os.Exit(2)
	}
	res := results{}
	for _, name := range flag.Args() {
		f, err := os.Open(name)
		if err != nil {
			fatal(err)
		}
		err = res.parse(f)
		f.Close()
		if err != nil {
			fatal(fmt.Errorf("%s: %w", name, err))
		}
	}
	var about string
	if *machine != "" {
		b, err := os.ReadFile(*machine)
		if err != nil {
			fatal(err)
		}
		about = string(b)
	}
	var instructions string
	if *instrFile != "" {
		b, err := os.ReadFile(*instrFile)
		if err != nil {
			fatal(err)
		}
		instructions = string(b)
	}
	f, err := os.Create(*out)
	if err != nil {
		fatal(err)
	}
	defer f.Close()
	if err := render(f, res, about, instructions); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "benchreport:", err)
	os.Exit(1)
}

// key names one benchmark: its package (the last path element) and its
// name without the "Benchmark" prefix and the -GOMAXPROCS suffix.
type key struct{ pkg, name string }

// results holds every sample of every unit of every benchmark.
type results map[key]map[string][]float64

// parse reads one `go test -bench` output.
func (r results) parse(in io.Reader) error {
	pkg := ""
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = p[strings.LastIndex(p, "/")+1:]
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(fields[0], "Benchmark")
		if i := strings.LastIndex(name, "-"); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		k := key{pkg, name}
		if r[k] == nil {
			r[k] = map[string][]float64{}
		}
		// fields[1] is the iteration count; then value/unit pairs.
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				break
			}
			r[k][fields[i+1]] = append(r[k][fields[i+1]], v)
		}
	}
	return sc.Err()
}

// median returns the median of unit for k, and false if there is none.
func (r results) median(k key, unit string) (float64, bool) {
	vs := slices.Clone(r[k][unit])
	if len(vs) == 0 {
		return 0, false
	}
	sort.Float64s(vs)
	if n := len(vs); n%2 == 1 {
		return vs[n/2], true
	} else {
		return (vs[n/2-1] + vs[n/2]) / 2, true
	}
}

// ratio is a target stated as one benchmark's time over another's.
type ratio struct {
	what        string
	num, den    key
	target      string
	ok          func(float64) bool
	targetLabel string
}

func root(name string) key { return key{"oauthreg", name} }

var ratios = []ratio{
	{what: "Authenticate, right secret, 10k clients cycled, vs map lookup + SHA-256 + compare over them", num: root("Authenticate/10k/right"), den: root("Authenticate/10k/baseline"),
		targetLabel: "≤ 2×", ok: func(x float64) bool { return x <= 2 }},
	{what: "Authenticate, right secret, 1M clients cycled, vs map lookup + SHA-256 + compare over them", num: root("Authenticate/1M/right"), den: root("Authenticate/1M/baseline")},
	{what: "Authenticate, right secret, one hot client, vs the baseline on that client", num: root("Authenticate/hot/right"), den: root("Authenticate/hot/baseline")},
	{what: "Authenticate, right secret, 1M clients vs 10k", num: root("Authenticate/1M/right"), den: root("Authenticate/10k/right"),
		targetLabel: "≤ 1.3×", ok: func(x float64) bool { return x <= 1.3 }},
	{what: "Authenticate, 10k: wrong secret (another client's) vs right secret", num: root("Authenticate/10k/wrong"), den: root("Authenticate/10k/right"),
		targetLabel: "0.9–1.1×", ok: within10},
	{what: "Authenticate, 10k: wrong secret (right secret ID) vs right secret", num: root("Authenticate/10k/wrong-same-id"), den: root("Authenticate/10k/right"),
		targetLabel: "0.9–1.1×", ok: within10},
	{what: "Authenticate, 10k: unknown client vs right secret", num: root("Authenticate/10k/unknown"), den: root("Authenticate/10k/right"),
		targetLabel: "0.9–1.1×", ok: within10},
	{what: "Authenticate, 10k: peppered (keyed SHA-256) vs plain SHA-256", num: root("AuthenticatePeppered/10k/right"), den: root("Authenticate/10k/right"),
		targetLabel: "≤ 1.2×", ok: func(x float64) bool { return x <= 1.2 }},
	{what: "fosite's default hasher (bcrypt cost 12) vs a whole Authenticate", num: root("VerifyBcryptCost12"), den: root("Authenticate/10k/right")},
	{what: "Ory's default hasher (PBKDF2-SHA256, 25,000 iterations) vs a whole Authenticate", num: root("VerifyPBKDF2SHA256Iter25000"), den: root("Authenticate/10k/right")},
	{what: "argon2id (OWASP) for supplied secrets vs a whole Authenticate", num: root("VerifyArgon2idOWASP"), den: root("Authenticate/10k/right")},
	{what: "memstore: ListClients 1,000 pages deep vs first page (100k clients)", num: key{"memstore", "ListClients/Page1000"}, den: key{"memstore", "ListClients/FirstPage"},
		targetLabel: "≤ 1.2×", ok: func(x float64) bool { return x <= 1.2 }},
}

func within10(x float64) bool { return x >= 0.9 && x <= 1.1 }

// pairedTargets gives the target of the sqlstore benchmarks that time a call
// and its baseline in the same loop (reported as x-baseline).
func pairedTarget(name string) (string, func(float64) bool) {
	switch {
	case strings.HasPrefix(name, "RegistryAuthenticateVsBaseline/sqlite"):
		return "≤ 1.3×", func(x float64) bool { return x <= 1.3 }
	case strings.HasPrefix(name, "RegistryAuthenticateVsBaseline/postgres"):
		return "≤ 1.2×", func(x float64) bool { return x <= 1.2 }
	case strings.HasPrefix(name, "RegistryRotateSecretVsBaseline/"):
		return "≤ 1.5×", func(x float64) bool { return x <= 1.5 }
	case strings.HasPrefix(name, "ListClients100k/"):
		return "≤ 1.2×", func(x float64) bool { return x <= 1.2 }
	}
	return "", nil
}

func render(w io.Writer, r results, about, instructions string) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# Benchmarks\n\n")
	p("Produced by `scripts/bench.sh` (go test -bench, then `go run ./internal/benchreport`); rerun it to refresh this file.\n")
	p("Figures are medians over the runs of each benchmark; ratios are medians over medians, or, for the SQL\n")
	p("benchmarks, the median of ratios measured in one loop that alternates the call and its baseline\n")
	p("(robust to the machine's other load). Lower is better. Never read a single run.\n\n")
	if about != "" {
		p("## Machine\n\n```\n%s```\n\n", strings.TrimRight(about, "\n")+"\n")
	}

	p("## Targets\n\n| ratio | median | target | met |\n|---|---:|---|---|\n")
	for _, rt := range ratios {
		n, ok1 := r.median(rt.num, "ns/op")
		d, ok2 := r.median(rt.den, "ns/op")
		if !ok1 || !ok2 {
			continue
		}
		x := n / d
		met := ""
		if rt.ok != nil {
			met = map[bool]string{true: "yes", false: "**no**"}[rt.ok(x)]
		}
		p("| %s | %s | %s | %s |\n", rt.what, fmtRatio(x), rt.targetLabel, met)
	}
	var paired []key
	for k := range r {
		if _, ok := r[k]["x-baseline"]; ok {
			paired = append(paired, k)
		}
	}
	sortKeys(paired)
	for _, k := range paired {
		x, _ := r.median(k, "x-baseline")
		label, ok := pairedTarget(k.name)
		met := ""
		if ok != nil {
			met = map[bool]string{true: "yes", false: "**no**"}[ok(x)]
		}
		p("| %s: %s vs its baseline, same loop | %s | %s | %s |\n", k.pkg, k.name, fmtRatio(x), label, met)
	}

	p("%s", baselinesText)

	if instructions != "" {
		p("\n## Instructions per operation (callgrind)\n\nCounted by `scripts/instructions.sh` (valgrind --tool=callgrind, the difference of two runs\nwith N and 2N iterations, over N: the garbage collector included, the setup excluded). A busy machine\ndoes not move them.\n\n```\n%s```\n", instructions)
	}
	p("\n## All benchmarks\n\n| package | benchmark | runs | time/op | B/op | allocs/op | B/client |\n|---|---|---:|---:|---:|---:|---:|\n")
	var all []key
	for k := range r {
		all = append(all, k)
	}
	sortKeys(all)
	for _, k := range all {
		t, ok := r.median(k, "ns/op")
		if !ok {
			continue
		}
		bytes, okB := r.median(k, "B/op")
		allocs, okA := r.median(k, "allocs/op")
		perClient, okC := r.median(k, "B/client")
		p("| %s | %s | %d | %s | %s | %s | %s |\n", k.pkg, k.name, len(r[k]["ns/op"]), fmtTime(t), opt(okB, "%.0f", bytes), opt(okA, "%.0f", allocs), opt(okC, "%.0f", perClient))
	}
	return bw.Flush()
}

// baselinesText says what each baseline is, and what the misses mean.
const baselinesText = `
### What the baselines are

- **Authenticate on memstore**: the least work any secret check can do: a Go map lookup, one SHA-256 of
  the presented secret and a constant-time compare, over the same population (10k or 1M clients, one
  secret each, presented in the same random order; internal/benchpop). "hot" presents one client over
  and over, every record in the CPU's caches. Authenticate adds parsing the secret and its checksum, the
  copy of the client the caller receives, the expiry and state checks and the last-used throttle.
- **HeapPerClient**: the heap freed when a memstore and its Registry holding N clients (one secret
  each, every client authenticated once) are dropped, over N.
- **Wrong secret / unknown client**: the right-secret Authenticate; failures must cost about the same so
  that client IDs cannot be told apart by timing.
- **sqlstore RegistryAuthenticate**: the raw prepared statement GetClient runs, scanned into plain
  variables, with the same driver (one round trip either way).
- **sqlstore RegistryRotateSecret and UpdateClient rotation**: a bare versioned UPDATE of the client row in
  a transaction.
- **sqlstore RegistryRegister**: the INSERT of the client row and its secret row in a transaction (no target).
- **sqlstore GetClient**: vs-same-query is GetClient's own SQL run raw; vs-join a classic LEFT JOIN with
  ORDER BY; vs-aggregate (MySQL) the JSON_ARRAYAGG query the MySQL store used before (no target).
- **ListClients100k / memstore ListClients**: a page 1,000 pages deep against the first page, 100,000 clients.
- **fosite's and Ory's hashers**: what those servers spend on every token request; oauthreg spends it
  only on secrets a person chose (argon2id), never on the generated ones.

RotateSecret misses its 1.5× target on every engine. A rotation must read the client (optimistic
concurrency: the versioned write needs the version it read) and write two or three secret rows (the new
secret, the old one's new expiry) in the same transaction as the client row, while the baseline writes one
row and reads nothing. The store's write alone (UpdateClient rotation, no read) is already 1.5–3.4×: on
SQLite and MariaDB the secret rows are a DELETE and an upsert statement on top of the UPDATE; on PostgreSQL
the whole write is one statement. Meeting 1.5× would take another schema (for example the secrets kept in
the client row, with the expiry index maintained beside it); that has not been done.
`

func sortKeys(ks []key) {
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].pkg != ks[j].pkg {
			return ks[i].pkg < ks[j].pkg
		}
		return ks[i].name < ks[j].name
	})
}

func opt(ok bool, format string, v float64) string {
	if !ok {
		return ""
	}
	return fmt.Sprintf(format, v)
}

func fmtRatio(x float64) string {
	switch {
	case x >= 100:
		return fmt.Sprintf("%.0f×", x)
	case x >= 10:
		return fmt.Sprintf("%.1f×", x)
	default:
		return fmt.Sprintf("%.2f×", x)
	}
}

func fmtTime(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	default:
		return fmt.Sprintf("%.0f ns", ns)
	}
}
