// Package npmtest gives tests a directory with an npm package installed
// (openid-client, for the interoperability tests of the examples) and a
// Node.js driver script next to its node_modules. It installs the package
// once, into $OAUTHREG_NPM_DIR or the user cache directory (which .ci/run
// fills), and skips the test, saying why, where node or npm is absent or
// the install fails.
package npmtest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// OpenIDClientVersion is the openid-client release the tests install: v6
// supports Node.js 20 and later.
const OpenIDClientVersion = "6.9.0"

// OpenIDClientDir returns a directory with openid-client installed and the
// driver scripts (paths relative to the test's package) copied next to its
// node_modules.
func OpenIDClientDir(t *testing.T, scripts ...string) string {
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
		dir = filepath.Join(cache, "oauthreg-npm", "openid-client-"+OpenIDClientVersion)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "openid-client", "package.json")); err != nil {
		if _, err := exec.LookPath("npm"); err != nil {
			t.Skip("npm is not installed: cannot install openid-client for the interoperability test")
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", dir, "openid-client@"+OpenIDClientVersion)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("npm install openid-client@%s failed (offline?): %v\n%s", OpenIDClientVersion, err, out)
		}
	}
	for _, s := range scripts {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(s)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Run runs the driver script (a file name OpenIDClientDir copied) with input
// as JSON on stdin and decodes the JSON it prints into out.
func Run(t *testing.T, dir, script string, input, out any) {
	t.Helper()
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", filepath.Join(dir, script))
	cmd.Stdin = bytes.NewReader(in)
	stdout, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("node %s: %v\n%s%s", script, err, stdout, stderr)
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("%s printed %q: %v", script, stdout, err)
	}
}
