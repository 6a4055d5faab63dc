package config_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/config"
	"github.com/oauthreg/oauthreg/memstore"
)

// TestSpringPBKDF2Secrets: the secrets of Spring Pbkdf2PasswordEncoders
// come from a key list file the configuration file names, reach the
// Registry (a hash imported with WithSpringPBKDF2 naming one verifies in a
// second program loading the same file), and are shown by ID only.
func TestSpringPBKDF2Secrets(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const encoderSecret = "pepper-of-the-encoder"
	write(t, dir, "spring", "legacy-app:"+base64.StdEncoding.EncodeToString([]byte(encoderSecret))+"\n")
	cfgPath := write(t, dir, "oauthreg.conf", "OAUTHREG_SPRING_PBKDF2_SECRETS_FILE=spring\n")
	store := memstore.New()
	newRegistry := func() *oauthreg.Registry {
		c, err := config.Load(cfgPath, env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if out := fmt.Sprintf("%v %s", c, c); strings.Contains(out, encoderSecret) || strings.Contains(out, base64.StdEncoding.EncodeToString([]byte(encoderSecret))) || !strings.Contains(out, "legacy-app") {
			t.Errorf("config shows %s", out)
		}
		opts, err := c.Options()
		if err != nil {
			t.Fatal(err)
		}
		reg, err := oauthreg.New(store, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return reg
	}
	tool := newRegistry()
	client, _, err := tool.Register(ctx, oauthreg.Client{Owner: "org"})
	if err != nil {
		t.Fatal(err)
	}
	// Spring's Pbkdf2PasswordEncoder(secret, 16, 1000, PBKDF2WithHmacSHA512)
	// with base64 output (see the core's springCustomVectors).
	settings := oauthreg.SpringPBKDF2Settings{Algorithm: "PBKDF2WithHmacSHA512", Iterations: 1000, SaltLength: 16, Base64: true, SecretID: "legacy-app"}
	const hash = "AAECAwQFBgcICQoLDA0OD7vno+VIW1GbObTXklb6sKkLGk5Xj1slwvQiIoab9inLKDs9vgjYWjXH9eErwTsDkW34erojYHnojeq6t89Kelg="
	if _, err := tool.ImportSecret(ctx, client.ID, hash, oauthreg.WithSpringPBKDF2(settings)); err != nil {
		t.Fatal(err)
	}
	if _, err := newRegistry().Authenticate(ctx, client.ID, "password"); err != nil {
		t.Errorf("the server loading the same configuration: %v", err)
	}

	if _, err := config.Load(cfgPath, env(map[string]string{config.EnvSpringPBKDF2Secrets: "x:" + base64.StdEncoding.EncodeToString([]byte("y"))})); err == nil {
		t.Error("both the variable and the file accepted")
	}
	if _, err := config.Load("", env(map[string]string{config.EnvSpringPBKDF2Secrets: "legacy-app:!!"})); err == nil {
		t.Error("a secret that is not base64 accepted")
	}
}
