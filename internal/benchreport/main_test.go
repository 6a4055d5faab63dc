package main

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `goos: linux
pkg: github.com/oauthreg/oauthreg
BenchmarkAuthenticate/10k/baseline-2   	 9382978	       100.0 ns/op	      96 B/op	       1 allocs/op
BenchmarkAuthenticate/10k/baseline-2   	 9382978	       120.0 ns/op	      96 B/op	       1 allocs/op
BenchmarkAuthenticate/10k/baseline-2   	 9382978	       500.0 ns/op	      96 B/op	       1 allocs/op
BenchmarkAuthenticate/10k/right-2   	 3055189	       390.0 ns/op	     624 B/op	       4 allocs/op
BenchmarkAuthenticate/10k/unknown-2   	 3055189	       300.0 ns/op	     624 B/op	       4 allocs/op
pkg: github.com/oauthreg/oauthreg/sqlstore
BenchmarkRegistryRotateSecretVsBaseline/sqlite-2 	 100	  69000 ns/op	 4.80 x-baseline
BenchmarkRegistryAuthenticateVsBaseline/postgres/right-2 	 100	  32000 ns/op	 1.07 x-baseline
`

func TestReport(t *testing.T) {
	r := results{}
	if err := r.parse(strings.NewReader(sample)); err != nil {
		t.Fatal(err)
	}
	if m, _ := r.median(root("Authenticate/10k/baseline"), "ns/op"); m != 120 {
		t.Fatalf("median %v, want 120 (the outlier must not move it)", m)
	}
	var out bytes.Buffer
	if err := render(&out, r, "machine: test\n", "Authenticate$/10k/right$ 13965 instructions/op\n"); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"| Authenticate, right secret, 10k clients cycled, vs map lookup + SHA-256 + compare over them | 3.25× | ≤ 2× | **no** |",
		"| Authenticate, 10k: unknown client vs right secret | 0.77× | 0.9–1.1× | **no** |",
		"| sqlstore: RegistryRotateSecretVsBaseline/sqlite vs its baseline, same loop | 4.80× | ≤ 1.5× | **no** |",
		"| sqlstore: RegistryAuthenticateVsBaseline/postgres/right vs its baseline, same loop | 1.07× | ≤ 1.2× | yes |",
		"| oauthreg | Authenticate/10k/right | 1 | 390 ns | 624 | 4 |",
		"machine: test",
		"Authenticate$/10k/right$ 13965 instructions/op",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
}
