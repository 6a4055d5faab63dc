package oauthregfosite_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite"
	"github.com/ory/fosite/token/jwt"

	"github.com/oauthreg/oauthreg"
	oauthregfosite "github.com/oauthreg/oauthreg/adapters/fosite"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// assertionAuth sends no client_id or secret: the client authenticates
// with the client assertion in the form.
const assertionAuth authMode = -1

// publicJWKS is the JWK Set of key's public half, with key ID kid.
func publicJWKS(t *testing.T, key *rsa.PrivateKey, kid string) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &key.PublicKey, KeyID: kid, Algorithm: string(jose.RS256), Use: "sig",
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// Every field fosite's client interfaces read comes from the oauthreg
// client: audience, response modes, JWK Set, request URIs and algorithms,
// the token endpoint method, per-grant lifetimes.
func TestGetClientMapsOpenIDConnectFields(t *testing.T) {
	ctx := context.Background()
	kit := oauthregtest.New(t)
	key := testRSAKey(t)
	reg, _, err := kit.Register(ctx, oauthreg.Client{
		GrantTypes:                  []oauthreg.GrantType{oauthreg.GrantAuthorizationCode, oauthreg.GrantRefreshToken, oauthreg.GrantClientCredentials},
		ResponseTypes:               []oauthreg.ResponseType{oauthreg.ResponseCode},
		RedirectURIs:                []string{"https://app.example/cb"},
		TokenEndpointAuthMethod:     oauthreg.AuthPrivateKeyJWT,
		TokenEndpointAuthSigningAlg: "PS256",
		JWKS:                        publicJWKS(t, key, "k1"),
		RequestURIs:                 []string{"https://app.example/request.jwt"},
		RequestObjectSigningAlg:     "RS256",
		Audience:                    []string{"https://api.example", "https://billing.example"},
		ResponseModes:               []oauthreg.ResponseMode{oauthreg.ResponseModeQuery, oauthreg.ResponseModeFormPost},
		Lifetimes: oauthreg.TokenLifetimes{
			AccessToken: 20 * time.Minute,
			IDToken:     2 * time.Hour,
			Grants: map[oauthreg.GrantType]oauthreg.GrantLifetimes{
				oauthreg.GrantClientCredentials: {AccessToken: 5 * time.Minute},
				oauthreg.GrantRefreshToken:      {RefreshToken: 3 * time.Hour},
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, either := range []bool{false, true} {
		m := oauthregfosite.New(kit.Registry, oauthregfosite.WithEitherSecretMethod(either))
		fc, err := m.GetClient(ctx, reg.ID)
		if err != nil {
			t.Fatal(err)
		}
		// A client with keys is an OpenID Connect client either way.
		c, ok := fc.(*oauthregfosite.Client)
		if !ok {
			t.Fatalf("WithEitherSecretMethod(%v): GetClient returned a %T", either, fc)
		}
		if !slices.Equal(c.GetAudience(), fosite.Arguments{"https://api.example", "https://billing.example"}) {
			t.Errorf("GetAudience = %q", c.GetAudience())
		}
		if want := []fosite.ResponseModeType{fosite.ResponseModeQuery, fosite.ResponseModeFormPost}; !slices.Equal(c.GetResponseModes(), want) {
			t.Errorf("GetResponseModes = %q", c.GetResponseModes())
		}
		if c.GetTokenEndpointAuthMethod() != "private_key_jwt" || c.GetTokenEndpointAuthSigningAlgorithm() != "PS256" {
			t.Errorf("token endpoint method %q, alg %q", c.GetTokenEndpointAuthMethod(), c.GetTokenEndpointAuthSigningAlgorithm())
		}
		if !slices.Equal(c.GetRequestURIs(), []string{"https://app.example/request.jwt"}) || c.GetRequestObjectSigningAlgorithm() != "RS256" {
			t.Errorf("request URIs %q, request object alg %q", c.GetRequestURIs(), c.GetRequestObjectSigningAlgorithm())
		}
		set := c.GetJSONWebKeys()
		if set == nil || len(set.Key("k1")) != 1 {
			t.Fatalf("GetJSONWebKeys = %+v, want the key k1", set)
		}
		if k, ok := set.Key("k1")[0].Key.(*rsa.PublicKey); !ok || !k.Equal(&key.PublicKey) {
			t.Errorf("key k1 is %T, not the registered public key", set.Key("k1")[0].Key)
		}
		if c.GetJSONWebKeysURI() != "" {
			t.Errorf("GetJSONWebKeysURI = %q", c.GetJSONWebKeysURI())
		}
		const fallback = 7 * time.Minute
		for _, tc := range []struct {
			gt   fosite.GrantType
			tt   fosite.TokenType
			want time.Duration
		}{
			{fosite.GrantTypeClientCredentials, fosite.AccessToken, 5 * time.Minute},  // per grant
			{fosite.GrantTypeAuthorizationCode, fosite.AccessToken, 20 * time.Minute}, // client-wide
			{fosite.GrantTypeRefreshToken, fosite.RefreshToken, 3 * time.Hour},        // per grant
			{fosite.GrantTypeAuthorizationCode, fosite.RefreshToken, fallback},        // inherited: fosite's
			{fosite.GrantTypeAuthorizationCode, fosite.IDToken, 2 * time.Hour},
		} {
			if got := fosite.GetEffectiveLifespan(c, tc.gt, tc.tt, fallback); got != tc.want {
				t.Errorf("lifespan of %s/%s = %v, want %v", tc.gt, tc.tt, got, tc.want)
			}
		}
	}

	byURI, _, err := kit.Register(ctx, oauthreg.Client{
		GrantTypes:              []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		TokenEndpointAuthMethod: oauthreg.AuthPrivateKeyJWT,
		JWKSURI:                 "https://app.example/jwks.json",
	})
	if err != nil {
		t.Fatal(err)
	}
	fc, err := oauthregfosite.New(kit.Registry).GetClient(ctx, byURI.ID)
	if err != nil {
		t.Fatal(err)
	}
	oc := fc.(fosite.OpenIDConnectClient)
	if oc.GetJSONWebKeysURI() != "https://app.example/jwks.json" || oc.GetJSONWebKeys() != nil {
		t.Errorf("jwks_uri client: uri %q, keys %v", oc.GetJSONWebKeysURI(), oc.GetJSONWebKeys())
	}
}

// clientAssertion is a private_key_jwt assertion for client id at aud,
// signed with key under kid.
func clientAssertion(t *testing.T, key *rsa.PrivateKey, kid, id, aud, jti string) url.Values {
	t.Helper()
	tok := jwt.NewWithClaims(jose.RS256, jwt.MapClaims{
		"iss": id, "sub": id, "aud": aud, "jti": jti,
		"exp": time.Now().Add(time.Minute).Unix(),
	})
	tok.Header["kid"] = kid
	assertion, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
	}
}

// keyServer is a fosite.JWKSFetcherStrategy that serves JWK Sets from a
// map, as if fetched from their jwks_uri.
type keyServer map[string]*jose.JSONWebKeySet

func (k keyServer) Resolve(_ context.Context, location string, _ bool) (*jose.JSONWebKeySet, error) {
	if set, ok := k[location]; ok {
		return set, nil
	}
	return nil, fosite.ErrServerError.WithHintf("no keys at %s", location)
}

// A client registered for private_key_jwt gets a token for an assertion
// signed with a key of its JWK Set, or of the set at its jwks_uri, once per
// JTI; an assertion signed with another key, or from a client whose keys
// cannot be had, is refused.
func TestPrivateKeyJWT(t *testing.T) {
	key := testRSAKey(t)
	const keysURI, noKeysURI = "https://app.example/jwks.json", "https://gone.example/jwks.json"
	var keys jose.JSONWebKeySet
	if err := json.Unmarshal(publicJWKS(t, key, "k1"), &keys); err != nil {
		t.Fatal(err)
	}
	for _, strategy := range []bool{false, true} {
		h := newHarness(t, harnessOptions{
			strategy: strategy,
			// fosite checks an assertion's exp against the real clock; the
			// JTI cache must read the same one.
			managerOpts: []oauthregfosite.Option{oauthregfosite.WithClock(time.Now)},
			configure: func(c *fosite.Config) {
				c.JWKSFetcherStrategy = keyServer{keysURI: &keys}
			},
		})
		withKeys, _ := h.register(t, func(c *oauthreg.Client) {
			c.TokenEndpointAuthMethod = oauthreg.AuthPrivateKeyJWT
			c.JWKS = publicJWKS(t, key, "k1")
		})
		byURI, _ := h.register(t, func(c *oauthreg.Client) {
			c.TokenEndpointAuthMethod = oauthreg.AuthPrivateKeyJWT
			c.JWKSURI = keysURI
		})
		for i, c := range []*oauthreg.Client{withKeys, byURI} {
			jti := fmt.Sprintf("jti-%d", i)
			r := h.tokenWith(t, "", "", assertionAuth, clientAssertion(t, key, "k1", c.ID, h.url, jti))
			if r.Status != http.StatusOK || r.Body["access_token"] == nil {
				t.Fatalf("strategy=%v, client %d: private_key_jwt with the registered key: %v", strategy, i, r)
			}
			if r := h.tokenWith(t, "", "", assertionAuth, clientAssertion(t, key, "k1", c.ID, h.url, jti)); r.Status == http.StatusOK {
				t.Errorf("strategy=%v, client %d: a replayed assertion got a token", strategy, i)
			}
		}
		other, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		if r := h.tokenWith(t, "", "", assertionAuth, clientAssertion(t, other, "k1", withKeys.ID, h.url, "jti-other")); r.Status != http.StatusUnauthorized {
			t.Errorf("strategy=%v: an assertion signed with another key: %v", strategy, r)
		}
		noKeys, _ := h.register(t, func(c *oauthreg.Client) {
			c.TokenEndpointAuthMethod = oauthreg.AuthPrivateKeyJWT
			c.JWKSURI = noKeysURI
		})
		if r := h.tokenWith(t, "", "", assertionAuth, clientAssertion(t, key, "k1", noKeys.ID, h.url, "jti-nokeys")); r.Status == http.StatusOK {
			t.Errorf("strategy=%v: a client whose keys cannot be fetched got a token", strategy)
		}
	}
}

// The audience a client may request is honoured at the token endpoint with
// and without the AuthenticationStrategy, and so is the audience a
// server's storage adds to the clients it hands fosite: the strategy looks
// clients up in that storage, as the other endpoints do.
func TestAudienceAtTheTokenEndpoint(t *testing.T) {
	const api, other = "https://api.example", "https://other.example"
	addAudience := func(c fosite.Client) fosite.Client {
		return &withAudience{Client: c.(*oauthregfosite.Client), audience: fosite.Arguments{other}}
	}
	for _, tc := range []struct {
		name     string
		strategy bool
		decorate func(fosite.Client) fosite.Client
		allowed  string
	}{
		{"registered audience, fosite alone", false, nil, api},
		{"registered audience, strategy", true, nil, api},
		{"storage's audience, fosite alone", false, addAudience, other},
		{"storage's audience, strategy", true, addAudience, other},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, harnessOptions{strategy: tc.strategy, decorate: tc.decorate})
			c, secret := h.register(t, func(c *oauthreg.Client) { c.Audience = []string{api} })
			r := h.tokenWith(t, c.ID, secret, basicAuth, url.Values{"audience": {tc.allowed}})
			if r.Status != http.StatusOK {
				t.Fatalf("allowed audience %s: %v", tc.allowed, r)
			}
			r = h.tokenWith(t, c.ID, secret, basicAuth, url.Values{"audience": {"https://elsewhere.example"}})
			if r.Status == http.StatusOK {
				t.Fatalf("an audience the client may not request was granted: %v", r)
			}
		})
	}
}

// withAudience is a client whose audience the server's storage replaced.
type withAudience struct {
	*oauthregfosite.Client
	audience fosite.Arguments
}

func (c *withAudience) GetAudience() fosite.Arguments { return c.audience }

// A client's per-grant access token lifetime decides expires_in.
func TestPerGrantLifetimeAtTheTokenEndpoint(t *testing.T) {
	for _, strategy := range []bool{false, true} {
		h := newHarness(t, harnessOptions{strategy: strategy})
		c, secret := h.register(t, func(c *oauthreg.Client) {
			c.Lifetimes.AccessToken = 3 * time.Hour
			c.Lifetimes.Grants = map[oauthreg.GrantType]oauthreg.GrantLifetimes{
				oauthreg.GrantClientCredentials: {AccessToken: 10 * time.Minute},
			}
		})
		r := h.wantToken(t, c.ID, secret, basicAuth)
		if exp, _ := r.Body["expires_in"].(float64); math.Abs(exp-600) > 5 {
			t.Errorf("strategy=%v: expires_in = %v, want about 600", strategy, r.Body["expires_in"])
		}
		inherits, secret := h.register(t)
		r = h.wantToken(t, inherits.ID, secret, basicAuth)
		if exp, _ := r.Body["expires_in"].(float64); math.Abs(exp-3600) > 5 {
			t.Errorf("strategy=%v: a client that inherits: expires_in = %v, want fosite's 3600", strategy, r.Body["expires_in"])
		}
	}
}

// By default fosite holds a client to its registered secret method; with
// WithEitherSecretMethod a client_secret_basic or client_secret_post client
// may use either, and a client with keys stays an OpenID Connect client
// held to its method.
func TestEitherSecretMethod(t *testing.T) {
	for _, strategy := range []bool{false, true} {
		strict := newHarness(t, harnessOptions{strategy: strategy})
		c, secret := strict.register(t)
		strict.wantToken(t, c.ID, secret, basicAuth)
		strict.wantRefused(t, c.ID, secret, postAuth, http.StatusUnauthorized, "invalid_client")

		either := newHarness(t, harnessOptions{strategy: strategy, managerOpts: []oauthregfosite.Option{oauthregfosite.WithEitherSecretMethod(true)}})
		for _, method := range []oauthreg.AuthMethod{oauthreg.AuthClientSecretBasic, oauthreg.AuthClientSecretPost} {
			c, secret := either.register(t, func(c *oauthreg.Client) { c.TokenEndpointAuthMethod = method })
			either.wantToken(t, c.ID, secret, basicAuth)
			either.wantToken(t, c.ID, secret, postAuth)
			either.wantRefused(t, c.ID, secret+"x", postAuth, http.StatusUnauthorized, "invalid_client")
			fc, err := either.clients.GetClient(context.Background(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			sc, ok := fc.(oauthregfosite.SecretClient)
			if !ok {
				t.Fatalf("GetClient returned a %T, want a SecretClient", fc)
			}
			if sc.Registered().ID != c.ID || sc.GetID() != c.ID {
				t.Errorf("SecretClient of %q: Registered %q, GetID %q", c.ID, sc.Registered().ID, sc.GetID())
			}
		}
		withKeys, secret := either.register(t, func(c *oauthreg.Client) { c.JWKS = publicJWKS(t, testRSAKey(t), "k1") })
		either.wantToken(t, withKeys.ID, secret, basicAuth)
		either.wantRefused(t, withKeys.ID, secret, postAuth, http.StatusUnauthorized, "invalid_client")
	}
}

// An OpenID Connect request object is verified against the client's JWK
// Set and request_object_signing_alg, and a request_uri must be one of the
// client's request_uris: fosite's authorization endpoint reads all three
// through the adapter.
func TestRequestObject(t *testing.T) {
	h := newHarness(t, harnessOptions{composeAll: true})
	key := testRSAKey(t)
	c, _ := h.register(t, func(c *oauthreg.Client) {
		c.GrantTypes = []oauthreg.GrantType{oauthreg.GrantAuthorizationCode}
		c.ResponseTypes = []oauthreg.ResponseType{oauthreg.ResponseCode}
		c.RedirectURIs = []string{"https://app.example/cb"}
		c.Scopes = []string{"openid"}
		c.JWKS = publicJWKS(t, key, "k1")
		c.RequestURIs = []string{"https://app.example/request.jwt"}
		c.RequestObjectSigningAlg = "RS256"
	})
	sign := func(alg jose.SignatureAlgorithm, k *rsa.PrivateKey) string {
		tok := jwt.NewWithClaims(alg, jwt.MapClaims{"iss": c.ID, "aud": h.url, "nonce": "0123456789abcdef"})
		tok.Header["kid"] = "k1"
		s, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	authorize := func(extra url.Values) error {
		q := url.Values{
			"client_id":     {c.ID},
			"response_type": {"code"},
			"scope":         {"openid"},
			"redirect_uri":  {"https://app.example/cb"},
			"state":         {"state-0123456789"},
		}
		for k, v := range extra {
			q[k] = v
		}
		r, err := http.NewRequest(http.MethodGet, "https://as.example/auth?"+q.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = h.provider.NewAuthorizeRequest(context.Background(), r)
		return err
	}
	if err := authorize(url.Values{"request": {sign(jose.RS256, key)}}); err != nil {
		t.Fatalf("a request object signed with the client's key: %v", err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	if err := authorize(url.Values{"request": {sign(jose.RS256, other)}}); err == nil {
		t.Error("a request object signed with another key was accepted")
	}
	if err := authorize(url.Values{"request": {sign(jose.RS512, key)}}); err == nil {
		t.Error("a request object signed with RS512 was accepted; the client registered RS256")
	}
	err = authorize(url.Values{"request_uri": {"https://elsewhere.example/request.jwt"}})
	if !errors.Is(err, fosite.ErrInvalidRequestURI) {
		t.Errorf("a request_uri the client did not register: %v, want invalid_request_uri", err)
	}
}
