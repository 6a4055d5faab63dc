package clientimport_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientimport"
)

// TestParseRefusesTooManyClientsBeforeMapping holds Parse to refusing an
// export of more than oauthreg.MaxImportClients clients before it decodes
// and maps them one by one: a 43 MB Keycloak export of a million minimal
// clients, well under MaxExportBytes, used to take a minute and 4.7 GB of
// memory to be refused. The allocation count (not a timing) is the bound:
// a small multiple of MaxImportClients (a CSV is split into records before
// they are counted), not growing with the number of clients in the export.
func TestParseRefusesTooManyClientsBeforeMapping(t *testing.T) {
	n := 10 * oauthreg.MaxImportClients
	many := func(item string) string { return strings.TrimSuffix(strings.Repeat(item+",", n), ",") }
	csvRows := strings.Repeat("c,{noop}"+strings.Repeat("s", 40)+"\n", n)
	for name, tc := range map[string]struct {
		src  clientimport.Source
		o    clientimport.Options
		body string
	}{
		"hydra":              {clientimport.Hydra, clientimport.Options{}, "[" + many(`{"id":"x"}`) + "]"},
		"spring json":        {clientimport.Spring, clientimport.Options{}, "[" + many(`{"client_id":"x"}`) + "]"},
		"keycloak realm":     {clientimport.Keycloak, clientimport.Options{}, `{"realm":"r","clients":[` + many(`{"clientId":"x"}`) + "]}"},
		"keycloak clients":   {clientimport.Keycloak, clientimport.Options{}, "[" + many(`{"clientId":"x"}`) + "]"},
		"keycloak realms":    {clientimport.Keycloak, clientimport.Options{}, `[{"realm":"a","clients":[` + many(`{"clientId":"x"}`) + `]},{"realm":"b","clients":[]}]`},
		"keycloak realms 2":  {clientimport.Keycloak, clientimport.Options{}, "[" + strings.Repeat(`{"realm":"a","clients":[{"clientId":"x"},{"clientId":"y"}]},`, oauthreg.MaxImportClients/2) + `{"realm":"b","clients":[{"clientId":"z"}]}]`},
		"empty objects":      {clientimport.Hydra, clientimport.Options{}, "[" + many(`{}`) + "]"},
		"spring csv":         {clientimport.Spring, clientimport.Options{Format: clientimport.CSV}, "client_id,client_secret\n" + csvRows},
		"spring csv blanks":  {clientimport.Spring, clientimport.Options{Format: clientimport.CSV}, "client_id\n" + strings.Repeat("\n", n)},
		"spring csv columns": {clientimport.Spring, clientimport.Options{Format: clientimport.CSV}, "client_id" + strings.Repeat(",", n) + "\n"},
	} {
		var err error
		allocs := testing.AllocsPerRun(1, func() {
			_, err = clientimport.Parse(tc.src, strings.NewReader(tc.body), tc.o)
		})
		if !errors.Is(err, clientimport.ErrExport) {
			t.Errorf("%s: %v, want ErrExport", name, err)
		}
		if allocs > 20*oauthreg.MaxImportClients {
			t.Errorf("%s: refusing an export of too many clients made %.0f allocations; want it refused before the clients are decoded", name, allocs)
		}
	}
}
