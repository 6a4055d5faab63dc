package sqlstore_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/storetest"
)

// BenchmarkImportClients imports 500 clients (each with one imported hash,
// as a Hydra or Spring export brings them) through Registry.ImportClients:
// "batch" in one CreateClients transaction, "single" through a wrapper
// that hides BatchCreator, so the Registry creates them one by one (a
// transaction per client). Compare the two within one run:
//
//	go test -run XXX -bench ImportClients -count 5 ./sqlstore
func BenchmarkImportClients(b *testing.B) {
	var importRound atomic.Int64
	const n = 500
	for _, e := range testdb.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			e.Require(b)
			st, _ := newStore(b, e)
			for _, mode := range []string{"batch", "single"} {
				b.Run(mode, func(b *testing.B) {
					var store oauthreg.Store = st
					if mode == "single" {
						store = struct{ oauthreg.Store }{st}
					}
					reg, err := oauthreg.New(store)
					if err != nil {
						b.Fatal(err)
					}
					for b.Loop() {
						i := importRound.Add(1) // IDs new to the store at every run
						batch := make([]oauthreg.ClientImport, n)
						for j := range batch {
							c := storetest.NewClient(fmt.Sprintf("%s-%d-%04d", mode, i, j))
							c.Secrets, c.Version, c.RegistrationTokenHash = nil, 0, ""
							c.RotationPolicy, c.JWKSURI, c.TLSClientAuthSANDNS, c.TLSClientAuthSANURI, c.TLSClientAuthSANIP, c.TLSClientAuthSANEmail = nil, "", "", "", "", ""
							batch[j] = oauthreg.ClientImport{Client: oauthreg.Client{ID: c.ID, Owner: c.Owner, Name: c.Name, Scopes: c.Scopes,
								GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}, Metadata: c.Metadata, SystemTags: c.SystemTags},
								Secrets: []oauthreg.SecretImport{{Hash: "$2a$10$nVkFUbqjg3V/b8dm4LCCi.Un2GdDRpKdaOr3iFgQzcYGxVfQ1Jpkm"}}}
						}
						if _, err := reg.ImportClients(b.Context(), batch, oauthreg.ImportOptions{}); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/n, "µs/client")
				})
			}
		})
	}
}
