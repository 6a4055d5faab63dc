// Package jsonstr decodes one JSON string (RFC 8259) without encoding/json:
// into a buffer the caller supplies, so that a secret decoded there can be
// overwritten afterwards (a Go string cannot be), or, when the string holds
// no escape, as its own bytes in the input (no copy at all).
//
// What encoding/json replaces with U+FFFD, invalid UTF-8 and a surrogate
// escape that is not half of a pair, is either replaced the same way
// (Replace) or refused (Refuse), for a caller that would rather hand the
// string to encoding/json. On valid input the value is the one
// encoding/json decodes (FuzzDecode holds them together).
package jsonstr

import (
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// Invalid says what the decoder does with text that encoding/json replaces
// with U+FFFD: bytes that are not UTF-8, and a surrogate escape ("\ud800")
// that is not half of a pair.
type Invalid uint8

const (
	// Refuse fails with ErrInvalid.
	Refuse Invalid = iota
	// Replace writes U+FFFD for each such byte or escape, as encoding/json
	// does.
	Replace
)

// Errors of Append and Value.
var (
	// ErrSyntax: the input at the index is not a JSON string.
	ErrSyntax = errors.New("jsonstr: not a valid JSON string")
	// ErrInvalid: the string holds invalid UTF-8 or a lone surrogate
	// escape, and the mode is Refuse.
	ErrInvalid = errors.New("jsonstr: invalid UTF-8 or lone surrogate escape")
)

// MaxLen is the most bytes Append adds for a string whose text between the
// quotes is n bytes long (a stray byte becomes the three of U+FFFD): with
// that much spare capacity in dst, Append never grows it, and so never
// leaves a partial copy behind in a discarded array.
func MaxLen(n int) int { return 3 * n }

// Append decodes the JSON string that starts at src[i] (a quote) and
// appends its value to dst. It returns the extended dst and the index after
// the closing quote; what follows is the caller's business. On an error it
// overwrites with zeros what it had appended, and returns dst at its
// original length and next 0.
func Append(dst, src []byte, i int, inv Invalid) (out []byte, next int, err error) {
	start := len(dst)
	if i < 0 || i >= len(src) || src[i] != '"' {
		return dst, 0, ErrSyntax
	}
	for j := i + 1; j < len(src); {
		c := src[j]
		switch {
		case c == '"':
			return dst, j + 1, nil
		case c < 0x20:
			return failed(dst, start, ErrSyntax)
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(src[j:])
			if r == utf8.RuneError && size == 1 {
				if inv == Refuse {
					return failed(dst, start, ErrInvalid)
				}
				dst = utf8.AppendRune(dst, utf8.RuneError)
			} else {
				dst = append(dst, src[j:j+size]...)
			}
			j += size
			continue
		case c != '\\':
			dst = append(dst, c)
			j++
			continue
		}
		if j+1 >= len(src) {
			return failed(dst, start, ErrSyntax)
		}
		switch e := src[j+1]; e {
		case '"', '\\', '/':
			dst = append(dst, e)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, n, lone := unicodeEscape(src[j:])
			switch {
			case n == 0:
				return failed(dst, start, ErrSyntax)
			case lone && inv == Refuse:
				return failed(dst, start, ErrInvalid)
			}
			dst = utf8.AppendRune(dst, r)
			j += n
			continue
		default:
			return failed(dst, start, ErrSyntax)
		}
		j += 2
	}
	return failed(dst, start, ErrSyntax)
}

// failed zeroes what Append appended to dst after start, and returns Append's
// error results.
func failed(dst []byte, start int, err error) ([]byte, int, error) {
	clear(dst[start:])
	return dst[:start], 0, err
}

// Value decodes the JSON string that starts at src[i] (a quote), returning
// its value and the index after the closing quote. When the string holds
// no escape and is valid UTF-8, the value is src's own bytes (capacity
// limited to them), not a copy; otherwise a buffer of its own.
func Value(src []byte, i int, inv Invalid) (val []byte, next int, err error) {
	if i < 0 || i >= len(src) || src[i] != '"' {
		return nil, 0, ErrSyntax
	}
	start := i + 1
	j := start
	for j < len(src) && src[j] != '"' && src[j] != '\\' {
		if src[j] < 0x20 {
			return nil, 0, ErrSyntax
		}
		j++
	}
	if j >= len(src) {
		return nil, 0, ErrSyntax
	}
	if src[j] == '"' && utf8.Valid(src[start:j]) {
		return src[start:j:j], j + 1, nil
	}
	return Append(make([]byte, 0, j-start+16), src, i, inv)
}

// unicodeEscape decodes "\uXXXX" at the start of b, and the "\uXXXX" of a
// low surrogate after a high one, returning the rune and the bytes used (0
// when b does not start with a valid escape). A surrogate that is not half
// of a pair gives U+FFFD, 6 bytes and lone set, as in encoding/json.
func unicodeEscape(b []byte) (r rune, n int, lone bool) {
	r, ok := hex4(b)
	if !ok {
		return 0, 0, false
	}
	if !utf16.IsSurrogate(r) {
		return r, 6, false
	}
	if r2, ok := hex4(b[6:]); ok {
		if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
			return d, 12, false
		}
	}
	return utf8.RuneError, 6, true
}

// hex4 reads "\uXXXX" at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
