package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sampleRoot = `goos: linux
pkg: github.com/oauthreg/oauthreg
BenchmarkAuthenticate/10k/baseline-2   	 9382978	       100.0 ns/op	      96 B/op	       1 allocs/op
BenchmarkAuthenticate/10k/right-2   	 3055189	       390.0 ns/op	     624 B/op	       4 allocs/op
BenchmarkAuthenticate/10k/unknown-2   	 3055189	       300.0 ns/op	     624 B/op	       4 allocs/op
BenchmarkHeapPerClient/10k-2   	 1	       1.0 ns/op	 1883 B/client
BenchmarkAuthenticatePepperedVsPlain-2   	 4000	       900.0 ns/op	 1.05 ratio
BenchmarkAuthenticate/10k/baseline-2   	 9382978	       120.0 ns/op	      96 B/op	       1 allocs/op
BenchmarkAuthenticate/10k/right-2   	 3055189	       600.0 ns/op	     624 B/op	       4 allocs/op
BenchmarkAuthenticate/10k/unknown-2   	 3055189	       450.0 ns/op	     624 B/op	       4 allocs/op
BenchmarkAuthenticate/10k/baseline-2   	 9382978	       500.0 ns/op	      96 B/op	       1 allocs/op
BenchmarkAuthenticate/10k/right-2   	 3055189	      1500.0 ns/op	     624 B/op	       4 allocs/op
BenchmarkAuthenticate/10k/unknown-2   	 3055189	      1000.0 ns/op	     624 B/op	       4 allocs/op
`

const sampleSQL = `pkg: github.com/oauthreg/oauthreg/sqlstore
BenchmarkRegistryRotateSecretVsBaseline/sqlite-2 	 100	  69000 ns/op	 4.80 x-baseline
BenchmarkRegistryAuthenticateVsBaseline/postgres/right-2 	 100	  32000 ns/op	 1.07 x-baseline
BenchmarkUpdateClient/sqlite/no-op-2 	 100	  32000 ns/op	 1.15 x-baseline
BenchmarkStatements/sqlite/rotate-secret-2         	      40	     59042 ns/op	         5.000 stmts/op	         4.000 writes/op
BenchmarkStatements/postgres/rotate-secret-2         	      40	     59042 ns/op	         1.000 stmts/op	         1.000 writes/op
BenchmarkStatements/sqlite/authenticate-2         	      40	     59042 ns/op	         1.000 stmts/op	         0 writes/op
`

const sampleLoad = `# load: clients=10000 rounds=2 duration=3s
LOAD target=baseline connections=16 requests=53830 seconds=3.121 rps=20000.0 p50_us=638 p99_us=1000 max_us=137341 non2xx=0 connect_err=0 read_err=0 write_err=0 timeouts=0 round=1
LOAD target=memstore connections=16 requests=26823 seconds=3.042 rps=10000.0 p50_us=1950 p99_us=3000 max_us=77396 non2xx=0 connect_err=0 read_err=0 write_err=0 timeouts=0 round=1
LOAD target=memstore connections=16 requests=26823 seconds=3.042 rps=5000.0 p50_us=1950 p99_us=8000 max_us=77396 non2xx=2 connect_err=0 read_err=1 write_err=0 timeouts=0 round=2
LOAD target=baseline connections=16 requests=53830 seconds=3.121 rps=10000.0 p50_us=638 p99_us=2000 max_us=137341 non2xx=0 connect_err=0 read_err=0 write_err=0 timeouts=0 round=2
LOAD target=fosite-default connections=2 requests=20 seconds=3 rps=6.7 p50_us=300000 p99_us=500000 max_us=500000 non2xx=0 connect_err=0 read_err=0 write_err=0 timeouts=0 round=1
`

func TestReport(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"machine.txt":      "machine: test\n",
		"core.meta":        "commit: abc1234\ndate: 2026-11-30T03:00Z\n",
		"root.txt":         sampleRoot,
		"sqlstore.txt":     sampleSQL,
		"instructions.txt": "Authenticate$/10k/right$ 13965 instructions/op inside x.benchAuthenticate\nAuthenticate$/10k/baseline$ 5000 instructions/op\n",
		"load.txt":         sampleLoad,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	in, err := readInputs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := in.bench.median(root("Authenticate/10k/baseline"), "ns/op"); m != 120 {
		t.Fatalf("median %v, want 120 (the outlier must not move it)", m)
	}
	var out strings.Builder
	if err := render(&out, in); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		// Time: ratios of the same round, 3.9, 5, 3 -> 3.9; instructions
		// 13965/5000; met judged on instructions.
		"| Authenticate, right secret, 10k clients cycled, vs map lookup + SHA-256 + compare over them | 3.90× | 2.79× | ≤ 2× | **no** (instructions) |",
		"| Authenticate, 10k: unknown client vs right secret | 0.75× |  | 0.9–1.1× | **no** (time) |",
		"| allocations per right-secret Authenticate, 10k cycled | 4 | | ≤ 1 | **no** |",
		"| memstore heap per client, 1 secret, after one authentication (HeapPerClient/10k) | 1883 B | | ≤ 700 B | **no** |",
		"| sqlstore: RegistryRotateSecretVsBaseline/sqlite vs its baseline, same loop | 4.80× | | ≤ 1.5× | **no** (time) |",
		"| sqlstore: RegistryAuthenticateVsBaseline/postgres/right vs its baseline, same loop | 1.07× | | ≤ 1.2× | yes (time) |",
		"| oauthreg: AuthenticatePepperedVsPlain vs its baseline, same loop | 1.05× | | ≤ 1.2× | yes (time) |",
		"| sqlstore: UpdateClient/sqlite/no-op vs its baseline, same loop | 1.15× | | ≤ 1.2× | yes (time) |",
		"| 10k | right | 600 ns | 3.90× | 13,965 | 2.79× | 624 | 4 |",
		"| operation | sqlite | postgres |",
		"| rotate-secret | 5 (4) | 1 (1) |",
		"| authenticate | 1 (0) |  |",
		"| memstore | examples/tokenserver, clients in memory | 16 | 2 | 7.5 k | 0.50× | 5.50 ms | 3.50× | 3 | 43.9 k |",
		"| fosite-default | fosite, its MemoryStore and bcrypt cost 12 | 2 | 1 | 6.7 | 0.00034× | 500.00 ms | 500× | 0 | 8.9 |",
		"| baseline | net/http: map lookup + SHA-256 + compare (internal/loadbaseline) | 16 | 2 | 15.0 k |  | 1.50 ms |  | 0 |  |",
		"| core | commit: abc1234; date: 2026-11-30T03:00Z |",
		"| oauthreg | Authenticate/10k/right | 3 | 600 ns | 624 | 4 |  |",
		"| oauthreg | HeapPerClient/10k | 1 | 1 ns |  |  | 1,883 B/client |",
		"machine: test",
		"\nload: clients=10000 rounds=2 duration=3s\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
}

// A directory with nothing in it gives a report with no tables, not an
// error: every section is optional.
func TestReportEmpty(t *testing.T) {
	in, err := readInputs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := render(&out, in); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "## End to end") || strings.Contains(out.String(), "## SQL statements") {
		t.Errorf("empty report has sections:\n%s", out.String())
	}
}

func TestLoadParseRefusesMalformed(t *testing.T) {
	var l loadRun
	if err := l.parse(strings.NewReader("LOAD target=x rps=abc\n")); err == nil {
		t.Error("a malformed LOAD line was accepted")
	}
}
