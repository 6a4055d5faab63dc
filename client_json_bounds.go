package oauthreg

import "strconv"

// jsonShape is what boundJSON learns about a JSON document in one pass,
// without allocating per value.
type jsonShape struct {
	values int // every value, containers included
	depth  int // deepest nesting of objects and arrays
}

// boundJSON checks, before anything is decoded, that data (a client's JSON)
// is small enough to decode without taking much more memory than its own
// size: at most MaxClientJSONBytes, at most MaxJSONElements elements in any
// array or members in any object, at most MaxJSONValues values in all, and
// nesting at most MaxJSONDepth deep. A 5 MB body of empty objects used to
// become about 350 MB of heap; the bounds keep any accepted body to a small
// multiple of its size.
//
// It only counts; it does not validate. Malformed JSON passes or fails here
// as it happens and is reported by the decoder that runs next.
func boundJSON(data []byte) *ValidationError {
	if len(data) > MaxClientJSONBytes {
		return metadataError("", "the JSON is %d bytes; at most %d are accepted (MaxClientJSONBytes)", len(data), MaxClientJSONBytes)
	}
	_, problem := scanJSONShape(data)
	return problem
}

// scanJSONShape walks data once. It stops at the first bound exceeded and
// returns a *ValidationError naming the top-level member in which that
// happened ("" for the document itself).
func scanJSONShape(data []byte) (jsonShape, *ValidationError) {
	type level struct {
		elements int
		nonEmpty bool
	}
	var (
		shape    jsonShape
		stack    []level
		member   string // the top-level member being read
		topIsObj bool   // the document is an object
		keyNext  bool   // the next string at depth 1 is a member name
	)
	fail := func(format string, args ...any) (jsonShape, *ValidationError) {
		return shape, metadataError(member, format, args...)
	}
	value := func() bool {
		shape.values++
		if n := len(stack); n > 0 && !stack[n-1].nonEmpty {
			stack[n-1].nonEmpty = true
			stack[n-1].elements = 1
		}
		return shape.values <= MaxJSONValues
	}
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			start := i + 1
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			end := min(i, len(data))
			if len(stack) == 1 && keyNext {
				// A member name of the client object: kept (bounded) to
				// name the member in errors.
				if s, err := strconv.Unquote(`"` + string(data[start:end]) + `"`); err == nil && len(s) <= 64 {
					member = s
				} else {
					member = "(a member)"
				}
				keyNext = false
				continue
			}
			if len(stack) > 1 && isObjectKey(data, end+1) {
				continue // a nested member name, counted with its value
			}
			if !value() {
				return fail("holds more than %d JSON values in all", MaxJSONValues)
			}
		case '{', '[':
			if !value() {
				return fail("holds more than %d JSON values in all", MaxJSONValues)
			}
			stack = append(stack, level{})
			if len(stack) > MaxJSONDepth {
				return fail("nests objects and arrays more than %d deep", MaxJSONDepth)
			}
			shape.depth = max(shape.depth, len(stack))
			if len(stack) == 1 {
				topIsObj = c == '{'
				keyNext = topIsObj
			}
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 {
				member = ""
			}
		case ',':
			if n := len(stack); n > 0 {
				stack[n-1].elements++
				if e := stack[n-1].elements; e > MaxJSONElements {
					if n == 1 {
						member = ""
					}
					return fail("has more than %d elements in one array or members in one object", MaxJSONElements)
				}
				if n == 1 {
					keyNext = topIsObj
				}
			}
		case ' ', '\t', '\r', '\n', ':':
		default:
			// A number or a literal: one value, skipped to its end.
			if !value() {
				return fail("holds more than %d JSON values in all", MaxJSONValues)
			}
			for i+1 < len(data) && !isJSONDelimiter(data[i+1]) {
				i++
			}
		}
	}
	return shape, nil
}

// isObjectKey reports whether the next non-blank byte at or after i is ':',
// that is whether the string that ended just before i is a member name.
func isObjectKey(data []byte, i int) bool {
	for ; i < len(data); i++ {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
		case ':':
			return true
		default:
			return false
		}
	}
	return false
}

func isJSONDelimiter(c byte) bool {
	switch c {
	case ',', ':', '{', '}', '[', ']', '"', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}
