package oauthreg

import (
	"reflect"
	"runtime"
	"strings"
	"time"
	"unsafe"

	"github.com/oauthreg/oauthreg/internal/gendigest"
)

// ClientRecord is a client encoded for a store that keeps its clients in
// memory: compact, immutable, and cheap for the garbage collector. memstore
// keeps one per client.
//
// A record holds what authentication reads in a small fixed header (the
// client's ID, owner, version, state and method; each secret's ID, kind,
// expiry, revocation and digest, the digest of a generated secret as 32
// bytes rather than its text) and everything else in one byte slice, decoded
// only when a caller asks for the Client. Its strings point into that slice,
// so a record with one secret is two allocations, whatever the client holds,
// and the collector has a handful of pointers to follow per client instead
// of dozens.
//
// A record is never modified: NewClientRecord, Stored and Touched return new
// ones (sharing the encoded part, which they do not change). A store may
// therefore hand views of its records to the Registry (ViewOf) and replace
// them without a lock held by readers.
//
// The record keeps every field of the Client exactly, except that times keep
// their instant to the nanosecond but not their location or monotonic clock
// reading (they come back in UTC), and a nil map or byte slice inside a map
// of extensions comes back empty.
type ClientRecord struct {
	id      string
	owner   string
	version int64
	// lastUsed is the client's LastUsedAt: only Touched changes it, which
	// shares the blob, so it lives in the header.
	lastUsed stamp
	// blob holds the strings the header points to, then the encoding of
	// the client's other fields (clientPlan) and of each secret's other
	// fields (secretPlan), each length-prefixed, from body on.
	body     int32
	disabled bool
	public   bool
	// method is the index of the TokenEndpointAuthMethod in methodNames;
	// 0 for another method, whose text is the blob's first methodLen
	// bytes.
	method    uint8
	methodLen uint32
	blob      []byte
	secrets   []secretHead
	// one holds the secret of a client with one, so that such a record is
	// a single allocation besides its blob.
	one [1]secretHead
}

// secretHead is what authentication reads of one secret.
type secretHead struct {
	id string
	// gen is the parsed hash of a generated secret, when hash, the stored
	// text, is the canonical encoding of it (gen.Scheme is then not 0).
	gen      gendigest.Hash
	hash     string
	expires  stamp
	lastUsed stamp
	kind     kindCode
	revoked  bool
	// sealed: the secret has a sealed copy (Secret.Sealed), which an
	// authentication under sealing adds when it has none.
	sealed bool
}

// kindCode is a SecretKind in one byte: 0 for a kind that is none of the
// package's constants, which the secret's encoded part then holds.
type kindCode uint8

const (
	kindOther kindCode = iota
	kindGenerated
	kindSupplied
	kindImported
)

var kindNames = [...]SecretKind{kindGenerated: SecretGenerated, kindSupplied: SecretSupplied, kindImported: SecretImported}

// codeOf returns the code of k.
func codeOf(k SecretKind) kindCode {
	for c := kindGenerated; c <= kindImported; c++ {
		if kindNames[c] == k {
			return c
		}
	}
	return kindOther
}

// stamp is a time.Time without its location and monotonic reading: the
// instant only, with no pointer for the collector to follow. The zero
// time.Time is the stamp of the zero time.Time. Its seconds are kept in two
// halves so that it packs into 12 bytes, not 16.
type stamp struct {
	secHi, secLo int32
	nsec         int32
}

func stampOf(t time.Time) stamp {
	sec := t.Unix()
	return stamp{secHi: int32(sec >> 32), secLo: int32(uint32(sec)), nsec: int32(t.Nanosecond())}
}

func (s stamp) sec() int64 { return int64(s.secHi)<<32 | int64(uint32(s.secLo)) }

// time returns the instant in UTC (the zero time.Time for the zero time's
// stamp).
func (s stamp) time() time.Time { return time.Unix(s.sec(), int64(s.nsec)).UTC() }

// timeOrZero is time, or the zero time.Time for the zero time's stamp.
func (s stamp) timeOrZero() time.Time {
	if s.isZero() {
		return time.Time{}
	}
	return s.time()
}

var zeroStamp = stampOf(time.Time{})

func (s stamp) isZero() bool { return s == zeroStamp }

// after reports whether s is after t.
func (s stamp) after(t time.Time) bool {
	sec, ts := s.sec(), t.Unix()
	return sec > ts || (sec == ts && s.nsec > int32(t.Nanosecond()))
}

// The fields a record keeps in its header, not in clientPlan and
// secretPlan's encoding.
var (
	clientPlan = buildPlan(reflect.TypeFor[Client](),
		"ID", "Owner", "TokenEndpointAuthMethod", "Version", "LastUsedAt", "Disabled", "Public", "Secrets")
	secretPlan = buildPlan(reflect.TypeFor[Secret](),
		"ID", "Hash", "ExpiresAt", "LastUsedAt") // Kind too, when kindOther
)

// NewClientRecord encodes c, version and last-used times included. It keeps
// no reference to c: everything but the ID (a string, immutable, which a
// store may share with its map and indexes) is copied into the record's
// encoded part. A nil c gives nil.
func NewClientRecord(c *Client) *ClientRecord {
	if c == nil {
		return nil
	}
	r := &ClientRecord{
		id: c.ID, version: c.Version, lastUsed: stampOf(c.LastUsedAt),
		disabled: c.Disabled, public: c.Public,
	}
	r.secrets = r.one[:0]
	if len(c.Secrets) > len(r.one) {
		r.secrets = make([]secretHead, 0, len(c.Secrets))
	}
	// The header's strings first: their offsets, then the slices once the
	// blob has its final address.
	var last time.Time
	e := recordEncoder{last: &last}
	type span struct{ at, n int }
	put := func(s string) span {
		at := len(e.buf)
		e.buf = append(e.buf, s...)
		return span{at, len(s)}
	}
	r.method = methodCode(c.TokenEndpointAuthMethod)
	if r.method == 0 {
		r.methodLen = uint32(put(string(c.TokenEndpointAuthMethod)).n)
	}
	owner := put(c.Owner)
	type secretSpans struct{ id, hash, pepper span }
	spans := make([]secretSpans, len(c.Secrets))
	for i := range c.Secrets {
		s := &c.Secrets[i]
		h := secretHead{
			kind: codeOf(s.Kind), revoked: !s.RevokedAt.IsZero(), sealed: !s.Sealed.IsZero(),
			expires: stampOf(s.ExpiresAt), lastUsed: stampOf(s.LastUsedAt),
		}
		spans[i].id = put(s.ID)
		// The hash's text, which a decoded client gets (re-encoding the
		// digest would cost a success more than keeping it costs memory);
		// the header's parsed form points into it for the pepper ID.
		text := s.Hash.Reveal()
		spans[i].hash = put(text)
		if g, ok := digestOf(s.Kind, text); ok {
			h.gen.Scheme, h.gen.Digest = g.Scheme, g.Digest
			if g.PepperID != "" {
				spans[i].pepper = span{spans[i].hash.at + strings.Index(text, g.PepperID), len(g.PepperID)}
			}
		}
		r.secrets = append(r.secrets, h)
	}
	r.body = int32(len(e.buf))
	sub := recordEncoder{last: &last}
	sub.structAt(clientPlan, unsafe.Pointer(c))
	e.bytes(sub.buf)
	for i := range c.Secrets {
		sub.buf = sub.buf[:0]
		s := c.Secrets[i]
		if r.secrets[i].kind != kindOther {
			s.Kind = "" // in the header
		}
		sub.structAt(secretPlan, unsafe.Pointer(&s))
		e.bytes(sub.buf)
	}
	// Exactly as long as it needs to be: it is kept for the record's life.
	r.blob = append(make([]byte, 0, len(e.buf)), e.buf...)
	str := func(s span) string {
		if s.n == 0 {
			return ""
		}
		return unsafe.String(&r.blob[s.at], s.n)
	}
	r.owner = str(owner)
	for i := range r.secrets {
		h := &r.secrets[i]
		h.id = str(spans[i].id)
		h.gen.PepperID = str(spans[i].pepper)
		h.hash = str(spans[i].hash)
	}
	return r
}

// digestOf parses the hash of a generated secret when its text can be
// rebuilt from the parsed value exactly.
func digestOf(kind SecretKind, text string) (gendigest.Hash, bool) {
	if kind != SecretGenerated {
		return gendigest.Hash{}, false
	}
	g, err := gendigest.Parse(text)
	if err != nil || string(g.AppendText(nil)) != text {
		return gendigest.Hash{}, false
	}
	return g, true
}

// methodCode returns the index of m in methodNames, or 0.
func methodCode(m AuthMethod) uint8 {
	for i := 1; i < len(methodNames); i++ {
		if m == methodNames[i] {
			return uint8(i)
		}
	}
	return 0
}

// methodNames are the methods a record names by index (see methodCode).
var methodNames = [...]AuthMethod{"", AuthClientSecretBasic, AuthClientSecretPost, AuthNone, AuthClientSecretJWT,
	AuthPrivateKeyJWT, AuthTLSClient, AuthSelfSignedTLSClient}

// authMethod returns the client's TokenEndpointAuthMethod.
func (r *ClientRecord) authMethod() AuthMethod {
	if r.method != 0 || r.methodLen == 0 {
		return methodNames[r.method]
	}
	return AuthMethod(unsafe.String(&r.blob[0], r.methodLen))
}

// ID returns the client's ID.
func (r *ClientRecord) ID() string { return r.id }

// Owner returns the client's owner.
func (r *ClientRecord) Owner() string { return r.owner }

// Version returns the client's version.
func (r *ClientRecord) Version() int64 { return r.version }

// HasSecret reports whether the client holds a secret with ID id, whatever
// its state.
func (r *ClientRecord) HasSecret(id string) bool { return r.secretIndex(id) >= 0 }

func (r *ClientRecord) secretIndex(id string) int {
	for i := range r.secrets {
		if r.secrets[i].id == id {
			return i
		}
	}
	return -1
}

// Stored returns the record as a store keeps it after a write: at version,
// and, when prev (the record it replaces, of the same client) is not nil,
// with prev's ID string and last-used times (the client's, and each
// secret's that prev holds; the others zero). Only a touch writes last-used
// times, so an update made from a copy read before a touch does not undo
// it.
func (r *ClientRecord) Stored(version int64, prev *ClientRecord) *ClientRecord {
	out := r.copyHead()
	out.version = version
	if prev != nil {
		out.id = prev.id
		out.lastUsed = prev.lastUsed
		for i := range out.secrets {
			out.secrets[i].lastUsed = zeroStamp
			if j := prev.secretIndex(out.secrets[i].id); j >= 0 {
				out.secrets[i].lastUsed = prev.secrets[j].lastUsed
			}
		}
	}
	return out
}

// Touched returns the record with the client's LastUsedAt, and that of its
// secret secretID if it has one, set to at (a store's TouchClient).
func (r *ClientRecord) Touched(secretID string, at time.Time) *ClientRecord {
	out := r.copyHead()
	out.lastUsed = stampOf(at)
	if i := out.secretIndex(secretID); i >= 0 {
		out.secrets[i].lastUsed = out.lastUsed
	}
	return out
}

// copyHead returns a new record with r's header, sharing r's blob.
func (r *ClientRecord) copyHead() *ClientRecord {
	out := new(ClientRecord)
	*out = *r
	if len(r.secrets) <= len(out.one) {
		out.secrets = out.one[:len(r.secrets)]
	} else {
		out.secrets = append([]secretHead(nil), r.secrets...)
	}
	return out
}

// decodeBlock is what Client allocates: the client and room for the slices
// most clients have, in one block of the allocator's 1,536-byte size class
// (with the 8-byte header the allocator puts before an object of more than
// 512 bytes that holds pointers: at most 1,528 bytes; a test checks).
type decodeBlock struct {
	c             Client
	secrets       [1]Secret
	grants        [2]GrantType
	responseTypes [2]ResponseType
	scopes        [5]string
	redirectURIs  [2]string
	hash          [1]string
}

// roomIndex gives, for each field of clientPlan, the offset in a
// decodeBlock of the room for its slice and the room's length (0: none).
var roomIndex = func() [][2]uintptr {
	bt := reflect.TypeFor[decodeBlock]()
	out := make([][2]uintptr, len(clientPlan.fields))
	for i, f := range clientPlan.fields {
		room, ok := map[string]string{
			"GrantTypes": "grants", "ResponseTypes": "responseTypes", "Scopes": "scopes", "RedirectURIs": "redirectURIs",
		}[f.name]
		if !ok {
			continue
		}
		rf, _ := bt.FieldByName(room)
		out[i] = [2]uintptr{rf.Offset, uintptr(rf.Type.Len())}
	}
	return out
}()

// Client decodes the record into a new Client, the caller's own: it shares
// no memory the caller could change with the record or with another
// decoded Client. A client with at most one secret and its common slices
// short (two grant types, two response types, five scopes, two redirect
// URIs) is one allocation. A nil record gives nil.
func (r *ClientRecord) Client() *Client {
	if r == nil {
		return nil
	}
	return r.decodeInto(new(decodeBlock))
}

// decodeDiscarded does the work of Client and drops the result: what a
// failed authentication costs in place of the decoding a success does, so
// that the two cost the same, allocation included (a pooled block, tried
// first, left unknown clients at 0.88x a success's instructions: the
// allocation is a tenth of a success). A record without an encoded part
// (recordHead's) costs nothing.
func (r *ClientRecord) decodeDiscarded() {
	if len(r.blob) == 0 {
		return
	}
	runtime.KeepAlive(r.decodeInto(new(decodeBlock)))
}

// decodeInto decodes the record into b, which must be zero, and returns
// b's client.
func (r *ClientRecord) decodeInto(b *decodeBlock) *Client {
	c := &b.c
	c.ID, c.Owner, c.TokenEndpointAuthMethod, c.Version = r.id, r.owner, r.authMethod(), r.version
	c.Disabled, c.Public = r.disabled, r.public
	if !r.lastUsed.isZero() {
		c.LastUsedAt = r.lastUsed.time()
	}
	base := unsafe.Pointer(b)
	d := recordDecoder{b: r.blob, pos: int(r.body)}
	n := int(d.uvarint())
	body := recordDecoder{b: r.blob[d.pos : d.pos+n]}
	d.pos += n
	body.structAt(clientPlan, unsafe.Pointer(c), func(field, n int) unsafe.Pointer {
		if room := roomIndex[field]; room[1] != 0 && uintptr(n) <= room[1] {
			return unsafe.Add(base, room[0])
		}
		return nil
	})
	if len(r.secrets) <= len(b.secrets) {
		c.Secrets = b.secrets[:len(r.secrets):len(r.secrets)]
	} else {
		c.Secrets = make([]Secret, len(r.secrets))
	}
	for i := range r.secrets {
		h := &r.secrets[i]
		s := &c.Secrets[i]
		s.ID = h.id
		if !h.expires.isZero() {
			s.ExpiresAt = h.expires.time()
		}
		if !h.lastUsed.isZero() {
			s.LastUsedAt = h.lastUsed.time()
		}
		if h.hash != "" {
			hp := &b.hash[0]
			if i > 0 {
				hp = new(string)
			}
			*hp = h.hash
			s.Hash = Concealed{p: hp}
		}
		n := int(d.uvarint())
		sd := recordDecoder{b: r.blob[d.pos : d.pos+n], last: body.last}
		d.pos += n
		sd.structAt(secretPlan, unsafe.Pointer(s), nil)
		body.last = sd.last // the next secret's "same time" is this one's last
		if h.kind != kindOther {
			s.Kind = kindNames[h.kind]
		}
	}
	return c
}

// recordHead returns the header of c's record, without the encoded part:
// what Authenticate checks for a store that hands out Clients, not views.
// Its strings are c's; hashes stay text (parsing them would cost what
// checking the text costs).
func recordHead(c *Client) *ClientRecord {
	r := &ClientRecord{
		id: c.ID, owner: c.Owner, version: c.Version, disabled: c.Disabled, public: c.Public,
		lastUsed: stampOf(c.LastUsedAt),
		// Another method than the package's is not a password method
		// and not the one a request used: "" (code 0 without text) does
		// for the checks.
		method: methodCode(c.TokenEndpointAuthMethod),
	}
	r.secrets = r.one[:0]
	if len(c.Secrets) > len(r.one) {
		r.secrets = make([]secretHead, 0, len(c.Secrets))
	}
	for i := range c.Secrets {
		s := &c.Secrets[i]
		r.secrets = append(r.secrets, secretHead{
			id: s.ID, kind: codeOf(s.Kind), hash: s.Hash.Reveal(), sealed: !s.Sealed.IsZero(),
			revoked: !s.RevokedAt.IsZero(), expires: stampOf(s.ExpiresAt), lastUsed: stampOf(s.LastUsedAt),
		})
	}
	return r
}

// newestActive returns the index of the client's newest secret active at
// now (Client.NewestSecret), or -1.
func (r *ClientRecord) newestActive(now time.Time) int {
	for i := len(r.secrets) - 1; i >= 0; i-- {
		if r.secrets[i].activeAt(now) {
			return i
		}
	}
	return -1
}

// activeAt is Secret.ActiveAt.
func (h *secretHead) activeAt(now time.Time) bool {
	return !h.revoked && (h.expires.isZero() || h.expires.after(now))
}
