package sqlstore

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/jsonstr"
)

// Column encodings, the same on every engine:
//
//   - times: unix microseconds (UTC) in an integer column, NULL for the zero
//     time, so that "never" and "not yet" stay NULL and indexes stay small;
//   - durations: nanoseconds (time.Duration's own unit);
//   - lists of strings: a JSON array, NULL for a nil slice ("[]" for an empty
//     one, so nil and empty round-trip);
//   - Metadata and RotationPolicy: JSON, NULL for nil.

// timeValue encodes t for a nullable time column.
func timeValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// nullMicros is timeValue as a value of the column's scan type.
func nullMicros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

// boundValue encodes t for a comparison with a time column; the zero time
// compares before every stored time.
func boundValue(t time.Time) int64 { return t.UnixMicro() }

// timeFrom decodes a nullable time column.
func timeFrom(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

// stringsValue encodes a list of strings as a JSON array, nil for nil.
func stringsValue[S ~string](list []S) any {
	if list == nil {
		return nil
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		if plainJSONString(string(s)) {
			b.WriteByte('"')
			b.WriteString(string(s))
			b.WriteByte('"')
			continue
		}
		q, _ := json.Marshal(string(s)) // a string always marshals
		b.Write(q)
	}
	b.WriteByte(']')
	return b.String()
}

// plainJSONString reports whether s can be written between quotes in JSON as
// is: valid UTF-8 without quotes, backslashes or control characters.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			return false
		}
	}
	return utf8.ValidString(s)
}

// stringsFrom decodes a JSON array of strings (NULL is a nil slice). Arrays
// without escapes, which is all that stringsValue writes for ordinary values,
// are decoded without encoding/json.
func stringsFrom[S ~string](raw []byte, valid bool) ([]S, error) {
	if !valid {
		return nil, nil
	}
	if out, ok := fastStrings[S](raw); ok {
		return out, nil
	}
	var out []S
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("sqlstore: malformed list column %q: %w", oauthreg.SanitizeInput(string(raw)), err)
	}
	if out == nil {
		out = []S{}
	}
	return out, nil
}

// fastStrings decodes a JSON array of strings (with optional blanks around
// tokens); ok is false for anything else, and for the rare strings that
// jsonString leaves to encoding/json.
func fastStrings[S ~string](raw []byte) (out []S, ok bool) {
	i := skipBlank(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return nil, false
	}
	i = skipBlank(raw, i+1)
	if i < len(raw) && raw[i] == ']' {
		return []S{}, skipBlank(raw, i+1) == len(raw)
	}
	n := 1
	for _, c := range raw {
		if c == ',' {
			n++
		}
	}
	out = make([]S, 0, n)
	for {
		val, next, ok := jsonString(raw, i)
		if !ok {
			return nil, false
		}
		out = append(out, S(val))
		i = skipBlank(raw, next)
		if i >= len(raw) {
			return nil, false
		}
		switch raw[i] {
		case ',':
			i = skipBlank(raw, i+1)
		case ']':
			return out, skipBlank(raw, i+1) == len(raw)
		default:
			return nil, false
		}
	}
}

// fastObject decodes a flat JSON object whose values are strings, numbers,
// true or false, calling f
// with each member (str tells a string value). It returns false, maybe
// after some calls of f, for anything else, or when f does: the caller then
// falls back to encoding/json.
func fastObject(raw []byte, f func(k, v []byte, str bool) bool) bool {
	i := skipBlank(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return false
	}
	i = skipBlank(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return skipBlank(raw, i+1) == len(raw)
	}
	for {
		key, next, ok := jsonString(raw, i)
		if !ok {
			return false
		}
		i = skipBlank(raw, next)
		if i >= len(raw) || raw[i] != ':' {
			return false
		}
		i = skipBlank(raw, i+1)
		if i >= len(raw) {
			return false
		}
		if raw[i] == '"' {
			val, next, ok := jsonString(raw, i)
			if !ok || !f(key, val, true) {
				return false
			}
			i = next
		} else {
			j := i
			for j < len(raw) && (raw[j] == '-' || raw[j] >= '0' && raw[j] <= '9' || raw[j] >= 'a' && raw[j] <= 'z') {
				j++
			}
			if j == i || !f(key, raw[i:j], false) {
				return false
			}
			i = j
		}
		i = skipBlank(raw, i)
		if i >= len(raw) {
			return false
		}
		switch raw[i] {
		case ',':
			i = skipBlank(raw, i+1)
		case '}':
			return skipBlank(raw, i+1) == len(raw)
		default:
			return false
		}
	}
}

// jsonString decodes the JSON string at raw[i:] (which must start with a
// quote) and returns its value, aliasing raw when the string has no escapes,
// and the index after its closing quote. ok is false for malformed input,
// invalid UTF-8 and lone surrogate escapes, which are left to encoding/json
// (it replaces what is invalid with U+FFFD).
func jsonString(raw []byte, i int) (val []byte, next int, ok bool) {
	val, next, err := jsonstr.Value(raw, i, jsonstr.Refuse)
	return val, next, err == nil
}

func skipBlank(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// metadataValue encodes Client.Metadata as a JSON object with sorted keys,
// nil for nil.
func metadataValue(m map[string]string) (any, error) {
	if m == nil {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: encoding metadata: %w", err)
	}
	return string(b), nil
}

func metadataFrom(raw []byte, valid bool) (map[string]string, error) {
	if !valid {
		return nil, nil
	}
	m := map[string]string{}
	if fastObject(raw, func(k, v []byte, str bool) bool {
		if !str {
			return false
		}
		m[string(k)] = string(v)
		return true
	}) {
		return m, nil
	}
	clear(m)
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("sqlstore: malformed metadata column: %w", err)
	}
	return m, nil
}

// storedPolicy is the column encoding of a RotationPolicy, independent of
// the JSON that RotationPolicy itself marshals to for APIs: durations in
// nanoseconds.
type storedPolicy struct {
	GracePeriod       int64 `json:"grace_period_ns"`
	SecretLifetime    int64 `json:"secret_lifetime_ns"`
	MaxActiveSecrets  int   `json:"max_active_secrets"`
	OwnerOnlyRotation bool  `json:"owner_only_rotation"`
}

// policyValue encodes a client's RotationPolicy as JSON, nil for nil.
func policyValue(p *oauthreg.RotationPolicy) (any, error) {
	if p == nil {
		return nil, nil
	}
	b, err := json.Marshal(storedPolicy{
		GracePeriod:       int64(p.GracePeriod),
		SecretLifetime:    int64(p.SecretLifetime),
		MaxActiveSecrets:  p.MaxActiveSecrets,
		OwnerOnlyRotation: p.OwnerOnlyRotation,
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: encoding rotation policy: %w", err)
	}
	return string(b), nil
}

func policyFrom(raw []byte, valid bool) (*oauthreg.RotationPolicy, error) {
	if !valid {
		return nil, nil
	}
	var sp storedPolicy
	ok := fastObject(raw, func(k, v []byte, str bool) bool {
		if str {
			return false
		}
		var err error
		switch string(k) {
		case "grace_period_ns":
			sp.GracePeriod, err = strconv.ParseInt(string(v), 10, 64)
		case "secret_lifetime_ns":
			sp.SecretLifetime, err = strconv.ParseInt(string(v), 10, 64)
		case "max_active_secrets":
			sp.MaxActiveSecrets, err = strconv.Atoi(string(v))
		case "owner_only_rotation":
			sp.OwnerOnlyRotation, err = strconv.ParseBool(string(v))
		default:
			return false
		}
		return err == nil
	})
	if !ok {
		sp = storedPolicy{}
		if err := json.Unmarshal(raw, &sp); err != nil {
			return nil, fmt.Errorf("sqlstore: malformed rotation_policy column: %w", err)
		}
	}
	return &oauthreg.RotationPolicy{
		GracePeriod:       time.Duration(sp.GracePeriod),
		SecretLifetime:    time.Duration(sp.SecretLifetime),
		MaxActiveSecrets:  sp.MaxActiveSecrets,
		OwnerOnlyRotation: sp.OwnerOnlyRotation,
	}, nil
}

// secretRow is a secret as the PostgreSQL statements receive it, in a JSON
// array decoded by json_to_recordset.
type secretRow struct {
	Ordinal     int    `json:"ordinal"`
	SecretID    string `json:"secret_id"`
	Kind        string `json:"kind"`
	Hash        string `json:"hash"`
	Sealed      string `json:"sealed"`
	Hint        string `json:"hint"`
	Description string `json:"description"`
	CreatedAt   any    `json:"created_at"`
	ExpiresAt   any    `json:"expires_at"`
	RevokedAt   any    `json:"revoked_at"`
	LastUsedAt  any    `json:"last_used_at"`
}

// secretsJSON encodes secrets as the rows of one client, in order.
func secretsJSON(secrets []oauthreg.Secret) (string, error) {
	rows := make([]secretRow, len(secrets))
	for i, s := range secrets {
		rows[i] = secretRow{
			Ordinal: i, SecretID: s.ID, Kind: string(s.Kind), Hash: s.Hash.Reveal(), Sealed: s.Sealed.Reveal(), Hint: s.Hint,
			Description: s.Description, CreatedAt: timeValue(s.CreatedAt), ExpiresAt: timeValue(s.ExpiresAt),
			RevokedAt: timeValue(s.RevokedAt), LastUsedAt: timeValue(s.LastUsedAt),
		}
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return "", fmt.Errorf("sqlstore: encoding secrets: %w", err)
	}
	return string(b), nil
}

// secretsFrom decodes the secrets column of the client queries: a JSON array
// of [ordinal, secret_id, kind, hash, sealed, hint, description, created_at,
// expires_at, revoked_at, last_used_at] arrays in any order (NULL for none).
// It returns them sorted by ordinal.
func secretsFrom(raw []byte, valid bool) ([]oauthreg.Secret, error) {
	if !valid {
		return nil, nil
	}
	type row struct {
		ordinal int64
		s       oauthreg.Secret
	}
	var rows []row
	var f [numSecretColumns + 1]jsonValue
	err := jsonArrays(raw, f[:], func() error {
		var r row
		var err error
		ints := [5]int64{}
		for i, k := range []int{0, 7, 8, 9, 10} {
			if ints[i], err = f[k].int(); err != nil {
				return err
			}
		}
		strs := [6]string{}
		for i := range strs {
			if strs[i], err = f[1+i].str(); err != nil {
				return err
			}
		}
		r.ordinal = ints[0]
		r.s = oauthreg.Secret{
			ID: strs[0], Kind: oauthreg.SecretKind(strs[1]), Hash: oauthreg.Conceal(strs[2]), Sealed: oauthreg.Conceal(strs[3]), Hint: strs[4], Description: strs[5],
			CreatedAt: timeFromMicro(f[7], ints[1]), ExpiresAt: timeFromMicro(f[8], ints[2]),
			RevokedAt: timeFromMicro(f[9], ints[3]), LastUsedAt: timeFromMicro(f[10], ints[4]),
		}
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: malformed secrets %.200q: %w", raw, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Compare(a.ordinal, b.ordinal) })
	out := make([]oauthreg.Secret, len(rows))
	for i := range rows {
		out[i] = rows[i].s
	}
	return out, nil
}

func timeFromMicro(v jsonValue, us int64) time.Time {
	if v.null {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// jsonValue is a scalar of a JSON array: a string (decoded), a number
// (its text) or null.
type jsonValue struct {
	b      []byte
	isStr  bool
	null   bool
	number bool
}

func (v jsonValue) int() (int64, error) {
	if v.null {
		return 0, nil
	}
	if !v.number {
		return 0, fmt.Errorf("want a number, got %q", oauthreg.SanitizeInput(string(v.b)))
	}
	return strconv.ParseInt(string(v.b), 10, 64)
}

func (v jsonValue) str() (string, error) {
	if !v.isStr {
		return "", fmt.Errorf("want a string, got %q", oauthreg.SanitizeInput(string(v.b)))
	}
	return string(v.b), nil
}

// jsonArrays decodes a JSON array of arrays of len(f) scalars, filling f
// and calling row for each inner array. Strings with surrogate escapes or
// invalid UTF-8 are handed to encoding/json.
func jsonArrays(raw []byte, f []jsonValue, row func() error) error {
	i := skipBlank(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return errors.New("not an array")
	}
	i = skipBlank(raw, i+1)
	if i < len(raw) && raw[i] == ']' {
		if skipBlank(raw, i+1) != len(raw) {
			return errors.New("trailing data")
		}
		return nil
	}
	for {
		if i >= len(raw) || raw[i] != '[' {
			return errors.New("not an array of arrays")
		}
		i = skipBlank(raw, i+1)
		for k := range f {
			if i >= len(raw) {
				return errors.New("truncated")
			}
			switch c := raw[i]; {
			case c == '"':
				val, next, ok := jsonString(raw, i)
				if !ok {
					end, err := stringEnd(raw, i)
					if err != nil {
						return err
					}
					var s string
					if err := json.Unmarshal(raw[i:end], &s); err != nil {
						return err
					}
					val, next = []byte(s), end
				}
				f[k] = jsonValue{b: val, isStr: true}
				i = next
			case c == 'n':
				if len(raw) < i+4 || string(raw[i:i+4]) != "null" {
					return errors.New("bad literal")
				}
				f[k] = jsonValue{null: true}
				i += 4
			default:
				j := i
				for j < len(raw) && (raw[j] == '-' || raw[j] >= '0' && raw[j] <= '9') {
					j++
				}
				if j == i {
					return fmt.Errorf("unexpected %q", c)
				}
				f[k] = jsonValue{b: raw[i:j], number: true}
				i = j
			}
			i = skipBlank(raw, i)
			want := byte(',')
			if k == len(f)-1 {
				want = ']'
			}
			if i >= len(raw) || raw[i] != want {
				return fmt.Errorf("want %q after element %d", want, k)
			}
			i = skipBlank(raw, i+1)
		}
		if err := row(); err != nil {
			return err
		}
		if i >= len(raw) {
			return errors.New("truncated")
		}
		switch raw[i] {
		case ',':
			i = skipBlank(raw, i+1)
		case ']':
			if skipBlank(raw, i+1) != len(raw) {
				return errors.New("trailing data")
			}
			return nil
		default:
			return fmt.Errorf("unexpected %q between arrays", raw[i])
		}
	}
}

// stringEnd returns the index after the JSON string starting at raw[i].
func stringEnd(raw []byte, i int) (int, error) {
	for j := i + 1; j < len(raw); j++ {
		switch raw[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, errors.New("unterminated string")
}

// nullBytes is a nullable text column read into a reused buffer: a value is
// valid until the next Scan into the same nullBytes.
type nullBytes struct {
	b     sql.RawBytes
	valid bool
}

// Scan implements sql.Scanner.
func (n *nullBytes) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		n.b, n.valid = n.b[:0], false
	case []byte:
		n.b, n.valid = append(n.b[:0], v...), true
	case string:
		n.b, n.valid = append(n.b[:0], v...), true
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a text column", src)
	}
	return nil
}
