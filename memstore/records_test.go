package memstore

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/oauthreg/oauthreg"
)

// TestRecordsAgainstMap drives records with random puts (new IDs and
// replacements) and removes, and checks it against a plain map after each
// step: every ID finds its latest record, a slot names the record whose ID
// maps to it, and a miss's decoy is one of the records.
func TestRecordsAgainstMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var got records
	want := map[string]*oauthreg.ClientRecord{}
	for step := range 20000 {
		id := fmt.Sprintf("c%d", rng.IntN(300))
		switch {
		case rng.IntN(3) == 0 && want[id] != nil:
			got.remove(id)
			delete(want, id)
		default:
			rec := oauthreg.NewClientRecord(&oauthreg.Client{ID: id, Version: int64(step)})
			got.put(rec)
			want[id] = rec
		}
		if got.len() != len(want) || len(got.slot) != len(want) {
			t.Fatalf("step %d: %d records, %d slots; want %d", step, got.len(), len(got.slot), len(want))
		}
		for id, rec := range want {
			if got.get(id) != rec {
				t.Fatalf("step %d: get(%q) is not the latest record", step, id)
			}
		}
		for i, rec := range got.all() {
			if got.slot[rec.ID()] != int32(i) {
				t.Fatalf("step %d: slot %d holds %q, whose slot is %d", step, i, rec.ID(), got.slot[rec.ID()])
			}
		}
		decoy, found := got.lookup("absent", rng.Uint64())
		if found || (len(want) > 0 && want[decoy.ID()] != decoy) || (len(want) == 0 && decoy != nil) {
			t.Fatalf("step %d: lookup of an absent ID = %v, found %v; want a stored record as decoy", step, decoy, found)
		}
	}
}
