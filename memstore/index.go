package memstore

import (
	"iter"
	"slices"
	"sort"
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
	h := len(c) / 2
	tail := slices.Clone(c[h:])
	clear(c[h:]) // let the garbage collector have what the head no longer shows
	x.chunks[i] = c[:h]
	x.chunks = slices.Insert(x.chunks, i+1, tail)
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
