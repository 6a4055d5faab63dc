package sqlstore

import (
	"slices"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

// stored returns the rows of secrets as UpdateClient reads them, at the
// given ordinals.
func stored(secrets []oauthreg.Secret, ordinals ...int64) map[string]storedSecret {
	m := map[string]storedSecret{}
	for i := range secrets {
		m[secrets[i].ID] = storedSecret{ordinal: ordinals[i], cols: secretColsOf(&secrets[i])}
	}
	return m
}

func secretsNamed(ids ...string) []oauthreg.Secret {
	out := make([]oauthreg.Secret, len(ids))
	for i, id := range ids {
		out[i] = oauthreg.Secret{ID: id, Kind: oauthreg.SecretGenerated, Hash: oauthreg.Conceal("$sha256$" + id),
			CreatedAt: time.Unix(1700000000, 0)}
	}
	return out
}

// TestDiffSecrets pins which rows an update writes, at which ordinals, and
// which it deletes.
func TestDiffSecrets(t *testing.T) {
	type row struct {
		id      string
		ordinal int64
	}
	written := func(w []secretWrite) []row {
		var out []row
		for _, x := range w {
			out = append(out, row{x.s.ID, x.ordinal})
		}
		return out
	}
	abc := secretsNamed("a", "b", "c")
	expired := slices.Clone(abc)
	expired[1].ExpiresAt = time.Unix(1800000000, 0)
	for _, tc := range []struct {
		name     string
		stored   map[string]storedSecret
		secrets  []oauthreg.Secret
		write    []row
		removed  []string
		ordinals []int64 // of every secret, in order, after the update
	}{
		{"unchanged", stored(abc, 0, 1, 2), abc, nil, nil, []int64{0, 1, 2}},
		{"unchanged, gaps kept", stored(abc, 3, 10, 11), abc, nil, nil, []int64{3, 10, 11}},
		{"appended", stored(abc, 0, 1, 2), secretsNamed("a", "b", "c", "d"), []row{{"d", 3}}, nil, nil},
		{"one field changed", stored(abc, 0, 1, 2), expired, []row{{"b", 1}}, nil, nil},
		{"oldest dropped, one appended: no renumbering", stored(abc, 0, 1, 2), secretsNamed("b", "c", "d"),
			[]row{{"d", 3}}, []string{"a"}, nil},
		{"prepended: the others move", stored(abc, 0, 1, 2), secretsNamed("z", "a", "b", "c"),
			[]row{{"z", 0}, {"a", 1}, {"b", 2}, {"c", 3}}, nil, nil},
		{"moved to the end", stored(abc, 0, 1, 2), secretsNamed("b", "c", "a"), []row{{"a", 3}}, nil, nil},
		{"reversed", stored(abc, 0, 1, 2), secretsNamed("c", "b", "a"), []row{{"b", 3}, {"a", 4}}, nil, nil},
		{"all removed", stored(abc, 0, 1, 2), nil, nil, []string{"a", "b", "c"}, nil},
		{"near the INT limit: renumbered", stored(abc, maxOrdinal-2, maxOrdinal-1, maxOrdinal), secretsNamed("a", "b", "c", "d"),
			[]row{{"a", 0}, {"b", 1}, {"c", 2}, {"d", 3}}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, removed := diffSecrets(tc.stored, tc.secrets)
			if got := written(w); !slices.Equal(got, tc.write) {
				t.Errorf("wrote %v, want %v", got, tc.write)
			}
			if !slices.Equal(removed, tc.removed) {
				t.Errorf("removed %q, want %q", removed, tc.removed)
			}
			// Whatever was written, the ordinals after the update grow
			// along the secrets.
			after := map[string]int64{}
			for id, s := range tc.stored {
				after[id] = s.ordinal
			}
			for _, x := range w {
				after[x.s.ID] = x.ordinal
			}
			var ords []int64
			for i, s := range tc.secrets {
				ords = append(ords, after[s.ID])
				if i > 0 && ords[i] <= ords[i-1] {
					t.Errorf("ordinals after the update %v do not grow along the secrets", ords)
				}
				if ords[i] > maxOrdinal {
					t.Errorf("ordinal %d is past what MySQL's INT holds", ords[i])
				}
			}
			if tc.ordinals != nil && !slices.Equal(ords, tc.ordinals) {
				t.Errorf("ordinals %v, want %v", ords, tc.ordinals)
			}
		})
	}
}

// TestDiffTags pins the tag rows an update inserts and deletes.
func TestDiffTags(t *testing.T) {
	st := map[tagRow]bool{{"system", "a"}: true, {"system", "b"}: true, {"user", "a"}: true}
	c := &oauthreg.Client{SystemTags: []string{"b", "c", "c"}, UserTags: []string{"a"}}
	add, remove := diffTags(st, c)
	if want := []tagRow{{"system", "c"}}; !slices.Equal(add, want) {
		t.Errorf("add %v, want %v", add, want)
	}
	if want := []tagRow{{"system", "a"}}; !slices.Equal(remove, want) {
		t.Errorf("remove %v, want %v", remove, want)
	}
	if add, remove := diffTags(st, &oauthreg.Client{SystemTags: []string{"a", "b"}, UserTags: []string{"a"}}); add != nil || remove != nil {
		t.Errorf("unchanged tags: add %v, remove %v, want nothing", add, remove)
	}
}
