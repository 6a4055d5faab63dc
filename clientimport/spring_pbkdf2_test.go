package clientimport_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientimport"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// The fixture testdata/spring_pbkdf2_custom.json holds a client whose
// {pbkdf2} hash was written by a Pbkdf2PasswordEncoder with its own secret
// ("legacy-app-secret"), PBKDF2WithHmacSHA1, 185,000 iterations, an 8-byte
// salt and a 256-bit hash: the core's vector "sha1, hex, 256 bits, legacy
// constructor with a secret" (hash_spring_pbkdf2_test.go), behind the
// DelegatingPasswordEncoder's {pbkdf2} prefix. Next to it, a {bcrypt} client
// the settings must leave alone.
const (
	customPBKDF2Client   = "pbkdf2-client"
	customPBKDF2Password = "legacy-secret-value"
	customPBKDF2Secret   = "legacy-app-secret"
)

var customPBKDF2Settings = oauthreg.SpringPBKDF2Settings{
	Algorithm: "PBKDF2WithHmacSHA1", Iterations: 185000, SaltLength: 8, HashWidth: 256, SecretID: "spring-app",
}

func springPBKDF2Registry(t *testing.T) *oauthreg.Registry {
	t.Helper()
	reg, err := oauthreg.New(memstore.New(), oauthreg.WithClock(oauthregtest.NewClock(testNow).Now),
		oauthreg.WithSpringPBKDF2Secret("spring-app", []byte(customPBKDF2Secret)))
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestSpringCustomPBKDF2WithSettings: with the encoder's settings the
// custom {pbkdf2} hash is imported in the self-describing encoding (naming
// the encoder's secret by ID, never holding it) and authenticates with its
// plaintext; the {bcrypt} client of the same export is untouched.
func TestSpringCustomPBKDF2WithSettings(t *testing.T) {
	reg := springPBKDF2Registry(t)
	settings := customPBKDF2Settings
	entries := parseFile(t, clientimport.Spring, "spring_pbkdf2_custom.json", clientimport.Options{})
	rep, err := clientimport.Run(t.Context(), reg, clientimport.Spring, entries, clientimport.RunOptions{SpringPBKDF2: &settings})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rep.Imported != 2 || !rep.Written {
		t.Fatalf("report: %d imported, written %v; want 2, true", rep.Imported, rep.Written)
	}
	c, err := reg.Get(t.Context(), customPBKDF2Client)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Secrets) != 1 {
		t.Fatalf("%d secrets", len(c.Secrets))
	}
	if h := c.Secrets[0].Hash.Reveal(); !strings.HasPrefix(h, "$spring-pbkdf2-sha1$i=185000,k=spring-app$") || strings.Contains(h, customPBKDF2Secret) {
		t.Errorf("stored %q", h)
	}
	if _, err := reg.Authenticate(t.Context(), customPBKDF2Client, customPBKDF2Password+"x"); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Errorf("a wrong secret: %v", err)
	}
	if _, err := reg.Authenticate(t.Context(), customPBKDF2Client, customPBKDF2Password); err != nil {
		t.Errorf("the plaintext behind the custom hash: %v", err)
	}
	if _, err := reg.Authenticate(t.Context(), "messaging-client", "spring-client-secret"); err != nil {
		t.Errorf("the {bcrypt} client next to it: %v", err)
	}
}

// TestSpringCustomPBKDF2WithoutSettings documents what happens without the
// settings. This hash has the length of Spring's pre-5.8 default
// (hex(salt(8) || key(32))), so nothing tells it apart: it is imported as
// that default and never verifies. A custom hash of any other length is
// refused, and then nothing of the export is stored.
func TestSpringCustomPBKDF2WithoutSettings(t *testing.T) {
	reg := springPBKDF2Registry(t)
	entries := parseFile(t, clientimport.Spring, "spring_pbkdf2_custom.json", clientimport.Options{})
	if _, err := clientimport.Run(t.Context(), reg, clientimport.Spring, entries, clientimport.RunOptions{}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if _, err := reg.Authenticate(t.Context(), customPBKDF2Client, customPBKDF2Password); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Errorf("imported as a default configuration, it verified: %v", err)
	}

	// The core's "sha1, hex, 160 bits" vector: 28 bytes, no default's length.
	b, err := os.ReadFile("testdata/spring_pbkdf2_custom.json")
	if err != nil {
		t.Fatal(err)
	}
	short := strings.Replace(string(b), "{pbkdf2}010203040506070811404d719489579c6fc1e0586fb9438d57c1c8441d0939775cec4810556f5deb",
		"{pbkdf2}a1b2c3d4e5f60718950a648dd41b00010b7e04fa140ea74a2ade0d64", 1)
	reg = springPBKDF2Registry(t)
	parse := func() []clientimport.Entry {
		entries, err := clientimport.Parse(clientimport.Spring, strings.NewReader(short), clientimport.Options{Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		return entries
	}
	rep, err := clientimport.Run(t.Context(), reg, clientimport.Spring, parse(), clientimport.RunOptions{})
	if !errors.Is(err, clientimport.ErrRefused) || !errors.Is(err, oauthreg.ErrImportRefused) {
		t.Fatalf("Run: %v, want ErrRefused", err)
	}
	if o := outcome(t, rep, customPBKDF2Client); o.Status != clientimport.Refused || !strings.Contains(o.Message, "WithSpringPBKDF2") {
		t.Errorf("outcome %+v", o)
	}
	if _, err := reg.Get(t.Context(), "messaging-client"); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Errorf("something was stored: %v", err)
	}
	// With its settings, it imports and authenticates.
	settings := oauthreg.SpringPBKDF2Settings{Algorithm: "PBKDF2WithHmacSHA1", Iterations: 2000, SaltLength: 8}
	if _, err := clientimport.Run(t.Context(), reg, clientimport.Spring, parse(), clientimport.RunOptions{SpringPBKDF2: &settings}); err != nil {
		t.Fatalf("Run with its settings: %v", err)
	}
	if _, err := reg.Authenticate(t.Context(), customPBKDF2Client, "client-secret-42"); err != nil {
		t.Errorf("with its settings: %v", err)
	}
}

// TestSpringPBKDF2BadSettings: settings that fail their Check refuse the
// whole run before anything is stored; settings naming an encoder secret
// the Registry lacks refuse the client whose hash they apply to.
func TestSpringPBKDF2BadSettings(t *testing.T) {
	reg := springPBKDF2Registry(t)
	bad := customPBKDF2Settings
	bad.Algorithm = "PBKDF2WithHmacMD5"
	_, err := clientimport.Run(t.Context(), reg, clientimport.Spring,
		parseFile(t, clientimport.Spring, "spring_pbkdf2_custom.json", clientimport.Options{}), clientimport.RunOptions{SpringPBKDF2: &bad})
	if !errors.Is(err, oauthreg.ErrImportRefused) || !errors.Is(err, oauthreg.ErrUnsupportedHash) {
		t.Errorf("bad settings: %v", err)
	}
	unknown := customPBKDF2Settings
	unknown.SecretID = "not-configured"
	rep, err := clientimport.Run(t.Context(), reg, clientimport.Spring,
		parseFile(t, clientimport.Spring, "spring_pbkdf2_custom.json", clientimport.Options{}), clientimport.RunOptions{SpringPBKDF2: &unknown, DryRun: true})
	if !errors.Is(err, clientimport.ErrRefused) {
		t.Fatalf("unknown secret ID: %v", err)
	}
	if o := outcome(t, rep, customPBKDF2Client); o.Status != clientimport.Refused || !strings.Contains(o.Message, "not-configured") {
		t.Errorf("outcome %+v", o)
	}
	if o := outcome(t, rep, "messaging-client"); o.Status != clientimport.Accepted {
		t.Errorf("the {bcrypt} client: %+v", o)
	}
}
