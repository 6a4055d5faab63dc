package oauthreg

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestNoHashInOutput: hashes and sealed values of Secret and Client never
// appear in fmt, slog (text and JSON) or JSON output.
func TestNoHashInOutput(t *testing.T) {
	const hash, sealed = "$argon2id$v=19$m=19456,t=2,p=1$SALTSALT$HASHHASH", "SEALED-CIPHERTEXT"
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s := Secret{ID: "sid", Kind: SecretSupplied, Hash: Conceal(hash), Sealed: Conceal(sealed), Hint: "abcd", CreatedAt: now}
	c := &Client{ID: "cid", Owner: "org", Name: "n", Secrets: []Secret{s, s}}
	var outs []string
	for _, v := range []any{s, &s, c, *c, []Secret{s}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q", "%t", "%10.4v"} {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, string(b))
	}
	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
		slog.New(h).Info("x", "secret", s, "client", c)
	}
	outs = append(outs, logs.String())
	for _, out := range outs {
		if strings.Contains(out, "HASHHASH") || strings.Contains(out, "SALTSALT") || strings.Contains(out, sealed) {
			t.Fatalf("hash or sealed value in output: %s", out)
		}
	}
	if !strings.Contains(logs.String(), "sid") || !strings.Contains(logs.String(), "cid") {
		t.Fatalf("log lacks the IDs: %s", logs.String())
	}
}
