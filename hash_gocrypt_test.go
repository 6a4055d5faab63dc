package oauthreg

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// hashVector is one entry of the vector files in testdata.
type hashVector struct {
	Name, Secret, Hash string
}

// loadHashVectors reads the vectors of a testdata file (see the file's
// "comment" for how they were made).
func loadHashVectors(tb testing.TB, file string) []hashVector {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + file)
	if err != nil {
		tb.Fatal(err)
	}
	var f struct{ Vectors []hashVector }
	if err := json.Unmarshal(b, &f); err != nil {
		tb.Fatalf("%s: %v", file, err)
	}
	if len(f.Vectors) == 0 {
		tb.Fatalf("%s holds no vectors", file)
	}
	return f.Vectors
}

// TestForeignHashVectors: every hash written by go-crypt (Authelia's
// library), glibc's crypt(3) and passlib's documentation imports under the
// default cost limits unchanged (its encoding is already canonical),
// verifies its secret, refuses another, and is reported outdated (but for
// argon2id as strong as the library's own). Of the slow parameter sets
// (go-crypt refuses fewer than 100,000 PBKDF2 iterations or a bcrypt cost
// below 10; Authelia's defaults take up to a second), only the first
// secret is verified, and no wrong one.
func TestForeignHashVectors(t *testing.T) {
	h := mustHasher(t, hasherConfig{})
	kinds := map[string]bool{}
	for _, file := range []string{"gocrypt_vectors.json", "glibc_shacrypt_vectors.json", "passlib_doc_vectors.json"} {
		for _, v := range loadHashVectors(t, file) {
			name := file + ":" + v.Name
			if v.Name == "" {
				name = file + ":" + v.Hash[:12]
			}
			got, err := parseImportedHash(v.Hash)
			if err != nil {
				t.Errorf("%s: import refused: %v", name, err)
				continue
			}
			if got != v.Hash {
				t.Errorf("%s: normalised to %q, want it unchanged", name, got)
			}
			sh, _ := parseHash(got)
			kinds[strings.TrimPrefix(fmt.Sprintf("%T", sh), "*oauthreg.")] = true
			slow := tooSlowToFuzz(sh)
			if slow && (strings.Contains(v.Name, "/") && !strings.HasSuffix(v.Name, "/0") || strings.HasSuffix(v.Name, "-r13")) {
				continue // one run per parameter set is enough for the slow ones
			}
			// Upgraded unless it is argon2id at OWASP's parameters or above
			// already (Authelia's default is).
			checkVerify(t, h, got, v.Secret, verifyResult{true, !sh.(slowHash).current()})
			if !slow {
				checkVerify(t, h, got, v.Secret+"x", verifyResult{false, false})
			}
		}
	}
	for _, k := range []string{"argon2Hash", "shaCryptHash", "pbkdf2Hash", "scryptHash", "bcryptHash", "bcryptSHA256Hash"} {
		if !kinds[k] {
			t.Errorf("no vector parsed into a %s", k)
		}
	}
}
