package oauthreg

import (
	"fmt"
	"io"
	"log/slog"
	"time"
)

// Secret and Client print and log without their hashes and sealed values:
// a hash of a secret a person chose can be attacked offline, and a log line is
// the easiest place to steal one from. (PlainSecret redacts itself entirely;
// see plainsecret.go.)

// String describes the secret for humans and logs: ID, kind, hint and
// lifecycle times, never the hash or the sealed value. fmt's %v, %+v and %s
// use it.
func (s Secret) String() string {
	return fmt.Sprintf("Secret{ID:%s Kind:%s Hint:%s Created:%s Expires:%s Revoked:%s LastUsed:%s}",
		s.ID, s.Kind, s.Hint, fmtTime(s.CreatedAt), fmtTime(s.ExpiresAt), fmtTime(s.RevokedAt), fmtTime(s.LastUsedAt))
}

// GoString is String, so that %#v does not print the hash either.
func (s Secret) GoString() string { return "oauthreg." + s.String() }

// Format prints String (GoString for %#v) whatever the verb, so that no verb
// (%d, %x, %t…) makes fmt print the fields, hash included, by reflection.
// (A Secret held in an unexported field of another struct is printed by
// reflection, but its Hash and Sealed are Concealed values, which hold
// their text behind a pointer that fmt prints as an address.)
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, s.GoString())
		return
	}
	_, _ = io.WriteString(f, s.String())
}

// LogValue makes log/slog record the secret's ID, kind, hint and times,
// never its hash or sealed value.
func (s Secret) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("id", s.ID), slog.String("kind", string(s.Kind))}
	if s.Hint != "" {
		attrs = append(attrs, slog.String("hint", s.Hint))
	}
	for _, t := range []struct {
		k string
		v time.Time
	}{{"created_at", s.CreatedAt}, {"expires_at", s.ExpiresAt}, {"revoked_at", s.RevokedAt}, {"last_used_at", s.LastUsedAt}} {
		if !t.v.IsZero() {
			attrs = append(attrs, slog.Time(t.k, t.v))
		}
	}
	return slog.GroupValue(attrs...)
}

// LogValue makes log/slog record the client's identity and state: ID, owner,
// name, auth method, disabled, version, and its secrets as Secret.LogValue
// shows them (no hashes).
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("<nil>")
	}
	secrets := make([]any, len(c.Secrets))
	for i, s := range c.Secrets {
		secrets[i] = s.LogValue()
	}
	return slog.GroupValue(
		slog.String("client_id", c.ID),
		slog.String("owner", c.Owner),
		slog.String("client_name", c.Name),
		slog.String("token_endpoint_auth_method", string(c.TokenEndpointAuthMethod)),
		slog.Bool("disabled", c.Disabled),
		slog.Int64("version", c.Version),
		slog.Any("secrets", secrets),
	)
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// String describes the Registry without its key material: the store's
// type, the secret prefix, the pepper's ID and whether sealing is on.
// fmt (every verb, %#v included) and log/slog use it, so printing a
// Registry never shows a pepper or a sealing key.
func (r *Registry) String() string {
	if r == nil {
		return "<nil>"
	}
	pepper := "none"
	if r.hasher != nil && r.hasher.primary != nil {
		pepper = r.hasher.primary.id + ":" + redacted
	}
	return fmt.Sprintf("oauthreg.Registry{Store:%T Prefix:%q Pepper:%s Sealing:%t}", r.store, r.cfg.prefix, pepper, r.sealing())
}

// GoString is String, for %#v.
func (r *Registry) GoString() string { return r.String() }

// Format prints String whatever the verb.
func (r *Registry) Format(f fmt.State, verb rune) { formatRedacted(f, verb, r.String(), r.String()) }

// LogValue makes log/slog record String.
func (r *Registry) LogValue() slog.Value { return slog.StringValue(r.String()) }

var (
	_ fmt.Stringer   = (*Registry)(nil)
	_ fmt.Formatter  = (*Registry)(nil)
	_ slog.LogValuer = (*Registry)(nil)
	_ fmt.Stringer   = Secret{}
	_ fmt.Formatter  = Secret{}
	_ slog.LogValuer = Secret{}
	_ slog.LogValuer = (*Client)(nil)
)
