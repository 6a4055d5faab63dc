package clientimport

import "fmt"

// readCSV splits RFC 4180 CSV (as psql's \copy … csv header writes it)
// into records of fields, each field a buffer of its own, so that a
// plaintext secret in one can be overwritten (encoding/csv returns strings,
// which cannot). Records end with LF or CRLF; a quoted field may hold
// commas, quotes (doubled) and line breaks; unquoted fields may not hold
// quotes. quoted[i][j] reports whether field j of record i was quoted (psql
// writes NULL as an unquoted empty field, an empty string as "").
func readCSV(buf []byte) (records [][][]byte, quoted [][]bool, err error) {
	var rec [][]byte
	var recQuoted []bool
	i := 0
	for i < len(buf) {
		var field []byte
		wasQuoted := buf[i] == '"'
		fail := func(format string, args ...any) ([][][]byte, [][]bool, error) {
			clearRecords(append(records, rec))
			return nil, nil, fmt.Errorf("record %d: "+format, append([]any{len(records) + 1}, args...)...)
		}
		if wasQuoted {
			// Find the closing quote first, so the field is allocated
			// once: a grown buffer would leave a partial copy behind.
			start, end := i+1, i+1
			for ; ; end++ {
				if end >= len(buf) {
					return fail("a quoted field is not closed")
				}
				if buf[end] == '"' {
					if end+1 < len(buf) && buf[end+1] == '"' {
						end++
						continue
					}
					break
				}
			}
			field = make([]byte, 0, end-start)
			for k := start; k < end; k++ {
				field = append(field, buf[k])
				if buf[k] == '"' {
					k++ // the second quote of a doubled one
				}
			}
			i = end + 1
			if i < len(buf) && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r' {
				clear(field)
				return fail("text after a closing quote")
			}
		} else {
			end := i
			for end < len(buf) && buf[end] != ',' && buf[end] != '\n' && buf[end] != '\r' {
				if buf[end] == '"' {
					return fail("a quote inside an unquoted field")
				}
				end++
			}
			field = append(make([]byte, 0, end-i), buf[i:end]...)
			i = end
		}
		rec = append(rec, field)
		recQuoted = append(recQuoted, wasQuoted)
		if len(rec) > maxCSVFields {
			return fail("more than %d fields", maxCSVFields)
		}
		switch {
		case i >= len(buf):
		case buf[i] == ',':
			i++
			if i == len(buf) {
				rec = append(rec, nil)
				recQuoted = append(recQuoted, false)
			}
			continue
		case buf[i] == '\r' && i+1 < len(buf) && buf[i+1] == '\n':
			i += 2
		case buf[i] == '\n':
			i++
		default:
			return fail("a carriage return outside quotes")
		}
		records = append(records, rec)
		quoted = append(quoted, recQuoted)
		rec, recQuoted = nil, nil
		if len(records) > maxCSVRecords {
			return fail("more than %d records (blank lines included): split the export", maxCSVRecords)
		}
	}
	if rec != nil {
		records = append(records, rec)
		quoted = append(quoted, recQuoted)
	}
	return records, quoted, nil
}

// clearRecords overwrites every field.
func clearRecords(records [][][]byte) {
	for _, rec := range records {
		for _, f := range rec {
			clear(f)
		}
	}
}
