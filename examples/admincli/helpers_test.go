package main

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/oauthreg/oauthreg"
)

func TestListEdit(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		list, want []string
	}{
		{nil, []string{"a", "b"}, []string{"a", "b"}},
		{[]string{"--tag", "x", "--tag", "y"}, []string{"a"}, []string{"x", "y"}},
		{[]string{"--tag="}, []string{"a"}, nil},
		{[]string{"--add-tag", "b", "--add-tag", "a", "--remove-tag", "c"}, []string{"a", "c"}, []string{"a", "b"}},
		{[]string{"--tag", "x", "--add-tag", "x", "--add-tag", "y", "--remove-tag", "x"}, []string{"a"}, []string{"y"}},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		var e listEdit
		e.register(fs, "tag", "replace the `tags`", "`tag`")
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		if got := e.edit(slices.Clone(tc.list), given); !slices.Equal(got, tc.want) {
			t.Errorf("%v on %v: got %v, want %v", tc.args, tc.list, got, tc.want)
		}
	}

	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	var e listEdit
	e.register(fs, "redirect-uri", "replace the redirect `URIs`", "redirect `URI`")
	for name, want := range map[string]string{
		"redirect-uri":        "replace the redirect `URIs`",
		"add-redirect-uri":    "add a redirect `URI`",
		"remove-redirect-uri": "remove a redirect `URI`",
	} {
		if f := fs.Lookup(name); f == nil || f.Usage != want {
			t.Errorf("flag %s: %+v, want usage %q", name, f, want)
		}
	}
}

func TestAsTypes(t *testing.T) {
	if got := asTypes[oauthreg.GrantType](nil); got != nil {
		t.Errorf("asTypes(nil) = %#v, want nil", got)
	}
	got := asTypes[oauthreg.ResponseType]([]string{"code", "token"})
	if !slices.Equal(got, []oauthreg.ResponseType{"code", "token"}) {
		t.Errorf("asTypes = %v", got)
	}
}

// update's add/remove flags for redirect URIs and system tags, which
// TestUpdateChangesOnlyGivenFields does not use.
func TestUpdateListEdits(t *testing.T) {
	tl := newTool(t)
	c := tl.create("--redirect-uri", "https://a.example/cb", "--system-tag", "s1", "--system-tag", "s2")
	tl.ok("", "update", c.ClientID, "--add-redirect-uri", "https://b.example/cb", "--remove-redirect-uri", "https://a.example/cb",
		"--add-system-tag", "s3", "--add-system-tag", "s1", "--remove-system-tag", "s2")
	got := tl.show(c.ClientID)
	if !slices.Equal(got.RedirectURIs, []string{"https://b.example/cb"}) || !slices.Equal(got.SystemTags, []string{"s1", "s3"}) {
		t.Errorf("redirect URIs %v, system tags %v", got.RedirectURIs, got.SystemTags)
	}
	tl.fails(1, "", []string{"update", c.ClientID, "--add-scope", `bad"scope`}, "invalid scope")
}

// import-secret takes the hash as an argument, or from --file when the
// argument is absent or "-", never both.
func TestImportSecretSources(t *testing.T) {
	tl := newTool(t)
	c := tl.create("--name", "migrated")
	hash, err := bcrypt.GenerateFromPassword([]byte("file-borne-secret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "hash.txt")
	if err := os.WriteFile(file, append(hash, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	tl.fails(2, "", []string{"import-secret", c.ClientID, string(hash), "--file", file}, "not both")
	r := tl.ok("", "import-secret", c.ClientID, "-", "--file", file)
	if !strings.Contains(r.stdout, "imported secret ") || !strings.Contains(r.stdout, "to client "+c.ClientID) {
		t.Errorf("import-secret output:\n%s", r.stdout)
	}
	if !tl.verify(c.ClientID, "file-borne-secret") {
		t.Error("the hash imported from --file does not verify")
	}
}
