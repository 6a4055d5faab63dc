package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/oauthreg/oauthreg"
)

// secretLabel precedes every plaintext secret the tool prints.
const secretLabel = "client secret (shown once, store it now): "

// newSecretJSON is how -o json prints a secret just issued or revealed.
type newSecretJSON struct {
	ClientID     string `json:"client_id"`
	SecretID     string `json:"secret_id"`
	ClientSecret string `json:"client_secret"`
	// ExpiresAt is RFC 7591's client_secret_expires_at: Unix seconds, 0
	// for never.
	ExpiresAt int64 `json:"client_secret_expires_at"`
}

func secretJSON(clientID string, p oauthreg.PlainSecret) newSecretJSON {
	return newSecretJSON{ClientID: clientID, SecretID: p.ID(), ClientSecret: p.Reveal(), ExpiresAt: unixOrZero(p.ExpiresAt())}
}

// secretRecordJSON is how -o json prints a secret record (never a hash).
type secretRecordJSON struct {
	ClientID    string     `json:"client_id"`
	SecretID    string     `json:"secret_id"`
	Kind        string     `json:"kind"`
	State       string     `json:"state"`
	Hint        string     `json:"hint,omitempty"`
	Description string     `json:"description,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
}

func recordJSON(clientID string, s oauthreg.Secret, now time.Time) secretRecordJSON {
	r := secretRecordJSON{ClientID: clientID, SecretID: s.ID, Kind: string(s.Kind), State: s.State(now),
		Hint: s.Hint, Description: s.Description, CreatedAt: s.CreatedAt.UTC()}
	if !s.ExpiresAt.IsZero() {
		t := s.ExpiresAt.UTC()
		r.ExpiresAt = &t
	}
	return r
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// writeJSON writes v indented and without HTML escaping, so that a redirect
// URI's '&' reads as '&' rather than \u0026.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// clientWithSecret returns the client's JSON with client_secret and
// secret_id inserted after client_id, as an RFC 7591 registration response
// carries them.
func clientWithSecret(c *oauthreg.Client, p oauthreg.PlainSecret) (json.RawMessage, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	if p.IsZero() {
		return b, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteByte('{')
	member := func(k string, v []byte) {
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		out.Write(kb)
		out.WriteByte(':')
		out.Write(v)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		member(key, v)
		if key == "client_id" {
			sv, _ := json.Marshal(p.Reveal())
			member("client_secret", sv)
			iv, _ := json.Marshal(p.ID())
			member("secret_id", iv)
		}
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// newTable returns the tabwriter every table uses.
func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// row writes one tab-separated row.
func row(w io.Writer, cells ...string) {
	fmt.Fprintln(w, strings.Join(cells, "\t"))
}

// clean makes a stored string safe for a terminal: text with control
// characters (a description may hold newlines) is shown quoted.
func clean(s string) string {
	if strings.ContainsFunc(s, unicode.IsControl) {
		return strconv.Quote(s)
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return clean(s)
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func fmtExpiry(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return fmtTime(t)
}

// fmtUntil says how far t is from now: "in 23h59m", "2h ago".
func fmtUntil(t, now time.Time) string {
	d := t.Sub(now).Round(time.Minute)
	if d < 0 {
		return formatDuration(-d) + " ago"
	}
	return "in " + formatDuration(d)
}

func joinStrings[S ~string](list []S, sep string) string {
	if len(list) == 0 {
		return "-"
	}
	parts := make([]string, len(list))
	for i, v := range list {
		parts[i] = clean(string(v))
	}
	return strings.Join(parts, sep)
}

// writeClient prints one client and its secret records.
func writeClient(w io.Writer, c *oauthreg.Client, now time.Time) error {
	tw := newTable(w)
	kv := func(k, v string) { row(tw, k+":", v) }
	kv("client ID", c.ID)
	kv("name", orDash(c.Name))
	kv("owner", orDash(c.Owner))
	if c.Description != "" {
		kv("description", clean(c.Description))
	}
	status := "enabled"
	if c.Disabled {
		status = "disabled (authentication fails; secrets kept)"
	}
	kv("status", status)
	kind := "confidential"
	if c.Public {
		kind = "public"
	}
	kv("type", kind+", token_endpoint_auth_method "+string(c.TokenEndpointAuthMethod))
	kv("grant types", joinStrings(c.GrantTypes, ", "))
	kv("response types", joinStrings(c.ResponseTypes, ", "))
	kv("scope", orDash(oauthreg.FormatScope(c.Scopes)))
	if len(c.RedirectURIs) == 0 {
		kv("redirect URIs", "-")
	}
	for i, u := range c.RedirectURIs {
		k := ""
		if i == 0 {
			k = "redirect URIs:"
		}
		row(tw, k, clean(u))
	}
	kv("access token TTL", formatLifetime(c.Lifetimes.AccessToken))
	kv("refresh token TTL", formatLifetime(c.Lifetimes.RefreshToken))
	kv("system tags", joinStrings(c.SystemTags, ", "))
	kv("user tags", joinStrings(c.UserTags, ", "))
	if len(c.Metadata) > 0 {
		for i, k := range slices.Sorted(maps.Keys(c.Metadata)) {
			label := ""
			if i == 0 {
				label = "metadata:"
			}
			row(tw, label, clean(k)+"="+clean(c.Metadata[k]))
		}
	}
	if p := c.RotationPolicy; p != nil {
		kv("rotation policy", fmt.Sprintf("grace period %s, secret lifetime %s, at most %s active (client's own)",
			formatDuration(p.GracePeriod), lifetimeText(p.SecretLifetime), maxText(p.MaxActiveSecrets)))
	}
	kv("created", fmtTime(c.CreatedAt))
	kv("updated", fmtTime(c.UpdatedAt))
	if c.LastUsedAt.IsZero() {
		kv("last used", "never")
	} else {
		kv("last used", fmtTime(c.LastUsedAt))
	}
	kv("version", strconv.FormatInt(c.Version, 10))
	if err := tw.Flush(); err != nil {
		return err
	}
	if c.Public || !c.TokenEndpointAuthMethod.UsesSecret() {
		if len(c.Secrets) == 0 {
			return nil
		}
	}
	fmt.Fprintf(w, "\nsecrets (%d active of %d):\n", len(c.ActiveSecrets(now)), len(c.Secrets))
	if len(c.Secrets) == 0 {
		fmt.Fprintln(w, "  none")
		return nil
	}
	return writeSecrets(w, c.Secrets, now)
}

// writeSecrets prints secret records (IDs, hints and lifecycle; there is no
// hash in a Secret's printable fields and none is printed).
func writeSecrets(w io.Writer, secrets []oauthreg.Secret, now time.Time) error {
	tw := newTable(w)
	row(tw, "  SECRET ID", "KIND", "HINT", "STATE", "CREATED", "EXPIRES", "LAST USED", "DESCRIPTION")
	for _, s := range secrets {
		hint := "-"
		if s.Hint != "" {
			hint = "…" + clean(s.Hint)
		}
		row(tw, "  "+s.ID, string(s.Kind), hint, s.State(now), fmtTime(s.CreatedAt), fmtExpiry(s.ExpiresAt),
			fmtTime(s.LastUsedAt), orDash(s.Description))
	}
	return tw.Flush()
}

func lifetimeText(d time.Duration) string {
	if d == 0 {
		return "unlimited"
	}
	return formatDuration(d)
}

func maxText(n int) string {
	if n == 0 {
		return "any number"
	}
	return strconv.Itoa(n)
}

// writeClientList prints one page of clients as a table.
func writeClientList(w io.Writer, clients []*oauthreg.Client, now time.Time) error {
	tw := newTable(w)
	row(tw, "CLIENT ID", "NAME", "OWNER", "AUTH METHOD", "GRANT TYPES", "ACTIVE SECRETS", "STATUS", "CREATED")
	for _, c := range clients {
		status := "enabled"
		if c.Disabled {
			status = "disabled"
		}
		secrets := "-"
		if c.TokenEndpointAuthMethod.UsesSecret() && !c.Public {
			secrets = strconv.Itoa(len(c.ActiveSecrets(now)))
		}
		row(tw, c.ID, orDash(c.Name), orDash(c.Owner), string(c.TokenEndpointAuthMethod),
			joinStrings(c.GrantTypes, ","), secrets, status, fmtTime(c.CreatedAt))
	}
	return tw.Flush()
}

// writePlainSecret prints a secret just issued (label secretLabel) or
// revealed: its ID, expiry and, after label, the plaintext, once.
func writePlainSecret(w io.Writer, label string, p oauthreg.PlainSecret) {
	tw := newTable(w)
	row(tw, "secret ID:", p.ID())
	row(tw, "expires:", fmtExpiry(p.ExpiresAt()))
	_ = tw.Flush()
	fmt.Fprintln(w, label+p.Reveal())
}

// formatLifetime shows a client's own token lifetime, or that it inherits
// the registry's default (zero).
func formatLifetime(d time.Duration) string {
	if d == 0 {
		return "registry default"
	}
	return formatDuration(d)
}
