package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
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

// scripts/load.lua, the wrk script of the load run, against this baseline
// for a second: every request it sends carries the HTTP Basic credentials of
// a client of the file (a wrong secret in the file is refused, so the
// header is what the server checks), and its LOAD_SEQ warm-up presents each
// client once and exits. It needs wrk (Debian: apt-get install -y wrk) and
// checks counts, never a time.
func TestLoadScript(t *testing.T) {
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		t.Skip("wrk is not installed (apt-get install -y wrk): scripts/load.lua is not exercised")
	}
	script, err := filepath.Abs("../../scripts/load.lua")
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"0190c3a2-0000-7000-8000-000000000001", "client-two", "c3"}
	// "id:secret" of 114, 14 and 7 bytes: base64 with no padding, one '='
	// and two.
	secrets := []string{"tokenserver_abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwxyz2345678", "s-2", "s34x"}
	srv := httptest.NewServer(newHandler(ids, secrets))
	defer srv.Close()
	dir := t.TempDir()
	run := func(t *testing.T, lines string, env ...string) map[string]string {
		t.Helper()
		file := filepath.Join(dir, "secrets")
		if err := os.WriteFile(file, []byte(lines), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(wrk, "-t1", "-c2", "-d1s", "-s", script, srv.URL+"/token", "--", file)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("wrk: %v\n%s", err, out)
		}
		m := regexp.MustCompile(`(?m)^LOAD (.*)$`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("no LOAD line:\n%s", out)
		}
		kv := map[string]string{}
		for _, f := range strings.Fields(string(m[1])) {
			k, v, _ := strings.Cut(f, "=")
			kv[k] = v
		}
		return kv
	}
	var all strings.Builder
	for i := range ids {
		all.WriteString(ids[i] + " " + secrets[i] + "\n")
	}
	t.Run("random", func(t *testing.T) {
		kv := run(t, all.String())
		if kv["requests"] == "0" || kv["non2xx"] != "0" || kv["read_err"] != "0" || kv["p99_us"] == "" {
			t.Errorf("right secrets: %v", kv)
		}
		kv = run(t, ids[0]+" "+secrets[0]+"x\n")
		if kv["requests"] == "0" || kv["non2xx"] != kv["requests"] {
			t.Errorf("a wrong secret: %v, want every request refused", kv)
		}
	})
	t.Run("seq", func(t *testing.T) {
		kv := run(t, all.String(), "LOAD_SEQ=1")
		if kv["requests"] != "3" {
			t.Errorf("warm-up: %v, want the 3 clients once each", kv)
		}
	})
}
