package clientimport

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// seedFiles adds the fixtures of the given extension to f's corpus.
func seedFiles(f *testing.F, ext string) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ext) {
			b, err := os.ReadFile("testdata/" + e.Name())
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}

// fuzzParse checks that Parse never panics, and that what it returns is
// usable: an error wrapping ErrExport, or entries in order, each refused or
// skipped with a reason and a message, or to be imported with a client ID
// and secrets that are each a hash or a plaintext.
func fuzzParse(f *testing.F, src Source, format Format, ext string) {
	seedFiles(f, ext)
	f.Add([]byte(`[{"id":1,"client_id":{},"redirect_uris":"[1]","scope":[],"client_secret":true,"metadata":"[]"}]`))
	f.Add([]byte(`{"realm":"r","clients":[{"clientId":"c","attributes":{"client.secret.rotated":7},"secret":"\ud800"}]}`))
	f.Add([]byte("client_id,client_secret\n\"a\"\"b\",{noop}x\r\n,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, err := Parse(src, bytes.NewReader(b), Options{Format: format, Now: time.Unix(1700000000, 0)})
		if err != nil {
			if !errors.Is(err, ErrExport) {
				t.Fatalf("Parse: %v, which does not wrap ErrExport", err)
			}
			return
		}
		for i, e := range entries {
			if e.Index != i {
				t.Fatalf("entry %d has index %d", i, e.Index)
			}
			switch e.Status {
			case "":
				if e.Import.Client.ID == "" {
					t.Fatalf("entry %d is to be imported without a client ID", i)
				}
			case Refused, Skipped:
				if e.Reason == "" || e.Message == "" {
					t.Fatalf("entry %d: %s without a reason or message: %q, %q", i, e.Status, e.Reason, e.Message)
				}
			default:
				t.Fatalf("entry %d: status %q", i, e.Status)
			}
			for _, s := range e.Import.Secrets {
				if (s.Hash == "") == (s.Plaintext == nil) {
					t.Fatalf("entry %d: a secret with both or neither of Hash and Plaintext", i)
				}
			}
		}
		Zero(entries)
	})
}

func FuzzParseHydra(f *testing.F)      { fuzzParse(f, Hydra, JSON, "hydra_table.json") }
func FuzzParseHydraAPI(f *testing.F)   { fuzzParse(f, Hydra, JSON, "hydra_api.json") }
func FuzzParseKeycloak(f *testing.F)   { fuzzParse(f, Keycloak, JSON, ".json") }
func FuzzParseSpringJSON(f *testing.F) { fuzzParse(f, Spring, JSON, "spring.json") }
func FuzzParseSpringCSV(f *testing.F)  { fuzzParse(f, Spring, CSV, ".csv") }

// FuzzReadCSV holds readCSV to encoding/csv on input both accept (LF line
// ends, as psql writes them).
func FuzzReadCSV(f *testing.F) {
	seedFiles(f, ".csv")
	f.Add([]byte("a,\"b,\"\"c\"\"\nd\",\n\"\",x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, quoted, err := readCSV(b)
		if err != nil {
			return
		}
		if len(got) != len(quoted) {
			t.Fatal("records and quoted flags differ in length")
		}
		if bytes.ContainsRune(b, '\r') {
			return // encoding/csv drops a \r inside quotes too
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		want, err := r.ReadAll()
		if err != nil {
			return
		}
		// encoding/csv skips empty lines; readCSV returns them as one
		// empty field.
		var kept [][][]byte
		for i, rec := range got {
			if len(rec) == 1 && len(rec[0]) == 0 && !quoted[i][0] {
				continue
			}
			kept = append(kept, rec)
		}
		if len(kept) != len(want) {
			t.Fatalf("%d records, encoding/csv reads %d", len(kept), len(want))
		}
		for i := range want {
			if len(kept[i]) != len(want[i]) {
				t.Fatalf("record %d: %d fields, encoding/csv reads %d", i, len(kept[i]), len(want[i]))
			}
			for j := range want[i] {
				if string(kept[i][j]) != want[i][j] {
					t.Fatalf("record %d field %d: %q, encoding/csv reads %q", i, j, kept[i][j], want[i][j])
				}
			}
		}
	})
}

// FuzzSecretBytes holds secretBytes to encoding/json on valid JSON strings.
func FuzzSecretBytes(f *testing.F) {
	for _, s := range []string{`"plain"`, `"a\"b\\c\/d\n\t\u00e9\ud83d\ude00"`, `"\ud800"`, `null`, `"\u12"`, `"x` + "\x01" + `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := secretBytes(b)
		var want *string
		jerr := json.Unmarshal(b, &want)
		switch {
		case jerr != nil:
			return // not a JSON value, or not a string: secretBytes may read more, never less
		case want == nil:
			if got != nil || err != nil {
				t.Fatalf("null: %q, %v", got, err)
			}
		case err != nil:
			t.Fatalf("%q: %v, but encoding/json reads %q", b, err, *want)
		case string(got) != *want:
			t.Fatalf("%q: %q, encoding/json reads %q", b, got, *want)
		}
	})
}

// FuzzSpringCSVMatchesJSON: a CSV row maps to the entry its fields give as
// the JSON strings of a JSON row (NULL as null), which is how CSV was read
// before it was read as text: quotes, backslashes, control characters,
// invalid UTF-8 (U+FFFD, as encoding/json makes it), blanks and empty
// values alike.
func FuzzSpringCSVMatchesJSON(f *testing.F) {
	seedFiles(f, ".csv")
	f.Add([]byte("client_id,client_secret,client_name,scopes,client_settings,x\n" +
		"\"a\"\"b\\\\c\",{noop}\xffsecret-\x01-value-long-enough,\" n\xe2\x82 \",\"[]\",\"{}\",\" true \"\n" +
		"c,{bcrypt}x,,\"\",,\"\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		records, quoted, err := readCSV(b)
		if err != nil || len(records) < 2 {
			return
		}
		header := records[0]
		if !slices.ContainsFunc(header, func(h []byte) bool { return strings.ToLower(strings.TrimSpace(string(h))) == "client_id" }) {
			return // refused before the mapping
		}
		var rows []map[string]any
		for n, rec := range records[1:] {
			if len(rec) != len(header) {
				return // refused before the mapping
			}
			row := map[string]any{}
			for i, f := range rec {
				k := strings.ToLower(strings.TrimSpace(string(header[i])))
				if len(f) == 0 && !quoted[n+1][i] {
					row[k] = nil
				} else {
					row[k] = string(f)
				}
			}
			rows = append(rows, row)
		}
		asJSON, err := json.Marshal(rows)
		if err != nil {
			t.Fatal(err)
		}
		fromCSV, errCSV := parseSpringCSV(append([]byte(nil), b...), Options{Now: time.Unix(1700000000, 0)})
		fromJSON, errJSON := parseSpringJSON(asJSON, Options{Now: time.Unix(1700000000, 0)})
		defer Zero(fromCSV)
		defer Zero(fromJSON)
		if (errCSV == nil) != (errJSON == nil) {
			t.Fatalf("CSV: %v; as JSON: %v", errCSV, errJSON)
		}
		if !reflect.DeepEqual(fromCSV, fromJSON) {
			t.Fatalf("CSV row entries differ from their JSON form's:\n%+v\n%+v", fromCSV, fromJSON)
		}
	})
}
