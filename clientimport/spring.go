package clientimport

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oauthreg/oauthreg"
)

// springMethods maps Spring's ClientAuthenticationMethod values (and the
// names before Spring Security 5.5) to oauthreg's, in the order of
// preference when a client has several.
var springMethods = []struct {
	spring []string
	method oauthreg.AuthMethod
}{
	{[]string{"client_secret_basic", "basic"}, oauthreg.AuthClientSecretBasic},
	{[]string{"client_secret_post", "post"}, oauthreg.AuthClientSecretPost},
	{[]string{"client_secret_jwt"}, oauthreg.AuthClientSecretJWT},
	{[]string{"private_key_jwt"}, oauthreg.AuthPrivateKeyJWT},
	{[]string{"tls_client_auth"}, oauthreg.AuthTLSClient},
	{[]string{"self_signed_tls_client_auth"}, oauthreg.AuthSelfSignedTLSClient},
	{[]string{"none"}, oauthreg.AuthNone},
}

// parseSpringJSON reads rows of oauth2_registered_client as a JSON array
// (psql -At -c "select json_agg(t) from oauth2_registered_client t").
func parseSpringJSON(buf []byte, o Options) ([]Entry, error) {
	rows, err := jsonArray(buf, "Spring export")
	if err != nil {
		return nil, err
	}
	entries := make([]Entry, len(rows))
	for i, m := range rows {
		entries[i] = springEntry(i, m, nil, o)
		wipe(m)
	}
	return entries, nil
}

// parseSpringCSV reads rows of oauth2_registered_client as CSV with a
// header row (psql: \copy oauth2_registered_client to 'f.csv' csv header).
// Each row goes through the same mapping as JSON, as a record of text
// (newTextRecord): a field is what a JSON string member would hold, and an
// unquoted empty field, psql's NULL, is left out as a null member would
// be.
func parseSpringCSV(buf []byte, o Options) ([]Entry, error) {
	records, quoted, err := readCSV(buf)
	defer clearRecords(records)
	if err != nil {
		return nil, fmt.Errorf("%w: not CSV: %v", ErrExport, err)
	}
	if len(records) == 0 {
		return nil, nil
	}
	header := make([]string, len(records[0]))
	for i, h := range records[0] {
		header[i] = strings.ToLower(strings.TrimSpace(string(h)))
	}
	if !slices.Contains(header, "client_id") {
		return nil, fmt.Errorf("%w: the CSV's first row must name the columns (csv header), with client_id among them", ErrExport)
	}
	rows := 0
	for n, rec := range records[1:] {
		if !(len(rec) == 1 && len(rec[0]) == 0 && !quoted[n+1][0]) {
			rows++
		}
	}
	if rows > oauthreg.MaxImportClients {
		return nil, errTooManyClients(rows)
	}
	var entries []Entry
	for n, rec := range records[1:] {
		if len(rec) == 1 && len(rec[0]) == 0 && !quoted[n+1][0] {
			continue // a blank line
		}
		text := make(map[string][]byte, len(header))
		e := Entry{Index: len(entries)}
		if len(rec) != len(header) {
			e.refuse(ReasonMalformed, "row %d has %d fields; the header names %d", n+2, len(rec), len(header))
			entries = append(entries, e)
			continue
		}
		var replaced [][]byte
		for i, f := range rec {
			switch {
			case len(f) == 0 && !quoted[n+1][i]:
				// NULL: absent (and, as in a JSON object, the last
				// of two columns of one name is the one read).
				delete(text, header[i])
			case !utf8.Valid(f):
				f = validUTF8(f)
				replaced = append(replaced, f)
				text[header[i]] = f
			default:
				text[header[i]] = f
			}
		}
		e = springEntry(len(entries), nil, text, o)
		for _, f := range replaced {
			clear(f)
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// validUTF8 returns a copy of b, in a buffer allocated once (a grown buffer
// would leave a partial copy of a secret behind), with each byte that is
// not UTF-8 replaced by U+FFFD, as a JSON export's decoding replaces it.
// The caller zeroes it.
func validUTF8(b []byte) []byte {
	out := make([]byte, 0, 3*len(b))
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		out = utf8.AppendRune(out, r)
		i += size
	}
	return out
}

// springList splits Spring's comma-separated columns.
func springList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// springEntry maps one row: the members of a JSON row in m, or the fields
// of a CSV row in text (m nil).
func springEntry(i int, m map[string]json.RawMessage, text map[string][]byte, o Options) Entry {
	e := Entry{Index: i}
	r := newRecord(m, &e)
	if m == nil {
		r = newTextRecord(text, &e)
	}
	id := r.str("client_id")
	e.ClientID = id
	if id == "" {
		e.refuse(ReasonMissingID, "the client has no client_id")
	}
	c := &e.Import.Client
	c.ID, c.Owner = id, o.Owner
	if name := r.str("client_name"); name != r.str("id") {
		c.Name = name // Spring names a client by its row ID when it has no name of its own
	}
	r.get("client_id_issued_at")
	for _, g := range springList(r.str("authorization_grant_types")) {
		c.GrantTypes = append(c.GrantTypes, oauthreg.GrantType(g))
	}
	if c.HasGrantType(oauthreg.GrantAuthorizationCode) {
		c.ResponseTypes = []oauthreg.ResponseType{oauthreg.ResponseCode}
	}
	c.RedirectURIs = springList(r.str("redirect_uris"))
	c.PostLogoutRedirectURIs = springList(r.str("post_logout_redirect_uris"))
	c.Scopes = springList(r.str("scopes"))
	springMethod(&e, springList(r.str("client_authentication_methods")))
	springClientSettings(&e, r.object("client_settings"))
	springTokenSettings(&e, r.object("token_settings"))
	secret, err := r.secret("client_secret")
	if err != nil {
		e.refuse(ReasonMalformed, "client_secret is not a string")
	}
	switch {
	case len(secret) == 0:
		if c.TokenEndpointAuthMethod.UsesSecret() {
			e.warn("client_secret", "the row holds no secret: the client is imported without one; issue one with RotateSecret")
		}
	case !c.TokenEndpointAuthMethod.UsesSecret():
		clear(secret)
		e.warn("client_secret", "the client authenticates with %s; its secret is not imported", c.TokenEndpointAuthMethod)
	default:
		s := oauthreg.SecretImport{Description: "imported from Spring Authorization Server"}
		if plain, ok := strings.CutPrefix(unsafeString(secret), "{noop}"); ok {
			// A plaintext: it stays in this buffer, zeroed once hashed.
			s.Plaintext = secret[len(secret)-len(plain):]
			clear(secret[:len(secret)-len(plain)])
		} else {
			s.Hash = string(secret)
			clear(secret)
		}
		if exp, ok := r.timestamp("client_secret_expires_at"); ok {
			if !exp.After(o.now()) {
				e.refuse(ReasonSecretExpired, "the client's secret expired at %s (client_secret_expires_at)", exp.Format(time.RFC3339))
			}
			s.ExpiresAt = exp
		}
		e.Import.Secrets = []oauthreg.SecretImport{s}
	}
	r.get("client_secret_expires_at")
	r.str("id")
	e.warnDropped("columns", r.unused())
	return e
}

// springMethod picks the client's one token endpoint authentication method
// among those Spring allows.
func springMethod(e *Entry, methods []string) {
	c := &e.Import.Client
	for _, m := range methods {
		known := slices.ContainsFunc(springMethods, func(sm struct {
			spring []string
			method oauthreg.AuthMethod
		}) bool {
			return slices.Contains(sm.spring, m)
		})
		if !known {
			e.refuse(ReasonAuthMethod, "client authentication method %s has no oauthreg equivalent", q(m))
			return
		}
	}
	for _, sm := range springMethods {
		if slices.ContainsFunc(methods, func(m string) bool { return slices.Contains(sm.spring, m) }) {
			c.TokenEndpointAuthMethod = sm.method
			break
		}
	}
	if c.TokenEndpointAuthMethod == "" {
		c.TokenEndpointAuthMethod = oauthreg.AuthClientSecretBasic
	}
	c.Public = c.TokenEndpointAuthMethod == oauthreg.AuthNone
	if len(methods) > 1 {
		e.warn("client_authentication_methods", "Spring allowed %s; oauthreg registers one method, %s (Authenticate accepts client_secret_basic and client_secret_post alike; AuthenticateWith holds the client to the one registered)",
			q(strings.Join(methods, ",")), c.TokenEndpointAuthMethod)
	}
}

// springSetting reads a setting as Spring's Jackson modules write it: a
// plain JSON value, or [javaType, value].
func springSetting(v json.RawMessage) json.RawMessage {
	var typed []json.RawMessage
	if json.Unmarshal(v, &typed) == nil && len(typed) == 2 {
		var class string
		if json.Unmarshal(typed[0], &class) == nil && strings.Contains(class, ".") {
			return typed[1]
		}
	}
	return v
}

func springString(v json.RawMessage) string {
	var s string
	if json.Unmarshal(springSetting(v), &s) != nil {
		return ""
	}
	return s
}

// springSettings applies each setting of a settings column with apply,
// which reports whether it knew the key; the others are warned about
// unless empty. "@class" is Jackson's type hint.
func springSettings(e *Entry, column string, settings map[string]json.RawMessage, apply func(k string, v json.RawMessage) bool) {
	var dropped []string
	for _, k := range slices.Sorted(maps.Keys(settings)) {
		if v := settings[k]; k != "@class" && !apply(k, v) && !isEmptyJSON(v) {
			dropped = append(dropped, k)
		}
	}
	e.warnDropped(column, dropped)
}

func springClientSettings(e *Entry, settings map[string]json.RawMessage) {
	c := &e.Import.Client
	springSettings(e, "client_settings", settings, func(k string, v json.RawMessage) bool {
		switch k {
		case "settings.client.require-proof-key":
			c.RequirePKCE = string(springSetting(v)) == "true"
		case "settings.client.jwk-set-url":
			c.JWKSURI = springString(v)
		case "settings.client.token-endpoint-authentication-signing-algorithm":
			c.TokenEndpointAuthSigningAlg = springString(v)
		case "settings.client.x509-certificate-subject-dn":
			c.TLSClientAuthSubjectDN = springString(v)
		case "settings.client.require-authorization-consent":
			if string(springSetting(v)) == "true" {
				e.warn(k, "Spring asked users for consent; oauthreg keeps no consent setting")
			}
		default:
			return false
		}
		return true
	})
}

func springTokenSettings(e *Entry, settings map[string]json.RawMessage) {
	c := &e.Import.Client
	springSettings(e, "token_settings", settings, func(k string, v json.RawMessage) bool {
		switch k {
		case "settings.token.reuse-refresh-tokens", "settings.token.access-token-format":
			// Token issuance, which oauthreg leaves to its server.
		case "settings.token.device-code-time-to-live":
			// oauthreg keeps no device code lifetime: worth a warning
			// only for a client that uses the device grant.
			return !c.HasGrantType(oauthreg.GrantDeviceCode)
		case "settings.token.access-token-time-to-live":
			c.Lifetimes.AccessToken = springDuration(e, k, v)
		case "settings.token.refresh-token-time-to-live":
			c.Lifetimes.RefreshToken = springDuration(e, k, v)
		case "settings.token.authorization-code-time-to-live":
			c.Lifetimes.AuthorizationCode = springDuration(e, k, v)
		case "settings.token.id-token-signature-algorithm":
			c.IDTokenSignedResponseAlg = springString(v)
		case "settings.token.x509-certificate-bound-access-tokens":
			c.TLSClientCertificateBoundAccessTokens = string(springSetting(v)) == "true"
		default:
			return false
		}
		return true
	})
}

// springDuration reads a java.time.Duration as Jackson writes it: seconds
// with a nine-digit fraction (300.000000000).
func springDuration(e *Entry, key string, v json.RawMessage) time.Duration {
	s := strings.TrimSpace(string(springSetting(v)))
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		e.refuse(ReasonMalformed, "%s is not a duration in seconds", key)
		return 0
	}
	return seconds(e, key, f)
}
