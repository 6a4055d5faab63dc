package sqlstore

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"reflect"
	"slices"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/oauthreg/oauthreg"
)

var tricky = []string{
	"", "plain", "with space", `quote"inside`, `back\slash`, "new\nline", "tab\t", "<html>&amp;",
	"ünïcødé ✓", "ключ", "emoji 😀", "\u2028\u2029", "a,b", "[not]", "{x}", "\x01ctl", "/slash/", "\x7f",
}

func TestStringsRoundTrip(t *testing.T) {
	for _, list := range [][]string{nil, {}, tricky, {""}, {"one"}} {
		v := stringsValue(list)
		if list == nil {
			if v != nil {
				t.Errorf("stringsValue(nil) = %v, want nil", v)
			}
			continue
		}
		raw := []byte(v.(string))
		var viaJSON []string
		if err := json.Unmarshal(raw, &viaJSON); err != nil {
			t.Fatalf("stringsValue(%q) = %s, not JSON: %v", list, raw, err)
		}
		got, err := stringsFrom[string](raw, true)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, list) || !slices.Equal(viaJSON, list) || got == nil {
			t.Errorf("round trip of %q: got %q (encoding/json: %q)", list, got, viaJSON)
		}
	}
}

func TestFastDecodersMatchEncodingJSON(t *testing.T) {
	arrays := []string{
		`[]`, ` [ ] `, `["a"]`, `[ "a" , "b" ]`, `["\u00e9\n\"\\\/"]`, `["\ud83d\ude00"]`, `["a",]`, `[`, `["a"`,
		`["a" "b"]`, `[1]`, `["\x"]`, "[\"\xff\"]", `["\u12"]`, `null`, `["a"]x`,
	}
	for _, a := range arrays {
		var want []string
		wantErr := json.Unmarshal([]byte(a), &want)
		got, err := stringsFrom[string]([]byte(a), true)
		if (err != nil) != (wantErr != nil) {
			// encoding/json accepts null as a nil slice; stringsFrom
			// too, by falling back to it.
			t.Errorf("stringsFrom(%s): error %v, encoding/json: %v", a, err, wantErr)
			continue
		}
		if err == nil && !slices.Equal(got, want) {
			t.Errorf("stringsFrom(%s) = %q, encoding/json: %q", a, got, want)
		}
	}
	objects := []string{
		`{}`, `{"a":"b"}`, `{ "a" : "b" , "c":"" }`, `{"k\"ey":"v\nal"}`, `{"a":"b",}`, `{"a":1}`, `{"a"}`,
		`{"ключ":"значение","json":"{\"a\":[1,2]}"}`,
	}
	for _, o := range objects {
		want := map[string]string{}
		wantErr := json.Unmarshal([]byte(o), &want)
		got, err := metadataFrom([]byte(o), true)
		if (err != nil) != (wantErr != nil) || err == nil && !maps.Equal(got, want) {
			t.Errorf("metadataFrom(%s) = %v, %v; encoding/json: %v, %v", o, got, err, want, wantErr)
		}
	}
}

func FuzzStrings(f *testing.F) {
	for _, s := range tricky {
		f.Add(s, "second")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			t.Skip()
		}
		list := []string{a, b}
		got, err := stringsFrom[string]([]byte(stringsValue(list).(string)), true)
		if err != nil || !slices.Equal(got, list) {
			t.Fatalf("round trip of %q: %q, %v", list, got, err)
		}
		m := map[string]string{a: b, b: a}
		v, err := metadataValue(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := metadataFrom([]byte(v.(string)), true)
		if err != nil || !maps.Equal(back, m) {
			t.Fatalf("metadata round trip of %q: %q, %v", m, back, err)
		}
	})
}

func TestPolicyRoundTrip(t *testing.T) {
	for _, p := range []*oauthreg.RotationPolicy{nil, {}, {GracePeriod: 36*time.Hour + 1, SecretLifetime: -5, MaxActiveSecrets: 3, OwnerOnlyRotation: true}} {
		v, err := policyValue(p)
		if err != nil {
			t.Fatal(err)
		}
		if p == nil {
			if v != nil {
				t.Errorf("policyValue(nil) = %v", v)
			}
			continue
		}
		got, err := policyFrom([]byte(v.(string)), true)
		if err != nil || got == nil || *got != *p {
			t.Errorf("policy round trip of %+v: %+v, %v", p, got, err)
		}
	}
	// A hand-written column, with blanks and another member order, still
	// decodes (through encoding/json if need be).
	got, err := policyFrom([]byte(` { "max_active_secrets" : 2, "grace_period_ns": 1000 } `), true)
	if err != nil || got.MaxActiveSecrets != 2 || got.GracePeriod != 1000 {
		t.Errorf("policyFrom of a hand-written column: %+v, %v", got, err)
	}
}

func TestTimes(t *testing.T) {
	if timeValue(time.Time{}) != nil || !timeFrom(nullInt(timeValue(time.Time{}))).IsZero() {
		t.Error("the zero time does not round-trip as NULL")
	}
	at := time.Date(2099, 12, 31, 23, 59, 59, 999_999_000, time.FixedZone("X", 3600))
	if got := timeFrom(nullInt(timeValue(at))); !got.Equal(at) || got.Location() != time.UTC {
		t.Errorf("%v round-trips as %v", at, got)
	}
}

func nullInt(v any) (n struct {
	Int64 int64
	Valid bool
}) {
	if v == nil {
		return n
	}
	return struct {
		Int64 int64
		Valid bool
	}{v.(int64), true}
}

// Fakes of the drivers' error types, with the same shapes.
type pgError struct{ code string }

func (e *pgError) Error() string    { return "pg " + e.code }
func (e *pgError) SQLState() string { return e.code }

type moderncError struct{ code int }

func (e *moderncError) Error() string { return fmt.Sprint("sqlite ", e.code) }
func (e *moderncError) Code() int     { return e.code }

type MySQLError struct {
	Number   uint16
	SQLState [5]byte
	Message  string
}

func (e *MySQLError) Error() string { return e.Message }

type mattnErrNo int
type mattnError struct {
	Code         mattnErrNo
	ExtendedCode mattnErrNo
}

func (e mattnError) Error() string { return "mattn" }

type ncrucesError struct{ ext uint16 }

func (e *ncrucesError) Error() string        { return "ncruces" }
func (e *ncrucesError) ExtendedCode() uint16 { return e.ext }

func TestClassify(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("context: %w", err) }
	cases := []struct {
		err  error
		want errClass
	}{
		{&pgError{"23505"}, classUnique},
		{&pgError{"40001"}, classTransient},
		{&pgError{"40P01"}, classTransient},
		{&pgError{"23503"}, classOther},
		{&moderncError{2067}, classUnique},
		{&moderncError{1555}, classUnique},
		{&moderncError{5}, classTransient},
		{&moderncError{517}, classTransient}, // SQLITE_BUSY_SNAPSHOT
		{&moderncError{787}, classOther},     // SQLITE_CONSTRAINT_FOREIGNKEY
		{&MySQLError{Number: 1062}, classUnique},
		{&MySQLError{Number: 1213}, classTransient},
		{&MySQLError{Number: 1205}, classTransient},
		{&MySQLError{Number: 1452}, classOther},
		{mattnError{Code: 19, ExtendedCode: 2067}, classUnique},
		{mattnError{Code: 5, ExtendedCode: 5}, classTransient},
		{&ncrucesError{1555}, classUnique},
		{&ncrucesError{261}, classTransient},  // SQLITE_BUSY_RECOVERY
		{&pgError{"57P01"}, classUnavailable}, // pg_terminate_backend
		{&pgError{"57P02"}, classUnavailable},
		{&pgError{"57P03"}, classUnavailable},
		{&pgError{"08006"}, classUnavailable},
		{&MySQLError{Number: 1053}, classUnavailable},
		{&MySQLError{Number: 2006}, classUnavailable},
		{&MySQLError{Number: 2013}, classUnavailable},
		{&MySQLError{Number: 1927}, classUnavailable},
		{driver.ErrBadConn, classUnavailable},
		{io.EOF, classUnavailable},
		{io.ErrUnexpectedEOF, classUnavailable},
		{&net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, classUnavailable},
		{&net.OpError{Op: "write", Err: os.NewSyscallError("write", syscall.EPIPE)}, classUnavailable},
		{&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, classUnavailable},
		{errors.New("invalid connection"), classUnavailable}, // go-sql-driver/mysql's ErrInvalidConn
		{fmt.Errorf("not an invalid connection"), classOther},
		{errors.New("the connection is invalid connection"), classOther},
		{errors.New("duplicate key value violates unique constraint"), classOther}, // never by message
		{nil, classOther},
		{(*MySQLError)(nil), classOther},
	}
	for _, c := range cases {
		for _, err := range []error{c.err, wrap(c.err), errors.Join(errors.New("x"), c.err)} {
			if c.err == nil && err != nil {
				continue
			}
			if got := classify(err); got != c.want {
				t.Errorf("classify(%#v) = %v, want %v", err, got, c.want)
			}
		}
	}
}

func TestCursor(t *testing.T) {
	for _, id := range []string{"a", "client-000001", "ä/ö?&="} {
		got, err := decodeCursor(encodeCursor(id))
		if err != nil || got != id {
			t.Errorf("cursor of %q decodes to %q, %v", id, got, err)
		}
	}
	// No stored ID is empty, holds NUL or is invalid UTF-8: such a cursor
	// is not one of ours (and PostgreSQL would refuse it as a parameter).
	for _, c := range []string{"!!!", "AA", "YWJj", encodeCursor("a") + "=", encodeCursor(""), encodeCursor("x\x00y"), encodeCursor("\xff")} {
		if _, err := decodeCursor(c); !errors.Is(err, oauthreg.ErrInvalidCursor) {
			t.Errorf("decodeCursor(%q) = %v, want ErrInvalidCursor", c, err)
		}
	}
}

func TestSplitStatements(t *testing.T) {
	got, err := splitStatements("-- comment\n-- +goose Up\nCREATE TABLE a (\n  x INT\n);\n\n-- another\nCREATE INDEX i ON a (x);\n")
	want := []string{"CREATE TABLE a (\n  x INT\n)", "CREATE INDEX i ON a (x)"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("splitStatements = %q, %v, want %q", got, err, want)
	}
	for _, d := range []Dialect{SQLite, Postgres, MySQL} {
		migs, err := loadMigrations(d, "p_")
		if err != nil || len(migs) == 0 || migs[0].version != 1 {
			t.Fatalf("loadMigrations(%v): %v, %v", d, migs, err)
		}
		for _, st := range migs[0].stmts {
			if len(st) == 0 || st[len(st)-1] == ';' {
				t.Errorf("%v: statement %q", d, st)
			}
			if strings := fmt.Sprint(st); !containsOnlyPrefix(strings, "p_") {
				t.Errorf("%v: statement keeps the default prefix: %s", d, st)
			}
		}
	}
}

// TestSplitStatementsReadsGooseAnnotations: a file is split the way goose
// splits it, so that Migrate and goose run the same statements.
func TestSplitStatementsReadsGooseAnnotations(t *testing.T) {
	good := []struct {
		name, text string
		want       []string
	}{
		{"down part ignored", "-- +goose Up\nCREATE TABLE a (x INT);\n-- +goose Down\nDROP TABLE a;\n",
			[]string{"CREATE TABLE a (x INT)"}},
		{"block keeps its semicolons", "-- +goose Up\n-- +goose StatementBegin\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\nEND;\n-- +goose StatementEnd\nCREATE INDEX i ON a (x);\n",
			[]string{"CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\nEND", "CREATE INDEX i ON a (x)"}},
		{"header comments before Up", "-- header\n--\n-- +goose Up\nSELECT 1;\n", []string{"SELECT 1"}},
		{"empty Up", "-- +goose Up\n", nil},
	}
	for _, c := range good {
		got, err := splitStatements(c.text)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: splitStatements = %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	bad := map[string]string{
		"no Up":                    "CREATE TABLE a (x INT);\n",
		"statement before Up":      "CREATE TABLE a (x INT);\n-- +goose Up\nSELECT 1;\n",
		"two Ups":                  "-- +goose Up\n-- +goose Up\nSELECT 1;\n",
		"unterminated block":       "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n",
		"End without Begin":        "-- +goose Up\n-- +goose StatementEnd\n",
		"no final semicolon":       "-- +goose Up\nSELECT 1\n",
		"no semicolon before Down": "-- +goose Up\nSELECT 1\n-- +goose Down\nSELECT 2;\n",
		"unsupported annotation":   "-- +goose Up\n-- +goose NO TRANSACTION\nSELECT 1;\n",
		"nested block":             "-- +goose Up\n-- +goose StatementBegin\n-- +goose StatementBegin\nSELECT 1;\n-- +goose StatementEnd\n",
	}
	for name, text := range bad {
		if got, err := splitStatements(text); err == nil {
			t.Errorf("%s: splitStatements(%q) = %q, want an error", name, text, got)
		}
	}
}

func containsOnlyPrefix(s, prefix string) bool {
	return !contains(s, DefaultTablePrefix) && contains(s, prefix)
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestSecretsFrom(t *testing.T) {
	// As the three engines print it: compact (SQLite, PostgreSQL) or with
	// blanks (MySQL), in any order, with escapes.
	raw := `[[1, "s2", "imported", "h\"2", "", "lhWy", "d\u00e9\n", 10, null, 30, null],` +
		`[0,"s\ud83d\ude00","generated","h1","sealed","x9Qa","",5,6,null,7]]`
	got, err := secretsFrom([]byte(raw), true)
	if err != nil {
		t.Fatal(err)
	}
	want := []oauthreg.Secret{
		{ID: "s😀", Kind: "generated", Hash: oauthreg.Conceal("h1"), Sealed: oauthreg.Conceal("sealed"), Hint: "x9Qa", CreatedAt: time.UnixMicro(5).UTC(),
			ExpiresAt: time.UnixMicro(6).UTC(), LastUsedAt: time.UnixMicro(7).UTC()},
		{ID: "s2", Kind: "imported", Hash: oauthreg.Conceal(`h"2`), Hint: "lhWy", Description: "dé\n", CreatedAt: time.UnixMicro(10).UTC(),
			RevokedAt: time.UnixMicro(30).UTC()},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("secretsFrom:\n got %+v\nwant %+v", got, want)
	}
	for _, empty := range []string{"[]", " [ ] "} {
		if got, err := secretsFrom([]byte(empty), true); err != nil || got != nil {
			t.Errorf("secretsFrom(%q) = %v, %v", empty, got, err)
		}
	}
	if got, err := secretsFrom(nil, false); err != nil || got != nil {
		t.Errorf("secretsFrom(NULL) = %v, %v", got, err)
	}
	for _, bad := range []string{`[[1,"a"]]`, `[1]`, `[[1,"a","b","c","d","e","f",1,2,3,4,5]]`, `[["x","a","b","c","d","e","f",1,2,3,4]]`, `[[`, `{}`} {
		if _, err := secretsFrom([]byte(bad), true); err == nil {
			t.Errorf("secretsFrom(%s) succeeded", bad)
		}
	}
}

// FuzzDecodeCursor: any string either is refused with ErrInvalidCursor or
// decodes to an ID a store could hold, which encodes back to a cursor that
// decodes to the same ID.
func FuzzDecodeCursor(f *testing.F) {
	for _, seed := range []string{"", "AQ", encodeCursor("a"), encodeCursor("client-000001"), "AQBhAA", "\x00", "!!!", encodeCursor("ä")} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, c string) {
		id, err := decodeCursor(c)
		if err != nil {
			if !errors.Is(err, oauthreg.ErrInvalidCursor) {
				t.Fatalf("decodeCursor(%q): %v, want ErrInvalidCursor", c, err)
			}
			if len(err.Error()) > 100+oauthreg.MaxSanitizedLen {
				t.Fatalf("decodeCursor(%q): error of %d bytes echoes the input", c, len(err.Error()))
			}
			return
		}
		if id == "" || !storable(id) {
			t.Fatalf("decodeCursor(%q) = %q: not an ID a store holds", c, id)
		}
		if again, err := decodeCursor(encodeCursor(id)); err != nil || again != id {
			t.Fatalf("round trip of %q: %q, %v", id, again, err)
		}
	})
}

// TestNotSent: only failures that prove the statement never left may be
// sent again without settling; a lost connection in general may not.
func TestNotSent(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{driver.ErrBadConn, true},
		{fmt.Errorf("x: %w", driver.ErrBadConn), true},
		{&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, true},
		{&pgError{"57P03"}, true},
		{safeToRetry{}, true},
		{&pgError{"57P01"}, false},
		{io.ErrUnexpectedEOF, false},
		{errors.New("invalid connection"), false},
		{&MySQLError{Number: 2013}, false},
	} {
		if got := notSent(c.err); got != c.want {
			t.Errorf("notSent(%v) = %v, want %v", c.err, got, c.want)
		}
		var unknown *outcomeUnknownError
		if marked := errors.As(sent(c.err), &unknown); marked == c.want {
			t.Errorf("sent(%v) marked as unknown outcome: %v, want %v", c.err, marked, !c.want)
		}
	}
}

// safeToRetry is shaped like pgconn's errors for a statement never sent.
type safeToRetry struct{}

func (safeToRetry) Error() string     { return "failed to write startup message" }
func (safeToRetry) SafeToRetry() bool { return true }
func (safeToRetry) Unwrap() error     { return io.EOF }
