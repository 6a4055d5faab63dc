package registration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"

	"github.com/oauthreg/oauthreg"
)

// Response is a client information response (RFC 7591 §3.2.1, RFC 7592
// §3): the client as registered, its credentials when they were issued by
// this call, and what the client needs to manage its registration.
//
// Its JSON (MarshalJSON) is the body to send to the client, and so holds the
// client secret and the registration access token in plaintext; a Response
// prints and logs with both redacted.
type Response struct {
	// Client is the client as stored.
	Client *oauthreg.Client
	// ClientSecret is the secret issued by this registration; zero when
	// none was (a public client, or a read or update).
	ClientSecret oauthreg.PlainSecret
	// RegistrationClientURI is the client's configuration endpoint (RFC
	// 7592), from Server.ClientURI.
	RegistrationClientURI string

	// token is the registration access token: the one issued by this call,
	// or the one the request presented (the server keeps only its hash).
	token string
}

// RegistrationAccessToken returns the token the response carries.
func (r *Response) RegistrationAccessToken() string { return r.token }

// Format prints the response with the client secret and the registration
// access token redacted, whatever the verb.
func (r *Response) Format(f fmt.State, _ rune) {
	if r == nil {
		fmt.Fprint(f, "registration.Response(nil)")
		return
	}
	fmt.Fprintf(f, "registration.Response{client_id: %q, client_secret: [REDACTED], registration_access_token: [REDACTED], registration_client_uri: %q}",
		oauthreg.SanitizeInput(r.clientID()), oauthreg.SanitizeInput(r.RegistrationClientURI))
}

// LogValue makes log/slog record the client ID and URI only.
func (r *Response) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", r.clientID()), slog.String("registration_client_uri", r.RegistrationClientURI))
}

func (r *Response) clientID() string {
	if r.Client == nil {
		return ""
	}
	return r.Client.ID
}

// leadingMembers come first in the body, in this order; the client's
// metadata members follow in name order.
var leadingMembers = []string{"client_id", "client_secret", "client_id_issued_at", "client_secret_expires_at",
	"registration_access_token", "registration_client_uri"}

// MarshalJSON writes the body of the response: client_id,
// client_secret (when issued by this call), client_id_issued_at,
// client_secret_expires_at (when the client has a secret: 0 if it does not
// expire), registration_access_token, registration_client_uri, then every
// registered client metadata member (the Metadata members, with the
// defaults the server applied). Nothing the server controls (owner, tags,
// lifetimes, policies) is included.
func (r *Response) MarshalJSON() ([]byte, error) {
	if r.Client == nil {
		return nil, fmt.Errorf("registration: Response without a client")
	}
	full, err := r.Client.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(full, &all); err != nil {
		return nil, err
	}
	out := map[string]json.RawMessage{}
	for name, v := range all {
		if clientMembers[name] || localizedMember(name) || slices.Contains(leadingMembers, name) {
			out[name] = v
		}
	}
	if s, ok := out["scope"]; ok && string(s) == `""` {
		delete(out, "scope")
	}
	set := func(name, v string) {
		if v != "" {
			b, _ := json.Marshal(v)
			out[name] = b
		}
	}
	if !r.ClientSecret.IsZero() {
		set("client_secret", r.ClientSecret.Reveal())
	}
	set("registration_access_token", r.token)
	set("registration_client_uri", r.RegistrationClientURI)

	names := make([]string, 0, len(out))
	for name := range out {
		if !slices.Contains(leadingMembers, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var buf bytes.Buffer
	buf.WriteByte('{')
	for _, name := range append(slices.Clone(leadingMembers), names...) {
		v, ok := out[name]
		if !ok {
			continue
		}
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Write writes r as an HTTP response with the given status (201 Created
// after a registration, 200 OK after a read or an update), with
// Cache-Control: no-store.
func (r *Response) Write(w http.ResponseWriter, status int) {
	writeJSON(w, status, r)
}
