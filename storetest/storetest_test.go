package storetest_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/storetest"
)

func TestRunMemstore(t *testing.T) {
	storetest.Run(t, func(*testing.T) oauthreg.Store { return memstore.New() })
}

// TestNewClientSetsEveryField guards the round-trip test: a field added to
// Client or Secret must get a value in NewClient, or the suite would not
// check that stores keep it.
func TestNewClientSetsEveryField(t *testing.T) {
	c := storetest.NewClient("x")
	v := reflect.ValueOf(c).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		zeroAllowed := name == "Public" || name == "Disabled" || name == "Version"
		if v.Field(i).IsZero() != zeroAllowed {
			t.Errorf("NewClient: field Client.%s is zero=%v, want zero=%v", name, v.Field(i).IsZero(), zeroAllowed)
		}
	}
	if c.RotationPolicy != nil {
		p := reflect.ValueOf(*c.RotationPolicy)
		for i := range p.NumField() {
			if p.Field(i).IsZero() {
				t.Errorf("NewClient: RotationPolicy.%s is zero", p.Type().Field(i).Name)
			}
		}
	}
	st := reflect.TypeFor[oauthreg.Secret]()
	for i := range st.NumField() {
		set := false
		for _, s := range c.Secrets {
			set = set || !reflect.ValueOf(s).Field(i).IsZero()
		}
		if !set {
			t.Errorf("NewClient: no secret sets Secret.%s", st.Field(i).Name)
		}
	}
	kinds := map[oauthreg.SecretKind]bool{}
	for _, s := range c.Secrets {
		kinds[s.Kind] = true
	}
	if len(kinds) != 3 {
		t.Errorf("NewClient: secrets of kinds %v, want all three", kinds)
	}
	ids := []string{}
	for _, s := range c.Secrets {
		ids = append(ids, s.ID)
	}
	if slices.IsSorted(ids) {
		t.Errorf("NewClient: secret IDs %q are sorted; they must not be, to catch stores that sort", ids)
	}
	if d := storetest.Diff(c, storetest.NewClient("x")); d != nil {
		t.Errorf("NewClient is not deterministic: %q", d)
	}
	other := storetest.NewClient("x")
	other.Metadata["k"] = "v"
	other.Secrets[0].Hash = oauthreg.Conceal("changed")
	other.RotationPolicy.MaxActiveSecrets = 9
	if _, ok := c.Metadata["k"]; ok || c.Secrets[0].Hash.Reveal() == "changed" || c.RotationPolicy.MaxActiveSecrets == 9 {
		t.Error("two NewClient results share memory")
	}
}

func TestDiff(t *testing.T) {
	base := func() *oauthreg.Client {
		return &oauthreg.Client{ID: "x", CreatedAt: storetest.BaseTime()}
	}
	for _, tc := range []struct {
		name   string
		change func(w, g *oauthreg.Client)
		want   []string // substrings of the lines, in order; nil for equal
	}{
		{"Equal", func(w, g *oauthreg.Client) {}, nil},
		{"NilEqualsEmpty", func(w, g *oauthreg.Client) {
			g.Scopes, g.Metadata, g.Secrets = []string{}, map[string]string{}, []oauthreg.Secret{}
		}, nil},
		{"TimeZoneAndMonotonic", func(w, g *oauthreg.Client) {
			w.CreatedAt = time.Now() // with a monotonic reading
			g.CreatedAt = w.CreatedAt.Round(0).In(time.FixedZone("X", 3600))
		}, nil},
		{"Precision", func(w, g *oauthreg.Client) { g.CreatedAt = g.CreatedAt.Add(-time.Microsecond) },
			[]string{"CreatedAt: got", "loses precision"}},
		{"LocalTime", func(w, g *oauthreg.Client) { g.CreatedAt = g.CreatedAt.Add(2 * time.Hour) },
			[]string{"CreatedAt: got", "local time"}},
		{"PolicyNil", func(w, g *oauthreg.Client) { w.RotationPolicy = &oauthreg.RotationPolicy{} },
			[]string{"RotationPolicy: got nil"}},
		{"Order", func(w, g *oauthreg.Client) { w.Scopes, g.Scopes = []string{"b", "a"}, []string{"a", "b"} },
			[]string{`Scopes: got ["a" "b"], want ["b" "a"] (the same elements in another order`}},
		{"EmptyElement", func(w, g *oauthreg.Client) { g.UserTags = []string{""} },
			[]string{`UserTags: got [""], want []`}},
		{"Map", func(w, g *oauthreg.Client) {
			w.Metadata = map[string]string{"a": "1", "b": ""}
			g.Metadata = map[string]string{"a": "2", "c": "3"}
		}, []string{`Metadata["a"]: got "2", want "1"`, `Metadata["b"]: missing, want ""`, `Metadata["c"]: got "3", want no such key`}},
		{"Secrets", func(w, g *oauthreg.Client) {
			w.Secrets = []oauthreg.Secret{{ID: "1", Hash: oauthreg.Conceal("h")}, {ID: "2"}}
			g.Secrets = []oauthreg.Secret{{ID: "2"}, {ID: "1", Hash: oauthreg.Conceal("x")}}
		}, []string{`Secrets: got IDs ["2" "1"], want ["1" "2"] (the same elements`, `Secrets[ID="1"].Hash: got "x", want "h"`}},
		{"LongString", func(w, g *oauthreg.Client) {
			w.Description = strings.Repeat("d", 200)
			g.Description = strings.Repeat("d", 100)
		}, []string{"Description: got", "(100 bytes)", "first difference at byte 100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, g := base(), base()
			tc.change(w, g)
			d := storetest.Diff(w, g)
			all := strings.Join(d, "\n")
			if (tc.want == nil) != (d == nil) {
				t.Errorf("Diff returned %q, want lines containing %q", d, tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("Diff output lacks %q:\n%s", w, all)
				}
			}
		})
	}
	if storetest.Diff(nil, nil) != nil || storetest.Diff(nil, base()) == nil || storetest.Diff(base(), nil) == nil {
		t.Error("Diff with nil clients")
	}
}
