package clientimport

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParseSpringCSV parses 100 Spring rows with a {noop} plaintext
// and a bcrypt hash each: what a CSV field costs between the file and the
// mapping (go test -bench ParseSpringCSV -benchmem ./clientimport).
func BenchmarkParseSpringCSV(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("id,client_id,client_secret,client_name,client_authentication_methods,authorization_grant_types,redirect_uris,scopes,client_settings,token_settings\n")
	for i := range 100 {
		fmt.Fprintf(&sb, "%d,client-%d,{noop}%s,Client %d,client_secret_basic,client_credentials,,read,\"{\"\"settings.client.require-proof-key\"\":false}\",\"{\"\"settings.token.access-token-time-to-live\"\":[\"\"java.time.Duration\"\",300.000000000]}\"\n",
			i, i, strings.Repeat("s", 64), i)
	}
	in := []byte(sb.String())
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		buf := append([]byte(nil), in...)
		entries, err := parseSpringCSV(buf, Options{})
		if err != nil || len(entries) != 100 || entries[0].Status != "" {
			b.Fatalf("%v, %d entries, %+v", err, len(entries), entries[0])
		}
		Zero(entries)
	}
}
