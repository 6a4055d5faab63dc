package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"path/filepath"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/npmtest"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// openidClientDir returns a directory with openid-client installed and the
// test's driver script next to its node_modules (see npmtest).
func openidClientDir(t *testing.T) string {
	t.Helper()
	return npmtest.OpenIDClientDir(t, filepath.Join("testdata", "openidclient.mjs"))
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
	var res openidClientResult
	npmtest.Run(t, dir, "openidclient.mjs", input, &res)
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
