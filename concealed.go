package oauthreg

import (
	"encoding/xml"
	"fmt"
	"log/slog"
)

// Concealed holds a value derived from a client secret that a Store must
// keep but nobody should read: a secret's hash (Secret.Hash) or its sealed
// ciphertext (Secret.Sealed). A hash of a secret a person chose can be
// attacked offline, and a sealed value is one key away from the plaintext,
// so neither may reach a log, a JSON body, a template or a debug dump by
// accident.
//
// Every way of printing or encoding a Concealed gives "[REDACTED]": fmt (all
// verbs, %#v included), log/slog, encoding/json, encoding/text, encoding/xml,
// encoding/gob (which decodes it back as the zero Concealed), text/template
// and html/template, and dumpers that call String. Its text is held behind a
// pointer, which fmt prints as an address even where it cannot call these
// methods (a Secret in an unexported field of another struct). Reveal reads
// the value: Stores call it to write the value, and Conceal to read it back.
//
// Compare two Concealed values with Equal; == does not compile, so that a
// comparison of pointers cannot pass for one of values. reflect.DeepEqual
// compares the values.
type Concealed struct {
	p *string
	_ [0]func() // not comparable with ==: use Equal
}

// Conceal wraps a hash or sealed value a Store read back. The empty string
// gives the zero Concealed.
func Conceal(s string) Concealed {
	if s == "" {
		return Concealed{}
	}
	return Concealed{p: &s}
}

// Reveal returns the concealed text, for a Store to write. Do not print or
// log it.
func (c Concealed) Reveal() string {
	if c.p == nil {
		return ""
	}
	return *c.p
}

// IsZero reports whether c holds nothing.
func (c Concealed) IsZero() bool { return c.p == nil || *c.p == "" }

// Equal reports whether c and o hold the same text.
func (c Concealed) Equal(o Concealed) bool { return c.Reveal() == o.Reveal() }

// String returns "[REDACTED]", or "" for the zero Concealed (so a log shows
// whether a secret has a sealed copy, never what it is).
func (c Concealed) String() string {
	if c.IsZero() {
		return ""
	}
	return redacted
}

// GoString is String, for %#v.
func (c Concealed) GoString() string { return c.String() }

// Format prints String whatever the verb and flags.
func (c Concealed) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	_, _ = f.Write([]byte(c.String()))
}

// LogValue makes log/slog print String.
func (c Concealed) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON returns String as a JSON string.
func (c Concealed) MarshalJSON() ([]byte, error) { return []byte(`"` + c.String() + `"`), nil }

// MarshalText returns String.
func (c Concealed) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// MarshalXML writes String as the element's text.
func (c Concealed) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(c.String(), start)
}

// GobEncode returns String: a gob stream never carries the value.
func (c Concealed) GobEncode() ([]byte, error) { return []byte(c.String()), nil }

// GobDecode sets c to the zero Concealed: what GobEncode wrote is a
// redaction, not a value.
func (c *Concealed) GobDecode([]byte) error {
	*c = Concealed{}
	return nil
}

var (
	_ fmt.Formatter  = Concealed{}
	_ fmt.GoStringer = Concealed{}
	_ slog.LogValuer = Concealed{}
	_ xml.Marshaler  = Concealed{}
)
