package memstore

import "github.com/oauthreg/oauthreg"

// records holds a store's client records: a map from each ID to the slot
// of its record in one dense slice.
//
// The slice is what makes an unknown ID cost what a known one does (see
// Store.ViewClient): a hit is a map lookup and a read of the record's slot;
// a miss is the same map lookup and a read of the slot a keyed hash of the
// ID picks, whose record stands in as a decoy. Either way one record among
// many is read, not one the CPU's cache keeps warm. It also keeps the
// collector's work per client small: the map holds no pointers but its
// keys, and the slice is one object scanned in order.
//
// The zero value is empty and ready to use. The caller synchronises.
type records struct {
	slot map[string]int32
	recs []*oauthreg.ClientRecord
}

// maxRecords is the most clients a store can hold: a slot is an int32.
const maxRecords = 1<<31 - 1

// get returns the record of id, or nil.
func (t *records) get(id string) *oauthreg.ClientRecord {
	i, ok := t.slot[id]
	if !ok {
		return nil
	}
	return t.recs[i]
}

// lookup returns the record of id and true, or, when there is none, the
// record in the slot h picks (nil when the set is empty) and false: the
// same reads either way.
func (t *records) lookup(id string, h uint64) (*oauthreg.ClientRecord, bool) {
	i, ok := t.slot[id]
	if !ok {
		if len(t.recs) == 0 {
			return nil, false
		}
		i = int32(h % uint64(len(t.recs)))
	}
	return t.recs[i], ok
}

// put stores rec as the record of its ID, in place of the one there if
// any; a new ID takes the next slot.
func (t *records) put(rec *oauthreg.ClientRecord) {
	if t.slot == nil {
		t.slot = make(map[string]int32)
	}
	id := rec.ID()
	if i, ok := t.slot[id]; ok {
		t.recs[i] = rec
		return
	}
	t.slot[id] = int32(len(t.recs))
	t.recs = append(t.recs, rec)
}

// remove drops the record of id, which must be present: the last slot's
// record moves into its slot.
func (t *records) remove(id string) {
	i := t.slot[id]
	last := len(t.recs) - 1
	if int(i) != last {
		moved := t.recs[last]
		t.recs[i] = moved
		t.slot[moved.ID()] = i
	}
	t.recs[last] = nil
	t.recs = t.recs[:last]
	delete(t.slot, id)
	// Give back the slice's room when it is mostly empty, as a map does
	// not but a slice of a million pointers should.
	if cap(t.recs) > 64 && len(t.recs) < cap(t.recs)/4 {
		t.recs = append([]*oauthreg.ClientRecord(nil), t.recs...)
	}
}

// len returns the number of records.
func (t *records) len() int { return len(t.recs) }

// all returns every record, in no particular order; the caller must not
// keep the slice past its lock.
func (t *records) all() []*oauthreg.ClientRecord { return t.recs }
