package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A handful of requests, so the program of the load run cannot rot: the
// right secret of a random client is accepted with a body of the
// tokenserver's shape, anything else is refused.
func TestBaselineServes(t *testing.T) {
	pop := "c1 secret-one\nc2 secret-two\nc3 secret-three\n"
	ids, secrets, err := readPopulation(strings.NewReader(pop))
	if err != nil || len(ids) != 3 || secrets[1] != "secret-two" {
		t.Fatalf("readPopulation = %q %q %v", ids, secrets, err)
	}
	srv := httptest.NewServer(newHandler(ids, secrets))
	defer srv.Close()
	for _, tc := range []struct {
		id, secret string
		want       int
	}{
		{"c1", "secret-one", 200},
		{"c3", "secret-three", 200},
		{"c2", "secret-two", 200},
		{"c2", "secret-one", 401},
		{"c9", "secret-one", 401},
		{"c1", "secret-one" + strings.Repeat("x", 300), 401},
		{"", "", 0},
	} {
		req, _ := http.NewRequest("POST", srv.URL+"/token", strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		want := tc.want
		if tc.id != "" {
			req.SetBasicAuth(tc.id, tc.secret)
		} else {
			want = 401
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s/%s: status %d, want %d", tc.id, tc.secret, resp.StatusCode, want)
		}
		if want == 200 && string(body) != tokenBody {
			t.Errorf("body %q", body)
		}
	}
}

func TestReadPopulationRefusesMalformed(t *testing.T) {
	for _, bad := range []string{"", "c1\n", "c1 a b\n", " secret\n", strings.Repeat("x", maxLineBytes+1) + " s\n"} {
		if _, _, err := readPopulation(strings.NewReader(bad)); err == nil {
			t.Errorf("readPopulation(%.20q) accepted", bad)
		}
	}
}

// run reads the file, listens and says where, as scripts/load.sh expects.
func TestRunListens(t *testing.T) {
	file := filepath.Join(t.TempDir(), "secrets")
	if err := os.WriteFile(file, []byte("c1 s1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go func() { _ = run("127.0.0.1:0", file, pw) }()
	var out bytes.Buffer
	buf := make([]byte, 256)
	addr := regexp.MustCompile(`listening on (http://\S+)\n`)
	deadline := time.Now().Add(10 * time.Second)
	for !addr.Match(out.Bytes()) && time.Now().Before(deadline) {
		n, err := pr.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		out.Write(buf[:n])
	}
	m := addr.FindSubmatch(out.Bytes())
	if m == nil {
		t.Fatalf("no address in %q", out.String())
	}
	req, _ := http.NewRequest("POST", string(m[1])+"/token", nil)
	req.SetBasicAuth("c1", "s1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
}
