package registration

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg"
)

// Metadata is the client metadata a registration request may set: the
// members of RFC 7591 §2, of OpenID Connect Dynamic Client Registration 1.0
// §2, and the client-chosen members of RFC 8705 (mTLS), RFC 9449 (DPoP) and
// RFC 9126 (PAR). Nothing else: the owner, the disabled flag, token
// lifetimes, the rotation policy, the audience, tags and every other
// server-side policy are ServerValues, which only the embedding server
// sets. ParseRequest cannot fill anything but this struct, so a request body
// cannot move a client into another organization or give it a longer token
// lifetime.
//
// Each field has the name and type of the oauthreg.Client field it becomes
// and carries the JSON member name it is read from; the comments name the
// members.
type Metadata struct {
	RedirectURIs            []string                `json:"redirect_uris"`              // redirect_uris
	TokenEndpointAuthMethod oauthreg.AuthMethod     `json:"token_endpoint_auth_method"` // token_endpoint_auth_method
	GrantTypes              []oauthreg.GrantType    `json:"grant_types"`                // grant_types
	ResponseTypes           []oauthreg.ResponseType `json:"response_types"`             // response_types
	Name                    string                  `json:"client_name"`                // client_name
	ClientURI               string                  `json:"client_uri"`                 // client_uri
	LogoURI                 string                  `json:"logo_uri"`                   // logo_uri
	Scopes                  []string                `json:"scope"`                      // scope (space-separated)
	Contacts                []string                `json:"contacts"`                   // contacts
	TOSURI                  string                  `json:"tos_uri"`                    // tos_uri
	PolicyURI               string                  `json:"policy_uri"`                 // policy_uri
	JWKSURI                 string                  `json:"jwks_uri"`                   // jwks_uri
	JWKS                    json.RawMessage         `json:"jwks"`                       // jwks
	SoftwareID              string                  `json:"software_id"`                // software_id
	SoftwareVersion         string                  `json:"software_version"`           // software_version
	// Localized holds the language-tagged variants of client_name,
	// client_uri, logo_uri, tos_uri and policy_uri (RFC 7591 §2.2), keyed
	// by the full member name ("client_name#ja-Jpan-JP").
	Localized map[string]string `json:"-"`

	TokenEndpointAuthSigningAlg           string `json:"token_endpoint_auth_signing_alg"`
	TLSClientAuthSubjectDN                string `json:"tls_client_auth_subject_dn"`
	TLSClientAuthSANDNS                   string `json:"tls_client_auth_san_dns"`
	TLSClientAuthSANURI                   string `json:"tls_client_auth_san_uri"`
	TLSClientAuthSANIP                    string `json:"tls_client_auth_san_ip"`
	TLSClientAuthSANEmail                 string `json:"tls_client_auth_san_email"`
	TLSClientCertificateBoundAccessTokens bool   `json:"tls_client_certificate_bound_access_tokens"`
	DPoPBoundAccessTokens                 bool   `json:"dpop_bound_access_tokens"`
	RequirePushedAuthorizationRequests    bool   `json:"require_pushed_authorization_requests"`

	ApplicationType                   string        `json:"application_type"`
	IDTokenSignedResponseAlg          string        `json:"id_token_signed_response_alg"`
	IDTokenEncryptedResponseAlg       string        `json:"id_token_encrypted_response_alg"`
	IDTokenEncryptedResponseEnc       string        `json:"id_token_encrypted_response_enc"`
	UserinfoSignedResponseAlg         string        `json:"userinfo_signed_response_alg"`
	UserinfoEncryptedResponseAlg      string        `json:"userinfo_encrypted_response_alg"`
	UserinfoEncryptedResponseEnc      string        `json:"userinfo_encrypted_response_enc"`
	RequestObjectSigningAlg           string        `json:"request_object_signing_alg"`
	RequestObjectEncryptionAlg        string        `json:"request_object_encryption_alg"`
	RequestObjectEncryptionEnc        string        `json:"request_object_encryption_enc"`
	RequestURIs                       []string      `json:"request_uris"`
	SubjectType                       string        `json:"subject_type"`
	SectorIdentifierURI               string        `json:"sector_identifier_uri"`
	DefaultMaxAge                     time.Duration `json:"default_max_age"` // whole seconds in JSON
	RequireAuthTime                   bool          `json:"require_auth_time"`
	DefaultACRValues                  []string      `json:"default_acr_values"`
	InitiateLoginURI                  string        `json:"initiate_login_uri"`
	PostLogoutRedirectURIs            []string      `json:"post_logout_redirect_uris"`
	FrontchannelLogoutURI             string        `json:"frontchannel_logout_uri"`
	FrontchannelLogoutSessionRequired bool          `json:"frontchannel_logout_session_required"`
	BackchannelLogoutURI              string        `json:"backchannel_logout_uri"`
	BackchannelLogoutSessionRequired  bool          `json:"backchannel_logout_session_required"`
}

// metadataFields lists Metadata's fields with their JSON member names; a
// test checks that each names an oauthreg.Client field of the same type.
var metadataFields = func() []reflect.StructField {
	t := reflect.TypeFor[Metadata]()
	out := make([]reflect.StructField, t.NumField())
	for i := range out {
		out[i] = t.Field(i)
	}
	return out
}()

// memberName returns the JSON member a Metadata field is read from ("" for
// Localized, which is read from tagged members).
func memberName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// clientMembers is the set of members a request may carry: the names in
// Metadata's tags. Tagged variants are recognised by localizedMember.
var clientMembers = func() map[string]bool {
	out := map[string]bool{}
	for _, f := range metadataFields {
		if n := memberName(f); n != "" {
			out[n] = true
		}
	}
	return out
}()

// localizedBases are the members RFC 7591 §2.2 lets a client send in
// several languages.
var localizedBases = map[string]bool{"client_name": true, "client_uri": true, "logo_uri": true, "tos_uri": true, "policy_uri": true}

// localizedMember reports whether name is a language-tagged variant of a
// localizable member, such as "client_name#fr".
func localizedMember(name string) bool {
	base, tag, ok := strings.Cut(name, "#")
	return ok && tag != "" && localizedBases[base]
}

// copyFields copies every Metadata field from src to dst, each of which is
// a Metadata or an oauthreg.Client (fields are matched by name).
func copyFields(dst, src reflect.Value) {
	for _, f := range metadataFields {
		dst.FieldByName(f.Name).Set(src.FieldByName(f.Name))
	}
}

// fromClient returns the client-settable metadata of c, sharing nothing
// with it.
func fromClient(c *oauthreg.Client) Metadata {
	var m Metadata
	copyFields(reflect.ValueOf(&m).Elem(), reflect.ValueOf(c.Clone()).Elem())
	return m
}

// toClient returns a client with m's fields and nothing else, sharing
// nothing with m.
func (m Metadata) toClient() *oauthreg.Client {
	var c oauthreg.Client
	copyFields(reflect.ValueOf(&c).Elem(), reflect.ValueOf(&m).Elem())
	return c.Clone()
}

// applyTo replaces every client-settable field of c with m's (zero values
// included: an RFC 7592 §2.2 update replaces the whole metadata), leaving
// the server's fields as they are.
func (m Metadata) applyTo(c *oauthreg.Client) {
	copyFields(reflect.ValueOf(c).Elem(), reflect.ValueOf(m.toClient()).Elem())
}

// Clone returns a deep copy of m.
func (m Metadata) Clone() Metadata { return fromClient(m.toClient()) }

// copyMember copies the field that member name sets from src to dst.
func copyMember(dst, src *oauthreg.Client, name string) {
	if localizedMember(name) {
		if dst.Localized == nil {
			dst.Localized = map[string]string{}
		}
		dst.Localized[name] = src.Localized[name]
		return
	}
	for _, f := range metadataFields {
		if memberName(f) == name {
			reflect.ValueOf(dst).Elem().FieldByName(f.Name).Set(reflect.ValueOf(src).Elem().FieldByName(f.Name))
			return
		}
	}
}
