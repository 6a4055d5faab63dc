package memstore

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIndexAgainstSlice runs random inserts and removes on an idIndex and a
// plain sorted slice and compares them, including every seek.
func TestIndexAgainstSlice(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var x idIndex
	var ref []string
	key := func() string { return fmt.Sprintf("%x", r.IntN(5000)) }
	for step := range 40_000 {
		id := key()
		// Insert-heavy at first, then remove-heavy, to split and merge chunks.
		insert := r.IntN(10) < 7
		if step > 20_000 {
			insert = r.IntN(10) < 3
		}
		j, found := slices.BinarySearch(ref, id)
		if insert {
			if got := x.insert(id); got != !found {
				t.Fatalf("step %d: insert(%q) = %v, want %v", step, id, got, !found)
			}
			if !found {
				ref = slices.Insert(ref, j, id)
			}
		} else {
			if got := x.remove(id); got != found {
				t.Fatalf("step %d: remove(%q) = %v, want %v", step, id, got, found)
			}
			if found {
				ref = slices.Delete(ref, j, j+1)
			}
		}
		if step%1000 == 0 || step == 39_999 {
			checkIndex(t, &x, ref)
			after := key()
			k, _ := slices.BinarySearch(ref, after)
			for k < len(ref) && ref[k] == after {
				k++
			}
			if got := slices.Collect(x.after(after)); !slices.Equal(got, ref[k:]) {
				t.Fatalf("step %d: after(%q) yields %d IDs, want %d", step, after, len(got), len(ref)-k)
			}
		}
	}
}

func checkIndex(t *testing.T, x *idIndex, ref []string) {
	t.Helper()
	if got := slices.Collect(x.after("")); !slices.Equal(got, ref) {
		t.Fatalf("index holds %d IDs, want %d (or not in order)", len(got), len(ref))
	}
	if x.len() != len(ref) {
		t.Fatalf("len() = %d, want %d", x.len(), len(ref))
	}
	for i, c := range x.chunks {
		if len(c) == 0 || len(c) > maxChunk {
			t.Fatalf("chunk %d has %d IDs", i, len(c))
		}
	}
}

func TestIndexEarlyStop(t *testing.T) {
	var x idIndex
	for i := range 2000 {
		x.insert(fmt.Sprintf("%04d", i))
	}
	n := 0
	for range x.after("0100") {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Fatal(n)
	}
	if got := slices.Collect(x.after("9")); len(got) != 0 {
		t.Fatalf("after the last ID: %q", got)
	}
}

// TestSecretIndex: holders move between the one-holder map and the sorted
// lists as they come and go, and the answer is always the sorted holders.
func TestSecretIndex(t *testing.T) {
	var x secretIndex
	check := func(want ...string) {
		t.Helper()
		if got := x.ids("s"); !slices.Equal(got, want) && (len(got) != 0 || len(want) != 0) {
			t.Fatalf("ids = %q, want %q", got, want)
		}
	}
	check()
	x.remove("s", "a") // absent: nothing
	x.insert("s", "c")
	x.insert("s", "c")
	check("c")
	x.insert("s", "a")
	check("a", "c")
	x.insert("s", "b")
	x.insert("s", "b")
	check("a", "b", "c")
	x.ids("s")[0] = "changed" // the caller's own
	x.remove("s", "b")
	check("a", "c")
	x.remove("s", "x")
	check("a", "c")
	x.remove("s", "a")
	check("c")
	x.remove("s", "c")
	check()
	if len(x.one) != 0 || len(x.many) != 0 {
		t.Fatalf("entries left: %v %v", x.one, x.many)
	}
}
