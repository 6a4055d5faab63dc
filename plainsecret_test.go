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

// TestPlainSecretNeverPrints checks every way a PlainSecret, or a value
// holding one, can be printed, logged or marshalled.
func TestPlainSecretNeverPrints(t *testing.T) {
	const plain = "oauthreg_supersecretvalue2345678"
	p := newPlainSecret(plain, "sid", time.Time{})
	type exported struct{ Secret PlainSecret }
	type unexported struct{ secret PlainSecret }
	var outputs []string
	for _, v := range []any{p, &p, exported{p}, unexported{p}, []PlainSecret{p}, map[string]PlainSecret{"k": p}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
			outputs = append(outputs, fmt.Sprintf(verb, v))
		}
		outputs = append(outputs, fmt.Sprint(v), fmt.Sprintln(v))
		if b, err := json.Marshal(v); err == nil {
			outputs = append(outputs, string(b))
		}
	}
	if b, err := p.MarshalText(); err == nil {
		outputs = append(outputs, string(b))
	}
	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
		l := slog.New(h)
		l.Info("issued", "secret", p, "holder", exported{p})
		l.Info("issued", slog.Any("secret", p), slog.Group("g", "s", p))
	}
	outputs = append(outputs, logs.String())
	for _, out := range outputs {
		if strings.Contains(out, plain) || strings.Contains(out, "supersecret") {
			t.Fatalf("plaintext leaked: %s", out)
		}
	}
	if !strings.Contains(logs.String(), redacted) {
		t.Fatalf("slog output has no redaction marker: %s", logs.String())
	}
	if p.Reveal() != plain || p.ID() != "sid" || p.IsZero() {
		t.Fatal("Reveal/ID/IsZero do not return the value")
	}
	var zero PlainSecret
	if !zero.IsZero() || zero.Reveal() != "" || zero.ID() != "" || !zero.ExpiresAt().IsZero() || zero.String() != redacted {
		t.Fatal("zero PlainSecret misbehaves")
	}
}
