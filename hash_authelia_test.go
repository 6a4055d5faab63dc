package oauthreg_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// autheliaVector returns the vector called name in
// testdata/gocrypt_vectors.json (made with go-crypt, Authelia's hashing
// library; see the file's comment).
func autheliaVector(t *testing.T, name string) (secret, hash string) {
	t.Helper()
	b, err := os.ReadFile("testdata/gocrypt_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Vectors []struct{ Name, Secret, Hash string }
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	for _, v := range f.Vectors {
		if v.Name == name {
			return v.Secret, v.Hash
		}
	}
	t.Fatalf("no vector %q", name)
	return "", ""
}

// TestImportAutheliaFormats: a hash in each of Authelia's formats imports
// through ImportSecret, authenticates its secret (and no other), and is
// replaced by argon2id on that first success, which keeps authenticating.
func TestImportAutheliaFormats(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{
		"argon2i-cheap/0",
		"sha256crypt-1000-salt8/1",
		"sha512crypt-5000-omitted/2",
		"pbkdf2-sha384-100000/0",
		"scrypt-cheap/1",
		"bcrypt-sha256-10/3", // a 144-byte secret, past plain bcrypt's 72
	} {
		t.Run(name, func(t *testing.T) {
			secret, hash := autheliaVector(t, name)
			kit := oauthregtest.New(t)
			c, _ := kit.ConfidentialClient(t)
			s, err := kit.ImportSecret(ctx, c.ID, hash)
			if err != nil {
				t.Fatalf("ImportSecret: %v", err)
			}
			if _, err := kit.Authenticate(ctx, c.ID, secret+"!"); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
				t.Errorf("a wrong secret: %v, want ErrInvalidCredentials", err)
			}
			if _, err := kit.Authenticate(ctx, c.ID, secret); err != nil {
				t.Fatalf("go-crypt's vector does not authenticate: %v", err)
			}
			stored, _ := kit.Store.GetClient(ctx, c.ID)
			for _, sec := range stored.Secrets {
				if sec.ID == s.ID && !strings.HasPrefix(sec.Hash.Reveal(), "$argon2id$") {
					t.Errorf("not upgraded to argon2id: %.16s…", sec.Hash.Reveal())
				}
			}
			if _, err := kit.Authenticate(ctx, c.ID, secret); err != nil {
				t.Errorf("after the upgrade: %v", err)
			}
		})
	}
}
