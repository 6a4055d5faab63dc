package clientimport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg/internal/jsonstr"
)

// record reads the members of one JSON object of an export, whatever the
// exporting tool made of their types (a list as an array or as text holding
// an array, a boolean as true or "true"), and refuses the entry for a value
// it cannot read. It remembers which members were read, so the rest can be
// reported as dropped.
//
// A CSV row is a record of text (newTextRecord): each field is the text a
// JSON string member would hold, read as such by the same methods, without
// being quoted as JSON and decoded back.
type record struct {
	m map[string]json.RawMessage
	// text holds a CSV row's fields instead of m; a NULL field is absent.
	text map[string][]byte
	used map[string]bool
	e    *Entry
}

func newRecord(m map[string]json.RawMessage, e *Entry) *record {
	return &record{m: m, used: make(map[string]bool, len(m)), e: e}
}

// newTextRecord reads a CSV row: text maps each column to its field's
// text, NULL fields left out.
func newTextRecord(text map[string][]byte, e *Entry) *record {
	return &record{text: text, used: make(map[string]bool, len(text)), e: e}
}

// get returns the member, or nil when it is absent or null. On a text
// record it only marks the member read (and returns nil): read its text
// with str, jsonValue or secret.
func (r *record) get(key string) json.RawMessage {
	r.used[key] = true
	v := r.m[key]
	if len(v) == 0 || string(v) == "null" {
		return nil
	}
	return v
}

// secret reads a string into a buffer of its own (secretBytes), which the
// caller zeroes; nil when absent or null.
func (r *record) secret(key string) ([]byte, error) {
	if r.text != nil {
		r.used[key] = true
		v, ok := r.text[key]
		if !ok {
			return nil, nil
		}
		return append(make([]byte, 0, len(v)), v...), nil
	}
	return secretBytes(r.get(key))
}

func (r *record) bad(key, want string) {
	r.e.refuse(ReasonMalformed, "%s is not %s", key, want)
}

// str reads a string; a number is taken as its decimal text.
func (r *record) str(key string) string {
	if r.text != nil {
		r.used[key] = true
		return string(r.text[key])
	}
	v := r.get(key)
	if v == nil {
		return ""
	}
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return s
	}
	if n := json.Number(strings.TrimSpace(string(v))); isNumber(string(n)) {
		return string(n)
	}
	r.bad(key, "a string")
	return ""
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// boolean reads true/false, "true"/"false", 1/0.
func (r *record) boolean(key string) (value, set bool) {
	s, ok := r.scalar(key)
	if !ok {
		return false, false
	}
	switch s {
	case "true", "1", "t":
		return true, true
	case "false", "0", "f", "":
		return false, true
	}
	r.bad(key, "a boolean")
	return false, false
}

// scalar returns the member's text for a boolean or a number, without
// quotes and blanks; ok is false when it is absent or null.
func (r *record) scalar(key string) (s string, ok bool) {
	if r.text != nil {
		r.used[key] = true
		v, ok := r.text[key]
		return strings.Trim(string(v), " "), ok
	}
	v := r.get(key)
	if v == nil {
		return "", false
	}
	return strings.Trim(string(v), `" `), true
}

// jsonValue returns the member as JSON: itself, or the text it holds when
// it is a string (as Hydra's tables and Spring's settings columns keep
// JSON); nil when absent, null or empty.
func (r *record) jsonValue(key, want string) json.RawMessage {
	if r.text != nil {
		r.used[key] = true
		if v := r.text[key]; len(bytes.TrimSpace(v)) > 0 {
			return json.RawMessage(v)
		}
		return nil
	}
	v := r.get(key)
	if v == nil || v[0] != '"' {
		return v
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		r.bad(key, want)
		return nil
	}
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return json.RawMessage(s)
}

// list reads a list of strings: a JSON array, or text holding one (as
// Hydra's tables keep lists), or empty text.
func (r *record) list(key string) []string {
	v := r.jsonValue(key, "a list of strings")
	if v == nil {
		return nil
	}
	var out []string
	if json.Unmarshal(v, &out) != nil {
		r.bad(key, "a list of strings")
		return nil
	}
	return out
}

// object reads a JSON object, or text holding one; nil when absent or
// empty.
func (r *record) object(key string) map[string]json.RawMessage {
	v := r.jsonValue(key, "a JSON object")
	if v == nil {
		return nil
	}
	var out map[string]json.RawMessage
	if json.Unmarshal(v, &out) != nil {
		r.bad(key, "a JSON object")
		return nil
	}
	return out
}

// integer reads a whole number, or text holding one.
func (r *record) integer(key string) (int64, bool) {
	s, ok := r.scalar(key)
	if !ok || s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		r.bad(key, "a whole number")
		return 0, false
	}
	return n, true
}

// timestamp reads a time as PostgreSQL's json_agg, psql's CSV and the
// servers' APIs write it: RFC 3339, or "2006-01-02 15:04:05[.fraction]"
// with or without a "T", taken as UTC when it has no zone.
func (r *record) timestamp(key string) (time.Time, bool) {
	s := r.str(key)
	if s == "" {
		return time.Time{}, false
	}
	t, ok := parseTime(s)
	if !ok {
		r.bad(key, "a timestamp")
	}
	return t, ok
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999Z07", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999Z07"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// unused returns the members never read that hold something, sorted.
func (r *record) unused(ignore ...string) []string {
	var out []string
	keys := slices.Sorted(maps.Keys(r.m))
	if r.text != nil {
		keys = slices.Sorted(maps.Keys(r.text))
	}
	for _, k := range keys {
		if r.used[k] || slices.Contains(ignore, k) || r.m != nil && isEmptyJSON(r.m[k]) || r.text != nil && isEmptyText(r.text[k]) {
			continue
		}
		out = append(out, k)
	}
	return out
}

// isEmptyText is isEmptyJSON for the text of a string: empty, or an empty
// array or object.
func isEmptyText(v []byte) bool {
	switch string(v) {
	case "", "[]", "{}":
		return true
	}
	return false
}

// isEmptyJSON reports whether v is null, false, zero, or an empty string,
// array or object: a member that holds no setting.
func isEmptyJSON(v json.RawMessage) bool {
	switch strings.TrimSpace(string(v)) {
	case "", "null", "false", "0", `""`, "[]", "{}", `"[]"`, `"{}"`:
		return true
	}
	return false
}

// warnDropped reports members not imported, by name.
func (e *Entry) warnDropped(what string, names []string) {
	if len(names) == 0 {
		return
	}
	const max = 12
	shown := names
	if len(shown) > max {
		shown = shown[:max]
	}
	quoted := make([]string, len(shown))
	for i, n := range shown {
		quoted[i] = q(n)
	}
	more := ""
	if len(names) > max {
		more = fmt.Sprintf(" and %d more", len(names)-max)
	}
	e.warn(what, "not imported (oauthreg has no such setting): %s%s", strings.Join(quoted, ", "), more)
}

// wipe overwrites every member of an object decoded from an export (or
// every field of a CSV row): the decoder copied them out of the input
// buffer, and one may be a secret.
func wipe[V ~[]byte](m map[string]V) {
	for _, v := range m {
		clear(v)
	}
}

// wipeAll wipes every object of a decoded array.
func wipeAll(ms []map[string]json.RawMessage) {
	for _, m := range ms {
		wipe(m)
	}
}

// clearAll overwrites raw JSON values copied out of an export.
func clearAll(items []json.RawMessage) {
	for _, it := range items {
		clear(it)
	}
}

// secretBytes decodes a JSON string into a buffer of its own, never into a
// Go string (which could not be overwritten): the plaintext secrets of an
// export live only there, and are zeroed once hashed. Invalid UTF-8 and
// lone surrogate escapes become U+FFFD, as encoding/json makes them. null
// and a missing member give nil.
func secretBytes(v json.RawMessage) ([]byte, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return nil, nil
	}
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return nil, fmt.Errorf("not a string")
	}
	// Room for the worst case, so that out never grows: a grown buffer
	// would leave a copy behind.
	out, next, err := jsonstr.Append(make([]byte, 0, jsonstr.MaxLen(len(v)-2)), v, 0, jsonstr.Replace)
	if err != nil || next != len(v) {
		clear(out[:cap(out)])
		return nil, fmt.Errorf("not a valid JSON string")
	}
	return out, nil
}

// seconds converts a count of seconds from an export to a Duration,
// refusing one that does not fit.
func seconds(e *Entry, field string, s float64) time.Duration {
	if s < 0 || math.IsNaN(s) || s > float64(math.MaxInt64)/float64(time.Second) {
		e.refuse(ReasonMalformed, "%s is not a usable number of seconds", field)
		return 0
	}
	return time.Duration(s * float64(time.Second))
}
