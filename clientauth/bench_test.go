package clientauth_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientauth"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// The benchmarks compare client authentication through the package with
// its baseline in the same run, over a population of benchClients clients
// taken in random order:
//
//	go test -run '^$' -bench 'PrivateKeyJWT|Basic' -benchtime 2000x -count 6 ./clientauth
//
// Each reports the median time of clientauth and of the baseline, and their
// ratio, measured in one loop that alternates the two. The Registry records
// last-used times as by default (about one store write per request here, as
// each request is a client's first in its interval);
// CLIENTAUTH_BENCH_NO_LAST_USED=1 turns that off to see verification alone.
//
// Targets: private_key_jwt through Authenticate within 1.3x a bare go-jose
// parse and signature verification of the same tokens; client_secret_basic
// through Authenticate within 1.2x Registry.AuthenticateWith of the same
// credentials.

const (
	benchClients = 10_000
	benchKeys    = 8 // distinct key pairs shared by the population, each under its own kid per client
)

// BenchmarkPrivateKeyJWT: clientauth (a whole request: body, form,
// assertion, claims, client lookup, cached key set, signature, replay
// cache, event) against bare (go-jose's ParseSignedCompact and Verify with
// the client's public key, parsed once from its JWK Set and kept, as a
// server that holds every client's key in memory would) of the same tokens.
// Each of the 10,000 clients has its own parsed key, in both paths, so both
// meet the same cache misses.
func BenchmarkPrivateKeyJWT(b *testing.B) {
	for _, alg := range []jose.SignatureAlgorithm{jose.ES256, jose.RS256} {
		e := newPlainEnv(b, clientauth.WithKeyCacheSize(2*benchClients))
		keys := make([]crypto.Signer, benchKeys)
		for i := range keys {
			if alg == jose.ES256 {
				keys[i], _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			} else {
				keys[i], _ = rsa.GenerateKey(rand.Reader, 2048)
			}
		}
		type member struct {
			id, kid string
			key     crypto.Signer
			pub     any // the public key as parsed from the client's own JWK Set
		}
		pop := make([]member, benchClients)
		for i := range pop {
			k := keys[i%benchKeys]
			kid := fmt.Sprintf("key-%d", i)
			c := e.keyClient(b, testKey{kid: kid, alg: alg, private: k})
			var set jose.JSONWebKeySet
			if err := json.Unmarshal(c.JWKS, &set); err != nil || len(set.Keys) != 1 {
				b.Fatal(err)
			}
			pop[i] = member{c.ID, kid, k, set.Keys[0].Key}
		}
		// A running server has parsed its clients' key sets long ago: warm
		// the cache with one request per client whose signature is junk
		// (refused after the keys are parsed; no signing cost).
		for _, m := range pop {
			if _, _, err := e.auth.Authenticate(formRequest(assertionForm(junkSigned(b, alg, m.kid, validClaims(m.id, e.kit.Clock.Now()))))); err == nil {
				b.Fatal("a junk signature was accepted")
			}
		}
		// One fresh assertion per iteration: each is accepted once.
		tokens := func(n int) ([]string, []member) {
			toks, who := make([]string, n), make([]member, n)
			for i := range toks {
				m := pop[mrand.IntN(len(pop))]
				toks[i], who[i] = sign(b, alg, m.key, m.kid, validClaims(m.id, e.kit.Clock.Now())), m
			}
			return toks, who
		}
		b.Run(string(alg), func(b *testing.B) {
			toks, who := tokens(b.N)
			bare, _ := tokens(0)
			for _, m := range who {
				bare = append(bare, sign(b, alg, m.key, m.kid, validClaims(m.id, e.kit.Clock.Now())))
			}
			algs := []jose.SignatureAlgorithm{alg}
			var alt alternation
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				r := formRequest(assertionForm(toks[i])) // as net/http hands it over (untimed)
				alt.run(i,
					func() {
						if _, _, err := e.auth.Authenticate(r); err != nil {
							b.Fatal(err)
						}
					},
					func() {
						jws, err := jose.ParseSignedCompact(bare[i], algs)
						if err != nil {
							b.Fatal(err)
						}
						if _, err := jws.Verify(who[i].pub); err != nil {
							b.Fatal(err)
						}
					})
			}
			alt.report(b, "bare")
		})
	}
}

// alternation times a call and its baseline in one loop, alternating which
// goes first, so that the machine's other load and cache warmth weigh on
// both alike. It reports the medians of both (robust to the preemptions of
// a shared machine) and their ratio.
type alternation struct {
	call, base []time.Duration
}

func (a *alternation) run(i int, call, base func()) {
	first, second := call, base
	if i%2 == 1 {
		first, second = base, call
	}
	t0 := time.Now()
	first()
	t1 := time.Now()
	second()
	t2 := time.Now()
	if i%2 == 1 {
		a.base, a.call = append(a.base, t1.Sub(t0)), append(a.call, t2.Sub(t1))
	} else {
		a.call, a.base = append(a.call, t1.Sub(t0)), append(a.base, t2.Sub(t1))
	}
}

func median(d []time.Duration) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[len(s)/2].Nanoseconds())
}

func (a *alternation) report(b *testing.B, baseline string) {
	if len(a.call) < 10 {
		return
	}
	c, bl := median(a.call), median(a.base)
	b.ReportMetric(c, "clientauth-median-ns")
	b.ReportMetric(bl, baseline+"-median-ns")
	b.ReportMetric(c/bl, "ratio")
}

// BenchmarkBasic: client_secret_basic through clientauth (the request's
// header, body and form, then the Registry) against
// Registry.AuthenticateWith alone with the same credentials (the body is
// rewound for both, so both pay for it). The Registry has no observer and
// no key ring, as a plain deployment.
func BenchmarkBasic(b *testing.B) {
	e := newPlainEnv(b)
	type member struct{ id, secret string }
	pop := make([]member, benchClients)
	for i := range pop {
		c, s := e.client(b, oauthreg.AuthClientSecretBasic)
		pop[i] = member{c.ID, s}
	}
	order := mrand.Perm(len(pop))
	body := url.Values{"grant_type": {"client_credentials"}, "scope": {"read"}}.Encode()
	ctx := context.Background()
	var alt alternation
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m := pop[order[i%len(order)]]
		// A request as net/http hands it over, just built (untimed).
		r := httptest.NewRequest(http.MethodPost, "https://as.example.com/token", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(m.id)+":"+url.QueryEscape(m.secret))))
		alt.run(i,
			func() {
				if _, _, err := e.auth.Authenticate(r); err != nil {
					b.Fatal(err)
				}
			},
			func() {
				if _, err := e.kit.AuthenticateWith(ctx, oauthreg.AuthClientSecretBasic, m.id, m.secret); err != nil {
					b.Fatal(err)
				}
			})
		i++
	}
	alt.report(b, "registry")
}

// newPlainEnv is newEnv without observers and key ring.
func newPlainEnv(b *testing.B, opts ...clientauth.Option) *env {
	b.Helper()
	var regOpts []oauthreg.Option
	if os.Getenv("CLIENTAUTH_BENCH_NO_LAST_USED") != "" {
		regOpts = append(regOpts, oauthreg.WithLastUsedInterval(-1))
	}
	kit := oauthregtest.New(b, regOpts...)
	auth, err := clientauth.New(kit.Registry, append([]clientauth.Option{clientauth.WithIssuer(testIssuer), clientauth.WithClock(kit.Clock.Now)}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return &env{kit: kit, auth: auth, rec: &recorder{}}
}

// junkSigned is a compact JWS of claims under alg and kid whose signature
// is zeros.
func junkSigned(b *testing.B, alg jose.SignatureAlgorithm, kid string, c any) string {
	b.Helper()
	header, _ := json.Marshal(map[string]string{"alg": string(alg), "kid": kid, "typ": "JWT"})
	payload, err := json.Marshal(c)
	if err != nil {
		b.Fatal(err)
	}
	sigLen := 64
	if alg == jose.RS256 {
		sigLen = 256
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(header) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString(make([]byte, sigLen))
}
