package oauthreg

import (
	"fmt"
	"log/slog"
	"time"
)

// redacted is what every printing, logging and marshalling path of
// PlainSecret produces instead of the plaintext.
const redacted = "[REDACTED]"

// PlainSecret is a client secret in plaintext, as returned once by Register,
// RotateSecret, RegenerateSecret and RevealSecret. It is the only place a
// plaintext exists: the Store keeps only its hash.
//
// It refuses to leak by accident: fmt (%v, %+v, %#v, %s, %q), log/slog,
// encoding/json and encoding/text all print "[REDACTED]". Call Reveal to read
// the value, once, where it is handed to its owner.
//
// The zero PlainSecret (IsZero) is what Register returns for public clients.
type PlainSecret struct {
	// get returns the value. It is a closure, not a field, because fmt
	// prints a PlainSecret held in an unexported struct field by reflection
	// (it cannot call Format there) and reflection cannot see inside a
	// closure: it prints a function address.
	get func() *plainValue
}

type plainValue struct {
	value     string
	id        string
	expiresAt time.Time
}

func newPlainSecret(value, id string, expiresAt time.Time) PlainSecret {
	v := &plainValue{value: value, id: id, expiresAt: expiresAt}
	return PlainSecret{get: func() *plainValue { return v }}
}

// Reveal returns the plaintext secret. Show it to its owner once, and do not
// log or store it.
func (p PlainSecret) Reveal() string {
	if p.get == nil {
		return ""
	}
	return p.get().value
}

// ID returns the ID of the stored Secret record this plaintext belongs to.
func (p PlainSecret) ID() string {
	if p.get == nil {
		return ""
	}
	return p.get().id
}

// ExpiresAt returns when the secret expires (zero: never), the value RFC 7591
// calls client_secret_expires_at.
func (p PlainSecret) ExpiresAt() time.Time {
	if p.get == nil {
		return time.Time{}
	}
	return p.get().expiresAt
}

// IsZero reports whether p holds no secret.
func (p PlainSecret) IsZero() bool { return p.get == nil || p.get().value == "" }

// String returns "[REDACTED]".
func (p PlainSecret) String() string { return redacted }

// GoString returns "[REDACTED]", so %#v does not show the value.
func (p PlainSecret) GoString() string { return redacted }

// Format prints "[REDACTED]" for every verb and flag (%v %+v %#v %s %q %x).
func (p PlainSecret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", redacted)
		return
	}
	_, _ = f.Write([]byte(redacted))
}

// LogValue makes log/slog print "[REDACTED]".
func (p PlainSecret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON returns the JSON string "[REDACTED]". To send the secret to its
// owner, put Reveal() in the response explicitly.
func (p PlainSecret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns "[REDACTED]".
func (p PlainSecret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

var (
	_ fmt.Formatter  = PlainSecret{}
	_ fmt.GoStringer = PlainSecret{}
	_ slog.LogValuer = PlainSecret{}
)
