package oauthreg

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// This file holds the JSON of the members beyond the fixed struct:
// language-tagged variants (Client.Localized), unknown members kept
// verbatim (Client.Extensions), token lifetimes and the JWK Set.

// localizableMembers are the human-readable members RFC 7591 §2.2 lets a
// client send in several languages ("client_name#ja").
var localizableMembers = []string{"client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri"}

// droppedMembers appear in RFC 7591/7592 responses but are never kept from
// input: a client_secret or registration access token echoed back by an
// admin tool must not end up stored in plaintext as an extension.
var droppedMembers = []string{"client_secret", "registration_access_token", "registration_client_uri"}

// knownMembers returns the names of every member MarshalJSON writes itself.
var knownMembers = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	t := reflect.TypeFor[clientJSON]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out[name] = true
	}
	for _, m := range droppedMembers {
		out[m] = true
	}
	return out
})

// IsKnownMember reports whether name is a JSON member Client.MarshalJSON
// writes or UnmarshalJSON reads into a field of its own (or drops, such as
// client_secret), so it cannot be kept in Client.Extensions.
func IsKnownMember(name string) bool { return knownMembers()[name] }

// localizedBase returns the member a language-tagged name such as
// "client_name#fr" varies, and whether it is one RFC 7591 §2.2 allows.
func localizedBase(name string) (string, bool) {
	base, _, ok := strings.Cut(name, "#")
	return base, ok && slices.Contains(localizableMembers, base)
}

// extraMembers sorts the members the fixed fields did not read into
// Localized and Extensions.
func (o *jsonObject) extraMembers(c *Client) {
	if o.err != nil {
		return
	}
	keys := make([]string, 0, len(o.fields))
	for k := range o.fields {
		if !IsKnownMember(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys) // the first error is the same on every call
	for _, k := range keys {
		raw := o.fields[k]
		if _, ok := localizedBase(k); ok {
			var v string
			if err := json.Unmarshal(raw, &v); err != nil {
				o.err = metadataError(o.prefix+k, "must be a string (a language-tagged variant, RFC 7591 §2.2)")
				return
			}
			if c.Localized == nil {
				c.Localized = make(map[string]string)
			}
			c.Localized[k] = v
			continue
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			o.err = metadataError(o.prefix+k, "invalid JSON")
			return
		}
		if c.Extensions == nil {
			c.Extensions = make(map[string]json.RawMessage)
		}
		c.Extensions[k] = json.RawMessage(buf.Bytes())
	}
}

// appendExtraMembers adds Localized and Extensions, each sorted by name, to
// the JSON object obj.
func (c *Client) appendExtraMembers(obj []byte) ([]byte, error) {
	if len(c.Localized) == 0 && len(c.Extensions) == 0 {
		return obj, nil
	}
	var buf bytes.Buffer
	buf.Write(obj[:len(obj)-1]) // without the closing brace
	member := func(name string, value []byte) {
		key, _ := marshalNoHTMLEscape(name)
		buf.WriteByte(',')
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(value)
	}
	for _, k := range sortedKeys(c.Localized) {
		if _, ok := localizedBase(k); !ok {
			return nil, metadataError("localized", "member %s is not a language-tagged variant of client_name, client_uri, logo_uri, tos_uri or policy_uri", quoteInput(k))
		}
		v, err := marshalNoHTMLEscape(c.Localized[k])
		if err != nil {
			return nil, err
		}
		member(k, v)
	}
	for _, k := range sortedKeys(c.Extensions) {
		if _, loc := localizedBase(k); IsKnownMember(k) || loc {
			return nil, metadataError("extensions", "member %s is a member oauthreg knows; set its field instead", quoteInput(k))
		}
		var v bytes.Buffer
		if err := json.Compact(&v, c.Extensions[k]); err != nil {
			return nil, metadataError("extensions", "member %s is not valid JSON", quoteInput(k))
		}
		member(k, v.Bytes())
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// object decodes a member that must be a JSON object (or null) into dst,
// compacted.
func (o *jsonObject) object(key string, dst *json.RawMessage) {
	raw, ok := o.fields[key]
	if o.err != nil || !ok {
		return
	}
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return
	}
	if len(raw) == 0 || raw[0] != '{' {
		o.err = metadataError(o.prefix+key, "must be a JSON object")
		return
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		o.err = metadataError(o.prefix+key, "invalid JSON")
		return
	}
	*dst = json.RawMessage(buf.Bytes())
}

// wholeSeconds decodes a non-fractional number of seconds.
func (o *jsonObject) wholeSeconds(key string, dst *time.Duration) {
	var d time.Duration
	o.seconds(key, &d)
	if o.err == nil && d%time.Second != 0 {
		o.err = metadataError(o.prefix+key, "must be a whole number of seconds")
		return
	}
	if o.err == nil {
		*dst = d
	}
}

// tokenLifetimesJSON is the JSON form of TokenLifetimes, in seconds, zero
// (inherited) members left out.
type tokenLifetimesJSON struct {
	AccessToken       jsonSeconds                      `json:"access_token,omitzero"`
	RefreshToken      jsonSeconds                      `json:"refresh_token,omitzero"`
	IDToken           jsonSeconds                      `json:"id_token,omitzero"`
	AuthorizationCode jsonSeconds                      `json:"authorization_code,omitzero"`
	Grants            map[GrantType]grantLifetimesJSON `json:"grants,omitempty"`
}

type grantLifetimesJSON struct {
	AccessToken  jsonSeconds `json:"access_token,omitzero"`
	RefreshToken jsonSeconds `json:"refresh_token,omitzero"`
	IDToken      jsonSeconds `json:"id_token,omitzero"`
}

func (l TokenLifetimes) jsonView() tokenLifetimesJSON {
	out := tokenLifetimesJSON{
		AccessToken:       jsonSeconds(l.AccessToken),
		RefreshToken:      jsonSeconds(l.RefreshToken),
		IDToken:           jsonSeconds(l.IDToken),
		AuthorizationCode: jsonSeconds(l.AuthorizationCode),
	}
	if len(l.Grants) > 0 {
		out.Grants = make(map[GrantType]grantLifetimesJSON, len(l.Grants))
		for g, v := range l.Grants {
			out.Grants[g] = grantLifetimesJSON{
				AccessToken:  jsonSeconds(v.AccessToken),
				RefreshToken: jsonSeconds(v.RefreshToken),
				IDToken:      jsonSeconds(v.IDToken),
			}
		}
	}
	return out
}

// MarshalJSON encodes the lifetimes as in a client's "token_lifetimes":
// seconds, zero members left out.
func (l TokenLifetimes) MarshalJSON() ([]byte, error) { return json.Marshal(l.jsonView()) }

// lifetimes decodes a token_lifetimes object; absent members stay zero
// (inherit).
func (o *jsonObject) lifetimes(key string, dst *TokenLifetimes) {
	var fields map[string]json.RawMessage
	o.get(key, &fields, "an object of lifetimes in seconds")
	if o.err != nil || fields == nil {
		return
	}
	p := &jsonObject{fields: fields, prefix: o.prefix + key + "."}
	var l TokenLifetimes
	p.seconds("access_token", &l.AccessToken)
	p.seconds("refresh_token", &l.RefreshToken)
	p.seconds("id_token", &l.IDToken)
	p.seconds("authorization_code", &l.AuthorizationCode)
	var grants map[string]json.RawMessage
	p.get("grants", &grants, "an object mapping grant types to lifetimes")
	for _, g := range sortedKeys(grants) {
		if p.err != nil {
			break
		}
		var gf map[string]json.RawMessage
		q := &jsonObject{fields: map[string]json.RawMessage{g: grants[g]}, prefix: p.prefix + "grants."}
		q.get(g, &gf, "an object of lifetimes in seconds")
		if q.err != nil {
			p.err = q.err
			break
		}
		r := &jsonObject{fields: gf, prefix: q.prefix + g + "."}
		var gl GrantLifetimes
		r.seconds("access_token", &gl.AccessToken)
		r.seconds("refresh_token", &gl.RefreshToken)
		r.seconds("id_token", &gl.IDToken)
		if r.err != nil {
			p.err = r.err
			break
		}
		if l.Grants == nil {
			l.Grants = make(map[GrantType]GrantLifetimes)
		}
		l.Grants[GrantType(g)] = gl
	}
	if p.err != nil {
		o.err = p.err
		return
	}
	*dst = l
}
