package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/oauthreg/oauthreg"
)

// Load-test clients: -load-clients N -load-secrets FILE registers N
// confidential clients for the client_credentials grant
// (client_secret_basic) and writes one line per client to FILE:
//
//	<client_id> <client_secret>
//
// scripts/load.sh starts the server this way and has its load generator
// (wrk) present a random one of them on every request. The secrets in FILE
// are plaintext: test fixtures for a test population, which the script
// keeps in a temporary directory and deletes after the run. Never point a
// production server at this.
const (
	// maxLoadClients bounds -load-clients: a million clients is the largest
	// population the project's benchmarks use.
	maxLoadClients = 1_000_000
	// loadTokenTTL is the access token lifetime of the load-test clients:
	// the server remembers every token it issues until it expires, and at
	// tens of thousands of requests a second a longer lifetime would make
	// the load run measure that map growing rather than the token endpoint.
	loadTokenTTL = time.Second
)

// checkLoadFlags checks that -load-clients and -load-secrets come together
// and within their bounds.
func checkLoadFlags(cfg config) error {
	switch {
	case cfg.loadClients < 0 || cfg.loadClients > maxLoadClients:
		return fmt.Errorf("-load-clients must be between 0 and %d (got %d)", maxLoadClients, cfg.loadClients)
	case cfg.loadClients > 0 && cfg.loadSecrets == "":
		return errors.New("-load-clients needs -load-secrets FILE, where the clients' IDs and secrets are written")
	case cfg.loadClients == 0 && cfg.loadSecrets != "":
		return errors.New("-load-secrets is only used with -load-clients N")
	}
	return nil
}

// loadClient is the client registered n times for a load test.
func loadClient() oauthreg.Client {
	return oauthreg.Client{
		Owner:                   "org-load-test",
		Name:                    "load-test client",
		GrantTypes:              []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		Scopes:                  []string{"read", "write"},
		AccessTokenTTL:          loadTokenTTL,
		TokenEndpointAuthMethod: oauthreg.AuthClientSecretBasic,
	}
}

// registerLoadClients registers n load-test clients in reg and writes their
// IDs and secrets to path, which must not exist (it is created with mode
// 0600). On an error the file is removed; the clients registered so far
// stay.
func registerLoadClients(ctx context.Context, reg *oauthreg.Registry, n int, path string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("load-test secrets file: %w", err)
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
	for i := range n {
		c, secret, err := reg.Register(ctx, loadClient())
		if err != nil {
			return fmt.Errorf("register load-test client %d of %d: %w", i+1, n, err)
		}
		if _, err := fmt.Fprintf(w, "%s %s\n", c.ID, secret.Reveal()); err != nil {
			return fmt.Errorf("load-test secrets file: %w", err)
		}
	}
	return w.Flush()
}
