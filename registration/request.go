package registration

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/oauthreg/oauthreg"
)

// Limits of ParseRequest.
const (
	// MaxRequestBytes bounds a registration or update request body. The
	// largest part of a legitimate request is an inline JWK Set.
	MaxRequestBytes = 256 << 10
	// MaxRequestDepth bounds the nesting of arrays and objects.
	MaxRequestDepth = 16
	// maxIgnoredListed bounds Request.Ignored.
	maxIgnoredListed = 20
)

// Request is a parsed client registration request (RFC 7591 §3.1) or
// client update request (RFC 7592 §2.2): the client metadata, and the few
// members that are not metadata. It holds nothing the server controls.
type Request struct {
	// Metadata is what the client asked for.
	Metadata Metadata
	// SoftwareStatement is the software_statement member as sent (a JWT),
	// empty if there was none. The Server verifies it with its
	// SoftwareStatementVerifier.
	SoftwareStatement string
	// ClientID is the client_id member, which an update request must carry
	// (RFC 7592 §2.2); a registration request's is ignored.
	ClientID string
	// Ignored lists (sanitized, at most 20) the members the request carried
	// that are not client metadata: unknown ones, and the server's own
	// (owner, disabled, token_lifetimes, rotation_policy, ...). RFC 7591 §2
	// says to ignore what the server does not understand; a server may log
	// them.
	Ignored []string

	// clientSecret is an update request's client_secret member, checked
	// against the client's secrets (RFC 7592 §2.2).
	clientSecret string
}

// Format keeps a client_secret an update request carried out of logs.
func (r Request) Format(f fmt.State, verb rune) {
	type plain Request
	p := plain(r)
	if p.clientSecret != "" {
		p.clientSecret = "[REDACTED]"
	}
	fmt.Fprintf(f, "%+v", p)
}

// ParseRequest reads a registration or update request body. It refuses,
// with an *Error of code invalid_client_metadata, a body over
// MaxRequestBytes or nested deeper than MaxRequestDepth, anything but one
// JSON object, a member that appears twice (at any depth: a duplicate makes
// the meaning depend on the parser), and a metadata member of the wrong
// type. Members that are not client metadata are ignored (RFC 7591 §2) and
// listed in Ignored; they cannot set anything. Values are checked by the
// Server when it registers the client.
func ParseRequest(body []byte) (*Request, error) {
	if len(body) > MaxRequestBytes {
		return nil, metadataError(fmt.Sprintf("the request is %d bytes; at most %d are accepted", len(body), MaxRequestBytes))
	}
	if err := checkJSON(body); err != nil {
		return nil, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil || members == nil {
		return nil, metadataError("the request must be a JSON object")
	}
	req := &Request{}
	kept := make(map[string]json.RawMessage, len(members))
	for name, raw := range members {
		switch {
		case clientMembers[name] || localizedMember(name):
			kept[name] = raw
		case name == "software_statement":
			if err := stringMember(name, raw, &req.SoftwareStatement); err != nil {
				return nil, err
			}
		case name == "client_id":
			if err := stringMember(name, raw, &req.ClientID); err != nil {
				return nil, err
			}
		case name == "client_secret":
			if err := stringMember(name, raw, &req.clientSecret); err != nil {
				return nil, err
			}
		default:
			req.Ignored = append(req.Ignored, oauthreg.SanitizeInput(name))
		}
	}
	slices.Sort(req.Ignored)
	req.Ignored = req.Ignored[:min(len(req.Ignored), maxIgnoredListed)]
	md, err := decodeMetadata(kept)
	if err != nil {
		return nil, err
	}
	req.Metadata = md
	return req, nil
}

// decodeMetadata decodes client metadata members (already limited to
// Metadata's) with oauthreg.Client's decoder, so that a member reads the
// same here as everywhere else in the library.
func decodeMetadata(members map[string]json.RawMessage) (Metadata, error) {
	text, err := json.Marshal(members)
	if err != nil {
		return Metadata{}, metadataError("the request could not be read")
	}
	var c oauthreg.Client
	if err := c.UnmarshalJSON(text); err != nil {
		return Metadata{}, AsError(err)
	}
	return fromClient(&c), nil
}

// stringMember decodes a member that must be a string (or null).
func stringMember(name string, raw json.RawMessage, dst *string) error {
	if string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return metadataError(name + " must be a string")
	}
	return nil
}

// checkJSON walks body once and refuses what json.Unmarshal would accept
// silently or expensively: trailing data, duplicate member names (the last
// one would win), nesting deeper than MaxRequestDepth.
func checkJSON(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return metadataError("the request is not valid JSON")
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return metadataError("the request must be a JSON object")
	}
	if err := walkObject(dec, "", 1); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return metadataError("the request has data after its JSON object")
	}
	return nil
}

// walkObject reads the members of an object whose '{' was read, refusing a
// duplicate name.
func walkObject(dec *json.Decoder, path string, depth int) error {
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return metadataError("the request is not valid JSON")
		}
		name, _ := tok.(string)
		if seen[name] {
			return metadataError("member " + strconv.Quote(oauthreg.SanitizeInput(path+name)) + " appears more than once")
		}
		seen[name] = true
		if err := walkValue(dec, path+name+".", depth); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return metadataError("the request is not valid JSON")
	}
	return nil
}

// walkValue reads one value, descending into arrays and objects.
func walkValue(dec *json.Decoder, path string, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return metadataError("the request is not valid JSON")
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	if depth >= MaxRequestDepth {
		return metadataError(fmt.Sprintf("the request is nested deeper than %d levels", MaxRequestDepth))
	}
	switch d {
	case '{':
		return walkObject(dec, path, depth+1)
	case '[':
		for dec.More() {
			if err := walkValue(dec, path, depth+1); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // ']'
			return metadataError("the request is not valid JSON")
		}
	}
	return nil
}
