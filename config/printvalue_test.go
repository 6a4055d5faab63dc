package config_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg/config"
)

// TestConfigValueNeverPrintsKeys: a Config printed or logged by value
// (*cfg, a struct field of type Config, a copy), not only through its
// pointer, shows no key material and no database password, and neither
// does a KeyEntry of ParseKeyList. Each key is a run of one byte value, so
// any rendering of it (base64, decimal or hex bytes) shows up.
func TestConfigValueNeverPrintsKeys(t *testing.T) {
	cursor := bytes.Repeat([]byte{0xC5}, 32)
	const password = "db-Passw0rd-xyzzy"
	c, err := config.Load("", env(map[string]string{
		config.EnvPepper:    "p1:" + pepperB64,
		config.EnvKeyRing:   "k1:XC20P:" + ringB64,
		config.EnvCursorKey: base64.StdEncoding.EncodeToString(cursor),
		config.EnvDatabase:  "postgres://app:" + password + "@db.example:5432/clients",
	}))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := config.ParseKeyList("p1:"+pepperB64, false)
	if err != nil {
		t.Fatal(err)
	}
	type holder struct{ Cfg config.Config }
	var outputs []string
	for _, v := range []any{c, *c, holder{*c}, &holder{*c}, entries, entries[0], &entries[0]} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
			outputs = append(outputs, fmt.Sprintf(verb, v))
		}
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("startup", "config", v)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("startup", "config", v)
		outputs = append(outputs, text.String(), js.String())
		if b, err := json.Marshal(v); err == nil {
			outputs = append(outputs, string(b))
		}
	}
	for _, key := range [][]byte{pepperKey, ringKey, cursor} {
		b := key[0]
		leaks := []string{
			base64.StdEncoding.EncodeToString(key[:6]), base64.RawURLEncoding.EncodeToString(key[:6]),
			strings.Repeat(fmt.Sprintf("%d ", b), 6), strings.Repeat(fmt.Sprintf("0x%x, ", b), 6),
			strings.Repeat(fmt.Sprintf("%02x", b), 6), string(key[:6]),
		}
		for _, out := range outputs {
			for _, leak := range leaks {
				if strings.Contains(out, leak) {
					t.Errorf("output shows key bytes (%q):\n%s", leak, out)
				}
			}
		}
	}
	for _, out := range outputs {
		if strings.Contains(out, password) {
			t.Errorf("output shows the database password:\n%s", out)
		}
	}
}
