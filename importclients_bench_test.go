package oauthreg_test

import (
	"fmt"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// BenchmarkImportClientsPlaintexts imports 16 clients that each bring a
// plaintext secret (as a Keycloak realm export does): argon2id dominates,
// and ImportClients spreads it over GOMAXPROCS goroutines. Compare
// -cpu 1,2 within one run:
//
//	go test -run XXX -bench ImportClientsPlaintexts -cpu 1,2 -count 3 .
func BenchmarkImportClientsPlaintexts(b *testing.B) {
	const n = 16
	reg, err := oauthreg.New(memstore.New())
	if err != nil {
		b.Fatal(err)
	}
	round := 0
	for b.Loop() {
		round++
		batch := make([]oauthreg.ClientImport, n)
		for i := range batch {
			batch[i] = oauthreg.ClientImport{Client: oauthreg.Client{ID: fmt.Sprintf("kc-%d-%d", round, i)},
				Secrets: []oauthreg.SecretImport{{Plaintext: []byte("a-keycloak-plaintext-secret")}}}
		}
		if _, err := reg.ImportClients(b.Context(), batch, oauthreg.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/n, "ms/client")
}
