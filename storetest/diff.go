package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
)

// Diff compares two clients field by field, under the suite's equality
// rules, and describes each difference in a line such as
//
//	Secrets[1].Hash: got "…", want "…"
//
// It returns nil when they are equal. The rules:
//   - a nil slice or map equals an empty one;
//   - times are compared with time.Time.Equal, so the location and the
//     monotonic clock reading do not matter, but every nanosecond does (the
//     suite's own times are whole milliseconds or microseconds, see the
//     package documentation);
//   - a nil *RotationPolicy differs from a non-nil one, even an all-zero one;
//   - everything else, Version included, must be identical.
//
// Diff walks the structs by reflection, so a field added to Client or Secret
// later is compared without changing it.
func Diff(want, got *oauthreg.Client) []string {
	var d differ
	switch {
	case want == nil && got == nil:
		return nil
	case want == nil:
		return []string{fmt.Sprintf("got client %q, want nil", got.ID)}
	case got == nil:
		return []string{fmt.Sprintf("got nil, want client %q", want.ID)}
	}
	d.value("", reflect.ValueOf(want).Elem(), reflect.ValueOf(got).Elem())
	return d.out
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	concealedType = reflect.TypeFor[oauthreg.Concealed]()
)

type differ struct{ out []string }

func (d *differ) addf(path, format string, args ...any) {
	if path == "" {
		path = "(client)"
	}
	d.out = append(d.out, path+": "+fmt.Sprintf(format, args...))
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func (d *differ) value(path string, w, g reflect.Value) {
	if w.Type() == timeType {
		d.time(path, w.Interface().(time.Time), g.Interface().(time.Time))
		return
	}
	if w.Type() == concealedType { // a hash or sealed value: compare what it holds
		d.value(path, reflect.ValueOf(w.Interface().(oauthreg.Concealed).Reveal()), reflect.ValueOf(g.Interface().(oauthreg.Concealed).Reveal()))
		return
	}
	switch w.Kind() {
	case reflect.Struct:
		for i := range w.NumField() {
			f := w.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			d.value(join(path, f.Name), w.Field(i), g.Field(i))
		}
	case reflect.Pointer:
		switch {
		case w.IsNil() && g.IsNil():
		case w.IsNil():
			d.addf(path, "got %s, want nil", show(g.Elem()))
		case g.IsNil():
			d.addf(path, "got nil, want %s (a store must keep a non-nil value, even an all-zero one)", show(w.Elem()))
		default:
			d.value(path, w.Elem(), g.Elem())
		}
	case reflect.Slice:
		if w.Type().Elem().Kind() == reflect.Uint8 {
			// Raw bytes (a JWK Set, an extension's JSON): one comparison,
			// shown as text, not a walk over every byte.
			d.bytes(path, w.Bytes(), g.Bytes())
			return
		}
		d.slice(path, w, g)
	case reflect.Map:
		d.mapping(path, w, g)
	default:
		if w.Equal(g) {
			return
		}
		msg := fmt.Sprintf("got %s, want %s", show(g), show(w))
		if w.Kind() == reflect.String && (len(w.String()) > 80 || len(g.String()) > 80) {
			msg += fmt.Sprintf(" (first difference at byte %d)", firstDifference(w.String(), g.String()))
		}
		d.addf(path, "%s", msg)
	}
}

// bytes compares raw bytes as text; nil equals empty.
func (d *differ) bytes(path string, w, g []byte) {
	if string(w) == string(g) {
		return
	}
	d.addf(path, "got %q, want %q (first difference at byte %d)", truncateForDiff(g), truncateForDiff(w), firstDifference(string(w), string(g)))
}

// truncateForDiff keeps a long value's start for a message.
func truncateForDiff(b []byte) string {
	const max = 120
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// firstDifference returns the index of the first byte where a and b differ.
func firstDifference(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

func (d *differ) time(path string, w, g time.Time) {
	if w.Equal(g) {
		return
	}
	msg := fmt.Sprintf("got %s, want %s", showTime(g), showTime(w))
	if !w.IsZero() && !g.IsZero() {
		off := g.Sub(w)
		switch {
		case off > -time.Second && off < time.Second:
			msg += fmt.Sprintf(" (off by %v: the store loses precision)", off)
		case off%(15*time.Minute) == 0:
			msg += fmt.Sprintf(" (off by %v: does the store convert to or from local time?)", off)
		}
	}
	d.addf(path, "%s", msg)
}

// idOf returns the ID field of a struct value, if it has a string one.
func idOf(v reflect.Value) (string, bool) {
	if v.Kind() != reflect.Struct {
		return "", false
	}
	f := v.FieldByName("ID")
	if !f.IsValid() || f.Kind() != reflect.String {
		return "", false
	}
	return f.String(), true
}

func (d *differ) slice(path string, w, g reflect.Value) {
	if w.Type().Elem().Kind() == reflect.Struct {
		if _, ok := idOf(reflect.Zero(w.Type().Elem())); ok {
			d.idSlice(path, w, g)
			return
		}
		if w.Len() != g.Len() {
			d.addf(path, "got %d elements, want %d", g.Len(), w.Len())
			return
		}
		for i := range w.Len() {
			d.value(fmt.Sprintf("%s[%d]", path, i), w.Index(i), g.Index(i))
		}
		return
	}
	equal := w.Len() == g.Len()
	for i := 0; equal && i < w.Len(); i++ {
		equal = w.Index(i).Equal(g.Index(i))
	}
	if equal {
		return
	}
	ws, gs := showElems(w), showElems(g)
	note := ""
	if len(ws) == len(gs) && len(ws) > 0 {
		ss, sg := slices.Clone(ws), slices.Clone(gs)
		slices.Sort(ss)
		slices.Sort(sg)
		if slices.Equal(ss, sg) {
			note = " (the same elements in another order: a store must keep the order)"
		}
	}
	d.addf(path, "got [%s], want [%s]%s", strings.Join(gs, " "), strings.Join(ws, " "), note)
}

// idSlice compares slices of structs with an ID (secrets): first the order of
// IDs, then each element matched by ID.
func (d *differ) idSlice(path string, w, g reflect.Value) {
	ids := func(v reflect.Value) []string {
		out := make([]string, v.Len())
		for i := range v.Len() {
			out[i], _ = idOf(v.Index(i))
		}
		return out
	}
	wids, gids := ids(w), ids(g)
	if !slices.Equal(wids, gids) {
		ss, sg := slices.Clone(wids), slices.Clone(gids)
		slices.Sort(ss)
		slices.Sort(sg)
		note := ""
		if slices.Equal(ss, sg) {
			note = " (the same elements in another order: a store must keep the order)"
		}
		d.addf(path, "got IDs %q, want %q%s", gids, wids, note)
		// Compare what can be matched by ID.
		for i, id := range wids {
			if j := slices.Index(gids, id); j >= 0 {
				d.value(fmt.Sprintf("%s[ID=%q]", path, id), w.Index(i), g.Index(j))
			}
		}
		return
	}
	for i := range w.Len() {
		d.value(fmt.Sprintf("%s[%d]", path, i), w.Index(i), g.Index(i))
	}
}

func (d *differ) mapping(path string, w, g reflect.Value) {
	keys := map[string]reflect.Value{}
	for _, k := range w.MapKeys() {
		keys[fmt.Sprint(k.Interface())] = k
	}
	for _, k := range g.MapKeys() {
		keys[fmt.Sprint(k.Interface())] = k
	}
	names := make([]string, 0, len(keys))
	for n := range keys {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		k := keys[n]
		p := fmt.Sprintf("%s[%s]", path, show(k))
		wv, gv := w.MapIndex(k), g.MapIndex(k)
		switch {
		case !gv.IsValid():
			d.addf(p, "missing, want %s", show(wv))
		case !wv.IsValid():
			d.addf(p, "got %s, want no such key", show(gv))
		default:
			d.value(p, wv, gv)
		}
	}
}

func showElems(v reflect.Value) []string {
	out := make([]string, v.Len())
	for i := range v.Len() {
		out[i] = show(v.Index(i))
	}
	return out
}

// show formats a value for a message: strings quoted (long ones shortened),
// times in RFC 3339, durations as durations.
func show(v reflect.Value) string {
	if !v.IsValid() {
		return "nothing"
	}
	if v.Type() == timeType {
		return showTime(v.Interface().(time.Time))
	}
	if v.Kind() == reflect.String {
		return showString(v.String())
	}
	if v.CanInterface() {
		return fmt.Sprintf("%+v", v.Interface())
	}
	return v.String()
}

func showTime(t time.Time) string {
	if t.IsZero() {
		return "the zero time"
	}
	return t.Format(time.RFC3339Nano)
}

func showString(s string) string {
	if len(s) <= 80 {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q… (%d bytes)", s[:60], len(s))
}
