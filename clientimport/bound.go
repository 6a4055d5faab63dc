package clientimport

import (
	"encoding/json"
	"fmt"

	"github.com/oauthreg/oauthreg"
)

// An export is counted before it is decoded: decoding and mapping a client
// costs memory (a map, an Entry) whatever little the export holds for it,
// so a 43 MB export of a million "{}" must be refused before that, not
// after.

// maxCSVFields bounds the fields of one CSV record (the Spring table has
// 14 columns): each costs a slice header, whatever its length.
const maxCSVFields = 256

// maxCSVRecords bounds the records of a CSV export, blank lines included
// (each costs memory too): a header, MaxImportClients rows, as many blank
// lines.
const maxCSVRecords = 2*oauthreg.MaxImportClients + 1

// errTooManyClients is Parse's error for an export of more clients than
// one import takes.
func errTooManyClients(n int) error {
	what := fmt.Sprint(n)
	if n > oauthreg.MaxImportClients {
		what = fmt.Sprintf("more than %d", oauthreg.MaxImportClients)
	}
	return fmt.Errorf("%w: %s clients; at most %d (oauthreg.MaxImportClients) in one import: split the export",
		ErrExport, what, oauthreg.MaxImportClients)
}

// arrayLen returns how many elements the JSON array b holds (valid JSON,
// whitespace around it allowed), counting no further than limit+1. It
// allocates nothing.
func arrayLen(b []byte, limit int) int {
	depth, n := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		if depth == 1 && n == 0 && c != ']' {
			n = 1 // the first element starts
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case ',':
			if depth == 1 {
				if n++; n > limit {
					return n
				}
			}
		}
	}
	return n
}

// checkArrayLen refuses a valid JSON array of more than MaxImportClients
// elements. Anything else passes, for the decoder to judge.
func checkArrayLen(buf []byte) error {
	if !json.Valid(buf) {
		return nil
	}
	for _, c := range buf {
		if c == '[' {
			break
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return nil // not an array
		}
	}
	if n := arrayLen(buf, oauthreg.MaxImportClients); n > oauthreg.MaxImportClients {
		return errTooManyClients(n)
	}
	return nil
}

// clientCount is a realm's clients member, counted, not decoded.
type clientCount int

func (c *clientCount) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		*c = clientCount(arrayLen(b, oauthreg.MaxImportClients))
	}
	return nil
}

// checkRealmClients refuses a Keycloak realm object (or, with array, an
// array of realm objects) holding more than MaxImportClients clients in
// all. It decodes only the counts.
func checkRealmClients(buf []byte, array bool) error {
	type counted struct {
		Clients clientCount `json:"clients"`
	}
	var all []counted
	if array {
		if json.Unmarshal(buf, &all) != nil {
			return nil // the decoder judges
		}
	} else {
		var one counted
		if json.Unmarshal(buf, &one) != nil {
			return nil
		}
		all = []counted{one}
	}
	total := 0
	for _, r := range all {
		if total += int(r.Clients); total > oauthreg.MaxImportClients {
			return errTooManyClients(total)
		}
	}
	return nil
}
