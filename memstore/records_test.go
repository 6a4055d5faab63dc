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

// TestRecordsShrink fills records, then empties it in an order that moves
// records on most removes: each step every remaining ID finds its record,
// the slice gives back its room once mostly empty, and the last remove
// leaves an empty set whose lookup hands out no decoy.
func TestRecordsShrink(t *testing.T) {
	var got records
	const n = 1000
	want := map[string]*oauthreg.ClientRecord{}
	for i := range n {
		rec := oauthreg.NewClientRecord(&oauthreg.Client{ID: fmt.Sprintf("c%d", i)})
		got.put(rec)
		want[rec.ID()] = rec
	}
	grown := cap(got.recs)
	for i := range n {
		id := fmt.Sprintf("c%d", (i*7)%n) // 7 and n are coprime: every ID once
		got.remove(id)
		delete(want, id)
		if got.len() != len(want) || len(got.slot) != len(want) {
			t.Fatalf("after %d removes: %d records, %d slots; want %d", i+1, got.len(), len(got.slot), len(want))
		}
		if i%50 == 0 || len(want) < 70 {
			for id, rec := range want {
				if got.get(id) != rec {
					t.Fatalf("after %d removes: get(%q) lost its record", i+1, id)
				}
			}
		}
		if len(want) == 100 && cap(got.recs) >= grown {
			t.Errorf("100 records left of %d: the slice still holds room for %d", n, cap(got.recs))
		}
	}
	if rec, found := got.lookup("c1", 12345); rec != nil || found {
		t.Errorf("lookup on an emptied set = %v, %v; want nil, false", rec, found)
	}
	got.put(oauthreg.NewClientRecord(&oauthreg.Client{ID: "again"}))
	if got.get("again") == nil || got.len() != 1 {
		t.Error("an emptied set does not take a record again")
	}
}
