package sqlstore

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oauthreg/oauthreg"
)

// The filters of a listing, as bits of its variant: one prepared statement
// per combination in use.
const (
	listOwner = 1 << iota
	listCursor
	listSystemTag
	listUserTag
	listNamePrefix
	listDisabled
	listStale
	numListVariants = 1 << iota
)

// listPlan returns the variant of q and the arguments of its statement, in
// the order listQuery places their placeholders: the driving tag, the
// cursor, the owner, the name prefix (length, prefix), disabled, not used
// since (twice), the second tag, and the limit. ok is false when no stored
// client can match (a filter that is not storable: not valid UTF-8, or
// with a NUL byte, which the Store never stores).
func listPlan(q oauthreg.ListQuery, after string, limit int) (variant int, args []any, ok bool) {
	for _, f := range []string{q.Owner, q.SystemTag, q.UserTag, q.NamePrefix} {
		if !storable(f) {
			return 0, nil, false
		}
	}
	var second any
	switch {
	case q.SystemTag != "" && q.UserTag != "":
		variant |= listSystemTag | listUserTag
		args = append(args, q.SystemTag)
		second = q.UserTag
	case q.SystemTag != "":
		variant |= listSystemTag
		args = append(args, q.SystemTag)
	case q.UserTag != "":
		variant |= listUserTag
		args = append(args, q.UserTag)
	}
	if after != "" {
		variant |= listCursor
		args = append(args, after)
	}
	if q.Owner != "" {
		variant |= listOwner
		args = append(args, q.Owner)
	}
	if q.NamePrefix != "" {
		variant |= listNamePrefix
		args = append(args, utf8.RuneCountInString(q.NamePrefix), q.NamePrefix)
	}
	if q.Disabled != nil {
		variant |= listDisabled
		args = append(args, *q.Disabled)
	}
	if !q.NotUsedSince.IsZero() {
		variant |= listStale
		b := ceilMicro(q.NotUsedSince)
		args = append(args, b, b)
	}
	if second != nil {
		args = append(args, second)
	}
	return variant, append(args, limit+1), true
}

// ceilMicro returns t in unix microseconds, rounded up: a time stored in
// whole microseconds is before t exactly when it is below this bound.
func ceilMicro(t time.Time) int64 {
	m := t.UnixMicro()
	if t.After(time.UnixMicro(m)) {
		m++
	}
	return m
}

// listQuery returns the statement of one list variant. The page is read in
// client ID order from the index that fits the filters: the tags table's
// primary key (kind, tag, client_id) when a tag is asked for, else the
// clients' primary key, (owner, id) or (is_disabled, id), whichever the
// planner picks; the other filters are checked on the rows the scan meets.
// A page therefore costs its matches and the non-matching rows between
// them, however deep it is.
func listQuery(d Dialect, clients, secrets, tags string, variant int) string {
	from := clients + " c"
	idCol := "c.id"
	var where []string
	driving, other := "", ""
	switch {
	case variant&listSystemTag != 0:
		driving = "system"
		if variant&listUserTag != 0 {
			other = "user"
		}
	case variant&listUserTag != 0:
		driving = "user"
	}
	if driving != "" {
		from = tags + " t JOIN " + clients + " c ON c.id = t.client_id"
		idCol = "t.client_id"
		where = append(where, "t.kind = '"+driving+"'", "t.tag = ?")
	}
	if variant&listCursor != 0 {
		where = append(where, idCol+" > ?")
	}
	if variant&listOwner != 0 {
		where = append(where, "c.owner = ?")
	}
	if variant&listNamePrefix != 0 {
		if d == MySQL {
			where = append(where, "CAST(SUBSTRING(c.name, 1, ?) AS BINARY) = CAST(? AS BINARY)")
		} else {
			where = append(where, "substr(c.name, 1, ?) = ?")
		}
	}
	if variant&listDisabled != 0 {
		where = append(where, "c.is_disabled = ?")
	}
	if variant&listStale != 0 {
		where = append(where, "(c.last_used_at < ? OR (c.last_used_at IS NULL AND (c.created_at IS NULL OR c.created_at < ?)))")
	}
	if other != "" {
		where = append(where, "EXISTS (SELECT 1 FROM "+tags+" u WHERE u.kind = '"+other+"' AND u.tag = ? AND u.client_id = c.id)")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var q string
	if d == MySQL {
		// See buildQueries: the page's IDs in a derived table, joined to
		// the client and secret rows with no ORDER BY outside it.
		ids := "SELECT " + idCol + " AS id FROM " + from + cond + " ORDER BY " + idCol + " LIMIT ?"
		q = "SELECT STRAIGHT_JOIN " + prefixed("c", clientColumns) + ", " + joinedSecretColumns +
			" FROM (" + ids + ") p JOIN " + clients + " c ON c.id = p.id" +
			" LEFT JOIN " + secrets + " s ON s.client_id = c.id"
	} else {
		q = "SELECT " + prefixed("c", clientColumns) + ", (" + secretsAggregate(d, secrets) + ")" +
			" FROM " + from + cond + " ORDER BY " + idCol + " LIMIT ?"
	}
	if d == Postgres {
		return rebind(q)
	}
	return q
}
