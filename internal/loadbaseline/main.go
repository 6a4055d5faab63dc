// Command loadbaseline is the baseline of the end-to-end load run
// (scripts/load.sh): a net/http token endpoint that does only the least
// work any secret check can do, a Go map lookup, one SHA-256 of the
// presented secret and a constant-time compare (benchpop.Baseline), over
// the same population the token servers are measured with. It reads the
// client ID and secret from HTTP Basic and answers 200 with a fixed body
// of the size and headers of examples/tokenserver's token response, or 401.
// It parses no form, checks no grant type or scope, issues no token and
// keeps nothing: what a token server does beyond the check shows as its
// distance from this one.
//
//	go run ./internal/loadbaseline -secrets FILE [-addr 127.0.0.1:0]
//
// FILE has one "client_id secret" line per client, as
// `examples/tokenserver -load-clients N -load-secrets FILE` writes it. The
// program prints "listening on http://ADDR" once it listens, and serves
// until it is killed.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/oauthreg/oauthreg/internal/benchpop"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	secrets := flag.String("secrets", "", "`file` of \"client_id secret\" lines: the population")
	flag.Parse()
	if *secrets == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: loadbaseline -secrets FILE [-addr HOST:PORT]")
		os.Exit(2)
	}
	if err := run(*addr, *secrets, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadbaseline:", err)
		os.Exit(1)
	}
}

// run reads the population, listens on addr, says where on out, and serves.
func run(addr, secretsFile string, out io.Writer) error {
	f, err := os.Open(secretsFile)
	if err != nil {
		return err
	}
	ids, secrets, err := readPopulation(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", secretsFile, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d clients\nlistening on http://%s\n", len(ids), ln.Addr())
	srv := &http.Server{Handler: newHandler(ids, secrets), ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

// maxLineBytes bounds a line of the population file.
const maxLineBytes = 4096

// readPopulation reads "client_id secret" lines.
func readPopulation(r io.Reader) (ids, secrets []string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, maxLineBytes), maxLineBytes)
	for n := 1; sc.Scan(); n++ {
		id, secret, ok := strings.Cut(sc.Text(), " ")
		if !ok || id == "" || secret == "" || strings.Contains(secret, " ") {
			return nil, nil, fmt.Errorf("line %d is not \"client_id secret\"", n)
		}
		ids, secrets = append(ids, id), append(secrets, secret)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if len(ids) == 0 {
		return nil, nil, errors.New("no client")
	}
	return ids, secrets, nil
}

// tokenBody has the shape and size of examples/tokenserver's token
// response to a load-test client: the access token is 43 characters there
// too (256 bits, base64url).
const tokenBody = `{"access_token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","token_type":"Bearer","expires_in":1,"scope":"read write"}` + "\n"

// newHandler returns the baseline endpoint over the clients ids, whose
// secrets are secrets[i].
func newHandler(ids, secrets []string) http.Handler {
	base := benchpop.BaselineOf(ids, secrets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json;charset=UTF-8")
		h.Set("Cache-Control", "no-store")
		h.Set("Pragma", "no-cache")
		id, secret, ok := r.BasicAuth()
		if !ok || !base.Check(id, secret) {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_client"}`+"\n")
			return
		}
		io.WriteString(w, tokenBody)
	})
}
