package main

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// openidClientVersion is the openid-client release the test installs: v6
// supports Node.js 20 and later and every client authentication method
// tested here.
const openidClientVersion = "6.9.0"

// openidClientDir returns a directory with openid-client installed and the
// test's driver script next to its node_modules, installing it with npm the
// first time (into $OAUTHREG_NPM_DIR, else the user cache directory). It
// skips the test, saying why, where node or npm is absent or the install
// fails.
func openidClientDir(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: the openid-client interoperability test needs Node.js 20 or later")
	}
	dir := os.Getenv("OAUTHREG_NPM_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir = filepath.Join(cache, "oauthreg-npm", "openid-client-"+openidClientVersion)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "openid-client", "package.json")); err != nil {
		if _, err := exec.LookPath("npm"); err != nil {
			t.Skip("npm is not installed: cannot install openid-client for the interoperability test")
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", dir, "openid-client@"+openidClientVersion)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("npm install openid-client@%s failed (offline?): %v\n%s", openidClientVersion, err, out)
		}
	}
	script, err := os.ReadFile(filepath.Join("testdata", "openidclient.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "openidclient.mjs"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openidClientResult is what the driver script prints.
type openidClientResult struct {
	OK    bool `json:"ok"`
	Token struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		Scope       string `json:"scope"`
	} `json:"token"`
	Error  string `json:"error"`
	Status int    `json:"status"`
}

// runOpenIDClient runs the driver script with input.
func runOpenIDClient(t *testing.T, dir string, input map[string]string) openidClientResult {
	t.Helper()
	in, _ := json.Marshal(input)
	cmd := exec.Command("node", filepath.Join(dir, "openidclient.mjs"))
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var res openidClientResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("driver output %q: %v", out, err)
	}
	return res
}

// TestOpenIDClient: the token endpoint, driven by the npm package
// openid-client, issues tokens to clients of every secret and assertion
// method, and refuses a wrong secret, a wrong key and a client registered
// for another method.
func TestOpenIDClient(t *testing.T) {
	dir := openidClientDir(t)
	key, _ := oauthreg.GenerateKey("k1", oauthreg.AES256GCM)
	ring, _ := oauthreg.NewKeyRing(key)
	kit := oauthregtest.New(t, oauthreg.WithKeyRing(ring)) // client_secret_jwt needs sealed secrets
	// openid-client stamps its assertions with the real time.
	ts := serve(t, kit.Registry, nil)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)

	base := func(id, method string) map[string]string {
		return map[string]string{"issuer": testIssuer, "token_endpoint": ts.URL + "/token", "client_id": id, "method": method, "scope": "read"}
	}
	for _, method := range []oauthreg.AuthMethod{oauthreg.AuthClientSecretBasic, oauthreg.AuthClientSecretPost, oauthreg.AuthClientSecretJWT} {
		t.Run(string(method), func(t *testing.T) {
			c, secret := client(t, kit, method)
			in := base(c.ID, string(method))
			in["secret"] = secret
			if res := runOpenIDClient(t, dir, in); !res.OK || res.Token.AccessToken == "" || res.Token.Scope != "read" {
				t.Fatalf("openid-client %s: %+v", method, res)
			}
			in["secret"] = secret + "x"
			if res := runOpenIDClient(t, dir, in); res.OK || res.Error != "invalid_client" || res.Status != 401 {
				t.Errorf("wrong secret: %+v, want invalid_client 401", res)
			}
		})
	}
	for _, k := range []struct {
		alg  string
		priv crypto.Signer
	}{{"ES256", ecKey}, {"RS256", rsaKey}} {
		t.Run("private_key_jwt/"+k.alg, func(t *testing.T) {
			jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: k.priv.Public(), KeyID: "key-" + k.alg, Use: "sig", Algorithm: k.alg}}})
			c, _ := client(t, kit, oauthreg.AuthPrivateKeyJWT, func(c *oauthreg.Client) { c.JWKS = jwks })
			in := base(c.ID, "private_key_jwt")
			in["private_key_pem"], in["alg"], in["kid"] = pkcs8PEM(t, k.priv), k.alg, "key-"+k.alg
			if res := runOpenIDClient(t, dir, in); !res.OK || res.Token.AccessToken == "" {
				t.Fatalf("openid-client private_key_jwt %s: %+v", k.alg, res)
			}
			in["private_key_pem"], in["alg"] = pkcs8PEM(t, otherKey), "ES256"
			if res := runOpenIDClient(t, dir, in); res.OK || res.Error != "invalid_client" {
				t.Errorf("another key: %+v, want invalid_client", res)
			}
		})
	}
	t.Run("registered for another method", func(t *testing.T) {
		c, secret := client(t, kit, oauthreg.AuthClientSecretBasic)
		in := base(c.ID, "client_secret_jwt")
		in["secret"] = secret
		if res := runOpenIDClient(t, dir, in); res.OK || res.Error != "invalid_client" {
			t.Errorf("client_secret_jwt by a client_secret_basic client: %+v", res)
		}
	})
}

func pkcs8PEM(t *testing.T, k crypto.Signer) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}
