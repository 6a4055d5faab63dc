package clientimport_test

import (
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg/clientimport"
)

// TestKeycloakClientArrayWithoutClientIDFirst: an array of clients (the
// admin API's) whose first client lacks a clientId is still an array of
// clients: that client is refused, the others read. It was taken for an
// array of realms holding no clients, and Parse returned no entry and no
// error: an import of nothing, reported as a success.
func TestKeycloakClientArrayWithoutClientIDFirst(t *testing.T) {
	body := `[{"name":"no id","publicClient":true},{"clientId":"b","publicClient":true,"redirectUris":["https://b.example/cb"]}]`
	entries, err := clientimport.Parse(clientimport.Keycloak, strings.NewReader(body), clientimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("%d entries, want 2", len(entries))
	}
	if entries[0].Status != clientimport.Refused || entries[0].Reason != clientimport.ReasonMissingID {
		t.Errorf("the client without clientId: %s %s, want refused %s", entries[0].Status, entries[0].Reason, clientimport.ReasonMissingID)
	}
	if entries[1].ClientID != "b" || entries[1].Status != "" {
		t.Errorf("the second client: %q %s %s", entries[1].ClientID, entries[1].Status, entries[1].Message)
	}
	// An array of realms is still read as one.
	realms := `[{"realm":"r1","clients":[{"clientId":"x","publicClient":true}]},{"realm":"r2","clients":[{"clientId":"y","publicClient":true}]}]`
	entries, err = clientimport.Parse(clientimport.Keycloak, strings.NewReader(realms), clientimport.Options{})
	if err != nil || len(entries) != 2 || entries[1].Import.Client.Owner != "r2" {
		t.Fatalf("an array of realms: %d entries, %v", len(entries), err)
	}
}
