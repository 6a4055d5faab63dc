package sqlstore

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	_ "modernc.org/sqlite"
)

// TestScanJoined feeds scanJoined rows shaped like the MySQL client queries
// (the client's columns, then joinedSecretColumns) in an order no server is
// obliged to avoid: a client's rows apart, secrets out of ordinal order,
// clients out of ID order. The rows come from an SQLite VALUES list.
func TestScanJoined(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "scan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	t0 := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	client := func(id string) []any {
		return []any{id, "owner-" + id, "name " + id, "", `["client_credentials"]`, nil, `["read"]`, nil,
			"client_secret_basic", false, int64(time.Hour), int64(0), false, nil, `[]`, `{"k":"v"}`, nil,
			`{"audience":["aud-` + id + `"]}`, t0.UnixMicro(), t0.UnixMicro(), nil, int64(3)}
	}
	secret := func(ordinal int, id string) []any {
		return []any{int64(ordinal), id, "generated", "$hash$" + id, "", "hint", "", t0.UnixMicro(), nil, nil, t0.Add(time.Second).UnixMicro()}
	}
	noSecret := make([]any, numSecretColumns+1)
	var rows [][]any
	add := func(c, s []any) { rows = append(rows, append(append([]any{}, c...), s...)) }
	// "b" (3 secrets) split around "a" (none) and "B" (1); "a0" (2).
	add(client("b"), secret(2, "b-third"))
	add(client("a"), noSecret)
	add(client("b"), secret(0, "b-first"))
	add(client("B"), secret(0, "B-only"))
	add(client("a0"), secret(1, "a0-second"))
	add(client("b"), secret(1, "b-second"))
	add(client("a0"), secret(0, "a0-first"))

	var q strings.Builder
	var args []any
	q.WriteString("SELECT * FROM (VALUES ")
	for i, r := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(" + placeholders(len(r)) + ")")
		args = append(args, r...)
	}
	q.WriteString(")")
	res, err := db.QueryContext(t.Context(), q.String(), args...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := scanJoined(res, 10, nil)
	if err != nil {
		t.Fatal(err)
	}

	want := map[string][]string{
		"B":  {"B-only"},
		"a":  nil,
		"a0": {"a0-first", "a0-second"},
		"b":  {"b-first", "b-second", "b-third"},
	}
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
	}
	if strings.Join(ids, " ") != "B a a0 b" {
		t.Fatalf("scanJoined returned clients %q, want each once in byte order [B a a0 b]", ids)
	}
	for _, c := range got {
		var secrets []string
		for _, s := range c.Secrets {
			secrets = append(secrets, s.ID)
		}
		if strings.Join(secrets, " ") != strings.Join(want[c.ID], " ") || (c.Secrets == nil) != (want[c.ID] == nil) {
			t.Errorf("client %q has secrets %q, want %q", c.ID, secrets, want[c.ID])
		}
		if c.Owner != "owner-"+c.ID || c.Version != 3 || c.AccessTokenTTL != time.Hour || !c.CreatedAt.Equal(t0) ||
			c.Metadata["k"] != "v" || c.UserTags == nil || c.SystemTags != nil || len(c.Audience) != 1 || c.Audience[0] != "aud-"+c.ID {
			t.Errorf("client %q decoded as %+v", c.ID, c)
		}
		for _, s := range c.Secrets {
			if s.Kind != oauthreg.SecretKind("generated") || s.Hash.Reveal() != "$hash$"+s.ID || !s.CreatedAt.Equal(t0) ||
				!s.ExpiresAt.IsZero() || !s.LastUsedAt.Equal(t0.Add(time.Second)) {
				t.Errorf("secret %q decoded as %+v", s.ID, s)
			}
		}
	}
}
