package clientimport

import (
	"encoding/json"
	"testing"
)

// FuzzArrayLen holds arrayLen to encoding/json's count of the elements of a
// valid JSON array.
func FuzzArrayLen(f *testing.F) {
	for _, s := range []string{`[]`, ` [ ] `, `[1]`, `[{"a":[1,2]},"x,y\"]",[]]`, `[{},{}]`, `["\\",{"k":"\\\""}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var items []json.RawMessage
		if json.Unmarshal(b, &items) != nil || items == nil {
			return
		}
		if got := arrayLen(b, len(items)); got != len(items) {
			t.Fatalf("arrayLen(%q) = %d; encoding/json reads %d elements", b, got, len(items))
		}
		if len(items) > 0 {
			if got := arrayLen(b, len(items)-1); got != len(items) {
				t.Fatalf("arrayLen(%q, %d) = %d; want it to stop at %d", b, len(items)-1, got, len(items))
			}
		}
	})
}
