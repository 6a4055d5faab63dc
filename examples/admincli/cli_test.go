package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/oauthreg/oauthreg"
)

// binPath is the admincli binary TestMain builds; the tests run it as a user
// would, against a temporary SQLite file.
var binPath string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "admincli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binPath = filepath.Join(dir, "admincli")
	args := []string{"build", "-o", binPath}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building admincli:", err)
		return 1
	}
	return m.Run()
}

// result is what one run of the binary produced.
type result struct {
	code           int
	stdout, stderr string
}

// tool runs the binary against one database with a fixed environment.
type tool struct {
	t   *testing.T
	db  string
	env []string
}

func newTool(t *testing.T) *tool {
	t.Helper()
	t.Parallel()
	return &tool{t: t, db: filepath.Join(t.TempDir(), "clients.db")}
}

// in returns a copy of the tool that reports to t (a subtest).
func (tl *tool) in(t *testing.T) *tool {
	c := *tl
	c.t = t
	return &c
}

// with returns a copy of the tool with extra environment variables.
func (tl *tool) with(env ...string) *tool {
	c := *tl
	c.env = append(slices.Clone(tl.env), env...)
	return &c
}

// run runs the binary with stdin (none if empty) and args.
func (tl *tool) run(stdin string, args ...string) result {
	tl.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	// A clean environment: nothing from the developer's OAUTHREG_* leaks in.
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + filepath.Dir(tl.db), "OAUTHREG_DB=" + tl.db}
	if raceEnabled {
		env = append(env, "GORACE=atexit_sleep_ms=0 halt_on_error=1")
	}
	cmd.Env = append(env, tl.env...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		tl.t.Fatalf("admincli %s: %v", strings.Join(args, " "), err)
	}
	if strings.Contains(r.stderr, "WARNING: DATA RACE") {
		tl.t.Fatalf("admincli %s: data race:\n%s", strings.Join(args, " "), r.stderr)
	}
	return r
}

// ok runs the binary and fails the test unless it exits 0.
func (tl *tool) ok(stdin string, args ...string) result {
	tl.t.Helper()
	r := tl.run(stdin, args...)
	if r.code != 0 {
		tl.t.Fatalf("admincli %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// fails runs the binary and checks its exit code and that stderr has every
// one of wants.
func (tl *tool) fails(code int, stdin string, args []string, wants ...string) result {
	tl.t.Helper()
	r := tl.run(stdin, args...)
	if r.code != code {
		tl.t.Fatalf("admincli %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
	}
	for _, w := range wants {
		if !strings.Contains(r.stderr, w) {
			tl.t.Errorf("admincli %s: stderr does not say %q:\n%s", strings.Join(args, " "), w, r.stderr)
		}
	}
	return r
}

// created is the -o json output of create.
type created struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	SecretID     string `json:"secret_id"`
	ExpiresAt    *int64 `json:"client_secret_expires_at"`
	Name         string `json:"client_name"`
	Owner        string `json:"owner"`
}

func (tl *tool) create(args ...string) created {
	tl.t.Helper()
	r := tl.ok("", append([]string{"-o", "json", "create"}, args...)...)
	var c created
	decode(tl.t, r.stdout, &c)
	if c.ClientID == "" {
		tl.t.Fatalf("create printed no client_id:\n%s", r.stdout)
	}
	return c
}

// clientJSON is the part of a client's RFC 7591 JSON the tests look at.
type clientJSON struct {
	ClientID        string            `json:"client_id"`
	Name            string            `json:"client_name"`
	Description     string            `json:"description"`
	Owner           string            `json:"owner"`
	Scope           string            `json:"scope"`
	RedirectURIs    []string          `json:"redirect_uris"`
	GrantTypes      []string          `json:"grant_types"`
	Disabled        bool              `json:"disabled"`
	AccessTokenTTL  float64           `json:"access_token_ttl"`
	RefreshTokenTTL float64           `json:"refresh_token_ttl"`
	UserTags        []string          `json:"user_tags"`
	SystemTags      []string          `json:"system_tags"`
	Metadata        map[string]string `json:"metadata"`
	Version         int64             `json:"version"`
	Secrets         []struct {
		ID          string    `json:"id"`
		Kind        string    `json:"kind"`
		Description string    `json:"description"`
		ExpiresAt   time.Time `json:"expires_at"`
		RevokedAt   time.Time `json:"revoked_at"`
	} `json:"secrets"`
}

func (tl *tool) show(id string) clientJSON {
	tl.t.Helper()
	r := tl.ok("", "show", "-o", "json", id)
	var c clientJSON
	decode(tl.t, r.stdout, &c)
	return c
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("output is not the JSON expected (%v):\n%s", err, s)
	}
}

// verify runs verify with secret on stdin and reports whether it worked.
func (tl *tool) verify(id, secret string) bool {
	tl.t.Helper()
	r := tl.run(secret+"\n", "verify", id)
	if r.code != 0 && r.code != 1 {
		tl.t.Fatalf("verify: exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, secret) {
		tl.t.Errorf("verify repeated the secret:\n%s%s", r.stdout, r.stderr)
	}
	return r.code == 0
}

func TestCreatePrintsSecretOnce(t *testing.T) {
	tl := newTool(t)

	r := tl.ok("", "-o", "json", "create", "--owner", "org-acme", "--name", "billing", "--scope", "invoices:read invoices:write")
	var c created
	decode(t, r.stdout, &c)
	if c.ClientID == "" || c.SecretID == "" || !strings.HasPrefix(c.ClientSecret, "oauthreg_") {
		t.Fatalf("create -o json: want client_id, secret_id and client_secret:\n%s", r.stdout)
	}
	if c.ExpiresAt == nil || *c.ExpiresAt != 0 {
		t.Errorf("client_secret_expires_at = %v, want 0 (never)", c.ExpiresAt)
	}
	if c.Name != "billing" || c.Owner != "org-acme" {
		t.Errorf("create -o json: name %q owner %q", c.Name, c.Owner)
	}
	if n := strings.Count(r.stdout, c.ClientSecret); n != 1 {
		t.Errorf("the secret appears %d times in the output, want once", n)
	}
	if strings.Contains(r.stderr, c.ClientSecret) {
		t.Error("the secret went to stderr")
	}
	if !tl.verify(c.ClientID, c.ClientSecret) {
		t.Error("the secret create printed does not verify")
	}

	// The table form labels it, once.
	r = tl.ok("", "create", "--owner", "org-acme", "--name", "web", "--redirect-uri", "https://app.example/cb?a=1&b=2")
	var secret string
	for line := range strings.SplitSeq(r.stdout, "\n") {
		if s, ok := strings.CutPrefix(line, "client secret (shown once, store it now): "); ok {
			secret = s
		}
	}
	if secret == "" {
		t.Fatalf("create: no labelled secret in:\n%s", r.stdout)
	}
	if n := strings.Count(r.stdout, secret); n != 1 {
		t.Errorf("table output shows the secret %d times, want once", n)
	}

	// A public client gets no secret.
	r = tl.ok("", "-o", "json", "create", "--public", "--name", "spa", "--redirect-uri", "https://spa.example/cb")
	if strings.Contains(r.stdout, "client_secret\"") {
		t.Errorf("a public client got a secret:\n%s", r.stdout)
	}
}

func TestListPaginates(t *testing.T) {
	tl := newTool(t)
	var want []string
	for i := range 5 {
		want = append(want, tl.create("--owner", "org-page", "--name", fmt.Sprintf("c%d", i)).ClientID)
	}
	other := tl.create("--owner", "org-other").ClientID

	var got []string
	cursor, pages := "", 0
	for {
		args := []string{"list", "-o", "json", "--owner", "org-page", "--limit", "2"}
		if cursor != "" {
			args = append(args, "--cursor", cursor)
		}
		r := tl.ok("", args...)
		var page []clientJSON
		decode(t, r.stdout, &page)
		if len(page) > 2 {
			t.Fatalf("page of %d clients with --limit 2", len(page))
		}
		for _, c := range page {
			got = append(got, c.ClientID)
		}
		pages++
		cursor = ""
		for line := range strings.SplitSeq(r.stderr, "\n") {
			if c, ok := strings.CutPrefix(line, "next cursor: "); ok {
				cursor = c
			}
		}
		if cursor == "" || pages > 5 {
			break
		}
	}
	if pages != 3 {
		t.Errorf("%d pages, want 3", pages)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("listed %v\nwant %v (each once)", got, want)
	}

	// The table prints the next cursor after the table; --all reads every page.
	r := tl.ok("", "list", "--owner", "org-page", "--limit", "2")
	if !strings.Contains(r.stdout, "\nnext cursor: ") || !strings.Contains(r.stdout, "CLIENT ID") {
		t.Errorf("list table: want a header and a next cursor:\n%s", r.stdout)
	}
	r = tl.ok("", "list", "--owner", "org-page", "--limit", "2", "--all")
	for _, id := range want {
		if strings.Count(r.stdout, id) != 1 {
			t.Errorf("list --all: %s not listed once:\n%s", id, r.stdout)
		}
	}
	if strings.Contains(r.stdout, other) || strings.Contains(r.stdout, "next cursor") {
		t.Errorf("list --all --owner org-page: another owner's client or a cursor:\n%s", r.stdout)
	}

	tl.fails(1, "", []string{"list", "--cursor", "garbage"}, "invalid --cursor")
	tl.fails(2, "", []string{"list", "--limit", "0"}, "--limit")
}

func TestShow(t *testing.T) {
	tl := newTool(t)
	c := tl.create("--owner", "org-acme", "--name", "billing", "--scope", "invoices:read", "--user-tag", "blue", "--metadata", "team=pay")

	r := tl.ok("", "show", c.ClientID)
	for _, want := range []string{c.ClientID, "billing", "org-acme", "invoices:read", "blue", "team=pay", c.SecretID, "active"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show: no %q in:\n%s", want, r.stdout)
		}
	}

	// Flags after the argument work too.
	r2 := tl.ok("", "show", c.ClientID, "-o", "json")
	var got clientJSON
	decode(t, r2.stdout, &got)
	if got.ClientID != c.ClientID || len(got.Secrets) != 1 || got.Secrets[0].ID != c.SecretID {
		t.Errorf("show -o json: %+v", got)
	}
	for _, out := range []string{r.stdout, r2.stdout} {
		for _, leak := range []string{c.ClientSecret, "$sha256", "$hmac", "$argon2", "hash", "sealed"} {
			if strings.Contains(out, leak) {
				t.Errorf("show output contains %q:\n%s", leak, out)
			}
		}
	}
}

func TestUpdateChangesOnlyGivenFields(t *testing.T) {
	tl := newTool(t)
	c := tl.create("--owner", "org-acme", "--name", "billing", "--description", "pays the bills",
		"--scope", "a b", "--user-tag", "blue", "--system-tag", "sys", "--metadata", "team=pay", "--access-token-ttl", "2h")
	before := tl.show(c.ClientID)

	tl.ok("", "update", c.ClientID, "--name", "billing-v2", "--add-scope", "c")
	after := tl.show(c.ClientID)
	if after.Name != "billing-v2" || after.Scope != "a b c" {
		t.Errorf("update: name %q scope %q, want billing-v2 and \"a b c\"", after.Name, after.Scope)
	}
	if after.Description != before.Description || after.Owner != before.Owner || after.Disabled ||
		after.AccessTokenTTL != 7200 || after.RefreshTokenTTL != before.RefreshTokenTTL ||
		!slices.Equal(after.UserTags, before.UserTags) || !slices.Equal(after.SystemTags, before.SystemTags) ||
		after.Metadata["team"] != "pay" || !slices.Equal(after.GrantTypes, before.GrantTypes) || len(after.Secrets) != 1 {
		t.Errorf("update changed fields it was not given:\nbefore %+v\nafter  %+v", before, after)
	}
	if after.Version != before.Version+1 {
		t.Errorf("version %d, want %d", after.Version, before.Version+1)
	}

	tl.ok("", "update", c.ClientID, "--disable", "--access-token-ttl", "1h", "--user-tag", "red", "--user-tag", "green",
		"--metadata", "env=prod", "--remove-metadata", "team", "--remove-scope", "a")
	after = tl.show(c.ClientID)
	if !after.Disabled || after.AccessTokenTTL != 3600 || !slices.Equal(after.UserTags, []string{"red", "green"}) ||
		after.Name != "billing-v2" || after.Scope != "b c" || len(after.Metadata) != 1 || after.Metadata["env"] != "prod" ||
		!slices.Equal(after.SystemTags, []string{"sys"}) {
		t.Errorf("second update: %+v", after)
	}
	if tl.verify(c.ClientID, c.ClientSecret) {
		t.Error("a disabled client's secret verifies")
	}
	tl.ok("", "update", c.ClientID, "--enable", "--user-tag=")
	after = tl.show(c.ClientID)
	if after.Disabled || len(after.UserTags) != 0 {
		t.Errorf("--enable --user-tag=: disabled %v, user tags %v", after.Disabled, after.UserTags)
	}

	tl.fails(2, "", []string{"update", c.ClientID}, "nothing to change")
	tl.fails(2, "", []string{"update", c.ClientID, "--enable", "--disable"}, "contradict")
	tl.fails(1, "", []string{"update", c.ClientID, "--redirect-uri", "http://evil.example/cb"}, "redirect_uris")
	tl.fails(1, "", []string{"update", "no-such-client", "--name", "x"}, "client no-such-client not found")
}

func TestRotateRegenerateRevokePurge(t *testing.T) {
	tl := newTool(t)
	c := tl.create("--name", "svc")

	r := tl.ok("", "rotate", "-o", "json", c.ClientID)
	var rotated newSecretJSON
	decode(t, r.stdout, &rotated)
	if rotated.ClientID != c.ClientID || rotated.SecretID == "" || rotated.ClientSecret == "" || rotated.SecretID == c.SecretID {
		t.Fatalf("rotate -o json: %s", r.stdout)
	}
	got := tl.show(c.ClientID)
	if len(got.Secrets) != 2 {
		t.Fatalf("after rotate, %d secrets, want 2", len(got.Secrets))
	}
	if got.Secrets[0].ExpiresAt.IsZero() || !got.Secrets[0].RevokedAt.IsZero() {
		t.Errorf("the old secret should expire at the end of the grace period, not be revoked: %+v", got.Secrets[0])
	}
	if !tl.verify(c.ClientID, c.ClientSecret) || !tl.verify(c.ClientID, rotated.ClientSecret) {
		t.Error("within the grace period both secrets should work")
	}
	// The table form labels the new secret and lists the one in its grace period.
	r = tl.ok("", "rotate", "--grace-period", "1h", "--description", "deploy 42", c.ClientID)
	if !strings.Contains(r.stdout, "client secret (shown once, store it now): ") || !strings.Contains(r.stdout, "older secrets still working") {
		t.Errorf("rotate table output:\n%s", r.stdout)
	}

	r = tl.ok("", "regenerate", "-o", "json", c.ClientID)
	var regen newSecretJSON
	decode(t, r.stdout, &regen)
	if tl.verify(c.ClientID, rotated.ClientSecret) || tl.verify(c.ClientID, c.ClientSecret) {
		t.Error("after regenerate an older secret still works")
	}
	if !tl.verify(c.ClientID, regen.ClientSecret) {
		t.Error("the regenerated secret does not work")
	}
	got = tl.show(c.ClientID)
	active := 0
	for _, s := range got.Secrets {
		if s.RevokedAt.IsZero() {
			active++
		}
	}
	if len(got.Secrets) != 4 || active != 1 {
		t.Errorf("after regenerate: %d secrets, %d not revoked; want 4 and 1", len(got.Secrets), active)
	}

	tl.ok("", "revoke", c.ClientID, regen.SecretID)
	r = tl.fails(1, regen.ClientSecret+"\n", []string{"verify", c.ClientID}, "revoked")
	if strings.Contains(r.stderr, regen.ClientSecret) {
		t.Error("verify repeated the secret")
	}
	tl.fails(1, "", []string{"revoke", c.ClientID, "nosuchsecret"}, "has no secret nosuchsecret")
	tl.fails(2, "", []string{"revoke", c.ClientID}, "missing arguments")

	r = tl.ok("", "purge", "--older-than", "0s", "-o", "json")
	var purged struct{ Purged int }
	decode(t, r.stdout, &purged)
	if purged.Purged != 4 || len(tl.show(c.ClientID).Secrets) != 0 {
		t.Errorf("purge --older-than 0s removed %d records, want all 4", purged.Purged)
	}
}

func TestAddSecret(t *testing.T) {
	tl := newTool(t)
	c := tl.create("--name", "legacy")
	const supplied = "correct-horse-battery-staple"

	// Never from the command line: refused, not echoed, nothing stored.
	r := tl.fails(2, "", []string{"add-secret", c.ClientID, supplied}, "never from the command line")
	if strings.Contains(r.stdout+r.stderr, supplied) {
		t.Errorf("the refused secret was echoed:\n%s%s", r.stdout, r.stderr)
	}
	if n := len(tl.show(c.ClientID).Secrets); n != 1 {
		t.Fatalf("after a refused add-secret the client has %d secrets", n)
	}
	tl.fails(2, "", []string{"add-secret", c.ClientID}, "no secret given")

	r = tl.ok(supplied+"\n", "add-secret", "-o", "json", "--description", "from the old system", c.ClientID)
	if strings.Contains(r.stdout+r.stderr, supplied) {
		t.Errorf("add-secret printed the secret:\n%s%s", r.stdout, r.stderr)
	}
	var added secretRecordJSON
	decode(t, r.stdout, &added)
	if added.Kind != "supplied" || added.SecretID == "" || added.Description != "from the old system" {
		t.Errorf("add-secret -o json: %s", r.stdout)
	}
	if !tl.verify(c.ClientID, supplied) || tl.verify(c.ClientID, supplied+"x") {
		t.Error("the added secret does not verify, or a wrong one does")
	}

	// From a file; too short is the library's refusal, with no echo.
	tl.ok("", "revoke", c.ClientID, added.SecretID)
	file := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(file, []byte("another-long-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tl.ok("", "add-secret", c.ClientID, "--file", file)
	if !tl.verify(c.ClientID, "another-long-secret") {
		t.Error("the secret added from --file does not verify")
	}
	r = tl.fails(1, "short\n", []string{"add-secret", c.ClientID}, "12 to 512")
	if strings.Contains(r.stderr, "short") {
		t.Errorf("the rejected secret was echoed: %s", r.stderr)
	}
	tl.fails(1, supplied+"\n", []string{"add-secret", c.ClientID}, "too many active secrets")
}

func TestImportSecret(t *testing.T) {
	tl := newTool(t)
	c := tl.create("--name", "migrated")
	hash, err := bcrypt.GenerateFromPassword([]byte("hydra-era-secret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	tl.ok("", "revoke", c.ClientID, c.SecretID)

	r := tl.ok("", "import-secret", "-o", "json", c.ClientID, string(hash))
	var imported secretRecordJSON
	decode(t, r.stdout, &imported)
	if imported.Kind != "imported" || imported.State != "active" {
		t.Errorf("import-secret -o json: %s", r.stdout)
	}
	if !tl.verify(c.ClientID, "hydra-era-secret") {
		t.Error("the imported bcrypt secret does not verify")
	}
	if tl.verify(c.ClientID, "hydra-era-secreT") {
		t.Error("a wrong secret verifies against the imported hash")
	}

	// From stdin, and a hash the library cannot read.
	hash2, _ := bcrypt.GenerateFromPassword([]byte("second-secret-value"), bcrypt.MinCost)
	tl.ok(string(hash2)+"\n", "import-secret", c.ClientID)
	if !tl.verify(c.ClientID, "second-secret-value") {
		t.Error("the hash imported from stdin does not verify")
	}
	tl.fails(1, "", []string{"import-secret", c.ClientID, "$md5$nope"}, "unsupported")
	tl.fails(1, "", []string{"import-secret", "no-such-client", string(hash)}, "client no-such-client not found")
}

func TestExpiring(t *testing.T) {
	tl := newTool(t)
	soon := tl.create("--name", "soon", "--owner", "org-a", "--secret-expires-in", "2d")
	never := tl.create("--name", "never", "--owner", "org-a")
	if soon.ExpiresAt == nil || *soon.ExpiresAt == 0 {
		t.Fatalf("--secret-expires-in 2d: client_secret_expires_at %v", soon.ExpiresAt)
	}

	r := tl.ok("", "expiring", "--within", "72h", "-o", "json")
	var list []oauthreg.ExpiringSecret
	decode(t, r.stdout, &list)
	if len(list) != 1 || list[0].ClientID != soon.ClientID || list[0].SecretID != soon.SecretID {
		t.Errorf("expiring --within 72h: %s", r.stdout)
	}
	r = tl.ok("", "expiring", "--within", "24h", "-o", "json")
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("expiring --within 24h: %s, want []", r.stdout)
	}
	r = tl.ok("", "expiring", "--within", "30d")
	if !strings.Contains(r.stdout, soon.ClientID) || strings.Contains(r.stdout, never.ClientID) {
		t.Errorf("expiring table:\n%s", r.stdout)
	}
	tl.fails(2, "", []string{"expiring", "--within", "soon"}, "invalid duration")

	// A rotation's grace period is told apart from a lifetime's end.
	rotated := tl.create("--name", "rotated", "--owner", "org-b")
	tl.ok("", "--grace-period", "36h", "rotate", rotated.ClientID)
	r = tl.ok("", "expiring", "--within", "72h", "-o", "json")
	var withReason []struct {
		ClientID string `json:"client_id"`
		SecretID string `json:"secret_id"`
		EndsBy   string `json:"ends_by"`
	}
	decode(t, r.stdout, &withReason)
	got := map[string]string{}
	for _, e := range withReason {
		got[e.SecretID] = e.EndsBy
	}
	if got[soon.SecretID] != "lifetime" || got[rotated.SecretID] != "rotation" {
		t.Errorf("ends_by: %v; want %s lifetime, %s rotation\n%s", got, soon.SecretID, rotated.SecretID, r.stdout)
	}
	r = tl.ok("", "expiring", "--within", "72h")
	if !strings.Contains(r.stdout, "ENDS BY") || !strings.Contains(r.stdout, "rotation") || !strings.Contains(r.stdout, "lifetime") {
		t.Errorf("expiring table:\n%s", r.stdout)
	}
}

func TestReveal(t *testing.T) {
	tl := newTool(t)
	plain := tl.create("--name", "hashes-only")

	// Without a key ring: the library's ErrNotRetrievable, and a hint.
	r := tl.fails(1, "", []string{"reveal", plain.ClientID}, oauthreg.ErrNotRetrievable.Error(), "OAUTHREG_KEYRING")
	if strings.Contains(r.stdout+r.stderr, plain.ClientSecret) {
		t.Error("reveal printed a secret without a key ring")
	}

	k1, err := oauthreg.GenerateKey("k1", oauthreg.AES256GCM)
	if err != nil {
		t.Fatal(err)
	}
	entry := "k1:" + base64.StdEncoding.EncodeToString(k1.Secret)
	sealed := tl.with("OAUTHREG_KEYRING=" + entry)
	c := sealed.create("--name", "sealed")

	r = sealed.ok("", "reveal", "-o", "json", c.ClientID)
	var got newSecretJSON
	decode(t, r.stdout, &got)
	if got.ClientSecret != c.ClientSecret || got.SecretID != c.SecretID {
		t.Errorf("reveal -o json gave secret %s, want the one create printed (%s)", got.SecretID, c.SecretID)
	}
	r = sealed.ok("", "reveal", c.ClientID, c.SecretID)
	if !strings.Contains(r.stdout, "client secret: "+c.ClientSecret) {
		t.Errorf("reveal table output:\n%s", r.stdout)
	}
	// A secret issued without the key ring was never sealed.
	sealed.fails(1, "", []string{"reveal", plain.ClientID}, "never sealed")

	// --keyring-file, with a new primary key: reseal, then the old key can go.
	k2, _ := oauthreg.GenerateKey("k2", oauthreg.XChaCha20Poly1305)
	entry2 := "k2:XC20P:" + base64.RawURLEncoding.EncodeToString(k2.Secret)
	dir := t.TempDir()
	both, only2 := filepath.Join(dir, "both"), filepath.Join(dir, "only2")
	if err := os.WriteFile(both, []byte("# primary first\n"+entry2+"\n"+entry+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(only2, []byte(entry2+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tl.ok("", "reseal", "--keyring-file", both)
	r = tl.ok("", "reveal", "-o", "json", "--keyring-file", only2, c.ClientID)
	decode(t, r.stdout, &got)
	if got.ClientSecret != c.ClientSecret {
		t.Error("after reseal the new key does not reveal the secret")
	}

	// A malformed key ring is a configuration error that shows no key.
	r = tl.with("OAUTHREG_KEYRING=k1:"+base64.StdEncoding.EncodeToString([]byte("short"))).
		fails(2, "", []string{"reveal", c.ClientID}, "32")
	if strings.Contains(r.stderr, base64.StdEncoding.EncodeToString([]byte("short"))) {
		t.Error("the key ring error shows the key")
	}
	tl.with("OAUTHREG_KEYRING=nonsense").fails(2, "", []string{"reveal", c.ClientID}, "OAUTHREG_KEYRING")
}

func TestDelete(t *testing.T) {
	tl := newTool(t)
	c := tl.create("--name", "doomed")

	// No terminal and no --yes: refused.
	tl.fails(2, "", []string{"delete", c.ClientID}, "--yes")
	tl.show(c.ClientID)

	r := tl.ok("", "delete", "--yes", c.ClientID)
	if !strings.Contains(r.stdout, "deleted client "+c.ClientID) {
		t.Errorf("delete output: %s", r.stdout)
	}
	tl.fails(1, "", []string{"show", c.ClientID}, "client "+c.ClientID+" not found")
	tl.fails(1, "", []string{"delete", "--yes", c.ClientID}, "not found")
}

func TestBadInput(t *testing.T) {
	tl := newTool(t)
	c := tl.create("--name", "x")
	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`}},
		{"no command", nil, 2, []string{"Usage:"}},
		{"missing argument", []string{"show"}, 2, []string{"missing arguments", "help show"}},
		{"extra argument", []string{"show", c.ClientID, "extra"}, 2, []string{"too many arguments"}},
		{"unknown flag", []string{"list", "--colour"}, 2, []string{"-colour"}},
		{"bad output format", []string{"-o", "yaml", "list"}, 2, []string{"table or json"}},
		{"bad duration", []string{"create", "--access-token-ttl", "forever"}, 2, []string{"invalid duration"}},
		{"invalid redirect URI", []string{"create", "--redirect-uri", "https://app.example/cb#fragment"}, 1, []string{"redirect_uris[0]", "fragment", "invalid_redirect_uri"}},
		{"invalid grant type", []string{"create", "--grant-type", "magic"}, 1, []string{"grant_types[0]"}},
		{"invalid scope", []string{"create", "--scope", `bad"scope`}, 1, []string{"scope"}},
		{"taken ID", []string{"create", "--id", c.ClientID}, 1, []string{"already exists"}},
		{"unknown client", []string{"show", "no-such-client"}, 1, []string{"client no-such-client not found"}},
		{"unknown client rotate", []string{"rotate", "no-such-client"}, 1, []string{"client no-such-client not found"}},
		{"missing database", []string{"list", "--db", filepath.Join(t.TempDir(), "typo.db")}, 1, []string{"does not exist"}},
		{"unknown DSN scheme", []string{"list", "--db", "redis://localhost"}, 1, []string{"scheme"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tl.in(t).fails(tc.code, "", tc.args, tc.wants...)
			if r.stdout != "" {
				t.Errorf("stdout should be empty on error, got:\n%s", r.stdout)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	tl := newTool(t)
	r := tl.ok("", "help")
	for _, c := range commands() {
		if !strings.Contains(r.stdout, "\n  "+c.name+" ") {
			t.Errorf("help does not list %s", c.name)
		}
	}
	for _, want := range []string{"OAUTHREG_KEYRING", "ID:BASE64KEY[,ID:BASE64KEY...]", "Exit status"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("help does not mention %q", want)
		}
	}
	if r2 := tl.ok("", "-h"); r2.stdout != r.stdout {
		t.Error("-h and help differ")
	}
	for _, c := range commands() {
		r := tl.ok("", c.name, "-h")
		if !strings.HasPrefix(r.stdout, "Usage: admincli "+c.name) {
			t.Errorf("%s -h:\n%s", c.name, r.stdout)
		}
		if r2 := tl.ok("", "help", c.name); r2.stdout != r.stdout {
			t.Errorf("help %s and %s -h differ", c.name, c.name)
		}
	}
	tl.fails(2, "", []string{"help", "nope"}, "unknown command")
}

// The same run function, in-process: what a test of a program embedding
// the commands would do.
func TestRunInProcess(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "inproc.db")
	env := func(k string) string {
		if k == envDB {
			return db
		}
		return ""
	}
	call := func(stdin string, args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr, env)
		return code, stdout.String(), stderr.String()
	}
	code, out, errOut := call("", "-o", "json", "create", "--name", "inproc", "--grant-type", "client_credentials")
	if code != 0 {
		t.Fatalf("create: exit %d: %s", code, errOut)
	}
	var c created
	decode(t, out, &c)
	if code, _, errOut := call(c.ClientSecret+"\n", "verify", c.ClientID); code != 0 {
		t.Errorf("verify: exit %d: %s", code, errOut)
	}
	if code, _, _ := call("", "nope"); code != exitUsage {
		t.Errorf("unknown command: exit %d", code)
	}
	code, out, _ = call("", "genkey", "--id", "2030-01")
	entries, err := parseKeyList(out, true)
	if code != 0 || err != nil || len(entries) != 1 || entries[0].id != "2030-01" || len(entries[0].key) != oauthreg.KeySize {
		t.Errorf("genkey printed %q (exit %d, %v)", out, code, err)
	}
}

func TestParseKeyList(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	std, url := base64.StdEncoding.EncodeToString(key), base64.RawURLEncoding.EncodeToString(key)
	got, err := parseKeyList("a:"+std+", b:XC20P:"+url+"\n# comment\n\nc:"+std, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].id != "a" || got[1].alg != oauthreg.XChaCha20Poly1305 || got[2].alg != oauthreg.AES256GCM || !bytes.Equal(got[1].key, key) {
		t.Errorf("parseKeyList: %+v", got)
	}
	for _, bad := range []string{"", "# only a comment", "nokey", "a:b:c:d", "a:ROT13:" + std, ":" + std, "a:***"} {
		if _, err := parseKeyList(bad, true); err == nil {
			t.Errorf("parseKeyList(%q): no error", bad)
		} else if strings.Contains(err.Error(), std) {
			t.Errorf("parseKeyList(%q): the error shows the key", bad)
		}
	}
	if _, err := parseKeyList("p:XC20P:"+std, false); err == nil {
		t.Error("a pepper entry with an algorithm was accepted")
	}
}

func TestDurations(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"720h": 720 * time.Hour, "30d": 30 * 24 * time.Hour, "1d12h": 36 * time.Hour, "0": 0, "90s": 90 * time.Second,
	} {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "d", "xd", "-1h", "1d-1h", "forever"} {
		if _, err := parseDuration(bad); err == nil {
			t.Errorf("parseDuration(%q): no error", bad)
		}
	}
	for d, want := range map[time.Duration]string{
		24 * time.Hour: "24h", 10 * 24 * time.Hour: "10d", 90 * time.Minute: "1h30m", 45 * time.Second: "45s", 0: "0s",
	} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// A secret hashed under a pepper the configuration lost is not reported as
// a wrong secret: verify says what to configure.
func TestVerifyExplainsAMissingPepper(t *testing.T) {
	tl := newTool(t)
	b64 := func(b byte) string { return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{b}, 32)) }
	tl.env = append(tl.env, "OAUTHREG_PEPPER=p1:"+b64(1))
	c := tl.create("--owner", "org-acme")
	tl.env[len(tl.env)-1] = "OAUTHREG_PEPPER=p2:" + b64(2)
	r := tl.run(c.ClientSecret+"\n", "verify", c.ClientID)
	out := r.stdout + r.stderr
	if r.code != 1 || strings.Contains(out, "wrong secret") || !strings.Contains(out, "pepper this configuration does not have") {
		t.Fatalf("verify under a lost pepper: exit %d:\n%s", r.code, out)
	}
	tl.env[len(tl.env)-1] = "OAUTHREG_PEPPER=p2:" + b64(2) + ", p1:" + b64(1)
	if !tl.verify(c.ClientID, c.ClientSecret) {
		t.Error("the secret does not verify with the old pepper retired")
	}
}
