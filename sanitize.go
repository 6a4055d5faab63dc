package oauthreg

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// SanitizeInput is the one rule for echoing caller input — a client ID, a
// scope, a cursor, a header value, anything that came from outside — in an
// error message, an event, a log line or a tool's output. Every package of
// the module (stores, adapters, examples) echoes input through it, and so
// should code built on the library.
//
// It returns a short, printable form of s:
//
//   - If s contains anything shaped like a generated secret — a run of at
//     least SecretShapedRun characters of the secret alphabet (letters and
//     the digits 2-7, in any case), wherever it sits in s (after a
//     "client:" prefix, inside quotes, before a space, a newline or a NUL) —
//     the result is "[REDACTED]": a client that swapped its ID and secret,
//     or pasted its secret into the wrong field, must not have it written to
//     a log. The whole of s is checked, not only the part that is shown.
//   - Otherwise every byte that is not a printable character (control
//     characters, invalid UTF-8, Unicode format characters such as bidi
//     overrides), and '"', '\\' and '%', is written as %XX (its hex value),
//     so the result is one line of printable text that no terminal or log
//     parser interprets.
//   - The result is at most MaxSanitizedLen bytes: a longer input is cut
//     and ends in "…(N bytes)", N being the input's length.
//
// The result holds no character that strconv.Quote escapes, so fmt's %q of
// it is the result between double quotes: write
// fmt.Errorf("client %q: …", oauthreg.SanitizeInput(id)). It never shares
// memory with s.
func SanitizeInput(s string) string {
	if hasSecretShapedRun(s) {
		return redacted
	}
	const budget = MaxSanitizedLen - len("…(") - len(" bytes)") - 19 // 19: the digits of the largest int
	out := make([]byte, 0, min(len(s)+8, MaxSanitizedLen))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		plain := r != utf8.RuneError && r != '"' && r != '\\' && r != '%' && strconv.IsPrint(r)
		need := size
		if !plain {
			need = 3 * size
		}
		if len(out)+need > budget {
			out = append(out, "…("...)
			out = strconv.AppendInt(out, int64(len(s)), 10)
			out = append(out, " bytes)"...)
			return string(out)
		}
		if plain {
			out = append(out, s[i:i+size]...)
		} else {
			for j := i; j < i+size; j++ {
				out = append(out, '%', hexDigits[s[j]>>4], hexDigits[s[j]&0xf])
			}
		}
		i += size
	}
	return string(out)
}

// MaxSanitizedLen is the most bytes SanitizeInput returns, whatever its
// input.
const MaxSanitizedLen = 128

// SecretShapedRun is how many consecutive characters of the generated
// secrets' alphabet ([a-z2-7], in any case) make SanitizeInput redact an
// input. A generated secret holds a run of 75 (its ID, random part and
// checksum); 32 such characters are 160 bits, more than any client ID, name
// or word needs, so a secret cut short or partly pasted is redacted too.
const SecretShapedRun = 32

// isSecretAlphabet reports whether c is a character of generated secrets'
// base32 alphabet, ignoring case.
func isSecretAlphabet(c byte) bool {
	l := c | 0x20 // ASCII lower case
	return l >= 'a' && l <= 'z' || c >= '2' && c <= '7'
}

const hexDigits = "0123456789ABCDEF"

// hasSecretShapedRun reports whether s holds SecretShapedRun consecutive
// characters of the generated-secret alphabet, ignoring case.
func hasSecretShapedRun(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if isSecretAlphabet(s[i]) {
			if run++; run >= SecretShapedRun {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}

// quoteInput is SanitizeInput between double quotes, as fmt's %q of it
// prints.
func quoteInput(s string) string { return `"` + SanitizeInput(s) + `"` }

// inputError is an error about caller input that wraps another error (a
// Store's, typically) whose message may quote that input raw: a Store built
// outside this module, or an older one, may write a 2 MB client ID, or a
// secret a client sent as its ID, into its error text. Error() shows the
// input as SanitizeInput does, everywhere it appears in the wrapped message,
// redacts secret-shaped runs there, and bounds its length; errors.Is and
// errors.As see the wrapped error unchanged.
type inputError struct {
	msg string
	err error
}

func (e *inputError) Error() string { return e.msg }
func (e *inputError) Unwrap() error { return e.err }

// maxWrappedMessage bounds the part of a wrapped error's message an
// inputError shows.
const maxWrappedMessage = 1024

// wrapInputError returns err as "oauthreg: <what> <quoted input>: <err's
// message, scrubbed of input>".
func wrapInputError(what, input string, err error) error {
	shown := quoteInput(input)
	msg := err.Error()
	if input != "" && shown != `"`+input+`"` {
		for _, form := range []string{strconv.Quote(input), strconv.QuoteToASCII(input), input} {
			msg = strings.ReplaceAll(msg, form, shown)
		}
	}
	msg = redactSecretRuns(msg)
	if len(msg) > maxWrappedMessage {
		cut := maxWrappedMessage
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	return &inputError{msg: "oauthreg: " + what + " " + shown + ": " + msg, err: err}
}

// redactSecretRuns replaces every run of SecretShapedRun or more characters
// of the generated-secret alphabet in msg with "[REDACTED]".
func redactSecretRuns(msg string) string {
	if !hasSecretShapedRun(msg) {
		return msg
	}
	var b strings.Builder
	start := 0
	for i := 0; i <= len(msg); i++ {
		if i < len(msg) && isSecretAlphabet(msg[i]) {
			continue
		}
		if i-start >= SecretShapedRun {
			b.WriteString(redacted)
		} else {
			b.WriteString(msg[start:i])
		}
		if i < len(msg) {
			b.WriteByte(msg[i])
		}
		start = i + 1
	}
	return b.String()
}
