package oauthreg

// The binary encoding of the fields a ClientRecord keeps in its blob.
//
// A struct is encoded as its non-zero fields, each as one byte naming the
// field (its position in the struct's plan, from 1) followed by its value;
// absent fields cost nothing. Values: a string or byte slice is a uvarint
// length and the bytes; an integer a zigzag varint; a bool nothing (present
// means true); a time a 0 byte and its Unix seconds and nanoseconds, 8 and
// 4 bytes little endian (fixed widths decode faster than varints, and times
// are most of what a success decodes), or a 1 byte alone for the same time
// as the one before it in the record (a client's creation, update and first
// secret usually share one); a
// slice a uvarint count and its elements; a map a count and its pairs; a
// nested struct a uvarint length and its own encoding. Slices and maps are
// written when they are not nil, so nil and empty stay apart.
//
// The plans are built once by reflection from the struct types, so a field
// added to Client or Secret later is encoded without changing this file; a
// field of a kind the codec does not know makes buildPlan panic when the
// package loads, which every test of the package shows at once. Decoding
// writes the fields through their offsets (unsafe), which keeps it fast
// enough for the authentication hot path, where a success decodes the
// client the caller receives.

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"reflect"
	"time"
	"unsafe"
)

type fieldKind uint8

const (
	kString    fieldKind = iota + 1 // a string kind
	kBool                           // bool
	kInt                            // int64, time.Duration, int
	kTime                           // time.Time
	kStrings                        // a slice of a string kind
	kBytes                          // a byte slice (json.RawMessage)
	kConcealed                      // Concealed
	kStruct                         // a nested struct, inline
	kStructPtr                      // a pointer to a struct
	kMap                            // a map with string-kind keys (reflect, cold)
)

// fieldPlan is how one field is encoded.
type fieldPlan struct {
	name string
	off  uintptr
	kind fieldKind
	typ  reflect.Type
	sub  *structPlan // kStruct, kStructPtr
	// intSize is the size of a kInt field (8, or 4 for int on 32-bit).
	intSize uintptr
}

// structPlan lists the encoded fields of a struct type.
type structPlan struct {
	typ    reflect.Type
	fields []fieldPlan
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	concealedType = reflect.TypeFor[Concealed]()
	rawType       = reflect.TypeFor[json.RawMessage]()
)

// buildPlan returns the plan of struct type t, without the fields named in
// skip (those a ClientRecord keeps in its header).
func buildPlan(t reflect.Type, skip ...string) *structPlan {
	p := &structPlan{typ: t}
fields:
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		for _, s := range skip {
			if f.Name == s {
				continue fields
			}
		}
		fp := fieldPlan{name: f.Name, off: f.Offset, typ: f.Type}
		switch {
		case f.Type == timeType:
			fp.kind = kTime
		case f.Type == concealedType:
			fp.kind = kConcealed
		case f.Type.Kind() == reflect.String:
			fp.kind = kString
		case f.Type.Kind() == reflect.Bool:
			fp.kind = kBool
		case f.Type.Kind() == reflect.Int64 || f.Type.Kind() == reflect.Int:
			fp.kind, fp.intSize = kInt, f.Type.Size()
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
			fp.kind = kStrings
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Uint8:
			fp.kind = kBytes
		case f.Type.Kind() == reflect.Struct:
			fp.kind, fp.sub = kStruct, buildPlan(f.Type)
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct:
			fp.kind, fp.sub = kStructPtr, buildPlan(f.Type.Elem())
		case f.Type.Kind() == reflect.Map && f.Type.Key().Kind() == reflect.String && codecValueOK(f.Type.Elem()):
			fp.kind = kMap
		default:
			panic(fmt.Sprintf("oauthreg: the client record codec cannot encode %s.%s of type %s", t.Name(), f.Name, f.Type))
		}
		p.fields = append(p.fields, fp)
	}
	if len(p.fields) > 255 {
		panic("oauthreg: the client record codec names fields with one byte")
	}
	return p
}

// codecValueOK reports whether a map's values can be encoded: strings, byte
// slices, or structs of integer fields (a grant's lifetimes).
func codecValueOK(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String:
		return true
	case reflect.Slice:
		return t.Elem().Kind() == reflect.Uint8
	case reflect.Struct:
		for i := range t.NumField() {
			if k := t.Field(i).Type.Kind(); k != reflect.Int64 && k != reflect.Int {
				return false
			}
		}
		return true
	}
	return false
}

// recordEncoder appends encodings to buf. last is the last time it wrote
// (see time).
type recordEncoder struct {
	buf  []byte
	last *time.Time
}

func (e *recordEncoder) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *recordEncoder) varint(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }
func (e *recordEncoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *recordEncoder) bytes(b []byte) {
	e.uvarint(uint64(len(b)))
	e.buf = append(e.buf, b...)
}

// time encodes t (not zero) as seconds and nanoseconds, or as the same
// time as the last one.
func (e *recordEncoder) time(t time.Time) {
	if e.last != nil && e.last.Equal(t) {
		e.buf = append(e.buf, 1)
		return
	}
	e.buf = append(e.buf, 0)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, uint64(t.Unix()))
	e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(t.Nanosecond()))
	if e.last != nil {
		*e.last = t
	}
}

// structAt encodes the struct at base under plan p.
func (e *recordEncoder) structAt(p *structPlan, base unsafe.Pointer) {
	for i := range p.fields {
		f := &p.fields[i]
		ptr := unsafe.Add(base, f.off)
		tag := byte(i + 1)
		switch f.kind {
		case kString:
			if s := *(*string)(ptr); s != "" {
				e.buf = append(e.buf, tag)
				e.str(s)
			}
		case kConcealed:
			if s := (*Concealed)(ptr).Reveal(); s != "" {
				e.buf = append(e.buf, tag)
				e.str(s)
			}
		case kBool:
			if *(*bool)(ptr) {
				e.buf = append(e.buf, tag)
			}
		case kInt:
			if v := readInt(ptr, f.intSize); v != 0 {
				e.buf = append(e.buf, tag)
				e.varint(v)
			}
		case kTime:
			if t := *(*time.Time)(ptr); !t.IsZero() {
				e.buf = append(e.buf, tag)
				e.time(t)
			}
		case kStrings:
			if s := *(*[]string)(ptr); s != nil {
				e.buf = append(e.buf, tag)
				e.uvarint(uint64(len(s)))
				for _, v := range s {
					e.str(v)
				}
			}
		case kBytes:
			if b := *(*[]byte)(ptr); b != nil {
				e.buf = append(e.buf, tag)
				e.bytes(b)
			}
		case kStruct:
			if !reflect.NewAt(f.typ, ptr).Elem().IsZero() {
				e.buf = append(e.buf, tag)
				e.nested(f.sub, ptr)
			}
		case kStructPtr:
			if p := *(*unsafe.Pointer)(ptr); p != nil {
				e.buf = append(e.buf, tag)
				e.nested(f.sub, p)
			}
		case kMap:
			m := reflect.NewAt(f.typ, ptr).Elem()
			if m.IsNil() {
				continue
			}
			e.buf = append(e.buf, tag)
			e.uvarint(uint64(m.Len()))
			for it := m.MapRange(); it.Next(); {
				e.str(it.Key().String())
				e.mapValue(it.Value())
			}
		}
	}
}

// nested encodes a struct with its length first.
func (e *recordEncoder) nested(p *structPlan, base unsafe.Pointer) {
	sub := recordEncoder{last: e.last}
	sub.structAt(p, base)
	e.bytes(sub.buf)
}

// mapValue encodes a map value (see codecValueOK).
func (e *recordEncoder) mapValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		e.str(v.String())
	case reflect.Slice:
		e.bytes(v.Bytes())
	case reflect.Struct:
		for i := range v.NumField() {
			e.varint(v.Field(i).Int())
		}
	}
}

func readInt(ptr unsafe.Pointer, size uintptr) int64 {
	if size == 4 {
		return int64(*(*int32)(ptr))
	}
	return *(*int64)(ptr)
}

func writeInt(ptr unsafe.Pointer, size uintptr, v int64) {
	if size == 4 {
		*(*int32)(ptr) = int32(v)
		return
	}
	*(*int64)(ptr) = v
}

// recordDecoder reads what a recordEncoder wrote into a blob the record
// owns and never changes: decoded strings point into it (no copy); byte
// slices, slices and maps are the caller's own. last is the last time it
// read, shared with the decoders of the record's other parts.
type recordDecoder struct {
	b    []byte
	pos  int
	last time.Time
}

func (d *recordDecoder) more() bool { return d.pos < len(d.b) }

func (d *recordDecoder) byte() byte {
	c := d.b[d.pos]
	d.pos++
	return c
}

func (d *recordDecoder) uvarint() uint64 {
	if c := d.b[d.pos]; c < 0x80 { // lengths and counts: almost always one byte
		d.pos++
		return uint64(c)
	}
	v, n := binary.Uvarint(d.b[d.pos:])
	d.pos += n
	return v
}

func (d *recordDecoder) varint() int64 {
	v, n := binary.Varint(d.b[d.pos:])
	d.pos += n
	return v
}

// str returns the next string, pointing into the blob.
func (d *recordDecoder) str() string {
	n := int(d.uvarint())
	if n == 0 {
		return ""
	}
	s := unsafe.String(&d.b[d.pos], n)
	d.pos += n
	return s
}

func (d *recordDecoder) time() time.Time {
	if d.byte() == 1 {
		return d.last
	}
	b := d.b[d.pos : d.pos+12]
	d.pos += 12
	d.last = time.Unix(int64(binary.LittleEndian.Uint64(b)), int64(binary.LittleEndian.Uint32(b[8:]))).UTC()
	return d.last
}

// roomFor returns where a decoded slice of n strings may go without an
// allocation of its own (nil: allocate).
type roomFunc func(field int, n int) unsafe.Pointer

// structAt decodes into the zeroed struct at base under plan p. room, when
// not nil, offers memory for string slices.
func (d *recordDecoder) structAt(p *structPlan, base unsafe.Pointer, room roomFunc) {
	for d.more() {
		i := int(d.byte()) - 1
		f := &p.fields[i]
		ptr := unsafe.Add(base, f.off)
		switch f.kind {
		case kString:
			*(*string)(ptr) = d.str()
		case kConcealed:
			s := d.str()
			*(*Concealed)(ptr) = Concealed{p: &s}
		case kBool:
			*(*bool)(ptr) = true
		case kInt:
			writeInt(ptr, f.intSize, d.varint())
		case kTime:
			*(*time.Time)(ptr) = d.time()
		case kStrings:
			n := int(d.uvarint())
			var s []string
			if r := room; r != nil {
				if at := r(i, n); at != nil {
					s = unsafe.Slice((*string)(at), n)[:n:n]
				}
			}
			if s == nil {
				s = make([]string, n)
			}
			for j := range s {
				s[j] = d.str()
			}
			*(*[]string)(ptr) = s
		case kBytes:
			*(*[]byte)(ptr) = append([]byte{}, d.str()...)
		case kStruct:
			d.nested(f.sub, ptr)
		case kStructPtr:
			v := reflect.New(f.sub.typ)
			d.nested(f.sub, v.UnsafePointer())
			*(*unsafe.Pointer)(ptr) = v.UnsafePointer()
		case kMap:
			n := int(d.uvarint())
			m := reflect.MakeMapWithSize(f.typ, n)
			for range n {
				k := reflect.New(f.typ.Key()).Elem()
				k.SetString(d.str())
				m.SetMapIndex(k, d.mapValue(f.typ.Elem()))
			}
			reflect.NewAt(f.typ, ptr).Elem().Set(m)
		}
	}
}

// nested decodes a length-prefixed struct.
func (d *recordDecoder) nested(p *structPlan, base unsafe.Pointer) {
	n := int(d.uvarint())
	sub := recordDecoder{b: d.b[d.pos : d.pos+n], last: d.last}
	sub.structAt(p, base, nil)
	d.pos += n
	d.last = sub.last
}

// mapValue decodes a map value of type t (see codecValueOK).
func (d *recordDecoder) mapValue(t reflect.Type) reflect.Value {
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.String:
		v.SetString(d.str())
	case reflect.Slice:
		v.SetBytes(append([]byte{}, d.str()...))
	case reflect.Struct:
		for i := range v.NumField() {
			v.Field(i).SetInt(d.varint())
		}
	}
	return v
}
