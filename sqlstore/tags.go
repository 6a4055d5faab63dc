package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/oauthreg/oauthreg"
)

// tagRow is one row of the tags table: a system or user tag of a client.
type tagRow struct {
	Kind string `json:"kind"`
	Tag  string `json:"tag"`
}

// tagRowsOf returns the rows of the tags table for c, each (kind, tag) once.
func tagRowsOf(c *oauthreg.Client) []tagRow {
	n := len(c.SystemTags) + len(c.UserTags)
	if n == 0 {
		return nil
	}
	rows := make([]tagRow, 0, n)
	seen := make(map[tagRow]bool, n)
	add := func(kind string, tags []string) {
		for _, t := range tags {
			r := tagRow{Kind: kind, Tag: t}
			if !seen[r] {
				seen[r] = true
				rows = append(rows, r)
			}
		}
	}
	add("system", c.SystemTags)
	add("user", c.UserTags)
	return rows
}

// tagsJSON encodes c's tag rows for the PostgreSQL statements.
func tagsJSON(c *oauthreg.Client) (string, error) {
	rows := tagRowsOf(c)
	if rows == nil {
		return "[]", nil
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return "", fmt.Errorf("sqlstore: encoding tags of client %q: %w", oauthreg.SanitizeInput(c.ID), err)
	}
	return string(b), nil
}

// insertTags inserts tag rows of client id inside a CreateClient or
// UpdateClient transaction, with one statement per 500 rows.
func (s *Store) insertTags(ctx context.Context, tx *sql.Tx, id string, rows []tagRow) error {
	for start := 0; start < len(rows); start += maxSecretRowsPerInsert {
		chunk := rows[start:min(len(rows), start+maxSecretRowsPerInsert)]
		args := make([]any, 0, 3*len(chunk))
		for _, r := range chunk {
			args = append(args, r.Kind, r.Tag, id)
		}
		query := "INSERT INTO " + s.tagsTable + " (kind, tag, client_id) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(chunk)), ", ")
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
	}
	return nil
}

// ClientsWithSecret returns the IDs of the clients holding a secret with
// the given ID, in byte order, at most oauthreg.MaxSecretLocatorResults
// (oauthreg.SecretLocator): one lookup in the secrets table's secret_id
// index.
func (s *Store) ClientsWithSecret(ctx context.Context, secretID string) ([]string, error) {
	if !storable(secretID) {
		return nil, ctx.Err() // no stored secret has such an ID
	}
	var ids []string
	err := s.retry(ctx, func() error {
		ids = ids[:0]
		st, err := s.prepared(ctx, &s.locate, s.q.locate)
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, secretID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: finding the clients of a secret: %w", err)
	}
	return ids, nil
}
