package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture returns the path of one of clientimport's fixture exports.
func fixture(name string) string {
	return filepath.Join("..", "..", "clientimport", "testdata", name)
}

// importReport is the part of import's -o json report the tests read.
type importReport struct {
	DryRun   bool `json:"dry_run"`
	Written  bool `json:"written"`
	Imported int  `json:"imported"`
	Skipped  int  `json:"skipped"`
	Refused  int  `json:"refused"`
	Clients  []struct {
		ClientID string `json:"client_id"`
		Status   string `json:"status"`
		Reason   string `json:"reason"`
	} `json:"clients"`
}

// keycloakPlaintexts are the plaintext secrets of the Keycloak fixture:
// no output may show them.
var keycloakPlaintexts = []string{"kc-orders-secret-0123456789ABCDEF", "kc-shop-web-current-secret-XYZ123", "kc-shop-web-previous-secret-ABC987", "kc-unused-secret-of-a-jwt-client"}

func (tl *tool) clientCount() int {
	tl.t.Helper()
	r := tl.ok("", "-o", "json", "list", "--all")
	var clients []json.RawMessage
	decode(tl.t, r.stdout, &clients)
	return len(clients)
}

func TestImportDryRunThenImport(t *testing.T) {
	tl := newTool(t)
	r := tl.ok("", "import", "--from", "keycloak", "--dry-run", fixture("keycloak_realm.json"))
	if !strings.Contains(r.stdout, "4 would import, 7 skipped; dry run, nothing was written") || !strings.Contains(r.stdout, "builtin_client") {
		t.Errorf("dry run output:\n%s", r.stdout)
	}
	if n := tl.clientCount(); n != 0 {
		t.Fatalf("a dry run stored %d clients", n)
	}
	r = tl.ok("", "-o", "json", "import", "--from", "keycloak", fixture("keycloak_realm.json"))
	var rep importReport
	decode(t, r.stdout, &rep)
	if !rep.Written || rep.Imported != 4 || rep.Skipped != 7 || rep.Refused != 0 {
		t.Fatalf("import report: %+v", rep)
	}
	for _, out := range []string{r.stdout, r.stderr} {
		for _, p := range keycloakPlaintexts {
			if strings.Contains(out, p) {
				t.Errorf("import printed the plaintext secret %q", p)
			}
		}
	}
	if !tl.verify("orders-api", "kc-orders-secret-0123456789ABCDEF") || !tl.verify("shop-web", "kc-shop-web-previous-secret-ABC987") {
		t.Error("an imported Keycloak secret does not verify")
	}
	if n := tl.clientCount(); n != 4 {
		t.Fatalf("after the import the registry holds %d clients, want 4", n)
	}
	// Again: every client is taken; nothing changes, exit 1.
	tl.fails(1, "", []string{"import", "--from", "keycloak", fixture("keycloak_realm.json")}, "4 clients refused: nothing was written")
}

func TestImportRefusalWritesNothing(t *testing.T) {
	tl := newTool(t)
	tl.create("--name", "already-here")
	for _, args := range [][]string{
		{"--from", "spring", "--format", "csv", fixture("spring_refused.csv")},
		{"--from", "hydra", fixture("hydra_table_refused.json")},
		{"--from", "keycloak", fixture("keycloak_realm_refused.json")},
	} {
		r := tl.fails(1, "", append([]string{"import"}, args...), "refused: nothing was written")
		if !strings.Contains(r.stdout, "refused") || !strings.Contains(r.stdout, "nothing was written") {
			t.Errorf("import %v: the report does not show the refusal:\n%s", args, r.stdout)
		}
		if n := tl.clientCount(); n != 1 {
			t.Fatalf("import %v: a refused import left %d clients, want the 1 there before", args, n)
		}
	}
}

func TestImportFromStdinAndJSON(t *testing.T) {
	tl := newTool(t)
	body, err := os.ReadFile(fixture("spring.json"))
	if err != nil {
		t.Fatal(err)
	}
	r := tl.ok(string(body), "-o", "json", "import", "--from", "spring", "-")
	var rep importReport
	decode(t, r.stdout, &rep)
	if rep.Imported != 3 || !rep.Written {
		t.Fatalf("report: %+v", rep)
	}
	if !tl.verify("messaging-client", "spring-client-secret") || !tl.verify("legacy-noop", "legacy-secret-value-1") {
		t.Error("an imported Spring secret does not verify")
	}
	r = tl.ok("", "import", "--from", "hydra", fixture("hydra_table.json"))
	if !strings.Contains(r.stdout, "3 clients from hydra: 3 imported") {
		t.Errorf("hydra import output:\n%s", r.stdout)
	}
	if !tl.verify("billing-batch", "hydra-client-secret") {
		t.Error("the imported Hydra PBKDF2 hash does not verify")
	}
}

func TestImportUsage(t *testing.T) {
	tl := newTool(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", fixture("hydra_table.json")}, "--from is required"},
		{[]string{"import", "--from", "auth0", fixture("hydra_table.json")}, "want hydra, keycloak or spring"},
		{[]string{"import", "--from", "hydra", "--format", "xml", fixture("hydra_table.json")}, "want json or csv"},
		{[]string{"import", "--from", "hydra", "--format", "csv", fixture("hydra_table.json")}, "only a Spring export"},
		{[]string{"import", "--from", "spring", "--include-builtin", fixture("spring.json")}, "only Keycloak"},
		{[]string{"import", "--from", "hydra"}, "missing arguments"},
		{[]string{"import", "--from", "hydra", "a.json", "b.json"}, "too many arguments"},
	} {
		tl.fails(2, "", tc.args, tc.want)
	}
	tl.fails(1, "", []string{"import", "--from", "hydra", filepath.Join(t.TempDir(), "missing.json")}, "reading the export")
	tl.fails(1, "not json", []string{"import", "--from", "hydra", "-"}, "unreadable export")
	r := tl.ok("", "help", "import")
	for _, want := range []string{"--dry-run", "--from", "kc.sh export", "json_agg", "csv header"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("help import does not mention %q", want)
		}
	}
}
