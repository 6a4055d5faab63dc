package main

import (
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"
)

// springFlagArgs are the settings of the encoder behind
// clientimport/testdata/spring_pbkdf2_custom.json's pbkdf2-client (the
// core's "sha1, hex, 256 bits, legacy constructor with a secret" vector).
var springFlagArgs = []string{"--spring-pbkdf2-algorithm", "sha1", "--spring-pbkdf2-iterations", "185000",
	"--spring-pbkdf2-salt-length", "8", "--spring-pbkdf2-hash-width", "256", "--spring-pbkdf2-secret-id", "spring-app"}

func springSecretsEnv(id, secret string) string {
	return "OAUTHREG_SPRING_PBKDF2_SECRETS=" + id + ":" + base64.StdEncoding.EncodeToString([]byte(secret))
}

// import --from spring with the --spring-pbkdf2-* flags reads the custom
// {pbkdf2} hash with them; without them it is taken as Spring's pre-5.8
// default (same length) and never verifies.
func TestImportSpringPBKDF2Flags(t *testing.T) {
	tl := newTool(t).with(springSecretsEnv("spring-app", "legacy-app-secret"))
	args := append(append([]string{"import", "--from", "spring"}, springFlagArgs...), fixture("spring_pbkdf2_custom.json"))
	r := tl.ok("", args...)
	if !strings.Contains(r.stdout, "2 clients from spring: 2 imported") {
		t.Errorf("import output:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout+r.stderr, "legacy-app-secret") {
		t.Error("the encoder's secret was printed")
	}
	if !tl.verify("pbkdf2-client", "legacy-secret-value") || !tl.verify("messaging-client", "spring-client-secret") {
		t.Error("an imported secret does not verify")
	}

	// Another database, same configuration.
	without := (&tool{t: t, db: filepath.Join(t.TempDir(), "without.db")}).with(springSecretsEnv("spring-app", "legacy-app-secret"))
	without.ok("", "import", "--from", "spring", fixture("spring_pbkdf2_custom.json"))
	if without.verify("pbkdf2-client", "legacy-secret-value") {
		t.Error("without the flags the custom hash verified: it should have been read as Spring's default")
	}
}

// import-secret takes the same flags: the core's "sha512, base64, with a
// secret" vector, without any {id} prefix.
func TestImportSecretSpringPBKDF2Flags(t *testing.T) {
	tl := newTool(t).with(springSecretsEnv("app-1", "pepper-of-the-encoder"))
	c := tl.create("--name", "spring-custom")
	hash := "AAECAwQFBgcICQoLDA0OD7vno+VIW1GbObTXklb6sKkLGk5Xj1slwvQiIoab9inLKDs9vgjYWjXH9eErwTsDkW34erojYHnojeq6t89Kelg="
	tl.fails(1, "", []string{"import-secret", c.ClientID, hash}, "unsupported")
	tl.ok("", "import-secret", "--spring-pbkdf2-algorithm", "PBKDF2WithHmacSHA512", "--spring-pbkdf2-iterations", "1000",
		"--spring-pbkdf2-salt-length", "16", "--spring-pbkdf2-base64", "--spring-pbkdf2-secret-id", "app-1", c.ClientID, hash)
	if tl.verify(c.ClientID, "password-x") || !tl.verify(c.ClientID, "password") {
		t.Error("the imported hash does not verify its password alone")
	}
	// A secret ID the configuration lacks: refused, saying what to configure.
	tl.fails(1, "", []string{"import-secret", "--spring-pbkdf2-algorithm", "sha512", "--spring-pbkdf2-iterations", "1000",
		"--spring-pbkdf2-salt-length", "16", "--spring-pbkdf2-base64", "--spring-pbkdf2-secret-id", "other", c.ClientID, hash}, "WithSpringPBKDF2Secret")
}

func TestSpringPBKDF2FlagsUsage(t *testing.T) {
	tl := newTool(t)
	c := tl.create("--name", "usage")
	hash := "{pbkdf2}a1b2c3d4e5f60718950a648dd41b00010b7e04fa140ea74a2ade0d64"
	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{[]string{"--spring-pbkdf2-base64"}, "give at least --spring-pbkdf2-algorithm"},
		{[]string{"--spring-pbkdf2-algorithm", "sha1", "--spring-pbkdf2-iterations", "2000"}, "give at least"},
		{[]string{"--spring-pbkdf2-algorithm", "md5", "--spring-pbkdf2-iterations", "2000", "--spring-pbkdf2-salt-length", "8"}, "algorithm"},
		{[]string{"--spring-pbkdf2-algorithm", "sha1", "--spring-pbkdf2-iterations", "10", "--spring-pbkdf2-salt-length", "8"}, "10 iterations"},
		{[]string{"--spring-pbkdf2-algorithm", "sha1", "--spring-pbkdf2-iterations", "2000", "--spring-pbkdf2-salt-length", "2"}, "salt length"},
		{[]string{"--spring-pbkdf2-algorithm", "sha1", "--spring-pbkdf2-iterations", "2000", "--spring-pbkdf2-salt-length", "8", "--spring-pbkdf2-hash-width", "100"}, "hash width"},
		{[]string{"--spring-pbkdf2-algorithm", "sha1", "--spring-pbkdf2-iterations", "2000", "--spring-pbkdf2-salt-length", "8", "--spring-pbkdf2-secret-id", "bad id"}, "secret ID"},
		{[]string{"--spring-pbkdf2-iterations", "many"}, "invalid value"},
	} {
		tl.fails(2, "", append(append([]string{"import-secret"}, tc.flags...), c.ClientID, hash), tc.want)
		tl.fails(2, "", append(append([]string{"import", "--from", "spring"}, tc.flags...), fixture("spring.json")), tc.want)
	}
	ok := []string{"--spring-pbkdf2-algorithm", "sha1", "--spring-pbkdf2-iterations", "2000", "--spring-pbkdf2-salt-length", "8"}
	tl.fails(2, "", append(append([]string{"import", "--from", "hydra"}, ok...), fixture("hydra_table.json")), "only a Spring export")
	// add-secret takes a plaintext: it has no such flags.
	tl.fails(2, "", append([]string{"add-secret"}, append(ok, c.ClientID)...), "spring-pbkdf2-algorithm")
	// Valid flags on import-secret: the hash of "client-secret-42".
	tl.ok("", append(append([]string{"import-secret"}, ok...), c.ClientID, hash)...)
	if !tl.verify(c.ClientID, "client-secret-42") {
		t.Error("the hash imported with valid flags does not verify")
	}
	for _, cmd := range []string{"import", "import-secret"} {
		r := tl.ok("", "help", cmd)
		for _, want := range []string{"-spring-pbkdf2-algorithm", "-spring-pbkdf2-iterations", "-spring-pbkdf2-salt-length",
			"-spring-pbkdf2-hash-width", "-spring-pbkdf2-base64", "-spring-pbkdf2-secret-id", "OAUTHREG_SPRING_PBKDF2_SECRETS_FILE"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("help %s does not mention %q", cmd, want)
			}
		}
	}
}
