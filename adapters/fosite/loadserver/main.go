// Command loadserver is the fosite token endpoint of the end-to-end load run
// (scripts/load.sh in the core repository): fosite's client_credentials
// grant over a population of clients kept either by an oauthreg Registry
// through this module's adapter, or the way fosite keeps them by default.
//
//	go run ./loadserver -mode adapter -clients 10000 -secrets FILE
//	go run ./loadserver -mode default -clients 10000 -secrets FILE
//
// adapter: the clients live in an oauthreg Registry on memstore, each with
// its own generated secret; fosite reads them through ClientManager, checks
// secrets with its Hasher (Registry.Authenticate) and authenticates through
// its AuthenticationStrategy, as the package documentation wires it.
//
// default: fosite's storage.NewMemoryStore holds fosite.DefaultClients
// whose secrets are hashed with fosite's default hasher, bcrypt at cost 12
// (fosite.DefaultBCryptWorkFactor). Hashing 10,000 secrets at cost 12 takes
// about half an hour, so every client gets the same random secret and the
// same hash, computed once: a verification costs the same whichever secret
// it checks, and the clients are still 10,000 map entries picked at random.
//
// In both modes the access tokens are not kept: storage.MemoryStore would
// otherwise keep every token it issues (several kilobytes each) and the run
// would measure a map growing by hundreds of thousands of entries rather
// than client authentication; both modes share that wrapper. Everything else
// is fosite's own (compose.Compose, the HMAC token strategy).
//
// The program writes one "client_id secret" line per client to FILE
// (created, mode 0600; it must not exist), the format scripts/load.lua
// reads, prints "listening on http://ADDR" once it listens, and serves
// POST /oauth2/token until it is killed. The secrets in FILE are test
// fixtures in plaintext: delete the file after the run.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/storage"

	"github.com/oauthreg/oauthreg"
	oauthregfosite "github.com/oauthreg/oauthreg/adapters/fosite"
	"github.com/oauthreg/oauthreg/memstore"
)

// maxClients bounds -clients.
const maxClients = 1_000_000

func main() {
	var o options
	flag.StringVar(&o.mode, "mode", "adapter", "`adapter` (oauthreg Registry through adapters/fosite) or default (fosite's MemoryStore, bcrypt cost 12)")
	flag.IntVar(&o.clients, "clients", 10_000, fmt.Sprintf("number of clients to register (1 to %d)", maxClients))
	flag.StringVar(&o.secrets, "secrets", "", "`file` to write the clients' IDs and plaintext secrets to (must not exist)")
	flag.StringVar(&o.addr, "addr", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "loadserver: unexpected arguments")
		os.Exit(2)
	}
	h, err := o.build(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadserver:", err)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadserver:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d clients\nlistening on http://%s\n", o.mode, o.clients, ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintln(os.Stderr, "loadserver:", srv.Serve(ln))
	os.Exit(1)
}

// options are the command line's.
type options struct {
	mode    string
	clients int
	secrets string
	addr    string
}

// build registers the population, writes the secrets file and returns the
// token endpoint.
func (o options) build(ctx context.Context) (http.Handler, error) {
	if o.clients < 1 || o.clients > maxClients {
		return nil, fmt.Errorf("-clients must be between 1 and %d", maxClients)
	}
	if o.secrets == "" {
		return nil, errors.New("-secrets FILE is required")
	}
	config := &fosite.Config{GlobalSecret: globalSecret()}
	var st fosite.Storage
	var register func(w io.Writer) error
	switch o.mode {
	case "adapter":
		reg, err := oauthreg.New(memstore.New())
		if err != nil {
			return nil, err
		}
		clients := oauthregfosite.New(reg)
		config.ClientSecretsHasher = clients.Hasher()
		s := &adapterStore{tokenlessStore: tokenlessStore{storage.NewMemoryStore()}, ClientManager: clients}
		config.ClientAuthenticationStrategy = clients.AuthenticationStrategy(config, s)
		st = s
		register = func(w io.Writer) error {
			for range o.clients {
				c, secret, err := reg.Register(ctx, oauthreg.Client{
					Owner:      "org-load-test",
					Name:       "load-test client",
					GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
					Scopes:     []string{"read", "write"},
				})
				if err != nil {
					return err
				}
				if _, err := fmt.Fprintf(w, "%s %s\n", c.ID, secret.Reveal()); err != nil {
					return err
				}
			}
			return nil
		}
	case "default":
		s := tokenlessStore{storage.NewMemoryStore()}
		st = s
		register = func(w io.Writer) error {
			secret := randomString()
			hash, err := config.GetSecretsHasher(ctx).Hash(ctx, []byte(secret))
			if err != nil {
				return err
			}
			for i := range o.clients {
				id := fmt.Sprintf("load-%07d", i)
				s.Clients[id] = &fosite.DefaultClient{
					ID:         id,
					Secret:     hash,
					GrantTypes: []string{"client_credentials"},
					Scopes:     []string{"read", "write"},
				}
				if _, err := fmt.Fprintf(w, "%s %s\n", id, secret); err != nil {
					return err
				}
			}
			return nil
		}
	default:
		return nil, fmt.Errorf("-mode must be adapter or default, not %q", oauthreg.SanitizeInput(o.mode))
	}
	if err := writeSecrets(o.secrets, register); err != nil {
		return nil, err
	}
	provider := compose.Compose(config, st,
		compose.NewOAuth2HMACStrategy(config),
		compose.OAuth2ClientCredentialsGrantFactory)
	mux := http.NewServeMux()
	mux.Handle("/oauth2/token", tokenEndpoint(provider))
	return mux, nil
}

// writeSecrets creates path (mode 0600, it must not exist) and has write
// fill it; on an error the file is removed.
func writeSecrets(path string, write func(io.Writer) error) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	w := bufio.NewWriter(f)
	if err := write(w); err != nil {
		return err
	}
	return w.Flush()
}

// tokenlessStore is fosite's MemoryStore without the keeping of access
// tokens (see the command's documentation).
type tokenlessStore struct{ *storage.MemoryStore }

// CreateAccessTokenSession keeps nothing.
func (tokenlessStore) CreateAccessTokenSession(context.Context, string, fosite.Requester) error {
	return nil
}

// adapterStore is tokenlessStore with the client methods sent to the
// adapter.
type adapterStore struct {
	tokenlessStore
	*oauthregfosite.ClientManager
}

func (s *adapterStore) GetClient(ctx context.Context, id string) (fosite.Client, error) {
	return s.ClientManager.GetClient(ctx, id)
}

func (s *adapterStore) ClientAssertionJWTValid(ctx context.Context, jti string) error {
	return s.ClientManager.ClientAssertionJWTValid(ctx, jti)
}

func (s *adapterStore) SetClientAssertionJWT(ctx context.Context, jti string, exp time.Time) error {
	return s.ClientManager.SetClientAssertionJWT(ctx, jti, exp)
}

// tokenEndpoint is a fosite token endpoint that grants the scopes asked for
// (fosite has checked them against the client's).
func tokenEndpoint(provider fosite.OAuth2Provider) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		req, err := provider.NewAccessRequest(ctx, r, new(fosite.DefaultSession))
		if err != nil {
			provider.WriteAccessError(ctx, w, req, err)
			return
		}
		for _, scope := range req.GetRequestedScopes() {
			req.GrantScope(scope)
		}
		resp, err := provider.NewAccessResponse(ctx, req)
		if err != nil {
			provider.WriteAccessError(ctx, w, req, err)
			return
		}
		provider.WriteAccessResponse(ctx, w, req, resp)
	})
}

// globalSecret is fosite's HMAC key for this process: 32 random bytes.
func globalSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand's documented guarantee since Go 1.24)
	return b
}

// randomString is 256 random bits, base64url: a secret of the default
// clients.
func randomString() string {
	return base64.RawURLEncoding.EncodeToString(globalSecret())
}
