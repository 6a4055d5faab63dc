package oauthreg_test

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/storetest"
)

// hostileBody returns a JSON client of about size bytes made of as many
// tiny values as fit in the member of the given shape: the bodies that
// turned 5 MB into hundreds of MB of heap.
func hostileBody(shape string, size int) []byte {
	var b bytes.Buffer
	repeat := func(open, item, close string) {
		b.WriteString(open)
		for i := 0; b.Len() < size; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.Contains(item, "%") {
				fmt.Fprintf(&b, item, i)
			} else {
				b.WriteString(item)
			}
		}
		b.WriteString(close)
	}
	switch shape {
	case "secrets":
		repeat(`{"client_id":"x","secrets":[`, `{}`, `]}`)
	case "metadata":
		repeat(`{"client_id":"x","metadata":{`, `"%x":""`, `}}`)
	case "members":
		repeat(`{"client_id":"x",`, `"%x":0`, `}`)
	case "redirect_uris":
		repeat(`{"client_id":"x","redirect_uris":[`, `""`, `]}`)
	case "scope":
		repeat(`{"client_id":"x","scope":"`, `%x `, `"}`)
	case "nested":
		repeat(`{"client_id":"x","jwks":{"keys":[`, `[]`, `]}}`)
	}
	return b.Bytes()
}

var hostileShapes = []string{"secrets", "metadata", "members", "redirect_uris", "scope", "nested"}

// heapAfterUnmarshal returns the bytes UnmarshalJSON allocates for data and
// the live heap it keeps while the result is alive.
func heapAfterUnmarshal(data []byte) (allocated, live uint64, err error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var c oauthreg.Client
	err = c.UnmarshalJSON(data)
	runtime.ReadMemStats(&after)
	allocated = after.TotalAlloc - before.TotalAlloc
	runtime.GC()
	runtime.ReadMemStats(&after)
	if after.HeapAlloc > before.HeapAlloc {
		live = after.HeapAlloc - before.HeapAlloc
	}
	runtime.KeepAlive(&c)
	return allocated, live, err
}

// UnmarshalJSON refuses a body over MaxClientJSONBytes before decoding it,
// and one whose size is allowed but whose values are too many for any
// client, with a *ValidationError, allocating a small multiple of the input
// at most. Run with -v to see the figures.
func TestClientUnmarshalJSONBoundsMemory(t *testing.T) {
	for _, size := range []int{5 << 20, oauthreg.MaxClientJSONBytes - 64} {
		for _, shape := range hostileShapes {
			t.Run(fmt.Sprintf("%s/%dKiB", shape, size>>10), func(t *testing.T) {
				data := hostileBody(shape, size)
				allocated, live, err := heapAfterUnmarshal(data)
				t.Logf("%d-byte body: %.1f MB allocated, %.1f MB kept, err=%v", len(data), float64(allocated)/1e6, float64(live)/1e6, err)
				var ve *oauthreg.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("UnmarshalJSON of a %d-byte body of tiny %s returned %v, want a *ValidationError", len(data), shape, err)
				}
				if limit := uint64(4 * len(data)); allocated > limit {
					t.Fatalf("UnmarshalJSON of a %d-byte body of tiny %s allocated %d bytes, more than 4x the input", len(data), shape, allocated)
				}
			})
		}
	}
}

// BenchmarkClientUnmarshalJSONHostile reports the bytes UnmarshalJSON
// allocates (B/op) for bodies of tiny values just under MaxClientJSONBytes,
// next to a baseline: a valid client at every limit.
func BenchmarkClientUnmarshalJSONHostile(b *testing.B) {
	for _, shape := range hostileShapes {
		data := hostileBody(shape, oauthreg.MaxClientJSONBytes-64)
		b.Run(shape, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var c oauthreg.Client
				_ = c.UnmarshalJSON(data)
			}
		})
	}
	b.Run("baseline-client-at-limits", func(b *testing.B) {
		data, err := storetest.ClientAtLimits("baseline").MarshalJSON()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var c oauthreg.Client
			if err := c.UnmarshalJSON(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
