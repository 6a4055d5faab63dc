package oauthreg_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/storetest"
)

// fillAll sets every exported field of v, recursively, to a non-zero value
// derived from its path, so that a field the record's codec forgot shows
// up as a difference.
func fillAll(v reflect.Value, path string) {
	switch {
	case v.Type() == reflect.TypeFor[time.Time]():
		zone := time.FixedZone("X", 5*3600+1800)
		v.Set(reflect.ValueOf(time.Date(2031, 7, len(path)%28+1, 10, 11, 12, 123456789, zone)))
		return
	case v.Type() == reflect.TypeFor[oauthreg.Concealed]():
		v.Set(reflect.ValueOf(oauthreg.Conceal("$argon2id$v=19$m=19456,t=2,p=1$" + path)))
		return
	case v.Type() == reflect.TypeFor[json.RawMessage]():
		v.Set(reflect.ValueOf(json.RawMessage(`{"k":"` + path + `"}`)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("v-" + path)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(len(path)) * 1_000_003)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem(), path)
	case reflect.Slice:
		n := 3 + len(path)%4 // longer than the decoder's room for some
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fillAll(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for i := range 2 {
			k := reflect.New(v.Type().Key()).Elem()
			k.SetString(fmt.Sprintf("%s-key%d", path, i))
			e := reflect.New(v.Type().Elem()).Elem()
			fillAll(e, fmt.Sprintf("%s[%d]", path, i))
			v.SetMapIndex(k, e)
		}
	default:
		panic("fillAll: unhandled " + v.Type().String())
	}
}

func checkRoundTrip(t *testing.T, c *oauthreg.Client, what string) {
	t.Helper()
	want := c.Clone()
	rec := oauthreg.NewClientRecord(c)
	for _, got := range []*oauthreg.Client{rec.Client(), rec.Client(), oauthreg.ViewOf(rec).Clone()} {
		if d := storetest.Diff(want, got); d != nil {
			t.Fatalf("%s: the decoded record differs:\n%v", what, d)
		}
	}
	if rec.ID() != c.ID || rec.Owner() != c.Owner || rec.Version() != c.Version {
		t.Fatalf("%s: header %q %q %d; want %q %q %d", what, rec.ID(), rec.Owner(), rec.Version(), c.ID, c.Owner, c.Version)
	}
}

// TestClientRecordRoundTrip: a record gives back every field of the client
// it encodes, whatever its type (the codec is built by reflection, so a
// field added to Client later is covered here without changing the test).
func TestClientRecordRoundTrip(t *testing.T) {
	full := &oauthreg.Client{}
	fillAll(reflect.ValueOf(full).Elem(), "c")
	// Hashes of each kind the record keeps differently: a generated
	// secret's digest, plain and peppered, and texts it keeps as they are.
	full.Secrets[0].Kind = oauthreg.SecretGenerated
	full.Secrets[0].Hash = oauthreg.Conceal("$sha256$47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")
	full.Secrets[1].Kind = oauthreg.SecretGenerated
	full.Secrets[1].Hash = oauthreg.Conceal("$hmac-sha256$k=a-pepper-id-longer-than-the-room-for-its-text-in-a-decode$47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")
	full.Secrets[2].Kind = oauthreg.SecretGenerated
	full.Secrets[2].Hash = oauthreg.Conceal("$sha256$not-canonical")
	full.Secrets[3].Kind = oauthreg.SecretGenerated
	full.Secrets[3].Hash = oauthreg.Conceal("$sha256-keyed$k=p2$47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")
	full.Secrets = append(full.Secrets, oauthreg.Secret{ID: "odd", Kind: "made-up-kind", Hash: oauthreg.Conceal("$sha256$47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")})
	full.TokenEndpointAuthMethod = oauthreg.AuthClientSecretPost
	checkRoundTrip(t, full, "every field set")

	one := &oauthreg.Client{ID: "c1", Owner: "o", TokenEndpointAuthMethod: "made-up", Secrets: []oauthreg.Secret{{
		ID: "s1", Kind: oauthreg.SecretGenerated, Hash: oauthreg.Conceal("$hmac-sha256$k=p1$47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"),
	}}}
	checkRoundTrip(t, one, "one peppered secret, an unknown method")
	checkRoundTrip(t, &oauthreg.Client{ID: "empty"}, "an empty client")
	checkRoundTrip(t, &oauthreg.Client{ID: "zero-policy", RotationPolicy: &oauthreg.RotationPolicy{}, Scopes: []string{}, Secrets: []oauthreg.Secret{}},
		"a zero rotation policy and empty slices")
	if got := oauthreg.NewClientRecord(&oauthreg.Client{ID: "x", Scopes: []string{}}).Client(); got.Scopes == nil {
		t.Error("an empty slice came back nil")
	}
	if got := oauthreg.NewClientRecord(&oauthreg.Client{ID: "x"}).Client(); got.Scopes != nil || got.Metadata != nil || got.RotationPolicy != nil {
		t.Error("a nil slice, map or pointer came back set")
	}
}

// TestClientRecordIsImmutable: changing the client a record was made from,
// or a client decoded from it, changes nothing the record gives back.
func TestClientRecordIsImmutable(t *testing.T) {
	c := &oauthreg.Client{}
	fillAll(reflect.ValueOf(c).Elem(), "c")
	want := c.Clone()
	rec := oauthreg.NewClientRecord(c)
	fillAll(reflect.ValueOf(c).Elem(), "changed")
	c.JWKS[0] = 'X'
	got := rec.Client()
	got.Scopes[0], got.JWKS[0], got.Secrets[0].ID = "x", 'Y', "y"
	got.Metadata["new"] = "x"
	got.Extensions[got.Name+"-key0"] = json.RawMessage(`1`)
	for k := range got.Extensions {
		got.Extensions[k][0] = 'Z'
	}
	if d := storetest.Diff(want, rec.Client()); d != nil {
		t.Fatalf("the record changed with the clients around it:\n%v", d)
	}
}

// TestClientRecordStoredAndTouched: the write helpers a store uses.
func TestClientRecordStoredAndTouched(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)
	c := &oauthreg.Client{ID: "c", Version: 7, Name: "n", Secrets: []oauthreg.Secret{{ID: "s1"}, {ID: "s2"}}}
	first := oauthreg.NewClientRecord(c).Stored(1, nil)
	touched := first.Touched("s2", at)
	if got := first.Client(); got.Version != 1 || !got.LastUsedAt.IsZero() || !got.Secrets[1].LastUsedAt.IsZero() {
		t.Fatalf("a touch changed the record it was made from: %+v", got)
	}
	got := touched.Client()
	if !got.LastUsedAt.Equal(at) || !got.Secrets[1].LastUsedAt.Equal(at) || !got.Secrets[0].LastUsedAt.IsZero() || got.Name != "n" {
		t.Fatalf("touched: %+v", got)
	}
	// An update read before the touch keeps the touch's times, for the
	// secrets it still holds.
	c.Secrets = []oauthreg.Secret{{ID: "s2"}, {ID: "s3", LastUsedAt: at.Add(time.Hour)}}
	c.LastUsedAt = at.Add(-time.Hour)
	up := oauthreg.NewClientRecord(c).Stored(2, touched).Client()
	if up.Version != 2 || !up.LastUsedAt.Equal(at) || !up.Secrets[0].LastUsedAt.Equal(at) || !up.Secrets[1].LastUsedAt.IsZero() {
		t.Fatalf("stored over the touched record: %+v", up)
	}
	if oauthreg.NewClientRecord(nil) != nil || (*oauthreg.ClientRecord)(nil).Client() != nil || !oauthreg.ViewOf(nil).IsZero() {
		t.Fatal("nil records")
	}
}

// TestClientRecordDecodeAllocs: decoding a typical client with one secret,
// what every successful Authenticate on memstore does, is one allocation.
func TestClientRecordDecodeAllocs(t *testing.T) {
	c := &oauthreg.Client{
		ID: "0190c3a2-0000-7000-8000-000000000001", Owner: "org-0001", Name: "billing service",
		TokenEndpointAuthMethod: oauthreg.AuthClientSecretBasic,
		GrantTypes:              []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		Scopes:                  []string{"read", "write"},
		CreatedAt:               time.Now(), UpdatedAt: time.Now(),
		Secrets: []oauthreg.Secret{{ID: "s1", Kind: oauthreg.SecretGenerated, Hint: "abcd", CreatedAt: time.Now(),
			Hash: oauthreg.Conceal("$sha256$47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")}},
	}
	rec := oauthreg.NewClientRecord(c)
	if n := testing.AllocsPerRun(100, func() { _ = rec.Client() }); n != 1 {
		t.Fatalf("decoding a typical client costs %v allocations; want 1", n)
	}
}
