package oauthreg_test

import (
	"bytes"
	"encoding/base64"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"text/template"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

const (
	hashMarker   = "$argon2id$v=19$HASH-MARKER-must-never-appear"
	sealedMarker = "v1.k.SEALED-MARKER-must-never-appear"
	pepperMarker = "PEPPER-MARKER-must-never-appear!"
	keyMarker    = "KEY-MARKER-32-bytes-never-appear"
	cursorMarker = "CURSOR-KEY-MARKER-never-appears!"
)

// leakForms returns the ways a marker can show up in an output: as is, in
// hex, in base64, and as fmt prints a byte slice.
func leakForms(marker string) []string {
	b := []byte(marker)
	return []string{
		marker[4:20], hex.EncodeToString(b)[8:40], strings.ToUpper(hex.EncodeToString(b))[8:40],
		base64.StdEncoding.EncodeToString(b)[4:24], strings.Trim(fmt.Sprint(b[4:12]), "[]"),
	}
}

func checkNoLeak(t *testing.T, what string, out []byte, markers ...string) {
	t.Helper()
	for _, m := range markers {
		for _, form := range leakForms(m) {
			if bytes.Contains(out, []byte(form)) {
				t.Errorf("%s shows %.20q… (as %q):\n%s", what, m, form, out)
				return
			}
		}
	}
}

func clientWithHashes() *oauthreg.Client {
	return &oauthreg.Client{ID: "c1", Owner: "org", Name: "n", Secrets: []oauthreg.Secret{{
		ID: "s1", Kind: oauthreg.SecretGenerated, Hint: "abcd",
		Hash: oauthreg.Conceal(hashMarker), Sealed: oauthreg.Conceal(sealedMarker),
	}}}
}

// Every encoder a user may point at a Client, a Secret or their hash and
// sealed values shows neither.
func TestHashAndSealedReachNoEncoder(t *testing.T) {
	c := clientWithHashes()
	s := c.Secrets[0]
	type holder struct {
		c oauthreg.Client   // unexported: fmt prints it by reflection
		s oauthreg.Secret   // unexported, too
		p []oauthreg.Secret // and a slice of them
	}
	h := holder{c: *c, s: s, p: c.Secrets}
	values := map[string]any{"*Client": c, "Client": *c, "Secret": s, "[]Secret": c.Secrets, "Hash": s.Hash,
		"Sealed": s.Sealed, "holder": h, "*holder": &h}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"} {
			checkNoLeak(t, "fmt "+verb+" of "+name, fmt.Appendf(nil, verb, v), hashMarker, sealedMarker)
		}
		if out, err := json.Marshal(v); err == nil {
			checkNoLeak(t, "encoding/json of "+name, out, hashMarker, sealedMarker)
		}
		var logs bytes.Buffer
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("m", "v", v)
		slog.New(slog.NewTextHandler(&logs, nil)).Info("m", "v", v)
		checkNoLeak(t, "log/slog of "+name, logs.Bytes(), hashMarker, sealedMarker)
		var g bytes.Buffer
		if err := gob.NewEncoder(&g).Encode(v); err == nil {
			checkNoLeak(t, "encoding/gob of "+name, g.Bytes(), hashMarker, sealedMarker)
		}
	}
	type secrets struct{ S []oauthreg.Secret }
	for name, v := range map[string]any{"Secret": s, "[]Secret": secrets{c.Secrets}, "Client": c} {
		out, err := xml.Marshal(v)
		if err != nil && name != "Client" { // a Client's maps are not XML
			t.Errorf("encoding/xml of %s: %v", name, err)
		}
		checkNoLeak(t, "encoding/xml of "+name, out, hashMarker, sealedMarker)
		checkNoLeak(t, "encoding/xml error of "+name, []byte(fmt.Sprint(err)), hashMarker, sealedMarker)
	}
	tmpl := template.Must(template.New("t").Parse(`{{.}} {{range .Secrets}}{{.Hash}} {{.Sealed}} {{.}} {{printf "%#v %x" .Hash .Sealed}}{{end}}`))
	var out bytes.Buffer
	if err := tmpl.Execute(&out, c); err != nil {
		t.Fatal(err)
	}
	checkNoLeak(t, "text/template", out.Bytes(), hashMarker, sealedMarker)
	if !strings.Contains(out.String(), "[REDACTED]") {
		t.Errorf("text/template printed %q, want [REDACTED] for the hash", out.String())
	}

	// A gob round trip keeps everything but the concealed values.
	var g bytes.Buffer
	if err := gob.NewEncoder(&g).Encode(c); err != nil {
		t.Fatal(err)
	}
	var back oauthreg.Client
	if err := gob.NewDecoder(&g).Decode(&back); err != nil {
		t.Fatal(err)
	}
	if back.Secrets[0].ID != "s1" || !back.Secrets[0].Hash.IsZero() || !back.Secrets[0].Sealed.IsZero() {
		t.Errorf("gob round trip: %+v", back.Secrets)
	}
}

// Concealed values compare by value, read back with Reveal, and show
// whether they are set.
func TestConcealed(t *testing.T) {
	a, b := oauthreg.Conceal("x"), oauthreg.Conceal(string([]byte("x")))
	if !a.Equal(b) || a.Equal(oauthreg.Conceal("y")) || a.Reveal() != "x" || a.IsZero() {
		t.Error("Conceal/Equal/Reveal")
	}
	var zero oauthreg.Concealed
	if !zero.IsZero() || zero.Reveal() != "" || !oauthreg.Conceal("").Equal(zero) || fmt.Sprint(zero) != "" || fmt.Sprint(a) != "[REDACTED]" {
		t.Errorf("zero Concealed: %v %q", zero, zero.Reveal())
	}
}

// A Registry prints, logs and marshals without its pepper or its keys.
func TestRegistryPrintsNoKeyMaterial(t *testing.T) {
	key := oauthreg.Key{ID: "k1", Algorithm: oauthreg.AES256GCM, Secret: []byte(keyMarker)}
	ring, err := oauthreg.NewKeyRing(key)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := oauthreg.New(memstore.New(), oauthreg.WithPepper("p1", []byte(pepperMarker)),
		oauthreg.WithRetiredPepper("p0", []byte(strings.ToLower(pepperMarker))), oauthreg.WithKeyRing(ring),
		oauthreg.WithCursorKey([]byte(cursorMarker)))
	if err != nil {
		t.Fatal(err)
	}
	type holder struct{ r *oauthreg.Registry }
	for name, v := range map[string]any{"*Registry": reg, "holder": holder{reg}, "*holder": &holder{reg}, "Key": key, "KeyMaterial": key.Secret} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			checkNoLeak(t, "fmt "+verb+" of "+name, fmt.Appendf(nil, verb, v), pepperMarker, strings.ToLower(pepperMarker), keyMarker, cursorMarker)
		}
		if out, err := json.Marshal(v); err == nil {
			checkNoLeak(t, "encoding/json of "+name, out, pepperMarker, keyMarker)
		}
		var logs bytes.Buffer
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("m", "v", v)
		slog.New(slog.NewTextHandler(&logs, nil)).Info("m", "v", v)
		checkNoLeak(t, "log/slog of "+name, logs.Bytes(), pepperMarker, keyMarker)
		var g bytes.Buffer
		if err := gob.NewEncoder(&g).Encode(v); err == nil {
			checkNoLeak(t, "encoding/gob of "+name, g.Bytes(), pepperMarker, keyMarker)
		}
		if out, err := xml.Marshal(v); err == nil {
			checkNoLeak(t, "encoding/xml of "+name, out, pepperMarker, keyMarker)
		}
	}
	var out bytes.Buffer
	if err := template.Must(template.New("t").Parse(`{{.}} {{.Secret}} {{printf "%x" .Secret}}`)).Execute(&out, key); err != nil {
		t.Fatal(err)
	}
	checkNoLeak(t, "text/template of a Key", out.Bytes(), keyMarker)
	if got := reg.String(); !strings.Contains(got, "p1:[REDACTED]") || !strings.Contains(got, "Sealing:true") {
		t.Errorf("Registry.String() = %q", got)
	}
	// Key material still decodes from configuration JSON.
	var k oauthreg.Key
	if err := json.Unmarshal([]byte(`{"ID":"k2","Algorithm":"A256GCM","Secret":"`+base64.StdEncoding.EncodeToString([]byte(keyMarker))+`"}`), &k); err != nil || string(k.Secret) != keyMarker {
		t.Errorf("Key from JSON: %v", err)
	}
}
