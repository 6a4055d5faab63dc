package memstore

import (
	"iter"
	"slices"
	"sort"

	"github.com/oauthreg/oauthreg"
)

// maxChunk is the largest number of IDs one chunk of an idIndex holds before
// it is split in two. Inserting or removing an ID moves at most this many
// strings, plus, when a chunk splits or disappears, the chunk headers.
const maxChunk = 512

// idIndex is a sorted set of client IDs in byte order, kept as a list of
// sorted chunks (a two-level B-tree without the tree). It gives ListClients
// a keyset seek in O(log n) and keeps inserts and deletes at
// O(maxChunk + n/maxChunk), whatever order IDs arrive in.
//
// Invariants: every chunk is non-empty and sorted, and the last ID of a chunk
// is less than the first ID of the next one. The zero value is an empty set.
type idIndex struct {
	chunks [][]string
	n      int
}

// len returns the number of IDs in the set.
func (x *idIndex) len() int { return x.n }

// find returns the index of the first chunk whose last ID is >= id, or
// len(x.chunks) if there is none.
func (x *idIndex) find(id string) int {
	return sort.Search(len(x.chunks), func(i int) bool {
		c := x.chunks[i]
		return c[len(c)-1] >= id
	})
}

// insert adds id and reports whether it was not already present.
func (x *idIndex) insert(id string) bool {
	if len(x.chunks) == 0 {
		x.chunks = [][]string{{id}}
		x.n = 1
		return true
	}
	i := x.find(id)
	if i == len(x.chunks) {
		i-- // larger than every ID: append to the last chunk
	}
	c := x.chunks[i]
	j, found := slices.BinarySearch(c, id)
	if found {
		return false
	}
	c = slices.Insert(c, j, id)
	x.n++
	if len(c) <= maxChunk {
		x.chunks[i] = c
		return true
	}
	// Split in two, each its own exact copy, so that no chunk keeps the
	// spare capacity append gave c. IDs that arrive in order (UUIDv7s,
	// which Register generates) all land at the end of the last chunk:
	// that chunk is split full, not in halves, which would leave every
	// chunk half empty forever.
	h := len(c) / 2
	if i == len(x.chunks)-1 && j == len(c)-1 {
		h = len(c) - 1
	}
	x.chunks[i] = slices.Clone(c[:h])
	x.chunks = slices.Insert(x.chunks, i+1, slices.Clone(c[h:]))
	return true
}

// remove deletes id and reports whether it was present.
func (x *idIndex) remove(id string) bool {
	i := x.find(id)
	if i == len(x.chunks) {
		return false
	}
	c := x.chunks[i]
	j, found := slices.BinarySearch(c, id)
	if !found {
		return false
	}
	c = slices.Delete(c, j, j+1)
	x.n--
	switch {
	case len(c) == 0:
		x.chunks = slices.Delete(x.chunks, i, i+1)
		return true
	case len(c) < maxChunk/4 && i+1 < len(x.chunks) && len(c)+len(x.chunks[i+1]) <= maxChunk:
		// Merge small neighbours so that many deletes cannot leave a long
		// list of tiny chunks behind.
		x.chunks[i] = append(c, x.chunks[i+1]...)
		x.chunks = slices.Delete(x.chunks, i+1, i+2)
	case len(c) < maxChunk/4 && i > 0 && len(c)+len(x.chunks[i-1]) <= maxChunk:
		x.chunks[i-1] = append(x.chunks[i-1], c...)
		x.chunks = slices.Delete(x.chunks, i, i+1)
	default:
		x.chunks[i] = c
	}
	return true
}

// after yields, in byte order, the IDs greater than after. With after == ""
// it yields every ID (client IDs are never empty).
func (x *idIndex) after(after string) iter.Seq[string] {
	return func(yield func(string) bool) {
		i := sort.Search(len(x.chunks), func(i int) bool {
			c := x.chunks[i]
			return c[len(c)-1] > after
		})
		if i == len(x.chunks) {
			return
		}
		c := x.chunks[i]
		j := sort.Search(len(c), func(j int) bool { return c[j] > after })
		for ; i < len(x.chunks); i, j = i+1, 0 {
			for _, id := range x.chunks[i][j:] {
				if !yield(id) {
					return
				}
			}
		}
	}
}

// tagKey names the index of one tag: system or user, and the tag.
type tagKey struct {
	user bool
	tag  string
}

// driver returns the narrowest index that holds every client q can match
// (nil when no client can), for ListClients to scan from the cursor on; the
// caller holds a lock.
func (s *Store) driver(q oauthreg.ListQuery) *idIndex {
	switch {
	case q.SystemTag != "":
		return s.byTag[tagKey{tag: q.SystemTag}]
	case q.UserTag != "":
		return s.byTag[tagKey{user: true, tag: q.UserTag}]
	case q.Owner != "":
		return s.byOwner[q.Owner]
	case q.Disabled != nil && *q.Disabled:
		return &s.disabled
	}
	return &s.all
}

// indexFilters moves the entries of client id in the tag, disabled and
// secret indexes from its old client to its new one (either may be nil: a
// created or deleted client); the caller holds the write lock. id is the
// store's own string of the ID.
func (s *Store) indexFilters(id string, old, rec *oauthreg.Client) {
	var o, n *oauthreg.Client
	if old != nil {
		o = old
	} else {
		o = &oauthreg.Client{}
	}
	if rec != nil {
		n = rec
	} else {
		n = &oauthreg.Client{}
	}
	s.moveTags(id, false, o.SystemTags, n.SystemTags)
	s.moveTags(id, true, o.UserTags, n.UserTags)
	switch {
	case o.Disabled && !n.Disabled:
		s.disabled.remove(id)
	case !o.Disabled && n.Disabled:
		s.disabled.insert(id)
	}
	for _, sec := range o.Secrets {
		if !slices.ContainsFunc(n.Secrets, func(x oauthreg.Secret) bool { return x.ID == sec.ID }) {
			s.bySecret.remove(sec.ID, id)
		}
	}
	for _, sec := range n.Secrets {
		s.bySecret.insert(sec.ID, id)
	}
}

// moveTags updates the tag indexes of client id from the tags it had to the
// tags it has.
func (s *Store) moveTags(id string, user bool, had, has []string) {
	for _, t := range had {
		if slices.Contains(has, t) {
			continue
		}
		k := tagKey{user: user, tag: t}
		if idx := s.byTag[k]; idx != nil {
			idx.remove(id)
			if idx.len() == 0 {
				delete(s.byTag, k)
			}
		}
	}
	for _, t := range has {
		if slices.Contains(had, t) {
			continue
		}
		k := tagKey{user: user, tag: t}
		idx := s.byTag[k]
		if idx == nil {
			idx = new(idIndex)
			s.byTag[k] = idx
		}
		idx.insert(id)
	}
}

// secretIndex maps a secret ID to the IDs of the clients that hold a secret
// with that ID. Generated secret IDs are random, so almost every one is held
// by one client: that client is kept as a plain string (one map slot, no
// slice); the rare ID several clients hold has a sorted list instead. The
// zero value is an empty index.
type secretIndex struct {
	one  map[string]string
	many map[string][]string
}

// ids returns the holders of secretID in byte order, the caller's own.
func (x *secretIndex) ids(secretID string) []string {
	if id, ok := x.one[secretID]; ok {
		return []string{id}
	}
	return slices.Clone(x.many[secretID])
}

// insert records that client id holds secretID.
func (x *secretIndex) insert(secretID, id string) {
	if ids, ok := x.many[secretID]; ok {
		if i, found := slices.BinarySearch(ids, id); !found {
			x.many[secretID] = slices.Insert(ids, i, id)
		}
		return
	}
	other, ok := x.one[secretID]
	switch {
	case !ok:
		if x.one == nil {
			x.one = make(map[string]string)
		}
		x.one[secretID] = id
	case other != id:
		delete(x.one, secretID)
		if x.many == nil {
			x.many = make(map[string][]string)
		}
		x.many[secretID] = []string{min(id, other), max(id, other)}
	}
}

// remove records that client id no longer holds secretID.
func (x *secretIndex) remove(secretID, id string) {
	if ids, ok := x.many[secretID]; ok {
		ids = slices.DeleteFunc(ids, func(x string) bool { return x == id })
		if len(ids) == 1 {
			delete(x.many, secretID)
			x.one[secretID] = ids[0]
		} else {
			x.many[secretID] = ids
		}
		return
	}
	if x.one[secretID] == id {
		delete(x.one, secretID)
	}
}
