package oauthreg

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// referenceShape counts the values, deepest nesting and widest container
// of valid JSON with encoding/json's tokenizer: what scanJSONShape must
// agree with.
func referenceShape(data []byte) (values, depth, widest int, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type level struct {
		object   bool
		elements int
		key      bool // in an object: the next string is a member name
	}
	var stack []level
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return values, depth, widest, true
		}
		if err != nil {
			return 0, 0, 0, false
		}
		if d, isDelim := tok.(json.Delim); isDelim && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].key = true
			}
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].key {
			stack[n-1].key = false // a member name, not a value
			continue
		}
		values++
		if n := len(stack); n > 0 {
			stack[n-1].elements++
			widest = max(widest, stack[n-1].elements)
			if stack[n-1].object {
				stack[n-1].key = true
			}
		}
		if d, isDelim := tok.(json.Delim); isDelim {
			stack = append(stack, level{object: d == '{', key: d == '{'})
			depth = max(depth, len(stack))
		}
	}
}

// FuzzScanJSONShape: scanJSONShape never panics; on valid JSON it counts
// what encoding/json's tokenizer counts and refuses exactly the documents
// that exceed a bound.
func FuzzScanJSONShape(f *testing.F) {
	for _, seed := range []string{
		`{}`, `[]`, `{"a":1}`, `{"client_id":"x","secrets":[{},{"id":"s"}]}`,
		`{"a":{"b":{"c":[1,2,[3,"x,y"]]}}}`, `{"k\"ey":"v,a:l}ue","n":[true,false,null,-1.5e3]}`,
		`["a", "b" , {"c" : "d"}]`, `{"a":"\\","b":"\u0022,"}`, `"just a string"`, `12`,
		`{"x":[` + strings.Repeat(`[],`, 600) + `[]]}`,
		strings.Repeat(`[`, 40) + strings.Repeat(`]`, 40),
		`{"a":` + strings.Repeat(`{"b":`, 33) + `1` + strings.Repeat(`}`, 34),
		`{"unterminated`, `]]]}}`, `{"a":[1,2}`, `,,,,`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		shape, problem := scanJSONShape(data)
		if problem != nil {
			checkValidationErr(t, problem)
		}
		values, depth, widest, ok := referenceShape(data)
		if !ok || !json.Valid(data) {
			return
		}
		over := values > MaxJSONValues || depth > MaxJSONDepth || widest > MaxJSONElements
		if over != (problem != nil) {
			t.Fatalf("scanJSONShape(%q): problem %v, but the reference counts %d values, depth %d, widest %d", data, problem, values, depth, widest)
		}
		if problem == nil && (shape.values != values || shape.depth != depth) {
			t.Fatalf("scanJSONShape(%q) counted %d values at depth %d, the reference %d at depth %d", data, shape.values, shape.depth, values, depth)
		}
	})
}
